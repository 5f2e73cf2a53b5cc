"""Data commands start without the web stack (#17): no system checks, so no view, matplotlib or DRF import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tenken.demo import KANAGAWA_DIR

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import json, sys
from tenken.cli import main
main(sys.argv[1:])
heavy = ("matplotlib", "rest_framework.views", "rest_framework.serializers", "drf_spectacular.views", "weasyprint",
         "docx", "tenken.web.views", "tenken.indicators.views")
print(json.dumps([m for m in heavy if m in sys.modules]))
"""


def loaded(tmp_path: Path, *args: str) -> list[str]:
    env = os.environ | {"TENKEN_DB": "sqlite", "TENKEN_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
                        "TENKEN_STATE_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tenken.settings"}
    subprocess.run([sys.executable, "-m", "tenken.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "-m", "tenken.cli", "shell", "-c",  # the account the import acts as (--user)
                    "from tenken.demo import setup_account; setup_account()"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([sys.executable, "-c", SCRIPT, "tenken", *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_plan_loads_no_web_stack(tmp_path):
    args = [str(KANAGAWA_DIR / "action-plan.xlsx"), "--org", "140007", "--title", "t", "--fiscal-years",
            "2014-2018", "--dry-run", "--user", "tenken-setup"]
    assert loaded(tmp_path, "import_plan", *args) == []
