"""Variants of the third probe's register defects, in other registers written by other hands (reg4).

Each test is a register a city could send: a CSV or a workbook built cell by cell, and what the import must do with
it (read it, or refuse it at the cell, or say in the notes what it did not read).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.common.novalue import is_no_value
from tenken.common.rowkinds import bracketed_heading, is_total_label
from tenken.inventory.models import InformationSystem, SystemCost
from tenken.inventory.services import register_import_file, register_preview_file
from tenken.orgs.services import organization_for_code

from .conftest import db_snapshot
from .personas import OPERATOR, operator

pytestmark = pytest.mark.django_db
CODE = "140007"


@pytest.fixture(autouse=True)
def _operator():
    operator()
    organization_for_code(code=CODE)  # registered before a refusal is compared with the snapshot


def workbook(path: Path, **sheets: list[list]) -> Path:
    """Sheets given as keyword arguments (sheet name → rows); ``merge`` / ``hide`` as 「シート!A1:B1」 lists."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values, start=1):
                if v is not None:
                    ws.cell(row=r, column=c, value=v)
    wb.save(path)
    return path


def merged(path: Path, *ranges: str) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for rng in ranges:
        sheet, cells = rng.split("!")
        wb[sheet].merge_cells(cells)
    wb.save(path)
    return path


