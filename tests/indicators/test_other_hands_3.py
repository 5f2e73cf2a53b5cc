"""Other hands, third probe of the indicator (KPI) tables: 総合計画 and 総合戦略 sheets as more clerks keep them.

A KPI sheet with 施策 merged over its indicators, 基準値（R元）/ 目標値（R7）/ R2 / R3 / R4 / 達成度; trend marks
「↑」「→」 beside values and a column of them; a forecast 「(見込)」 written in an actual's cell; 85.0％ in full width
and 「8割」; a long table with 年度 and 区分 (目標値/実績値); a wide table with a target and an actual for each year; a
「件数（累計）」 KPI with its unit in the cells; and one indicator name used under two 施策 for two indicators.

Each test says what a careful municipal user expects: the indicators and observations (year, kind, value) as
stored, or a located Japanese refusal with the database unchanged.
"""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.common.text import normalize
from tenken.indicators.importing import import_indicators_file
from tenken.indicators.models import Indicator, Observation
from tests.conftest import db_snapshot

from ..personas import OPERATOR, operator

pytestmark = pytest.mark.django_db

DIRECTIONS = {
    "特定健診受診率": "higher", "健康教室の参加者数": "higher", "転入者数": "higher", "待機児童数": "lower",
    "市民満足度": "higher", "電子申請件数（累計）": "higher", "参加者数": "higher", "参加者数（健康教室）": "higher",
    "参加者数（防災訓練）": "higher", "自主防災組織の結成率": "higher", "空き家バンク登録件数": "higher",
}


@pytest.fixture(autouse=True)
def city():
    from tenken.orgs.services import organization_for_code

    operator()
    return organization_for_code(code="140007")


def book(path: Path, rows: list[list[object]], *, sheet: str = "KPI", merges: tuple[str, ...] = (),
         formats: dict[str, str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    (path.parent / "indicator-meta.csv").write_text(
        "指標,direction\n" + "".join(f"{n},{d}\n" for n, d in DIRECTIONS.items()), encoding="utf-8")
    return path


def load(path: Path, **kw):
    return import_indicators_file(path, user=operator(), org_code="140007", **kw)


def refused(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        load(path, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def obs(name: str) -> list[tuple[str, int, D]]:
    """The observations of the indicator written ``name`` (stored NFKC: 「件数（累計）」 as 「件数(累計)」)."""
    return sorted(Observation.objects.filter(indicator__name=normalize(name)).values_list("kind", "fiscal_year", "value"))


# --- 1. 総合計画の KPI シート: 施策を結合、基準値（R元）/ 目標値（R7）/ R2〜R4 / 達成度 ------------------------------------

PLAN = [
    ["第2次○○町総合計画 施策の成果指標（令和5年度末現在）"],
    [],
    ["施策", "指標名", "単位", "基準値（R元）", "目標値（R7）", "R2", "R3", "R4", "達成度"],
    ["1-1 健康づくりの推進", "特定健診受診率", "％", "40.1％", "60.0％", "38.5％", "42.0％", "―", "Ｃ"],
    [None, "健康教室の参加者数", "人", 320, 500, "調査中", 280, 410, "Ｂ"],
    ["1-2 子育て支援", "待機児童数", "人", 18, 0, 12, 6, 3, "Ｂ"],
]


def test_a_plan_kpi_sheet_with_the_measure_merged_over_its_indicators(tmp_path):
    """基準値（R元） is FY2019's baseline, 目標値（R7） FY2025's target, R2–R4 actuals; 「―」「調査中」 are no value; the
    merged 施策 and the town's own 達成度 are not read and said so."""
    path = book(tmp_path / "成果指標.xlsx", PLAN, merges=("A4:A5",))
    result = load(path)
    assert (result.indicators_created, result.observations_created) == (3, 13)
    assert obs("特定健診受診率") == [("actual", 2020, D("38.5")), ("actual", 2021, D("42.0")),
                                ("baseline", 2019, D("40.1")), ("target", 2025, D("60.0"))]
    assert obs("健康教室の参加者数") == [("actual", 2021, D(280)), ("actual", 2022, D(410)),
                                  ("baseline", 2019, D(320)), ("target", 2025, D(500))]
    assert obs("待機児童数") == [("actual", 2020, D(12)), ("actual", 2021, D(6)), ("actual", 2022, D(3)),
                            ("baseline", 2019, D(18)), ("target", 2025, D(0))]
    assert Indicator.objects.get(name="特定健診受診率").unit == "％"
    not_read = " ".join(result.not_read)
    assert "「施策」" in not_read and "達成度" in not_read, result.not_read


# --- 2. 傾向の矢印 -----------------------------------------------------------------------------------------------

def test_a_trend_arrow_beside_a_value_is_refused_at_its_cell(tmp_path):
    """「1,520↑」 is a value and a remark: the importer does not cut the remark off, it asks for the number alone."""
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "R3", "R4", "R7目標"],
        ["転入者数", "人", 1_480, "1,520↑", 1_600],
        ["待機児童数", "人", 6, "3 ↓", "→"],
    ])
    messages = refused(path)
    assert [m.split(":")[0] for m in messages] == ["kpi.xlsx KPI!D2「R4」", "kpi.xlsx KPI!D3「R4」",
                                                   "kpi.xlsx KPI!E3「R7目標」"], messages
    assert "矢印（↑）は値ではありません" in messages[0] and "矢印（→）は値ではありません" in messages[2]


def test_a_column_of_trend_arrows_is_not_read_and_said_so(tmp_path):
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "R3", "R4", "傾向"],
        ["転入者数", "人", 1_480, 1_520, "↑"],
        ["待機児童数", "人", 6, 3, "↓"],
    ])
    result = load(path)
    assert obs("転入者数") == [("actual", 2021, D(1480)), ("actual", 2022, D(1520))]
    assert any("「傾向」" in n for n in result.not_read), result.not_read


