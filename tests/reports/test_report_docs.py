"""The report stack is documented: every format, module and command appears in the docs."""

from __future__ import annotations

from pathlib import Path

from tenken.reports.renderers import RENDERERS

ROOT = Path(__file__).resolve().parents[2]


def test_every_format_module_and_command_is_documented():
    doc = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for r in RENDERERS.values():
        assert f"**{r.identifier.upper()}**" in doc
        assert r.module.rsplit(".", 1)[1] + ".py" in doc
    for path in sorted((ROOT / "tenken" / "reports").glob("*.py")):
        if path.name not in {"__init__.py", "apps.py", "urls.py"}:
            assert path.stem in doc, f"{path.name} is not described in docs/reports.md"
    for command in ("import-inspection", "report --plan", "check --plan"):
        assert f"tenken {command}" in doc and f"tenken {command}" in readme
