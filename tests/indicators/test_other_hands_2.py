"""Other hands, second probe of the indicator (KPI) tables: a 市町村's 総合計画 and 総合戦略 sheets as their staff keep them.

A 総合計画 KPI sheet with 達成率 and 評価 columns, long tables, targets and actuals on alternating rows, 累計 and
単年度, values as text with units, percentages, 「－」 and 「集計中」, footnotes, a title block, indicators grouped
under 基本目標 headings, one sheet per 基本目標, a 地方創生総合戦略 KPI sheet. What a careful municipal user expects is
asserted; where the importer does otherwise the test is a strict xfail naming the defect.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.indicators.importing import import_indicators_file
from tenken.indicators.models import Indicator, Observation
from tests.conftest import db_snapshot

from ..personas import OPERATOR, operator

pytestmark = pytest.mark.django_db

META = {
    "転入者数": "higher", "社会増減数": "higher", "市民満足度": "higher", "電子申請の利用件数": "higher",
    "待機児童数": "lower", "空き家バンク成約件数": "higher", "観光入込客数": "higher", "合計特殊出生率": "higher",
    "新規就農者数": "higher", "企業誘致件数": "higher", "特定健診受診率": "higher", "ごみの排出量": "lower",
}


@pytest.fixture(autouse=True)
def kanagawa():
    from tenken.orgs.services import organization_for_code

    operator()
    return organization_for_code(code="140007")


def _meta(folder: Path) -> None:
    (folder / "indicator-meta.csv").write_text(
        "指標,direction\n" + "".join(f"{n},{d}\n" for n, d in META.items()), encoding="utf-8")


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    _meta(path.parent)
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, tuple[str, ...]] | None = None,
          formats: dict[str, dict[str, str]] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        for m in (merges or {}).get(title, ()):
            ws.merge_cells(m)
        for ref, fmt in (formats or {}).get(title, {}).items():
            ws[ref].number_format = fmt
    wb.save(path)
    _meta(path.parent)
    return path


def _import(path: Path, **kw):
    return import_indicators_file(path, user=operator(), org_code="140007", **kw)


def _rejected(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def _obs(name: str) -> list[tuple[str, int, D]]:
    return sorted(Observation.objects.filter(indicator__name=name).values_list("kind", "fiscal_year", "value"))


# --- 1. 総合計画 KPI シート: 基準値（R2）/ R4実績 / R5実績 / 目標値（R7）/ 達成率 / 評価 ----------------------------------

PLAN_SHEET = [
    ["第6次○○市総合計画 前期基本計画 成果指標の進捗状況"],
    ["令和6年5月　企画政策課"],
    [],
    ["No.", "指標名", "単位", "基準値（R2）", "R4実績", "R5実績", "目標値（R7）", "達成率", "評価"],
    [1, "転入者数", "人", 1_400, 1_520, 1_580, 1_600, "90.0%", "B"],
    [2, "待機児童数", "人", 25, 12, "－", 0, "52.0%", "C"],
    [3, "市民満足度", "%", 0.62, 0.65, "集計中", 0.70, None, None],
    ["※1 達成率は直近の実績による。"],
    ["※2 市民満足度のR5は令和6年9月公表予定。"],
]


def test_a_comprehensive_plan_kpi_sheet_with_rate_and_rating_columns(tmp_path):
    """達成率 and 評価 are the city's own calculation: not read. Percent cells are percent; 「－」「集計中」 no value."""
    path = _xlsx(tmp_path / "成果指標.xlsx", {"成果指標": PLAN_SHEET},
                 formats={"成果指標": {"D7": "0%", "E7": "0%", "G7": "0%"}})
    result = _import(path)
    assert (result.indicators_created, result.observations_created) == (3, 10)
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(1580)),
                             ("baseline", 2020, D(1400)), ("target", 2025, D(1600))]
    assert _obs("待機児童数") == [("actual", 2022, D(12)), ("baseline", 2020, D(25)), ("target", 2025, D(0))]
    assert _obs("市民満足度") == [("actual", 2022, D(65)), ("baseline", 2020, D(62)), ("target", 2025, D(70))]
    assert Indicator.objects.get(name="待機児童数").direction == "lower"
    assert Observation.objects.get(indicator__name="転入者数", kind="actual", fiscal_year=2023).source_ref == \
        "成果指標.xlsx 成果指標!F5「R5実績」"


