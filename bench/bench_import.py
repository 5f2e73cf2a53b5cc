"""Import of the Kanagawa workbook, against the time openpyxl and python-calamine need just to read it."""

from __future__ import annotations

from tenken.demo import KANAGAWA_DIR as DATA

from .harness import Figure, timed


def run() -> list[Figure]:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    from tenken.demo import setup_account
    from tenken.plans.importing import import_plan_file

    path = DATA / "action-plan.xlsx"
    user = setup_account()  # the documented set-up account (a superuser)
    raw_openpyxl = timed(lambda: load_workbook(path).close())
    raw_calamine = timed(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())
    dry = timed(
        lambda: import_plan_file(path, user=user, org_code="140007", title="bench", fiscal_years="2014-2018",
                                 dry_run=True)
    )
    counter = iter(range(10_000))
    full = timed(
        lambda: import_plan_file(
            path, user=user, org_code="140007", title=f"bench-{next(counter)}", fiscal_years="2014-2018",
            structure=DATA / "items.csv",
        )
    )
    return [
        Figure("openpyxl: read action-plan.xlsx (floor)", raw_openpyxl * 1000, "ms"),
        Figure("python-calamine: read action-plan.xlsx", raw_calamine * 1000, "ms"),
        Figure("import-plan --dry-run (validate only)", dry * 1000, "ms", "openpyxl read", raw_openpyxl * 1000),
        Figure("import-plan (write to SQLite)", full * 1000, "ms", "openpyxl read", raw_openpyxl * 1000),
    ]
