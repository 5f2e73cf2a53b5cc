"""docs/importing.md names every accepted header and every category (a documented thing stays documented)."""

from pathlib import Path

from tenken.imports.fields import FIELDS
from tenken.plans.statuses import CATEGORIES

DOC = (Path(__file__).parents[1] / "docs" / "importing.md").read_text(encoding="utf-8")


def test_every_accepted_name_is_documented():
    for f in FIELDS:
        row = next(line for line in DOC.splitlines() if line.startswith(f"| `{f.key}` |"))
        assert all(n in row for n in f.names), f.key


def test_every_category_is_documented():
    for key, label in CATEGORIES:
        assert f"| `{key}` | {label} |" in DOC