def test_percent_cells_under_a_full_width_percent_unit(tmp_path):
    """Excel's 0.853 shown as 85.3% under the unit 「％」 (full width, as Japanese sheets write it) is 85.3."""
    path = _xlsx(tmp_path / "指標.xlsx", {"KPI": [
        ["指標名", "単位", "R4", "R5", "R7目標"],
        ["特定健診受診率", "％", 0.412, 0.453, 0.6],
    ]}, formats={"KPI": {"C2": "0.0%", "D2": "0.0%", "E2": "0%"}})
    _import(path)
    assert _obs("特定健診受診率") == [("actual", 2022, D("41.2")), ("actual", 2023, D("45.3")), ("target", 2025, D(60))]


# --- 2. 縦持ち（1 行 1 値）: 年度・区分・数値 --------------------------------------------------------------------

def test_a_long_table_with_a_value_column_headed_suuchi(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "年度", "区分", "数値"],
        ["観光入込客数", "万人", "R2", "基準値", "120"],
        ["観光入込客数", "万人", "R4", "実績", "135"],
        ["観光入込客数", "万人", "R7", "目標", "160"],
    ])
    _import(path)
    assert _obs("観光入込客数") == [("actual", 2022, D(135)), ("baseline", 2020, D(120)), ("target", 2025, D(160))]


def test_a_long_table_one_row_per_value_with_reiwa_gannen(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標", "単位", "値", "年度", "種別", "出典"],
        ["新規就農者数", "人", "4", "令和元年度", "基準値", "農業委員会調べ"],
        ["新規就農者数", "人", "6", "令和4年度", "実績値", "農業委員会調べ"],
        ["新規就農者数", "人", "集計中", "令和5年度", "実績値", ""],
        ["新規就農者数", "人", "10", "令和7年度", "目標値", ""],
    ], encoding="cp932")
    assert _import(path).observations_created == 3
    assert _obs("新規就農者数") == [("actual", 2022, D(6)), ("baseline", 2019, D(4)), ("target", 2025, D(10))]
    assert Observation.objects.get(kind="baseline").source == "農業委員会調べ"


# --- 3. 目標の行と実績の行が交互（指標名は縦に結合） ------------------------------------------------------------------

ALTERNATING = [
    ["指標名", "単位", "区分", "R3", "R4", "R5", "R6", "R7"],
    ["電子申請の利用件数", "件", "目標", 1_000, 1_500, 2_000, 2_500, 3_000],
    [None, None, "実績", 1_120, 1_480, 2_150, None, None],
    ["特定健診受診率", "%", "目標", 40, 45, 50, 55, 60],
    [None, None, "実績", 38.2, 41.0, "集計中", None, None],
]
ALTERNATING_EXPECTED = {
    "電子申請の利用件数": [("actual", 2021, D(1120)), ("actual", 2022, D(1480)), ("actual", 2023, D(2150)),
                  ("target", 2021, D(1000)), ("target", 2022, D(1500)), ("target", 2023, D(2000)),
                  ("target", 2024, D(2500)), ("target", 2025, D(3000))],
    "特定健診受診率": [("actual", 2021, D("38.2")), ("actual", 2022, D(41)),
                ("target", 2021, D(40)), ("target", 2022, D(45)), ("target", 2023, D(50)),
                ("target", 2024, D(55)), ("target", 2025, D(60))],
}


def test_targets_and_actuals_on_alternating_rows_with_the_name_merged_down(tmp_path):
    path = _xlsx(tmp_path / "指標.xlsx", {"KPI": ALTERNATING}, merges={"KPI": ("A2:A3", "B2:B3", "A4:A5", "B4:B5")})
    assert _import(path).observations_created == 15
    for name, expected in ALTERNATING_EXPECTED.items():
        assert _obs(name) == expected


