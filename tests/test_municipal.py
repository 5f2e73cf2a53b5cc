"""A prefecture's follow-up of its 33 municipalities (open data 取組済 by R2年度末)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from tenken.common.errors import InputRejected
from tenken.demo import DEMO_DIR
from tenken.inventory.selectors import municipal_rollup, municipal_series
from tenken.inventory.services import municipal_goal_create, municipal_progress_import, municipal_progress_set
from tenken.orgs.models import Organization
from tenken.orgs.services import organization_for_code, organizations_load_master

from .conftest import db_snapshot
from .personas import OPERATOR, operator

pytestmark = pytest.mark.django_db
DEMO = DEMO_DIR / "kanagawa-municipal-opendata-synthetic.csv"


@pytest.fixture
def goal():
    organizations_load_master(user=operator())
    return municipal_goal_create(user=operator(),
        prefecture=organization_for_code(code="140007"), name="オープンデータ取組済", target_date=date(2021, 3, 31),
        target_text="R2年度末",
    )


def test_goal_covers_the_33_municipalities(goal):
    assert goal.progress.count() == 33  # wards of 横浜・川崎・相模原 are not municipalities of their own
    r = municipal_rollup(goal=goal, on=date(2019, 12, 31))
    assert (r.total, r.achieved, r.not_achieved, r.target_met) == (33, 0, 33, False)


def test_rollup_reproduces_seven_pending_at_r1_12(goal):
    municipal_progress_import(user=operator(), goal=goal, path=DEMO)
    r = municipal_rollup(goal=goal, on=date(2019, 12, 31))
    assert (r.total, r.achieved, r.not_achieved) == (33, 26, 7)
    assert round(r.percent, 1) == 78.8
    series = municipal_series(goal=goal, fiscal_years=range(2015, 2020))
    achieved = [s.achieved for s in series]
    assert achieved == sorted(achieved) and achieved[-1] == 26
    for name in r.pending_names[:7]:
        municipal_progress_set(user=operator(),
            goal=goal, municipality=Organization.objects.get(name=name, parent__code="140007"), achieved_on=date(2021, 2, 1)
        )
    assert municipal_rollup(goal=goal, on=date(2021, 3, 31)).target_met
    assert not municipal_rollup(goal=goal, on=date(2021, 1, 31)).target_met


def test_another_prefectures_town_is_refused(goal, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("団体コード,取組済となった日\n141003,H30.4\n011002,H30.4\n141004,H30.4\n", encoding="cp932")
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        municipal_progress_import(user=operator(), goal=goal, path=path)
    assert exc.value.messages == ["bad.csv:4行目「団体コード」: 団体コード「141004」の検査数字が正しくありません（14100 の検査数字は 3）"]
    path.write_text("団体コード,取組済となった日\n141003,H30.4\n011002,H30.4\n", encoding="cp932")
    with pytest.raises(InputRejected) as exc:
        municipal_progress_import(user=operator(), goal=goal, path=path)
    assert exc.value.messages == ["bad.csv:3行目「団体コード」: 011002 は 神奈川県 の市町村ではありません"]
    assert db_snapshot() == before


def test_cli_status(goal, capsys):
    call_command("municipal", "import", "--goal", str(goal.pk), str(DEMO), "--user", OPERATOR)
    call_command("municipal", "status", "--goal", str(goal.pk), "--on", "R元.12")
    out = capsys.readouterr().out
    assert "取組済 26 / 33（78.8%）、未取組 7、目標 R2年度末" in out


def test_municipal_progress_feeds_the_open_data_indicator(goal):
    from tenken.indicators.selectors import indicator_report_rows
    from tenken.inventory.indicator_feed import municipal_feed_indicator

    municipal_progress_import(user=operator(), goal=goal, path=DEMO)
    name = "オープンデータ未取組の県内市町村数"
    assert municipal_feed_indicator(user=operator(), goal=goal, name=name, today=date(2020, 1, 15)) > 0
    row = {r.name: r for r in indicator_report_rows(organization=goal.prefecture)}[name]
    pending_at_fy2018_end = municipal_rollup(goal=goal, on=date(2019, 3, 31)).not_achieved
    assert 7 < pending_at_fy2018_end < 33
    assert (row.actual, row.actual_as_of, row.target, row.target_as_of) == (
        pending_at_fy2018_end, date(2019, 3, 31), 0, date(2021, 3, 31)
    )
    assert row.direction == "lower" and row.rate_text
    assert municipal_feed_indicator(user=operator(), goal=goal, name=name, today=date(2020, 1, 15)) == 0
