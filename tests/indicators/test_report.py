"""The selector the 点検報告書 embeds, its HTML partial, and ``tenken indicators``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from tenken.common.wareki import parse_date
from tenken.indicators.models import Indicator
from tenken.indicators.selectors import IndicatorReportRow, indicator_report_rows
from tenken.indicators.services import observation_record


def _by_name(rows: list[IndicatorReportRow]) -> dict[str, IndicatorReportRow]:
    return {r.name: r for r in rows}


def test_rows_from_the_kanagawa_csv(kanagawa_indicators, django_assert_num_queries):
    with django_assert_num_queries(2):  # indicators, then all their observations: whatever the count
        rows = indicator_report_rows(plan=kanagawa_indicators)
    assert len(rows) == 15
    assert [r.name for r in rows][:2] == ["公衆無線LANアクセスポイント設置台数(県有施設)", "公衆無線LANアクセスポイント設置施設数(県有施設)"]
    got = _by_name(rows)

    rpa = got["RPA導入業務数"]
    assert (rpa.actual, rpa.target, rpa.baseline, rpa.rate, rpa.rate_text, rpa.rating) == (D(2), D(5), None, D("0.4"), "40.0%", "D")
    assert (rpa.actual_label, rpa.target_label, rpa.direction_label) == ("平成31年3月", "令和2年3月", "高いほど良い")

    od = got["オープンデータ未取組の県内市町村数"]
    assert (od.actual, od.target, od.rate, od.rate_status, od.rating) == (D(7), D(0), D(0), "ok", "D")

    systems = got["情報システム数"]
    assert (systems.baseline, systems.actual, systems.target) == (D(162), D(110), None)
    assert (systems.rate, systems.rate_status, systems.rate_text, systems.rating) == (None, "missing_target", "目標値なし", "")

    tablets = got["共通利用タブレット台数"]
    assert (tablets.baseline_display, tablets.actual_display, tablets.target_display) == ("2,220", "", "0")
    assert tablets.rate_text == "実績値なし"
    assert got["マイME-BYOカルテ登録者数"].actual_display == "1,200,000"


def test_rates_with_the_plans_targets(kanagawa_indicators):
    # indicators.csv states no targets for these two; the test sets them (hypothetical figures):
    # 情報システム数 100 and 運用経費 50 億円/年 at the end of FY2018 (H30年度末).
    systems = Indicator.objects.get(name="情報システム数")
    cost = Indicator.objects.get(name="情報システム運用経費")
    observation_record(indicator=systems, kind="target", value=D(100), as_of=parse_date("H30年度末"))
    observation_record(indicator=cost, kind="target", value=D(50), as_of=parse_date("H30年度末"))
    got = _by_name(indicator_report_rows(plan=kanagawa_indicators))
    assert (got["情報システム数"].rate, got["情報システム数"].rate_text, got["情報システム数"].rating) == (
        D(52) / D(62), "83.9%", "B")
    assert (got["情報システム運用経費"].rate_text, got["情報システム運用経費"].rating) == ("54.5%", "C")


def test_as_of_cut_off_and_target_choice(kanagawa_indicators):
    od = Indicator.objects.get(name="オープンデータ未取組の県内市町村数")
    observation_record(indicator=od, kind="baseline", value=D(7), as_of=parse_date("2019-12"))
    observation_record(indicator=od, kind="actual", value=D(3), as_of=parse_date("R2.9"))
    observation_record(indicator=od, kind="target", value=D(4), as_of=parse_date("R2.9"))  # interim target
    now = _by_name(indicator_report_rows(plan=kanagawa_indicators))["オープンデータ未取組の県内市町村数"]
    # Latest actual 3 (R2.9), the target due then is the interim 4: (3 − 7)/(4 − 7) = 4/3.
    assert (now.actual, now.target, now.target_as_of, now.rate_text, now.rating) == (D(3), D(4), date(2020, 9, 30), "133.3%", "A")
    before = _by_name(indicator_report_rows(plan=kanagawa_indicators, as_of=date(2020, 3, 31)))["オープンデータ未取組の県内市町村数"]
    # At 2020-03-31 the latest actual is 7 (2019-12) and equals the baseline: 0 %.
    assert (before.actual, before.baseline, before.target, before.rate_text) == (D(7), D(7), D(4), "0.0%")
    by_org = indicator_report_rows(organization=kanagawa_indicators.organization)
    assert len(by_org) == 15
    with pytest.raises(TypeError):
        indicator_report_rows()


def test_indicators_linked_through_sections_belong_to_the_plan(kanagawa_plan):
    from tenken.indicators.services import indicator_create

    section = kanagawa_plan.sections.get(depth=1, title="オープンガバメントの導入")
    indicator_create(organization=kanagawa_plan.organization, name="オープンデータ公開件数", unit="件",
                     direction="higher", sections=[section])
    assert [r.name for r in indicator_report_rows(plan=kanagawa_plan)] == ["オープンデータ公開件数"]


def test_report_partial_renders_the_rows(kanagawa_indicators):
    rows = indicator_report_rows(plan=kanagawa_indicators)
    html = render_to_string("indicators/_report_section.html", {"indicator_rows": rows})
    assert "<h2>指標の状況</h2>" in html
    assert html.count("<tr>") == 16  # header + 15 rows
    assert "RPA導入業務数" in html and "40.0%" in html and "令和2年3月" in html
    assert "1,200,000" in html and "目標値なし" in html
    assert "http" not in html and "<script" not in html and "<link" not in html
    empty = render_to_string("indicators/_report_section.html", {"indicator_rows": [], "heading": "成果指標"})
    assert "成果指標" in empty and "指標は登録されていません" in empty


def test_cli_table(kanagawa_indicators):
    out = StringIO()
    call_command("indicators", plan=kanagawa_indicators.pk, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "電子化全開宣言行動計画（平成26年度～30年度） の指標（15件）"
    assert lines[1].split() == ["指標", "単位", "基準値", "最新の実績値", "時点", "目標値", "時点", "達成率", "評価"]
    rpa = next(line for line in lines if line.startswith("RPA導入業務数"))
    assert rpa.split() == ["RPA導入業務数", "業務", "2", "平成31年3月", "5", "令和2年3月", "40.0%", "D"]
    out = StringIO()
    call_command("indicators", org="140007", as_of="H30年度末", stdout=out)
    od = next(line for line in out.getvalue().splitlines() if line.startswith("オープンデータ未取組"))
    assert od.split()[-1] == "実績値なし"  # the 2019-12 actual is after the cut-off
    with pytest.raises(CommandError, match="計画 ID「999」"):
        call_command("indicators", plan=999, stdout=out)
    with pytest.raises(CommandError, match="--as-of"):
        call_command("indicators", plan=kanagawa_indicators.pk, as_of="いつか", stdout=out)