def test_targets_and_actuals_on_alternating_rows_in_a_csv_saved_from_the_merged_sheet(tmp_path):
    path = _csv(tmp_path / "kpi.csv", ALTERNATING)
    _import(path)
    for name, expected in ALTERNATING_EXPECTED.items():
        assert _obs(name) == expected


# --- 4. 累計と単年度 ----------------------------------------------------------------------------------------

def test_cumulative_and_single_year_indicators_side_by_side(tmp_path):
    """The city says in a 集計方法 column whether a row counts 累計 or 単年度: the values are the row's, as written."""
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "集計方法", "基準値（R2）", "R4実績", "R5実績", "目標値（R7）"],
        ["空き家バンク成約件数", "件", "累計", "12", "30", "41", "60"],
        ["企業誘致件数", "件", "単年度", "1", "2", "3", "3"],
    ])
    _import(path)
    assert _obs("空き家バンク成約件数") == [("actual", 2022, D(30)), ("actual", 2023, D(41)),
                                   ("baseline", 2020, D(12)), ("target", 2025, D(60))]
    assert _obs("企業誘致件数") == [("actual", 2022, D(2)), ("actual", 2023, D(3)),
                              ("baseline", 2020, D(1)), ("target", 2025, D(3))]


def test_cumulative_year_columns_are_actuals_or_asked_about(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "基準値（R2）", "R4（累計）", "R5（累計）", "目標値（R7）"],
        ["空き家バンク成約件数", "件", "12", "30", "41", "60"],
    ])
    # actuals of the cumulative count — or a question at the header; never the actuals gone in silence
    try:
        _import(path)
    except InputRejected as exc:
        assert any("kpi.csv:1「R4（累計）」" in m for m in exc.messages), exc.messages
    else:
        assert ("actual", 2022, D(30)) in _obs("空き家バンク成約件数")


def test_single_year_and_cumulative_actuals_of_one_year_are_refused_at_the_second(tmp_path):
    """「R4実績（単年度）」 and 「R4実績（累計）」 are two 実績 of one year: refused at the second, located, nothing written."""
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "R4実績（単年度）", "R4実績（累計）", "R7目標（累計）"],
        ["空き家バンク成約件数", "件", "8", "30", "60"],
    ])
    assert _rejected(path) == [
        "kpi.csv:2「R4実績（累計）」: 指標「空き家バンク成約件数」の実績値（2022年度末）はkpi.csv:2「R4実績（単年度）」にもあります"]


# --- 5. 値に単位を添えた文字列、△の負数 ------------------------------------------------------------------------

def test_values_written_as_text_with_units_and_a_triangle_minus(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "現状値（R元）", "R4", "R5", "目標値（R7）"],
        ["社会増減数", "人", "△120人", "△45", "12人", "100人"],
        ["ごみの排出量", "g/人日", "905g", "880", "872", "850"],
        ["合計特殊出生率", "－", "1.38", "1.31", "1.29", "1.50"],
    ])
    _import(path)
    assert _obs("社会増減数") == [("actual", 2022, D(-45)), ("actual", 2023, D(12)),
                             ("baseline", 2019, D(-120)), ("target", 2025, D(100))]
    assert _obs("合計特殊出生率") == [("actual", 2022, D("1.31")), ("actual", 2023, D("1.29")),
                               ("baseline", 2019, D("1.38")), ("target", 2025, D("1.50"))]


# --- 6. 「見込」は実績ではない ------------------------------------------------------------------------------------

def test_a_forecast_column_is_not_stored_as_the_actual(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "基準値（R2）", "R4実績", "R5実績見込", "R6実績（見込）", "目標値（R7）"],
        ["転入者数", "人", "1400", "1520", "1550", "1570", "1600"],
    ])
    _import(path)
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("baseline", 2020, D(1400)), ("target", 2025, D(1600))]


