"""National scale (1,788 organizations × 200 initiatives × 5 years on PostgreSQL): see bench/national.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent


def run() -> list[Figure]:
    proc = subprocess.run([sys.executable, "-m", "bench.national"], capture_output=True, text=True, cwd=ROOT,
                          env=os.environ.copy())
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    n = int(r["orgs"])
    return [
        Figure(f"import-national: reviews/s end to end ({n} orgs, {int(r['reviews']):,} reviews, 2 workers)",
               r["import_reviews_per_s"], "rows/s", "python-calamine raw read of the same workbooks, 1 process",
               r["calamine_reviews_per_s"], target=0.55, at_least=True, peak_rss=r["import_peak_rss_mb"]),
        Figure("import-national vs PostgreSQL COPY of the same rows", r["import_reviews_per_s"], "rows/s",
               "COPY floor", r["copy_rows_per_s"]),
        Figure("import-national: total time", r["import_s"], "s"),
        Figure("import-national: CPU of the command and its 2 workers (PostgreSQL server not counted)",
               r["import_cpu_s"], "s", "CPU of the python-calamine raw read, 1 process", r["calamine_cpu_s"]),
        Figure("import-national: peak RSS (largest process)", r["import_peak_rss_mb"], "MB"),
        Figure("national rollup by policy, one fiscal year (materialised)", r["rollup_ms"], "ms",
               "DuckDB GROUP BY over the same rows", r["duckdb_rollup_ms"]),
        Figure("national rollup by policy, straight from reviews", r["raw_rollup_ms"], "ms",
               "DuckDB GROUP BY over the same rows", r["duckdb_rollup_ms"]),
    ]