def csv_file(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def load(path: Path, **kw) -> dict[str, int]:
    return register_import_file(user=operator(), organization=organization_for_code(code=CODE), path=path, **kw)


def preview(path: Path, **kw):
    return register_preview_file(user=operator(), organization=organization_for_code(code=CODE), path=path, **kw)


def refusal(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        load(path, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def where(messages: list[str]) -> list[str]:
    return [m.split(":")[0] for m in messages]


def systems(field: str) -> dict[str, object]:
    return dict(InformationSystem.objects.values_list("name", field))


def cost_of(name: str) -> dict[int, int]:
    return dict(SystemCost.objects.filter(system__name=name).values_list("fiscal_year", "amount_yen"))


# --- 1. 導入年度 -----------------------------------------------------------------------------------------

def test_fiscal_years_of_introduction_in_every_spelling_mean_april_the_first(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """情報システム名,系統,形態,導入年度
住民記録,マイナンバー利用事務系,データセンター,平成元年度
財務会計,LGWAN接続系,庁舎内,2015年度
電子申請,インターネット接続系,クラウド,R3
文書管理,LGWAN接続系,庁舎内,2018
""")
    assert load(path) == {"created": 4, "updated": 0}
    assert systems("in_service_on") == {"住民記録": date(1989, 4, 1), "財務会計": date(2015, 4, 1),
                                        "電子申請": date(2021, 4, 1), "文書管理": date(2018, 4, 1)}


def test_a_start_date_column_wins_over_the_fiscal_year_of_introduction(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,導入年度,稼働開始日
住民記録,マイナンバー利用事務系,データセンター,平成25年度,2013/10/1
""")
    shown = preview(path)
    assert any("「導入年度」の列は稼働開始日の列" in n for n in shown.notes), shown.notes
    load(path)
    assert systems("in_service_on") == {"住民記録": date(2013, 10, 1)}


def test_a_fiscal_year_of_introduction_that_is_no_year_is_refused_at_its_cell(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,導入年度
住民記録,マイナンバー利用事務系,データセンター,不明
""")
    messages = refusal(path)
    assert where(messages) == ["台帳.csv!D2"], messages
    assert "導入年度「不明」" in messages[0]


# --- 2. 正式名と括弧の呼び名 -----------------------------------------------------------------------------------

def test_the_formal_name_in_brackets_after_an_old_one_needs_no_confirmation(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日
住民記録,基幹系(マイナンバー利用事務系),データセンター,2013/4/1
グループウェア,ＬＧＷＡＮ接続系【情報系】,庁舎内,2014/4/1
ホームページ,インターネット接続系［インターネット系］,クラウド,2015/4/1
""")
    load(path)
    assert systems("segment") == {"住民記録": "mynumber", "グループウェア": "lgwan", "ホームページ": "internet"}


def test_a_bracketed_name_of_another_segment_is_refused_at_the_cell(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日
住民記録,マイナンバー利用事務系,データセンター,2013/4/1
ポータル,LGWAN接続系（インターネット系）,庁舎内,2014/4/1
""")
    messages = refusal(path, confirm_segments=True)
    assert where(messages) == ["台帳.csv!B3"], messages
    assert "LGWAN接続系" in messages[0] and "インターネット接続系" in messages[0]


# --- 3. 部局ごとのシート ----------------------------------------------------------------------------------------

HEAD = ["システム名", "区分", "設置形態", "稼働開始日"]


def test_sheets_named_by_department_without_a_department_column_give_the_department(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx",
                    総務部=[HEAD, ["財務会計", "LGWAN接続系", "庁舎内", "H27.4"]],
                    教育委員会=[["教育委員会の情報システム"], HEAD, ["校務支援", "LGWAN接続系", "クラウド", "R2.4"]],
                    記入例=[HEAD, ["○○システム", "LGWAN接続系", "庁舎内", "R1.4"]],
                    メモ=[["R6.4 更新"]])
    shown = preview(path)
    assert shown.counts()["new"] == 2
    assert any("「記入例」" in n for n in shown.notes) and any("「メモ」" in n for n in shown.notes), shown.notes
    assert load(path) == {"created": 2, "updated": 0}
    assert {s.name: s.department.name for s in InformationSystem.objects.select_related("department")} == {
        "財務会計": "総務部", "校務支援": "教育委員会"}


def test_a_system_on_two_department_sheets_is_refused_naming_both(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx",
                    総務部=[HEAD, ["グループウェア", "LGWAN接続系", "庁舎内", "H27.4"]],
                    市民部=[HEAD, ["住民記録", "マイナンバー利用事務系", "データセンター", "H25.4"],
                         ["グループウェア", "LGWAN接続系", "庁舎内", "H27.4"]])
    messages = refusal(path)
    assert messages == ["市民部!A3: システム名「グループウェア」が重複しています（総務部!A2）"], messages


def test_a_department_sheet_missing_a_required_column_refuses_the_whole_file(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx",
                    総務部=[HEAD, ["財務会計", "LGWAN接続系", "庁舎内", "H27.4"]],
                    市民部=[["システム名", "区分", "稼働開始日"], ["住民記録", "マイナンバー利用事務系", "H25.4"]])
    messages = refusal(path)
    assert messages == ["市民部!1行目: 必須の列「設置形態」がありません"], messages


# --- 4. 稼働状況の語 -------------------------------------------------------------------------------------------

def test_state_words_running_retired_and_merged(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,廃止日,状態,統合先
新財務,LGWAN接続系,クラウド,2020/4/1,,運用中,
旧財務,LGWAN接続系,庁舎内,2010/4/1,2020/3/31,統合済み,新財務
旧文書,LGWAN接続系,庁舎内,2008/4/1,2019/3/31,廃止済み,
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,,廃止予定,
""", encoding="cp932")
    load(path)
    assert systems("state") == {"新財務": "active", "旧財務": "consolidated", "旧文書": "retired", "住民記録": "active"}


def test_a_planned_retirement_with_a_date_and_an_unknown_state_are_refused_at_their_cells(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,廃止日,稼働状況
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,2026/3/31,廃止予定
財務会計,LGWAN接続系,庁舎内,2015/4/1,,休止中
""")
    messages = refusal(path)
    assert where(messages) == ["台帳.csv!E2", "台帳.csv!F3"], messages
    assert "まだ稼働中" in messages[0] and "状態「休止中」" in messages[1]


# --- 5. 年度つきの料金の列 -----------------------------------------------------------------------------------------

def test_fee_columns_of_each_year_are_summed_and_said_so(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,R4使用料（千円）,R4リース料（千円）,R5使用料（千円）,R5リース料（千円）
電子申請,インターネット接続系,クラウド,2021/4/1,100,50,120,
""")
    shown = preview(path)
    assert [n for n in shown.notes if "合計として読みます" in n] == [
        "台帳.csv: 2022年度（令和4年度）の運用経費は「R4使用料（千円）」「R4リース料（千円）」（E列、F列）の合計として読みます",
        "台帳.csv: 2023年度（令和5年度）の運用経費は「R5使用料（千円）」「R5リース料（千円）」（G列、H列）の合計として読みます",
    ]
    load(path)
    assert cost_of("電子申請") == {2022: 150_000, 2023: 120_000}


def test_an_operating_cost_and_a_fee_of_the_same_year_are_asked_about(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,運用経費 R5年度（円）,R5年度保守料（円）
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,9000000,2000000
""")
    messages = refusal(path)
    assert where(messages) == ["台帳.csv!F1"], messages
    assert "内訳" in messages[0]


def test_an_unknown_yearly_amount_column_is_reported_on_the_console(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,R5年度 初期導入費（千円）
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,5000
""")
    out = io.StringIO()
    call_command("inventory", "import", str(path), "--org", CODE, "--user", OPERATOR, "--dry-run", stdout=out)
    assert "注: 台帳.csv!E1: 列見出し「R5年度 初期導入費（千円）」は年度と金額の単位がありますが" in out.getvalue()
    out = io.StringIO()
    call_command("inventory", "import", str(path), "--org", CODE, "--user", OPERATOR, stdout=out)
    assert "台帳.csv!E1" in out.getvalue() and "新規 1 件" in out.getvalue()
    assert cost_of("住民記録") == {}


# --- 6・7. 注記・見出し・小計の行 ---------------------------------------------------------------------------------

def test_a_note_merged_across_a_table_that_starts_with_a_number_column(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx", 一覧=[
        ["No.", "システム名", "区分", "設置形態", "稼働開始日", "運用経費 R5年度（千円）"],
        [1, "住民記録", "マイナンバー利用事務系", "データセンター", "H25.4", 8_000],
        ["注）R5年度は見込額"],
        ["計", None, None, None, None, 8_000],
    ])
    merged(path, "一覧!A3:F3", "一覧!A4:E4")
    assert load(path) == {"created": 1, "updated": 0}


def test_department_headings_give_the_department_when_there_is_no_department_column(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx", 一覧=[
        ["システム名", "区分", "設置形態", "稼働開始日", "運用経費 R5年度（千円）"],
        ["［総務部］"],
        ["財務会計", "LGWAN接続系", "庁舎内", "H27.4", 3_000],
        ["小計（総務部）", None, None, None, 3_000],
        ["〔市民部〕"],
        ["住民記録", "マイナンバー利用事務系", "データセンター", "H25.4", 8_000],
        ["市民部計", None, None, None, 8_000],
        ["総合計", None, None, None, 11_000],
    ])
    merged(path, "一覧!A2:E2", "一覧!A5:E5")
    assert load(path) == {"created": 2, "updated": 0}
    assert {s.name: s.department.name for s in InformationSystem.objects.select_related("department")} == {
        "財務会計": "総務部", "住民記録": "市民部"}
    assert cost_of("住民記録") == {2023: 8_000_000}


def test_a_system_whose_name_ends_like_a_total_is_still_a_system(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx", 一覧=[
        HEAD,
        ["公会計", "LGWAN接続系", "庁舎内", "H27.4"],
        ["統計", "LGWAN接続系", "庁舎内", "H28.4"],
        ["合計"],
    ])
    assert load(path) == {"created": 2, "updated": 0}


def test_a_system_row_with_its_values_missing_is_refused_not_taken_for_a_heading(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx", 一覧=[HEAD, ["住民記録"]])
    assert where(refusal(path)) == ["一覧!B2", "一覧!C2", "一覧!D2"]


@pytest.mark.parametrize(("text", "total"), [
    ("合計", True), ("計", True), ("総務部 小計", True), ("小計（総務部）", True), ("総務部計", True), ("総合計", True),
    ("財務会計", False), ("統計システム", False), ("会計", False), ("設計支援", False),
])
def test_total_labels(text, total):
    assert is_total_label(text) is total


def test_bracketed_headings_and_no_values():
    assert [bracketed_heading(t) for t in ("【総務部】", "[市民部]", "【新規】電子申請", "総務部")] == [
        "総務部", "市民部", None, None]
    assert [is_no_value(v) for v in ("－", "-", "―", "未定", None, "", "0", "約8,000")] == [
        True, True, True, True, True, True, False, False]


# --- 8・9. 2段の見出し ----------------------------------------------------------------------------------------------

def test_a_subtotal_sub_column_under_a_fee_parent(tmp_path):
    path = workbook(tmp_path / "台帳.xlsx", 一覧=[
        ["システム名", "区分", "設置形態", "稼働開始日", "保守料（千円）", None, None],
        [None, None, None, None, "R4", "R5", "小計"],
        ["住民記録", "マイナンバー利用事務系", "データセンター", "H25.4", 1_000, 1_100, 2_100],
    ])
    merged(path, "一覧!A1:A2", "一覧!B1:B2", "一覧!C1:C2", "一覧!D1:D2", "一覧!E1:G1")
    load(path)
    assert cost_of("住民記録") == {2022: 1_000_000, 2023: 1_100_000}


def test_a_csv_group_written_once_over_unknown_sub_columns(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,契約情報,,,運用経費（千円）,
,,,,業者名,契約形態,リース満了日,R4,R5
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,○○電算,賃貸借,2026/3/31,8000,8100
""")
    shown = preview(path)
    assert any("業者名" in n and "契約形態" in n and "読まない列" in n for n in shown.notes), shown.notes
    load(path)
    assert systems("contract_end") == {"住民記録": date(2026, 3, 31)}
    assert cost_of("住民記録") == {2022: 8_000_000, 2023: 8_100_000}


# --- 10. 同じ項目の列が二つ ---------------------------------------------------------------------------------------

def test_two_columns_of_one_item_under_different_names_are_refused_at_the_second(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,ネットワーク区分,設置形態,稼働開始日,区分
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,基幹業務
""")
    messages = refusal(path)
    assert where(messages) == ["台帳.csv!E1"], messages
    assert "B列「ネットワーク区分」" in messages[0] and "E列「区分」" in messages[0]


# --- 11. 金額のないことを示す語 -------------------------------------------------------------------------------------

def test_dashes_and_undecided_amounts_are_no_cost(tmp_path):
    path = csv_file(tmp_path / "台帳.csv", """システム名,区分,設置形態,稼働開始日,運用経費 R4年度（千円）,運用経費 R5年度（千円）,運用経費 R6年度（千円）
住民記録,マイナンバー利用事務系,データセンター,2013/4/1,―,8000,未定
財務会計,LGWAN接続系,庁舎内,2015/4/1,3000,－,ー
""")
    load(path)
    assert cost_of("住民記録") == {2023: 8_000_000} and cost_of("財務会計") == {2022: 3_000_000}