# --- 7. 表題・作成日・単位の行、脚注 -------------------------------------------------------------------------------

def test_a_title_block_and_footnotes_around_the_table(tmp_path):
    path = _xlsx(tmp_path / "指標.xlsx", {"進捗": [
        ["○○市デジタル・トランスフォーメーション推進計画"],
        ["成果指標 進捗管理表"],
        [None, None, None, None, "令和6年3月31日現在"],
        [],
        ["指標名", "単位", "R2基準", "R4", "R5", "R7目標", "備考"],
        ["電子申請の利用件数", "件", 820, 1_480, 2_150, 3_000, "※1"],
        [],
        ["（注1）電子申請の件数は、ぴったりサービスを含む。"],
        ["出典：情報政策課調べ"],
        ["注2：R5は速報値"],
    ]}, merges={"進捗": ("A8:G8",)})
    _import(path)
    assert _obs("電子申請の利用件数") == [("actual", 2022, D(1480)), ("actual", 2023, D(2150)),
                                  ("baseline", 2020, D(820)), ("target", 2025, D(3000))]
    assert set(Observation.objects.values_list("note", flat=True)) == {"※1"}


# --- 8. 基本目標の見出しの下にまとまった指標 ----------------------------------------------------------------------

def test_indicators_grouped_under_basic_goal_headings(tmp_path):
    path = _xlsx(tmp_path / "総合戦略.xlsx", {"KPI": [
        ["基本目標", "施策", "指標名", "単位", "基準値（H30）", "R4", "R5", "目標値（R6）"],
        ["基本目標1　しごとをつくる"],
        [None, "(1) 農業の振興", "新規就農者数", "人", 4, 6, 7, 10],
        [None, "(2) 企業誘致", "企業誘致件数", "件", 1, 2, 3, 5],
        ["基本目標2　ひとの流れをつくる"],
        [None, "(1) 移住・定住", "転入者数", "人", 1_400, 1_520, 1_580, 1_600],
        ["基本目標3　結婚・出産・子育ての希望をかなえる"],
        [None, "(1) 子育て支援", "待機児童数", "人", 25, 12, 5, 0],
    ]}, merges={"KPI": ("A2:H2", "A5:H5", "A7:H7")})
    result = _import(path)
    assert (result.indicators_created, result.observations_created) == (4, 16)
    assert _obs("企業誘致件数") == [("actual", 2022, D(2)), ("actual", 2023, D(3)),
                              ("baseline", 2018, D(1)), ("target", 2024, D(5))]
    assert not Indicator.objects.filter(name__startswith="基本目標").exists()


def test_one_sheet_per_basic_goal(tmp_path):
    head = ["指標名", "単位", "基準値（R2）", "R4", "R5", "目標値（R7）"]
    path = _xlsx(tmp_path / "総合戦略.xlsx", {
        "表紙": [["第2期○○市まち・ひと・しごと創生総合戦略 KPI 進捗"]],
        "基本目標1": [["基本目標1 しごとをつくる"], head, ["新規就農者数", "人", 4, 6, 7, 10]],
        "基本目標2": [["基本目標2 ひとの流れをつくる"], head, ["転入者数", "人", 1_400, 1_520, 1_580, 1_600]],
        "基本目標3": [["基本目標3 子育て"], head, ["待機児童数", "人", 25, 12, 5, 0]],
    })
    # without --sheet: every sheet holding a KPI table (or a question which one); never the first in silence
    _import(path)
    assert set(Indicator.objects.values_list("name", flat=True)) == {"新規就農者数", "転入者数", "待機児童数"}


# --- 9. 地方創生総合戦略の KPI シート（数値目標と KPI、値に年度・単位を添えた基準値） -------------------------------------

