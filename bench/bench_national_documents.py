"""点検報告書 DOCX and PDF for 100 organizations' synthetic plans (issue 8): see bench.national_documents.py.

Each phase runs in its own child process on one fresh SQLite file, so each format's peak RSS is its own.
``TENKEN_BENCH_REPORT_ORGS`` sets the number of organizations (default 100).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent


def _phase(name: str, env: dict[str, str]) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-m", "bench.national_documents", name], capture_output=True, text=True,
                          cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run() -> list[Figure]:
    db = os.path.join(tempfile.mkdtemp(prefix="tenken-bench-reports-"), "bench.sqlite3")
    env = os.environ | {"TENKEN_DB": "sqlite", "TENKEN_SQLITE_PATH": db, "DJANGO_SETTINGS_MODULE": "tenken.settings"}
    imported = _phase("import", env)
    n = int(imported["orgs"])
    figures = [Figure(f"reports ×{n}: bulk import of the synthetic plans ({int(imported['reviews']):,} reviews, SQLite)",
                      imported["import_s"], "s")]
    for fmt, floor in (("docx", "python-docx: empty document"), ("pdf", "WeasyPrint: one-page document")):
        r = _phase(fmt, env)
        label = fmt.upper()
        figures += [
            Figure(f"reports ×{n}: {label} per report, median (context + render, 200 initiatives)", r["median_s"] * 1000,
                   "ms", f"{floor}, median", r["floor_median_s"] * 1000),
            Figure(f"reports ×{n}: {label} per report, slowest", r["max_s"] * 1000, "ms"),
            Figure(f"reports ×{n}: {label} total", r["total_s"], "s", f"{floor} ×{n}", r["floor_total_s"]),
            Figure(f"reports ×{n}: {label} process peak RSS", r["rss_peak_mb"], "MB", "after the floor",
                   r["rss_floor_mb"]),
        ]
    return figures
