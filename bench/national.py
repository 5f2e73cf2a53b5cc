"""National-scale measurements on PostgreSQL, run in a subprocess by bench_national (prints JSON).

Creates (or reuses) the synthetic data set in bench/out/national (tenken synth, deterministic), resets
the database ``TENKEN_PG_NAME`` (default tenken_bench), then measures, each next to its floor:
- import: reviews/s end to end (tenken import-national in a child process; its peak RSS), against
  python-calamine's raw read rate of the same workbooks and PostgreSQL COPY of the same number of rows;
- rollup: ms for one fiscal year by policy (materialised rollup, and straight from the reviews), against
  DuckDB running the same GROUP BY over the same rows in memory.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORGS = int(os.environ.get("TENKEN_BENCH_ORGS", "1788"))
DATA = ROOT / "bench" / "out" / f"national-{ORGS}"
DB = os.environ.get("TENKEN_PG_NAME", "tenken_bench")


def sh(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT, env=env)


def main() -> None:
    env = os.environ | {"TENKEN_DB": "postgres", "TENKEN_PG_NAME": DB, "DJANGO_SETTINGS_MODULE": "tenken.settings"}
    tenken = [sys.executable, "-m", "tenken.cli"]
    out: dict[str, float] = {"orgs": ORGS}
    if not (DATA / "done").exists():
        t = time.perf_counter()
        sh(*tenken, "synth", "--orgs", str(ORGS), "--initiatives", "200", "--years", "5", "-o", str(DATA), env=env)
        out["synth_s"] = time.perf_counter() - t
        (DATA / "done").write_text("ok")
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}")
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}")
    sh(*tenken, "migrate", "-v0", env=env)
    # the national operator the import acts as (--user): the set-up account, a superuser without a password
    sh(*tenken, "shell", "-c", "from tenken.demo import setup_account; setup_account()", env=env)

    # Floor 1: python-calamine reading every workbook, one process.
    from python_calamine import CalamineWorkbook

    paths = sorted(DATA.glob("*.xlsx"))
    t, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for p in paths:
        rows += len(CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python())
    out["calamine_s"] = time.perf_counter() - t
    out["calamine_cpu_s"] = time.process_time() - cpu
    out["calamine_rows_per_s"] = rows / out["calamine_s"]  # sheet rows (each carries one review per year)

    # The import itself, in a child process (its peak RSS; workers are its children).
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([*tenken, "import-national", str(DATA), "--user", "tenken-setup"], capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the command and its workers (not of the PostgreSQL server): what the 2 cores spent on our side.
    out["import_cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    out["import_s"] = elapsed
    out["import_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    # The safety scan every workbook must pass before a parser sees it (active content, zip bombs, limits):
    # required work of the import besides the read, CPU in one process.
    from tenken.spreadsheets.safety import check_xlsx

    cpu = time.process_time()
    for p in paths:
        check_xlsx(p)
    out["safety_cpu_s"] = time.process_time() - cpu

    from tenken.national.rollups import _POLICY_CTE, raw_by_policy, rollup_by_policy
    from tenken.reviews.models import InitiativeReview

    reviews = InitiativeReview.objects.count()
    out["reviews"] = reviews
    out["import_reviews_per_s"] = reviews / elapsed
    out["calamine_reviews_per_s"] = reviews / out["calamine_s"]  # the same reviews, just read
    out.update(postgres_alone())
    # Floor 2: COPY of the same number of review-shaped rows into a scratch table.
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copy_floor (LIKE reviews_initiativereview INCLUDING DEFAULTS)")
        now = time.strftime("%Y-%m-%d %H:%M:%S+00")
        t = time.perf_counter()
        with cur.cursor.copy("COPY copy_floor (id, inspection_id, initiative_id, fiscal_year, status_id, change_reason, "
                             "outcome, issues, approval, entered_by_id, entered_at, updated_at, version, source_ref) "
                             "FROM STDIN") as copy:
            for i in range(reviews):
                copy.write_row((i, 1, i, 2021, 1, "", "", "", "approved", None, now, now, 1, "別紙!G5"))
        out["copy_rows_per_s"] = reviews / (time.perf_counter() - t)
        cur.execute("ANALYZE")

    def ms(fn, n=15) -> float:
        fn()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    out["rollup_ms"] = ms(lambda: rollup_by_policy(fiscal_year=2021))
    out["raw_rollup_ms"] = ms(lambda: raw_by_policy(fiscal_year=2021), n=5)

    import duckdb

    with connection.cursor() as cur:
        # The same policy resolution as the rollup itself (sub-items included), flattened for DuckDB.
        cur.execute(_POLICY_CTE + """SELECT r.fiscal_year, pol.policy, st.code FROM reviews_initiativereview r
            JOIN reviews_inspection ins ON ins.id = r.inspection_id AND ins.kind = 'annual'
            JOIN plans_initiative i ON i.id = r.initiative_id JOIN pol ON pol.section_id = i.section_id
            JOIN plans_status st ON st.id = r.status_id WHERE r.approval = 'approved'""")
        flat = cur.fetchall()
    import csv
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8", delete=False) as fh:
        csv.writer(fh).writerows(flat)
    duck = duckdb.connect()
    duck.execute(
        "CREATE TABLE r AS SELECT * FROM read_csv(?, header=false, "
        "columns={'fiscal_year': 'INTEGER', 'policy': 'VARCHAR', 'status': 'VARCHAR'})", [fh.name]
    )
    os.unlink(fh.name)
    out["duckdb_rollup_ms"] = ms(lambda: duck.execute(
        "SELECT policy, status, COUNT(*) FROM r WHERE fiscal_year = 2021 GROUP BY policy, status").fetchall())
    out["check_equal"] = float(rollup_by_policy(fiscal_year=2021) == raw_by_policy(fiscal_year=2021))
    print(json.dumps(out))


def postgres_alone() -> dict[str, float]:
    """The database's share of the import with no parsing at all: the rows the import wrote, taken back out
    with COPY TO, written again exactly as a first load does (tables emptied, keys and indexes dropped, COPY,
    keys and indexes restored and validated), on one core (no parallel index build: its wall time is its
    CPU), in a transaction rolled back. Whatever the client does, the import needs at least this much CPU
    besides reading the workbooks."""
    from django.db import connection, transaction

    from tenken.national.bulk import ORDER, _prepare_first_load, _table

    dumps: dict[str, bytes] = {}
    with connection.cursor() as cur:
        for model in ORDER:
            buf = bytearray()
            with cur.cursor.copy(f"COPY {_table(model)} TO STDOUT") as copy:
                for chunk in copy:
                    buf += chunk
            dumps[_table(model)] = bytes(buf)
    out: dict[str, float] = {}
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET LOCAL max_parallel_maintenance_workers = 0")
            cur.execute("SET LOCAL session_replication_role = replica")  # as the import (superuser)
            cur.execute(f"TRUNCATE {', '.join(dumps)} CASCADE")
            restore, _validated = _prepare_first_load()
            t = time.perf_counter()
            for table, data in dumps.items():
                with cur.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(data)
            out["pg_copy_s"] = time.perf_counter() - t
            t = time.perf_counter()
            for statement in restore:
                cur.execute(statement)
            out["pg_index_s"] = time.perf_counter() - t
        transaction.set_rollback(True)
    out["pg_alone_s"] = out["pg_copy_s"] + out["pg_index_s"]
    return out


if __name__ == "__main__":
    main()