def test_a_regional_revitalisation_strategy_kpi_sheet(tmp_path):
    path = _xlsx(tmp_path / "総合戦略KPI.xlsx", {"数値目標・KPI": [
        ["第2期 ○○町まち・ひと・しごと創生総合戦略　数値目標及び重要業績評価指標（KPI）の状況"],
        [None, None, None, None, None, None, None, "（令和6年6月 企画課）"],
        ["区分", "指標（数値目標・KPI）", "単位", "基準値", "目標値", "目標年度", "R4", "R5", "担当課"],
        ["数値目標", "社会増減数", "人", "△120（H30）", "0", "R6", "△45", "12", "企画課"],
        ["KPI", "観光入込客数", "万人", "120万人（R元）", "160", "令和6年度", "135", "集計中", "商工観光課"],
        ["KPI", "空き家バンク成約件数", "件", "12件（R元）", "60", "R6", "30", "41", "建設課"],
    ]})
    result = _import(path)
    assert (result.indicators_created, result.observations_created) == (3, 11)
    assert _obs("社会増減数") == [("actual", 2022, D(-45)), ("actual", 2023, D(12)),
                             ("baseline", 2018, D(-120)), ("target", 2024, D(0))]
    assert _obs("観光入込客数") == [("actual", 2022, D(135)), ("baseline", 2019, D(120)), ("target", 2024, D(160))]


# --- 10. 単位列のない表で、単位を見出しに書いたもの ---------------------------------------------------------------

def test_the_unit_in_brackets_after_the_indicator_name_is_asked_for_at_the_row(tmp_path):
    """「転入者数（人）」 with no 単位 column: the bracket may be a unit or part of the name (「（累計）」); asked at the row."""
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "R2基準", "R4", "R5", "R7目標"],
        ["転入者数（人）", "1,400", "1,520", "1,580", "1,600"],
    ])
    assert _rejected(path) == [
        "kpi.csv:2「指標名」: 単位がわかりません。「単位」の列を設けるか、値に単位を添えてください（例: 85%）"]


# --- 11. 再取込み・確認だけ（コマンド） ------------------------------------------------------------------------------

def test_the_console_checks_then_imports_then_a_second_import_changes_nothing(tmp_path):
    path = _xlsx(tmp_path / "成果指標.xlsx", {"成果指標": PLAN_SHEET},
                 formats={"成果指標": {"D7": "0%", "E7": "0%", "G7": "0%"}})
    out = io.StringIO()
    call_command("import_indicators", str(path), org="140007", user=OPERATOR, dry_run=True, stdout=out)
    assert "検証のみ" in out.getvalue() and "値 新規 10" in out.getvalue() and not Observation.objects.exists()
    call_command("import_indicators", str(path), org="140007", user=OPERATOR, stdout=io.StringIO())
    before = db_snapshot()
    result = _import(path)
    assert (result.observations_created, result.observations_unchanged) == (0, 10)
    assert db_snapshot() == before


def test_a_value_with_a_footnote_mark_is_refused_at_its_cell_in_japanese(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "R4", "R5"],
        ["転入者数", "人", "1,520※1", "1,580"],
    ])
    messages = _rejected(path)
    assert [m.split(": ")[0] for m in messages] == ["kpi.csv:2「R4」"], messages
    assert "数値ではありません" in messages[0]


# --- 12. 画面からの取込み: 誤ったファイルは日本語で、場所つきで -----------------------------------------------------------

def test_web_upload_of_a_bad_kpi_table_shows_located_japanese_problems(client, alice, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "年度", "実績値"],
        ["転入者数", "人", "来年度", "1520"],
        ["市民満足度", "%", "R4", "約65"],
    ])
    client.force_login(alice)
    before = db_snapshot()
    res = client.post("/indicators/upload/", {
        "organization": "140007", "plan": "", "observations": SimpleUploadedFile("kpi.csv", path.read_bytes()),
        "meta": SimpleUploadedFile("indicator-meta.csv", (tmp_path / "indicator-meta.csv").read_bytes())})
    page = res.content.decode()
    assert res.status_code == 422 and db_snapshot() == before
    assert "kpi.csv:2「年度」" in page and "kpi.csv:3「実績値」" in page, page
    assert "Traceback" not in page and "Error" not in page
