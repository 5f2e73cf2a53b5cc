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
        Figure("import-national: the time the target allows (calamine read ÷ 0.55)", r["calamine_s"] / 0.55, "s"),
        Figure("PostgreSQL alone, 1 core: COPY of the same rows + keys and indexes restored (no parsing)",
               r["pg_alone_s"], "s", "the time the target allows", r["calamine_s"] / 0.55),
        Figure("  of which COPY", r["pg_copy_s"], "s"),
        Figure("  of which keys, indexes and foreign keys restored", r["pg_index_s"], "s"),
        Figure("safety scan of every workbook (active content, zip bombs, limits), CPU, 1 process",
               r["safety_cpu_s"], "s", "CPU of the python-calamine raw read, 1 process", r["calamine_cpu_s"]),
        # On 2 cores the target leaves 2 × (read ÷ 0.55) core-seconds for everything; reading the workbooks
        # takes the raw read's CPU at least, the safety scan its own, and the database its share above. Over
        # 1× here: no client code can meet the target on this machine with this schema.
        Figure("CPU the import needs at least: raw read + safety scan + PostgreSQL alone (core-seconds)",
               r["calamine_cpu_s"] + r["safety_cpu_s"] + r["pg_alone_s"], "s",
               "2 cores × the time the target allows", 2 * r["calamine_s"] / 0.55),
        Figure("import-national: CPU of the command and its 2 workers (PostgreSQL server not counted)",
               r["import_cpu_s"], "s", "CPU of the python-calamine raw read, 1 process", r["calamine_cpu_s"]),
        Figure("import-national: peak RSS (largest process)", r["import_peak_rss_mb"], "MB"),
        Figure("national rollup by policy, one fiscal year (materialised)", r["rollup_ms"], "ms",
               "DuckDB GROUP BY over the same rows", r["duckdb_rollup_ms"]),
        Figure("national rollup by policy, straight from reviews", r["raw_rollup_ms"], "ms",
               "DuckDB GROUP BY over the same rows", r["duckdb_rollup_ms"]),
    ]