# --- 3. 実績の欄の見込み ------------------------------------------------------------------------------------------

def test_a_forecast_written_in_an_actuals_cell_is_refused_at_the_cell(tmp_path):
    """「1,600（見込）」 under R5 would be stored as R5's actual; a forecast is no settled value, so it is refused with
    that reason (a 見込 column is left out; a 見込 cell among actuals is asked about)."""
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "R4", "R5"],
        ["転入者数", "人", 1_520, "1,600（見込）"],
        ["市民満足度", "%", 62, "(見込)"],
    ])
    messages = refused(path)
    assert [m.split(":")[0] for m in messages] == ["kpi.xlsx KPI!D2「R5」", "kpi.xlsx KPI!D3「R5」"], messages
    assert all("見込みの値で、確定した値ではないため登録しません" in m for m in messages)


# --- 4. パーセントの書き方 ----------------------------------------------------------------------------------------

def test_percent_in_full_width_text_and_in_percent_cells(tmp_path):
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "R3", "R4", "R7目標"],
        ["自主防災組織の結成率", "％", "85.0％", 0.872, "90％"],
    ], formats={"D2": "0.0%"})
    load(path)
    assert obs("自主防災組織の結成率") == [("actual", 2021, D("85.0")), ("actual", 2022, D("87.2")),
                                      ("target", 2025, D(90))]


def test_a_rate_written_in_tenths_is_refused_at_its_cell(tmp_path):
    """「8割」 under ％: 80% is what is meant, but the unit is not the row's; the cell is asked for in ％."""
    path = book(tmp_path / "kpi.xlsx", [["指標名", "単位", "R4"], ["自主防災組織の結成率", "％", "8割"]])
    messages = refused(path)
    assert messages == ["kpi.xlsx KPI!C2「R4」: 「8割」の単位「割」が単位列の「％」と異なります（％で書くか、単位列を直してください）"]


# --- 5. 縦持ち: 年度・区分（目標値/実績値）・数値 ---------------------------------------------------------------------

def test_a_long_table_with_year_and_target_or_actual_columns(tmp_path):
    path = book(tmp_path / "kpi.xlsx", [
        ["No.", "指標名", "単位", "年度", "区分", "数値", "備考"],
        [1, "空き家バンク登録件数", "件", "令和元年度", "実績値", 12, None],
        [2, "空き家バンク登録件数", "件", "R2", "実績値", 15, None],
        [3, "空き家バンク登録件数", "件", "2021年度", "実績値", "調査中", "R6.9公表"],
        [4, "空き家バンク登録件数", "件", "令和7年度", "目標値", 40, None],
    ])
    result = load(path)
    assert result.observations_created == 3
    assert obs("空き家バンク登録件数") == [("actual", 2019, D(12)), ("actual", 2020, D(15)), ("target", 2025, D(40))]


# --- 6. 横持ち: 年度ごとに目標と実績 -------------------------------------------------------------------------------

def test_a_wide_table_with_a_target_and_an_actual_for_each_year(tmp_path):
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "H30基準値", "R4目標", "R4実績", "R5目標", "R5実績", "R8目標"],
        ["転入者数", "人", 1_400, 1_500, 1_520, 1_550, "－", 1_700],
    ])
    load(path)
    assert obs("転入者数") == [("actual", 2022, D(1520)), ("baseline", 2018, D(1400)), ("target", 2022, D(1500)),
                            ("target", 2023, D(1550)), ("target", 2026, D(1700))]


