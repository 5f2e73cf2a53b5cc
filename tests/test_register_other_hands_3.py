"""Other hands, third probe of the register: 情報システム台帳 as thirteen cities keep them.

Each file is one way a 市町村 keeps its register (extra columns 業者名・契約形態・更新予定, 導入年度 in 和暦 with 元年,
基幹系・内部情報系・インターネット系 confirmed as the three segments, 千円 and 円, 標準化対象 and ガバメントクラウド移行予定,
one sheet per 部局, a CP932 CSV from a 資産管理 system, 合計/小計 rows and ※ notes, two-row merged headers, hidden
columns, a dash for an unknown amount). What a careful municipal user expects is asserted; where the importer
does otherwise the test is a strict xfail naming the defect.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.inventory.models import InformationSystem, SystemCost
from tenken.inventory.services import register_import_file, register_preview_file
from tenken.orgs.services import organization_for_code

from .conftest import db_snapshot
from .personas import OPERATOR, operator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kanagawa():
    operator()
    return organization_for_code(code="140007")


def _book(path: Path, sheets: dict[str, list[list]], merges: dict[str, tuple[str, ...]] | None = None,
          hidden: dict[str, tuple[str, ...]] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        for m in (merges or {}).get(title, ()):
            ws.merge_cells(m)
        for col in (hidden or {}).get(title, ()):
            ws.column_dimensions[col].hidden = True
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list], encoding: str = "cp932") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _import(path: Path, **kw) -> dict[str, int]:
    return register_import_file(user=operator(), organization=organization_for_code(code="140007"), path=path, **kw)


def _cli(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("inventory", "import", str(path), "--org", "140007", "--user", OPERATOR, *args, stdout=out,
                 stderr=io.StringIO())
    return out.getvalue()


def _refused(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def _costs(name: str) -> dict[int, int]:
    return dict(SystemCost.objects.filter(system__name=name).values_list("fiscal_year", "amount_yen"))


def _system(name: str) -> InformationSystem:
    return InformationSystem.objects.get(name=name)


# --- 1. 町の台帳: 業者名・契約形態・更新予定の列、和暦（元年）の稼働開始、基幹系・内部情報系・インターネット系 -------------

TOWN = [
    ["○○町 情報システム台帳（令和6年4月1日現在）"],
    [],
    ["No.", "システム名称", "所管課", "業者名", "契約形態", "区分", "設置場所", "稼働開始", "廃止日", "更新予定",
     "運用経費 R5年度（千円）"],
    [1, "住民情報システム", "住民課", "○○電算株式会社", "賃貸借", "基幹系", "データセンター", "令和元年5月", None,
     "R7年度（標準化）", 12_000],
    [2, "財務会計システム", "総務課", "△△システムズ", "保守委託", "内部情報系", "庁舎内", "平成31年4月1日", None, "R8年度", 3_500],
    [3, "町ホームページ", "企画課", "××ウェブ", "使用料", "インターネット系", "クラウド", "R元.10.1", None, None, 600],
    [4, "旧文書管理システム", "総務課", "△△システムズ", "買取", "内部情報系", "庁舎内", "H元.4.1", "令和元年12月", None, None],
]


def test_town_register_with_vendor_contract_and_informal_segments_confirmed_on_the_console(tmp_path):
    """業者名・契約形態・更新予定 are not kept by the register (no such items) and are not read; the informal segment
    names are asked about first, then read as the three segments once confirmed with --confirm-segments."""
    path = _book(tmp_path / "台帳.xlsx", {"台帳": TOWN})
    before = db_snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("inventory", "import", str(path), "--org", "140007", "--user", OPERATOR, stderr=err)
    assert db_snapshot() == before
    asked = [line.split(":")[0] for line in err.getvalue().splitlines()]
    assert asked == ["台帳!F4", "台帳!F5", "台帳!F7"], err.getvalue()
    assert "「マイナンバー利用事務系」と読めます" in err.getvalue() and "「LGWAN接続系」と読めます" in err.getvalue()
    assert "新規 4 件、更新 0 件" in _cli(path, "--confirm-segments")
    assert {s.name: s.segment for s in InformationSystem.objects.all()} == {
        "住民情報システム": "mynumber", "財務会計システム": "lgwan", "町ホームページ": "internet", "旧文書管理システム": "lgwan"}
    assert _system("住民情報システム").in_service_on == date(2019, 5, 1)
    assert _system("住民情報システム").department.name == "住民課"
    assert _system("財務会計システム").in_service_on == date(2019, 4, 1)
    assert _system("町ホームページ").in_service_on == date(2019, 10, 1)
    old = _system("旧文書管理システム")
    assert (old.in_service_on, old.retired_on, old.state) == (date(1989, 4, 1), date(2019, 12, 31), "retired")
    assert _costs("住民情報システム") == {2023: 12_000_000} and _costs("旧文書管理システム") == {}


# --- 2. 導入年度（和暦・元年）だけの台帳 ------------------------------------------------------------------------------

def test_a_register_with_the_fiscal_year_of_introduction_only(tmp_path):
    """Many registers keep only the 導入年度. As 稼働開始日 the year means its first day (2019-04-01), as a month does."""
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "所管課", "ネットワーク区分", "設置場所", "導入年度"],
        ["住民情報システム", "住民課", "マイナンバー利用事務系", "データセンター", "令和元年度"],
        ["グループウェア", "総務課", "LGWAN接続系", "庁舎内", "平成25年度"],
    ]})
    assert _import(path) == {"created": 2, "updated": 0}
    assert _system("住民情報システム").in_service_on == date(2019, 4, 1)
    assert _system("グループウェア").in_service_on == date(2013, 4, 1)


# --- 3. 三層の構えの正式名に旧い呼び名を添えた区分 ------------------------------------------------------------------

def test_formal_segment_names_with_the_old_name_in_brackets(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "ネットワーク区分", "設置場所", "稼働開始"],
        ["住民情報システム", "マイナンバー利用事務系（基幹系）", "データセンター", "H25.4"],
        ["財務会計システム", "LGWAN接続系（内部情報系）", "庁舎内", "H27.4"],
        ["町ホームページ", "インターネット接続系", "クラウド", "R元.10"],
    ]})
    _import(path)
    assert dict(InformationSystem.objects.values_list("name", "segment")) == {
        "住民情報システム": "mynumber", "財務会計システム": "lgwan", "町ホームページ": "internet"}


def test_three_layer_names_as_written_by_the_model_need_no_confirmation(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["情報システム名", "担当課", "セグメント", "運用形態", "運用開始日", "インターネット接続"],
        ["住民情報システム", "住民課", "マイナンバー利用事務系", "外部データセンター", "2013/4/1", "×"],
        ["財務会計システム", "会計課", "ＬＧＷＡＮ接続系", "庁舎内", "2015/4/1", "×"],
        ["市ホームページ", "広報課", "インターネット接続系", "SaaS", "2019/5/1", "○"],
    ]})
    assert _import(path) == {"created": 3, "updated": 0}
    web = _system("市ホームページ")
    assert (web.segment, web.hosting, web.internet_facing) == ("internet", "cloud", True)
    assert _system("財務会計システム").segment == "lgwan"


# --- 4. 千円と円の混在、小数の千円 ------------------------------------------------------------------------------

def test_thousand_yen_and_yen_columns_side_by_side(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "R4年度運用経費（円）", "運用経費 R5年度（千円）",
         "運用経費 R6年度（千円）"],
        ["住民情報システム", "マイナンバー利用事務系", "データセンター", "H25.4", 12_345_678, "12,400.5", "１２，５００"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "H27.4", "3,300,000円", 3_400, None],
    ]})
    _import(path)
    assert _costs("住民情報システム") == {2022: 12_345_678, 2023: 12_400_500, 2024: 12_500_000}
    assert _costs("財務会計システム") == {2022: 3_300_000, 2023: 3_400_000}


# --- 5. 標準化対象・ガバメントクラウド移行予定の列 ------------------------------------------------------------------

def test_standardisation_and_government_cloud_columns_are_not_register_items(tmp_path):
    """標準化対象（○/対象）and ガバメントクラウド移行予定 are extra columns: the systems are read, the flags are not stored
    anywhere and do not change the segment or hosting; a system already on ガバメントクラウド is クラウド."""
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "標準化対象", "ガバメントクラウド移行予定",
         "運用経費 R5年度（千円）"],
        ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", "○", "R7年度", 8_000],
        ["個人住民税システム", "税務課", "マイナンバー利用事務系", "ガバメントクラウド", "R6.1", "対象", "移行済", 5_000],
        ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", None, "―", 3_000],
    ]})
    assert _import(path) == {"created": 3, "updated": 0}
    assert _system("個人住民税システム").hosting == "cloud"
    assert _system("住民記録システム").hosting == "data_centre"
    assert _costs("個人住民税システム") == {2023: 5_000_000}


# --- 6. 部局ごとに 1 シート ------------------------------------------------------------------------------------

DEPT_HEAD = ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"]


def test_a_register_kept_one_sheet_per_department(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {
        "総務部": [["総務部 情報システム一覧"], DEPT_HEAD, ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", 3_000]],
        "市民部": [["市民部 情報システム一覧"], DEPT_HEAD,
                ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_000],
                ["戸籍システム", "市民課", "マイナンバー利用事務系", "データセンター", "H26.4", 2_000]],
        "福祉部": [["福祉部 情報システム一覧"], DEPT_HEAD,
                ["介護保険システム", "介護保険課", "マイナンバー利用事務系", "データセンター", "H28.4", 4_000]],
    })
    # every sheet is the register (or the import asks which sheet is meant); never the first one in silence
    assert _import(path) == {"created": 4, "updated": 0}
    assert set(InformationSystem.objects.values_list("name", flat=True)) == {
        "財務会計システム", "住民記録システム", "戸籍システム", "介護保険システム"}


# --- 7. 資産管理システムから書き出した CP932 の CSV ----------------------------------------------------------------

ASSET_HEAD = ["資産番号", "システム名称", "管理部署", "所管課", "ネットワーク区分", "設置区分", "導入年月日", "リース満了日",
              "廃止日", "運用経費 R5年度（円）", "備考"]


def test_a_cp932_csv_exported_from_an_asset_management_system(tmp_path):
    path = _csv(tmp_path / "資産台帳.csv", [
        ASSET_HEAD,
        ["A-0001", "住民記録システム", "情報政策課", "市民課", "マイナンバー利用事務系", "データセンター", "2013/04/01",
         "2026/03/31", "", "8100000", "標準化対象"],
        ["A-0002", "財務会計システム", "情報政策課", "会計課", "LGWAN接続系", "庁舎内", "2015/04/01", "2025/03/31", "", "3,300,000", ""],
        ["A-0003", "旧グループウェア", "情報政策課", "総務課", "LGWAN接続系", "庁舎内", "2010/04/01", "", "2023/03/31", "", "R5.3廃止"],
    ])
    assert _import(path) == {"created": 3, "updated": 0}
    resident = _system("住民記録システム")
    assert (resident.department.name, resident.in_service_on, resident.contract_end) == (
        "市民課", date(2013, 4, 1), date(2026, 3, 31))
    assert resident.note == "標準化対象"
    assert _costs("住民記録システム") == {2023: 8_100_000} and _costs("財務会計システム") == {2023: 3_300_000}
    assert _system("旧グループウェア").state == "retired"


def test_state_words_of_an_asset_management_export(tmp_path):
    path = _csv(tmp_path / "資産台帳.csv", [
        ["システム名称", "ネットワーク区分", "設置区分", "導入年月日", "廃止日", "稼働状況"],
        ["住民記録システム", "マイナンバー利用事務系", "データセンター", "2013/04/01", "", "稼働中"],
        ["旧グループウェア", "LGWAN接続系", "庁舎内", "2010/04/01", "2023/03/31", "廃止済"],
    ])
    _import(path)
    assert dict(InformationSystem.objects.values_list("name", "state")) == {
        "住民記録システム": "active", "旧グループウェア": "retired"}


def test_a_yearly_maintenance_fee_column_is_read_or_asked_about(tmp_path):
    path = _csv(tmp_path / "資産台帳.csv", [
        ["システム名称", "ネットワーク区分", "設置区分", "導入年月日", "R5年度保守委託料（円）", "R5年度使用料（円）"],
        ["住民記録システム", "マイナンバー利用事務系", "データセンター", "2013/04/01", "5,000,000", "3,100,000"],
    ])
    # a careful reading: the operating cost of FY2023 is the fee(s) of that year — or the import asks which column;
    # storing no cost at all while the file has two amounts for the year is the one wrong answer
    try:
        _import(path)
    except InputRejected as exc:
        assert any(m.startswith(("資産台帳.csv!E1", "資産台帳.csv!F1")) for m in exc.messages), exc.messages
    else:
        assert _costs("住民記録システム") != {}


# --- 8. 合計・小計の行、※の注記（結合セル） ------------------------------------------------------------------------

def test_total_rows_and_notes_under_the_table(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R4年度（千円）", "運用経費 R5年度（千円）"],
        ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_000, 8_100],
        ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", 3_000, 3_100],
        ["合計", None, None, None, None, 11_000, 11_200],
        ["※1 金額は税込み、R5年度は決算見込額"],
        ["※2 クラウドサービスの利用料を含む"],
    ]})
    assert _import(path) == {"created": 2, "updated": 0}
    assert _costs("財務会計システム") == {2022: 3_000_000, 2023: 3_100_000}


def test_a_note_merged_across_the_table_is_not_a_system(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
        ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_100],
        ["※金額は税込み。R5年度は決算見込額。"],
    ]}, merges={"台帳": ("A3:F3",)})
    assert _import(path) == {"created": 1, "updated": 0}


def test_department_headings_and_subtotals_inside_the_table(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
        ["【総務部】"],
        ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", 3_100],
        ["文書管理システム", "総務課", "LGWAN接続系", "庁舎内", "H28.4", 900],
        ["総務部 小計", None, None, None, None, 4_000],
        ["【市民部】"],
        ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_100],
        ["市民部 小計", None, None, None, None, 8_100],
        ["合計", None, None, None, None, 12_100],
    ]})
    assert _import(path) == {"created": 3, "updated": 0}
    assert InformationSystem.objects.get(name="文書管理システム").department.name == "総務課"


# --- 9. 2段の結合見出し（契約情報・運用経費の下に小見出し） -------------------------------------------------------------

def _merged_two_rows(tmp_path: Path, groups: list, subs: list, data: list[list], merges: tuple[str, ...]) -> Path:
    rows = [
        ["令和6年度 情報システム台帳"],
        [None, None, None, None, None, None, "（令和6年4月1日現在）"],
        ["システム名称", "所管課", "区分", "設置場所", "稼働開始", *groups],
        [None, None, None, None, None, *subs],
        *data,
    ]
    return _book(tmp_path / "台帳.xlsx", {"台帳": rows}, merges={"台帳": ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4",
                                                                     *merges)})


RESIDENT = ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4"]
FINANCE = ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4"]


def test_two_row_merged_header_with_contract_end_and_yearly_costs(tmp_path):
    path = _merged_two_rows(tmp_path, ["契約満了日", "運用経費（千円）", None], [None, "令和4年度", "令和5年度"], [
        [*RESIDENT, "R8.3", 8_000, 8_100],
        [*FINANCE, "令和7年3月31日", 3_000, 3_100],
    ], ("F3:F4", "G3:H3"))
    assert _import(path) == {"created": 2, "updated": 0}
    assert _system("住民記録システム").contract_end == date(2026, 3, 31)
    assert _system("財務会計システム").contract_end == date(2025, 3, 31)
    assert _costs("住民記録システム") == {2022: 8_000_000, 2023: 8_100_000}


def test_two_row_merged_header_with_a_total_beside_the_years(tmp_path):
    path = _merged_two_rows(tmp_path, ["運用経費（千円）", None, None], ["令和4年度", "令和5年度", "合計"], [
        [*RESIDENT, 8_000, 8_100, 16_100],
        [*FINANCE, 3_000, 3_100, 6_100],
    ], ("F3:H3",))
    assert _import(path) == {"created": 2, "updated": 0}
    assert _costs("住民記録システム") == {2022: 8_000_000, 2023: 8_100_000}


def test_two_row_merged_header_with_a_contract_group_naming_the_vendor(tmp_path):
    path = _merged_two_rows(tmp_path, ["契約情報", None, None, "運用経費（千円）", None],
                            ["業者名", "契約形態", "契約満了日", "令和4年度", "令和5年度"], [
        [*RESIDENT, "○○電算", "賃貸借", "R8.3", 8_000, 8_100],
        [*FINANCE, "△△システムズ", "保守委託", "令和7年3月31日", 3_000, 3_100],
    ], ("F3:H3", "I3:J3"))
    assert _import(path) == {"created": 2, "updated": 0}
    assert _system("住民記録システム").contract_end == date(2026, 3, 31)
    assert _costs("財務会計システム") == {2022: 3_000_000, 2023: 3_100_000}


# --- 10. 非表示の列 -------------------------------------------------------------------------------------------

def test_a_hidden_column_repeating_a_header(tmp_path):
    """B (hidden) keeps the 所管課 before the 令和5年度の組織改正, C the current one: which one is the register's? Asked."""
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "所管課", "所管課", "区分", "設置場所", "稼働開始"],
        ["住民記録システム", "市民課", "市民窓口課", "マイナンバー利用事務系", "データセンター", "H25.4"],
    ]}, hidden={"台帳": ("B",)})
    messages = _refused(path)
    assert any(m.startswith("台帳!C1") for m in messages), messages


