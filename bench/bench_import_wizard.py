"""Inspect + import (the wizard's and ``--inspect``/``--mapping``'s path) of a 2,000-row, 5-sheet workbook
end to end, against python-calamine just reading the same file, in the same run.

Targets (issue #11): end to end ≤ 2 s, and ≤ 3× the calamine read. Wall figures are on a shared machine
(see the load average); the CPU figures are this process's own time.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from .harness import Figure, cpu_timed, timed

SHEETS = 5
ROWS = 400  # per sheet: 2,000 in all
STATUSES = ("完了", "順調", "遅れ", "未着手")


def build_workbook(path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for s in range(SHEETS):
        ws = wb.add_worksheet(f"基本方針{s + 1}")
        ws.write_row(0, 0, [f"基本方針{s + 1} 進捗管理表"])
        ws.write_row(1, 0, ["凡例：完了 / 順調 / 遅れ / 未着手"])
        ws.write_row(2, 0, ["No.", "施策", "取組名", "担当課", "令和4年度の実績", "令和5年度の実績", "備考"])
        for i in range(ROWS):
            n = s * ROWS + i
            ws.write_row(3 + i, 0, [f"{s + 1}-{i + 1}", f"施策{s + 1}-{i // 20 + 1}",
                                    f"取組{n} 行政手続のオンライン化と窓口の見直し（その{n}）", f"課{n % 40}",
                                    STATUSES[n % 4], STATUSES[(n + 1) % 4], ""])
        ws.write_row(3 + ROWS, 0, ["合計", "", "", "", f"{ROWS}件", f"{ROWS}件"])
    wb.close()
    return path


def run() -> list[Figure]:
    from python_calamine import CalamineWorkbook

    from tenken.demo import setup_account
    from tenken.imports.inspect import inspect_file
    from tenken.imports.services import plan_import_mapped
    from tenken.imports.workbook import _CACHE

    path = build_workbook(Path(tempfile.mkdtemp(prefix="tenken-bench-")) / "plan-2000.xlsx")

    def read_calamine() -> None:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

    counter = iter(range(10_000))
    user = setup_account()  # the documented set-up account (a superuser)

    def end_to_end() -> None:
        mapping = inspect_file(path).mapping
        outcome = plan_import_mapped(path=path, mapping=mapping, org_code="140007", title=f"bench-{next(counter)}",
                                     fiscal_years="R4-R8", user=user)
        assert outcome.preview.counts()["countable"] == SHEETS * ROWS, outcome.preview.counts()

    def cold_end_to_end() -> None:
        # As the CLI's --inspect then --mapping (two processes): the file is read twice.
        mapping = inspect_file(path).mapping
        _CACHE.clear()
        outcome = plan_import_mapped(path=path, mapping=mapping, org_code="140007", title=f"bench-{next(counter)}",
                                     fiscal_years="R4-R8", user=user)
        assert outcome.preview.counts()["countable"] == SHEETS * ROWS, outcome.preview.counts()

    end_to_end()  # once untimed: the organization master list and Django's first queries are not the import's
    before = _max_ids()
    end_to_end()
    write_floor = statistics.median(_write_again(before) for _ in range(3))
    calamine = timed(read_calamine)
    inspect = timed(lambda: (_CACHE.clear(), inspect_file(path)), repeat=3)
    total = timed(end_to_end, setup=_CACHE.clear, repeat=3)
    cold = timed(cold_end_to_end, setup=_CACHE.clear, repeat=3)
    cpu_calamine = cpu_timed(read_calamine)
    cpu_total = cpu_timed(end_to_end, setup=_CACHE.clear, repeat=3)
    ms = 1000
    return [
        Figure("python-calamine: read the 2,000-row 5-sheet workbook (floor)", calamine * ms, "ms"),
        Figure("inspect (propose mapping; file read)", inspect * ms, "ms", "calamine read", calamine * ms),
        Figure("inspect + import end to end (SQLite; the wizard: one read shared)", total * ms, "ms", "", None,
               limit=2000),
        Figure("inspect + import end to end (SQLite; the wizard: one read shared) vs calamine", total * ms, "ms",
               "calamine read", calamine * ms, target=3),
        Figure("inspect + import, file read twice (CLI --inspect then --mapping)", cold * ms, "ms",
               "calamine read", calamine * ms, limit=2000),
        # What the database alone needs: the rows one import writes, written again with the bare sqlite3
        # executemany (no reading, no checks, no Django). Over 3× the read here, the 3× target is out of reach
        # for any importer that writes these rows to SQLite.
        Figure("SQLite alone: the same rows written again (bare sqlite3 executemany, one transaction)",
               write_floor * ms, "ms", "3 × calamine read", 3 * calamine * ms),
        Figure("CPU: python-calamine read (floor)", cpu_calamine * ms, "ms CPU"),
        Figure("CPU: inspect + import end to end vs calamine", cpu_total * ms, "ms CPU", "calamine read (CPU)",
               cpu_calamine * ms, target=3),
    ]


def _max_ids() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cur:
        out = {}
        for table in connection.introspection.table_names(cur):
            columns = [c.name for c in connection.introspection.get_table_description(cur, table)]
            if "id" in columns:
                cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                out[table] = cur.fetchone()[0]
        return out


def _write_again(before: dict[str, int]) -> float:
    """Every row the last import wrote (ids above ``before``), deleted (untimed) and written again with the bare
    sqlite3 cursor's ``executemany`` in one transaction, rolled back: the database's share of an import."""
    import time

    from django.db import connection, transaction

    after = _max_ids()
    raw = connection.connection  # the sqlite3 connection itself
    with transaction.atomic():
        rows = {}
        for table, top in after.items():
            if top > before.get(table, 0):
                cur = raw.execute(f'SELECT * FROM "{table}" WHERE id > ?', [before.get(table, 0)])
                rows[table] = ([d[0] for d in cur.description], cur.fetchall())
        raw.execute("PRAGMA defer_foreign_keys = ON")
        for table in rows:
            raw.execute(f'DELETE FROM "{table}" WHERE id > ?', [before.get(table, 0)])
        t0 = time.perf_counter()
        for table, (columns, values) in rows.items():
            cols = ", ".join(f'"{c}"' for c in columns)
            raw.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(columns))})', values)
        seconds = time.perf_counter() - t0
        transaction.set_rollback(True)
    return seconds