# --- 7. 件数（累計） -----------------------------------------------------------------------------------------------

def test_a_cumulative_count_with_its_unit_written_in_the_cells(tmp_path):
    """Unit 「件（累計）」 and cells 「1,200件」: the unit is 件, the bracket says it is counted cumulatively; the values are
    stored as written (not turned into single years)."""
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "R3", "R4", "R7目標"],
        ["電子申請件数（累計）", "件（累計）", "1,200件", "2,450件", "5,000件"],
    ])
    load(path)
    assert obs("電子申請件数（累計）") == [("actual", 2021, D(1200)), ("actual", 2022, D(2450)), ("target", 2025, D(5000))]
    assert normalize(Indicator.objects.get(name=normalize("電子申請件数（累計）")).unit) == normalize("件（累計）")


def test_a_cell_unit_that_is_not_the_cumulative_units_is_still_refused(tmp_path):
    path = book(tmp_path / "kpi.xlsx", [["指標名", "単位", "R3"], ["電子申請件数（累計）", "件（累計）", "1,200人"]])
    messages = refused(path)
    assert messages == ["kpi.xlsx KPI!C2「R3」: 「1,200人」の単位「人」が単位列の「件（累計）」と異なります"
                        "（件（累計）で書くか、単位列を直してください）"]


# --- 8. 二つの施策に同じ指標名 --------------------------------------------------------------------------------------

TWO_MEASURES = [
    ["施策", "指標名", "単位", "R3", "R4", "R7目標"],
    ["健康教室の充実", "参加者数", "人", 100, None, 150],
    ["防災訓練の推進", "参加者数", "人", None, 320, 500],
]


def test_one_indicator_name_under_two_measures_is_refused_naming_both_rows(tmp_path):
    """「参加者数」 of the 健康教室 and 「参加者数」 of the 防災訓練 are two indicators: merged by their name they would make
    one indicator with 100 in R3 and 320 in R4 (and two R7 targets). Refused at the second row, naming the first."""
    path = book(tmp_path / "kpi.xlsx", TWO_MEASURES)
    messages = refused(path)
    assert messages == ["kpi.xlsx KPI!B3「指標名」: 指標名「参加者数」がこの表の二つの行にあります（kpi.xlsx KPI!B2「指標名」）。"
                        "別の指標なら指標名を区別し（例: 参加者数（施策名））、同じ指標なら一つの行にまとめてください"]


def test_the_console_says_where_the_repeated_name_is_and_writes_nothing(tmp_path):
    path = book(tmp_path / "kpi.xlsx", TWO_MEASURES)
    before = db_snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), org="140007", user=OPERATOR, dry_run=True,
                     stdout=io.StringIO(), stderr=err)
    with pytest.raises(CommandError) as exc:
        call_command("import_indicators", str(path), org="140007", user=OPERATOR, stdout=io.StringIO(), stderr=err)
    assert "kpi.xlsx KPI!B3「指標名」" in str(exc.value) + err.getvalue()
    assert db_snapshot() == before


def test_names_made_distinct_by_the_measure_are_two_indicators(tmp_path):
    rows = [r[:] for r in TWO_MEASURES]
    rows[1][1], rows[2][1] = "参加者数（健康教室）", "参加者数（防災訓練）"
    load(book(tmp_path / "kpi.xlsx", rows))
    assert obs("参加者数（健康教室）") == [("actual", 2021, D(100)), ("target", 2025, D(150))]
    assert obs("参加者数（防災訓練）") == [("actual", 2022, D(320)), ("target", 2025, D(500))]


def test_a_target_row_and_an_actual_row_of_one_indicator_are_no_repeat(tmp_path):
    """With a 区分 column one indicator has a 目標 row and a 実績 row (its name written on both): one indicator; two 実績
    rows of it are a repeat."""
    path = book(tmp_path / "kpi.xlsx", [
        ["指標名", "単位", "区分", "R4", "R5"],
        ["転入者数", "人", "目標", 1_500, 1_550],
        ["転入者数", "人", "実績", 1_520, 1_580],
    ])
    load(path)
    assert obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(1580)),
                            ("target", 2022, D(1500)), ("target", 2023, D(1550))]
    again = book(tmp_path / "二重.xlsx", [
        ["指標名", "単位", "区分", "R4", "R5"],
        ["待機児童数", "人", "実績", 6, 3],
        ["待機児童数", "人", "実績", 6, 2],
    ])
    messages = refused(again)
    assert [m.split(":")[0] for m in messages] == ["二重.xlsx KPI!A3「指標名」"], messages
