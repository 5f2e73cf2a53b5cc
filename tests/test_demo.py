"""The demo data set `make run` loads: the seed's figures reach the indicators, twice-run safe."""

from __future__ import annotations

from datetime import date

import pytest

from tenken.demo import load_kanagawa_governance, load_kanagawa_indicators
from tenken.indicators.selectors import indicator_report_rows
from tenken.inventory.models import MunicipalGoal
from tenken.inventory.selectors import municipal_rollup, register_by_fiscal_year

pytestmark = pytest.mark.django_db


def test_governance_demo_reproduces_the_seed(kanagawa_plan):
    load_kanagawa_indicators()
    load_kanagawa_governance()
    load_kanagawa_governance()  # idempotent
    org = kanagawa_plan.organization
    years = {y.fiscal_year: (y.systems, y.cost_yen) for y in register_by_fiscal_year(organization=org)}
    assert years[2013] == (162, 7_200_000_000) and years[2018] == (110, 6_000_000_000)
    rows = {r.name: r for r in indicator_report_rows(plan=kanagawa_plan)}
    assert (rows["情報システム数"].baseline, rows["情報システム数"].actual) == (162, 110)
    assert (rows["情報システム運用経費"].baseline, rows["情報システム運用経費"].actual) == (72, 60)
    opendata = rows["オープンデータ未取組の県内市町村数"]
    assert (opendata.actual, opendata.actual_as_of, opendata.target) == (7, date(2019, 12, 31), 0)
    goal = MunicipalGoal.objects.get(prefecture=org)
    r = municipal_rollup(goal=goal, on=date(2019, 12, 31))
    assert (r.total, r.achieved, r.not_achieved) == (33, 26, 7)
