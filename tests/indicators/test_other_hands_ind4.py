"""Variants of the five defects of the second probe (tests/indicators/test_other_hands_2.py), in other files.

The value column under other names; a name left blank under a merged cell, and the blank names that stay an
error; 累計 / 単年度 / 年間 year columns and year columns the importer cannot read without asking; forecasts left
out with a reason; one table per sheet, the sheets without one named in the result.
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

DIRECTIONS = {"図書館の貸出冊数": "higher", "自主防災組織の結成率": "higher", "ふるさと納税の件数": "higher",
              "放置自転車の台数": "lower", "移住相談件数": "higher"}


@pytest.fixture(autouse=True)
def city():
    from tenken.orgs.services import organization_for_code

    operator()
    return organization_for_code(code="140007")


def _meta(folder: Path) -> None:
    (folder / "indicator-meta.csv").write_text(
        "指標,direction\n" + "".join(f"{n},{d}\n" for n, d in DIRECTIONS.items()), encoding="utf-8")


def _csv(path: Path, rows: list[list[object]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    _meta(path.parent)
    return path


def _book(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    _meta(path.parent)
    return path


def _import(path: Path, **kw):
    return import_indicators_file(path, user=operator(), org_code="140007", **kw)


def _refused(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def _obs(name: str) -> list[tuple[str, int, D]]:
    return sorted(Observation.objects.filter(indicator__name=name).values_list("kind", "fiscal_year", "value"))


# --- 1. 値の列の別名 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("head", ["実数", "数量", "数値（冊）"])
def test_a_long_workbook_whose_value_column_is_named_otherwise(tmp_path, head):
    path = _book(tmp_path / "貸出.xlsx", {"実績": [
        ["KPI", "単位", "時点", "種別", head],
        ["図書館の貸出冊数", "冊", "H31.3", "現状値", 410_000],
        ["図書館の貸出冊数", "冊", "R5.3", "実績値", 452_000],
        ["図書館の貸出冊数", "冊", "R8.3", "目標値", 500_000],
    ]})
    _import(path)
    assert _obs("図書館の貸出冊数") == [("actual", 2022, D(452_000)), ("baseline", 2018, D(410_000)),
                                 ("target", 2025, D(500_000))]


def test_two_value_columns_or_a_suuchi_column_beside_year_columns_are_asked_about(tmp_path):
    two = _csv(tmp_path / "two.csv", [["指標", "単位", "年度", "種別", "値", "数値"],
                                      ["移住相談件数", "件", "R4", "実績", "120", "118"]])
    assert _refused(two) == ["two.csv:1「数値」: 値の列が「値」と「数値」の二つあります。値の列を一つにしてください"]
    wide = _csv(tmp_path / "wide.csv", [["指標", "単位", "数値", "R4", "R5"], ["移住相談件数", "件", "3", "120", "150"]])
    [message] = _refused(wide)
    assert message.startswith("wide.csv:1「数値」: 「数値」の列が1行1値の値なのか、読まない列なのかわかりません"), message


# --- 2. 結合した指標名を CSV に保存した表 -----------------------------------------------------------------------------

def test_three_kinds_under_one_name_left_blank_below_it(tmp_path):
    """基準 / 目標 / 実績 in three rows, the name and unit written only on the first (a workbook without the merge)."""
    path = _book(tmp_path / "防災.xlsx", {"指標": [
        ["No", "成果指標", "単位", "種別", "H30", "R4", "R6"],
        [1, "自主防災組織の結成率", "%", "基準", 71.5, None, None],
        [None, None, None, "目標", None, 80, 85],
        [None, None, None, "実績", None, 78.2, None],
        [2, "放置自転車の台数", "台", "目標", None, 150, 100],
        [None, None, None, "実績", None, 172, None],
    ]})
    _import(path)
    assert _obs("自主防災組織の結成率") == [("actual", 2022, D("78.2")), ("baseline", 2018, D("71.5")),
                                   ("target", 2022, D(80)), ("target", 2024, D(85))]
    assert _obs("放置自転車の台数") == [("actual", 2022, D(172)), ("target", 2022, D(150)), ("target", 2024, D(100))]
    assert Indicator.objects.get(name="放置自転車の台数").unit == "台"


def test_a_blank_name_that_does_not_continue_the_row_above_stays_an_error(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "区分", "R4", "R5"],
        ["移住相談件数", "件", "目標", "100", "120"],
        ["", "", "目標", "110", "130"],  # the same 区分 again: not the next row of the indicator above
        ["ふるさと納税の件数", "件", "目標", "5000", "6000"],
        [],
        ["", "", "実績", "5200", "6100"],  # a blank line between: not the row right after
    ])
    hint = ("（指標名が空の行を上の行の続きとして読むのは、すぐ上の行と同じ指標の別の区分（目標・実績 など）の"
            "行のときだけです）")
    assert _refused(path) == [f"kpi.csv:3「指標名」: 指標名が空です{hint}", f"kpi.csv:6「指標名」: 指標名が空です{hint}"]


def test_without_a_kind_column_a_blank_name_is_not_carried_down(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [["指標名", "単位", "R4", "R5"], ["移住相談件数", "件", "100", "120"],
                                       ["", "", "110", "130"]])
    assert _refused(path) == ["kpi.csv:3「指標名」: 指標名が空です"]


# --- 3. 累計・単年度・年間、読めない年度の列 -------------------------------------------------------------------------

def test_counting_words_beside_the_year_keep_the_value_as_written(tmp_path):
    path = _book(tmp_path / "指標.xlsx", {"KPI": [
        ["指標名", "単位", "令和2年度 基準値", "令和4年度 累計", "R5年度（単年度）", "R6 年間", "令和7年度 目標（累計）"],
        ["ふるさと納税の件数", "件", 4_000, 9_500, 5_600, "集計中", 30_000],
    ]})
    _import(path)
    assert _obs("ふるさと納税の件数") == [("actual", 2022, D(9_500)), ("actual", 2023, D(5_600)),
                                  ("baseline", 2020, D(4_000)), ("target", 2025, D(30_000))]
    assert Observation.objects.get(fiscal_year=2022).source_ref == "指標.xlsx KPI!D2「令和4年度 累計」"


def test_a_year_column_with_a_word_not_understood_is_refused_at_its_header_cell(tmp_path):
    path = _book(tmp_path / "指標.xlsx", {"KPI": [
        ["指標名", "単位", "R4", "R5速報", "R7目標"],
        ["移住相談件数", "件", 120, 150, 200],
    ]})
    [message] = _refused(path)
    assert message.startswith("指標.xlsx KPI!D1「R5速報」: 年度の付いた列ですが、「速報」が基準値・目標値・実績値のどれか"), message


# --- 4. 見込み・推計・予定は実績ではない（読まない理由を示す） -------------------------------------------------------------

def test_forecast_columns_are_left_out_and_named_in_the_result(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["No.", "指標名", "単位", "R4実績", "令和5年度見込み", "R6推計", "R7予測値", "R6予定", "R5達成率", "評価"],
        ["1", "移住相談件数", "件", "120", "140", "150", "160", "155", "70%", "B"],
    ])
    result = _import(path, dry_run=True)
    assert result.observations_created == 1 and not Observation.objects.exists()
    forecast = "見込み・推計・予定の値（確定した基準値・目標値・実績値ではない）のため読みません"
    assert result.not_read == [
        f"kpi.csv:1「令和5年度見込み」: {forecast}", f"kpi.csv:1「R6推計」: {forecast}", f"kpi.csv:1「R7予測値」: {forecast}",
        f"kpi.csv:1「R6予定」: {forecast}",
        "kpi.csv:1「R5達成率」: 基準値・目標値・実績値ではない列（達成率・評価・備考など）のため読みません",
        "kpi.csv:1: 次の列は指標の値の列ではないため読みません: 「No.」、「評価」",
    ]
    _import(path)
    assert _obs("移住相談件数") == [("actual", 2022, D(120))]


def test_the_console_dry_run_says_which_columns_were_not_read(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [["指標名", "単位", "R4", "R5（見込）"], ["移住相談件数", "件", "120", "140"]])
    out = io.StringIO()
    call_command("import_indicators", str(path), org="140007", user=OPERATOR, dry_run=True, stdout=out)
    assert "読まなかった列・シート kpi.csv:1「R5（見込）」: 見込み・推計・予定の値（確定した" in out.getvalue()
    assert "値 新規 1" in out.getvalue() and not Observation.objects.exists()


def test_web_check_only_lists_the_columns_not_read(client, alice, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = _csv(tmp_path / "kpi.csv", [["指標名", "単位", "R4", "R6見込"], ["移住相談件数", "件", "120", "140"]])
    client.force_login(alice)
    res = client.post("/indicators/upload/", {
        "organization": "140007", "plan": "", "dry_run": "on",
        "observations": SimpleUploadedFile("kpi.csv", path.read_bytes()),
        "meta": SimpleUploadedFile("indicator-meta.csv", (tmp_path / "indicator-meta.csv").read_bytes())})
    page = res.content.decode()
    assert res.status_code == 200 and "kpi.csv:1「R6見込」: 見込み・推計・予定の値（確定した基準値・目標値・実績値ではない）のため読みません" in page


# --- 5. シートごとの表 ---------------------------------------------------------------------------------------------

HEAD = ["成果指標", "単位", "現状値（R元）", "R4", "R5", "目標値（R8）"]


def test_every_sheet_with_a_table_is_read_and_the_others_are_named(tmp_path):
    path = _book(tmp_path / "総合計画.xlsx", {
        "はじめに": [["この表は毎年度更新します。"], ["担当: 企画課"]],
        "政策1 安全": [["政策1 安全なまち"], [], HEAD, ["自主防災組織の結成率", "%", 70, 78, 79, 85],
                     ["放置自転車の台数", "台", 300, 172, 160, 100]],
        "政策2 文化": [HEAD, ["図書館の貸出冊数", "冊", 410_000, 452_000, 460_000, 500_000]],
        "作業用": [HEAD, ["移住相談件数", "件", 80, 120, 150, 200]],
    }, hidden=("作業用",))
    result = _import(path)
    assert set(Indicator.objects.values_list("name", flat=True)) == {"自主防災組織の結成率", "放置自転車の台数", "図書館の貸出冊数"}
    assert result.not_read == ["総合計画.xlsx はじめに: 指標の表がない（見出し行が見つかりません）ため、このシートは読みません",
                               "総合計画.xlsx 作業用: 非表示のシートのため読みません"]
    assert Observation.objects.get(indicator__name="図書館の貸出冊数", fiscal_year=2023).source_ref == \
        "総合計画.xlsx 政策2 文化!E2「R5」"


def test_with_a_sheet_named_only_that_sheet_is_read(tmp_path):
    path = _book(tmp_path / "総合計画.xlsx", {
        "政策1": [HEAD, ["自主防災組織の結成率", "%", 70, 78, 79, 85]],
        "政策2": [HEAD, ["図書館の貸出冊数", "冊", 410_000, 452_000, 460_000, 500_000]],
    })
    result = _import(path, sheet="政策2")
    assert list(Indicator.objects.values_list("name", flat=True)) == ["図書館の貸出冊数"] and result.not_read == []


def test_the_same_value_on_two_sheets_is_refused_naming_both(tmp_path):
    path = _book(tmp_path / "総合計画.xlsx", {
        "R5": [HEAD, ["移住相談件数", "件", 80, 120, 150, 200]],
        "R5（修正前）": [HEAD, ["移住相談件数", "件", 80, 120, 140, 200]],
    })
    messages = _refused(path)
    assert "総合計画.xlsx R5（修正前）!E2「R5」: 指標「移住相談件数」の実績値（2023年度末）は総合計画.xlsx R5!E2「R5」にもあります" \
        in messages, messages