def test_hidden_working_columns_with_unknown_headers_do_not_disturb_the_import(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "作業用", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
        ["住民記録システム", "要確認", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_100],
    ]}, hidden={"台帳": ("B",)})
    _import(path)
    assert _system("住民記録システム").department.name == "市民課"
    assert _costs("住民記録システム") == {2023: 8_100_000}


# --- 11. 金額不明のダッシュ ----------------------------------------------------------------------------------

def test_a_dash_for_an_unknown_amount_means_no_cost_that_year(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "区分", "設置場所", "稼働開始", "運用経費 R4年度（千円）", "運用経費 R5年度（千円）"],
        ["住民記録システム", "マイナンバー利用事務系", "データセンター", "H25.4", "－", 8_100],
        ["財務会計システム", "LGWAN接続系", "庁舎内", "H27.4", 3_000, "-"],
    ]})
    assert _import(path) == {"created": 2, "updated": 0}
    assert _costs("住民記録システム") == {2023: 8_100_000}
    assert _costs("財務会計システム") == {2022: 3_000_000}


def test_text_that_is_no_amount_is_refused_at_its_cell_in_japanese(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
        ["住民記録システム", "マイナンバー利用事務系", "データセンター", "H25.4", "約8,000"],
    ]})
    messages = _refused(path)
    assert [m.split(":")[0] for m in messages] == ["台帳!E2"], messages
    assert "千円単位の数値で記入してください" in messages[0]


