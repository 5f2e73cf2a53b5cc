"""Survey workbooks: generating a department's 回答票 and ingesting it back, against openpyxl's own floor.

The Kanagawa plan is imported once more with all 100 countable initiatives given to one department
(the largest workbook the data allows) and the demo mapping for the nine-department round.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

from tenken.demo import KANAGAWA_DIR as DATA

from .harness import Figure, timed


def run() -> list[Figure]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from openpyxl import Workbook, load_workbook

    from tenken.demo import setup_account
    from tenken.orgs.models import Membership
    from tenken.orgs.services import department_get_or_create
    from tenken.plans.assignments import initiative_assign_departments, plan_assign_departments_from_csv
    from tenken.plans.importing import import_plan_file
    from tenken.surveys.exchange import response_ingest_workbook, round_workbooks_generate
    from tenken.surveys.services import round_open
    from tenken.surveys.workbook import C_STATUS, FIRST_ROW, build_workbook

    def plan(title):
        return import_plan_file(DATA / "action-plan.xlsx", user=setup_account(), org_code="140007", title=title, fiscal_years="2014-2018",
                                structure=DATA / "items.csv").plan

    admin = get_user_model().objects.create_user("bench-admin")
    one, nine = plan("bench-survey-one"), plan("bench-survey-nine")
    Membership.objects.create(user=admin, organization=one.organization, role="admin")
    dept = department_get_or_create(organization=one.organization, name="全取組所属")
    initiative_assign_departments(initiatives=one.initiatives.select_related("plan"), departments=[dept])
    plan_assign_departments_from_csv(plan=nine, path=DATA / "departments.csv")
    big = round_open(user=admin, plan=one, fiscal_year=2018, deadline=date(2019, 5, 31)).responses.get()
    round9 = round_open(user=admin, plan=nine, fiscal_year=2018, deadline=date(2019, 5, 31))

    generate = timed(lambda: build_workbook(response=big))
    data = build_workbook(response=big)

    def plain_write():  # the same 100 × 13 cells with no styles, validation or protection
        wb = Workbook()
        ws = wb.active
        for r in range(100):
            ws.append([f"v{r}-{c}" for c in range(13)])
        wb.save(io.BytesIO())

    floor_write = timed(plain_write)
    tmp = Path(tempfile.mkdtemp(prefix="tenken-bench-survey-"))
    wb = load_workbook(io.BytesIO(data))
    for r in range(FIRST_ROW, FIRST_ROW + 100):
        wb["回答"].cell(r, C_STATUS).value = "② 取組内容を実施中である"
    filled = tmp / "filled.xlsx"
    wb.save(filled)
    floor_read = timed(lambda: load_workbook(filled).close())

    def ingest_rolled_back():
        with transaction.atomic():
            response_ingest_workbook(user=admin, path=filled)
            transaction.set_rollback(True)

    ingest = timed(ingest_rolled_back)
    all9 = timed(lambda: round_workbooks_generate(user=admin, survey_round=round9, directory=tmp / "nine"), repeat=3)
    return [
        Figure("survey: build one 100-row 回答票", generate * 1000, "ms", "openpyxl plain 100×13 write",
               floor_write * 1000),
        Figure("survey: ingest one 100-row 回答票 (check, validate, write, submit)", ingest * 1000, "ms",
               "openpyxl read of it", floor_read * 1000),
        Figure("survey: generate the 9 Kanagawa department 回答票", all9 * 1000, "ms"),
    ]
