"""The same tolerance for the other tables a city keeps: indicator tables kept wide (one row per
indicator, a column per year)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tenken.common.errors import InputRejected
from tenken.indicators.importing import import_indicators_file
from tenken.indicators.models import Observation

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db


def test_wide_indicator_table(tmp_path):
    csv = tmp_path / "kpi.csv"
    csv.write_text(
        "指標,単位,H30基準値,R1,R2,R3,R4実績,R5目標\n"
        "電子申請の利用件数,件,1200,1500,1800,-,2600,3000\n"
        "窓口の平均待ち時間,分,30,28,,25,20,15\n", encoding="utf-8")
    (tmp_path / "indicator-meta.csv").write_text(
        "指標,direction\n電子申請の利用件数,higher\n窓口の平均待ち時間,lower\n", encoding="utf-8")
    result = import_indicators_file(csv, org_code="140007")
    assert result.observations_created == 10
    got = sorted((o.indicator.name, o.kind, o.as_of, o.value) for o in Observation.objects.select_related("indicator")
                 .filter(indicator__name="電子申請の利用件数"))
    assert got == [
        ("電子申請の利用件数", "actual", date(2020, 3, 31), D("1500")),
        ("電子申請の利用件数", "actual", date(2021, 3, 31), D("1800")),
        ("電子申請の利用件数", "actual", date(2023, 3, 31), D("2600")),
        ("電子申請の利用件数", "baseline", date(2019, 3, 31), D("1200")),
        ("電子申請の利用件数", "target", date(2024, 3, 31), D("3000")),
    ]


def test_wide_indicator_table_problems_are_located(tmp_path):
    csv = tmp_path / "kpi.csv"
    csv.write_text("指標,単位,R1,R2\n利用件数,件,約100,200\n,件,1,2\n", encoding="utf-8")
    (tmp_path / "indicator-meta.csv").write_text("指標,direction\n利用件数,higher\n", encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        import_indicators_file(csv, org_code="140007")
    assert db_snapshot() == before
    assert exc.value.messages == [
        "kpi.csv:2「R1」: 「約100」は数値ではありません（数字だけを書き、単位や「約」は単位列・note 列へ）",
        "kpi.csv:3「指標」: 指標名が空です",
    ]