# --- 12. 確認のみ（--dry-run）は同じ読み方 ------------------------------------------------------------------------

def test_the_dry_run_of_a_city_register_counts_and_writes_nothing(tmp_path):
    path = _book(tmp_path / "台帳.xlsx", {"台帳": TOWN})
    before = db_snapshot()
    preview = register_preview_file(user=operator(), organization=organization_for_code(code="140007"), path=path,
                                    confirm_segments=True)
    assert preview.counts() == {"new": 4, "changed": 0, "unchanged": 0}
    assert "新規 4 件、変更 0 件、変更なし 0 件" in _cli(path, "--confirm-segments", "--dry-run")
    assert db_snapshot() == before


# --- 13. 画面からの取込み: 誤ったファイルは日本語で、場所つきで ------------------------------------------------------------

def test_web_upload_of_a_bad_register_shows_located_japanese_problems(client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenken.orgs.models import Membership

    from .personas import make_user

    admin = make_user("sato", "佐藤")
    Membership.objects.create(user=admin, organization=organization_for_code(code="140007"), role=Membership.Role.ADMIN)
    client.force_login(admin)
    path = _book(tmp_path / "台帳.xlsx", {"台帳": [
        ["システム名称", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
        ["住民記録システム", "マイナンバー利用事務系", "データセンター", "H25.13", "約8,000"],
    ]})
    before = db_snapshot()
    res = client.post("/inventory/140007/upload/", {"file": SimpleUploadedFile("台帳.xlsx", path.read_bytes())},
                      follow=True)
    page = res.content.decode()
    assert db_snapshot() == before
    assert res.status_code == 200
    assert "台帳!D2" in page and "台帳!E2" in page, page
    assert "何も登録していません" in page
    assert "Traceback" not in page and "Error" not in page
