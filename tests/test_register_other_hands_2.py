"""Other hands, second probe of the register: 情報システム台帳 as cities keep them by hand.

A title block and a 作成日 line over a header of two or three rows whose merged parent 「運用経費（千円）」 spans
one sub-column per year; a 契約期間 written as a range (「R3.4.1～R8.3.31」); the register saved as CSV from
Excel (CP932, multi-line cells). Each is read as a careful human would, or refused at its cell in Japanese with
nothing written.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.inventory.models import InformationSystem, SystemCost
from tenken.inventory.services import register_import_file
from tenken.orgs.services import organization_for_code

from .conftest import db_snapshot
from .personas import operator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kanagawa():
    operator()
    return organization_for_code(code="140007")


def _xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), sheet: str = "台帳") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def _import(path: Path, **kw) -> dict[str, int]:
    return register_import_file(user=operator(), organization=organization_for_code(code="140007"), path=path, **kw)


def _refused(path: Path) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path)
    assert db_snapshot() == before
    return exc.value.messages


def _costs(name: str) -> dict[int, int]:
    return dict(SystemCost.objects.filter(system__name=name).values_list("fiscal_year", "amount_yen"))


TITLE = [["令和5年度 情報システム台帳"], [None, None, None, None, None, "作成日：令和5年4月1日"], []]


# --- 1. headers of two or three rows under a title block --------------------------------------------------

@pytest.mark.parametrize("years", [("R4", "R5"), ("令和4年度", "令和5年度"), ("2022年度", "2023年度")])
def test_two_row_header_with_a_merged_cost_parent_in_thousand_yen(tmp_path, years):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        *TITLE,
        ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "運用経費（千円）", None, "備考"],
        [None, None, None, None, None, *years, None],
        ["住民記録システム", "市民課", "マイナンバー系", "データセンター", "H25.4", 1200, "1,300", "R6更改予定"],
        ["グループウェア", "情報政策課", "LGWAN系", "庁舎内", "H28.10", 350, None, None],
    ], merges=("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:G4", "H4:H5"))
    assert _import(path) == {"created": 2, "updated": 0}
    assert _costs("住民記録システム") == {2022: 1_200_000, 2023: 1_300_000}
    assert _costs("グループウェア") == {2022: 350_000}
    assert InformationSystem.objects.get(name="住民記録システム").note == "R6更改予定"


def test_three_row_header_with_group_labels_over_the_columns(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        ["情報システム一覧（令和5年4月1日現在）"],
        [],
        ["基本情報", None, None, None, None, "経費", None],
        ["システム名", "所管所属", "ネットワーク区分", "設置形態", "稼働開始日", "運用経費（万円）", None],
        [None, None, None, None, None, "令和4年度", "令和5年度"],
        ["財務会計システム", "会計課", "LGWAN接続系", "クラウド", "2015/4/1", 80, 85],
    ], merges=("A3:E3", "F3:G3", "F4:G4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5"))
    assert _import(path) == {"created": 1, "updated": 0}
    assert _costs("財務会計システム") == {2022: 800_000, 2023: 850_000}


def test_a_group_row_over_an_unmerged_header_and_unmerged_sub_columns(tmp_path):
    """Cells not merged at all (the parent written once over its first sub-column, as a CSV has it)."""
    path = _xlsx(tmp_path / "台帳.xlsx", [
        ["システム名", "所管所属", "ネットワーク区分", "設置形態", "稼働開始日", "運用経費（千円）", None, None],
        [None, None, None, None, None, "R3", "R4", "R5"],
        ["財務会計システム", "会計課", "LGWAN接続系", "クラウド", "2015/4/1", 70, 80, 85],
    ])
    _import(path)
    assert _costs("財務会計システム") == {2021: 70_000, 2022: 80_000, 2023: 85_000}


def test_a_unit_line_over_the_table_applies_to_cost_headers_without_a_unit(tmp_path):
    """「（単位：千円）」 in the title block: 1,200 under 「運用経費 R4年度」 is 1,200千円, not 1,200円."""
    path = _xlsx(tmp_path / "台帳.xlsx", [
        ["情報システム台帳"],
        [None, None, None, None, None, "（単位：千円）"],
        ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "運用経費 R4年度", "運用経費 R5年度（円）"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", 1200, 1_250_000],
    ])
    _import(path)
    assert _costs("財務会計システム") == {2022: 1_200_000, 2023: 1_250_000}


def test_notes_right_over_the_header_are_not_part_of_it(tmp_path):
    """「※R5年度は予算額」「○：接続あり」 just over the header: its 年度 does not make 「運用経費（千円）」 a year's column."""
    path = _xlsx(tmp_path / "台帳.xlsx", [
        [None, None, None, "○：接続あり", "×：接続なし", "※R5年度は予算額"],
        ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "インターネット接続", "運用経費（千円）"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", "×", 1200],
    ])
    messages = _refused(path)
    assert [m.split(":")[0] for m in messages] == ["台帳!F2"], messages
    assert "年度が読み取れません" in messages[0]


def test_two_cost_columns_of_one_year_are_refused_at_the_second_header(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "運用経費 R4年度（千円）", "R4年度運用経費（円）"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", 80, 80000],
    ])
    messages = _refused(path)
    assert any(m.startswith("台帳!F1") and "2022年度" in m and "E列" in m for m in messages), messages


# --- 2. 契約期間 as a range --------------------------------------------------------------------------------

PERIOD_HEAD = ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "契約期間"]


@pytest.mark.parametrize(("period", "end"), [
    ("R3.4.1～R8.3.31", date(2026, 3, 31)),
    ("令和3年4月1日～令和8年3月31日", date(2026, 3, 31)),
    ("2021/4/1-2026/3/31", date(2026, 3, 31)),
    ("R3.4～R8.3", date(2026, 3, 31)),
    ("R元.5.1〜R6.4.30", date(2024, 4, 30)),
    ("令和3年4月1日から\n令和8年3月31日まで", date(2026, 3, 31)),
    ("R3.4.1～8.3.31", date(2026, 3, 31)),
    ("～R8.3.31", date(2026, 3, 31)),
])
def test_a_contract_period_range_gives_the_contract_end(tmp_path, period, end):
    path = _xlsx(tmp_path / "台帳.xlsx", [PERIOD_HEAD, ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", period]])
    _import(path)
    assert InformationSystem.objects.get().contract_end == end


@pytest.mark.parametrize(("period", "words"), [
    ("R3.4.1～R8.3.32", "契約期間"),
    ("5年間", "契約期間"),
    ("R8.3.31", "～R8.3.31"),  # one date: the start or the end? asked, not guessed
    ("R8.3.31～R3.4.1", "前"),
])
def test_an_unreadable_contract_period_is_refused_at_its_cell(tmp_path, period, words):
    path = _xlsx(tmp_path / "台帳.xlsx", [PERIOD_HEAD, ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", period]])
    messages = _refused(path)
    assert [m.split(":")[0] for m in messages] == ["台帳!E2"], messages
    assert words in messages[0], messages


def test_a_contract_period_contradicting_the_contract_end_column_is_refused(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        [*PERIOD_HEAD, "契約満了日"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", "R3.4.1～R8.3.31", "R7.3.31"],
        ["文書管理システム", "LGWAN接続系", "クラウド", "2015/4/1", "R3.4.1～R8.3.31", "R8.3.31"],
    ])
    messages = _refused(path)
    assert [m.split(":")[0] for m in messages] == ["台帳!E2"], messages
    assert "契約・リース満了日" in messages[0]


def test_a_merged_contract_period_over_start_and_end_sub_columns(tmp_path):
    path = _xlsx(tmp_path / "台帳.xlsx", [
        ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "契約期間", None],
        [None, None, None, None, "開始", "終了"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", "R3.4.1", "R8.3.31"],
        ["文書管理システム", "LGWAN接続系", "クラウド", "2015/4/1", "R8.4.1", "R3.3.31"],
    ], merges=("E1:F1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"))
    messages = _refused(path)
    assert [m.split(":")[0] for m in messages] == ["台帳!F4"], messages
    path.unlink()
    _xlsx(path, [
        ["システム名", "ネットワーク区分", "設置形態", "稼働開始日", "契約期間", None],
        [None, None, None, None, "開始", "終了"],
        ["財務会計システム", "LGWAN接続系", "クラウド", "2015/4/1", "R3.4.1", "R8.3.31"],
    ], merges=("E1:F1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"))
    _import(path)
    assert InformationSystem.objects.get().contract_end == date(2026, 3, 31)


# --- 3. CSV: UTF-8, UTF-8 with BOM, CP932 -------------------------------------------------------------------

CSV_ROWS = [
    ["○○市 情報システム台帳"],
    ["", "", "", "", "", "", "作成日 R5.4.1"],
    ["システム名称", "所管課", "系統", "設置場所", "稼働開始", "目的", "運用経費（千円）", ""],
    ["", "", "", "", "", "", "R4", "R5"],
    ["住民記録システム", "市民課", "マイナンバー系", "データセンター", "H25.4", "住民基本台帳の記録\r\n（転入・転出）",
     "1,200", "1,300"],
    ["市公式ウェブサイト", "広報課", "インターネット系", "クラウド", "R元.5.1", "市の情報発信", "300", ""],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_csv_register_in_utf8_bom_or_cp932(tmp_path, encoding):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(CSV_ROWS)
    path = tmp_path / "台帳.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    assert _import(path) == {"created": 2, "updated": 0}
    resident = InformationSystem.objects.get(name="住民記録システム")
    assert resident.purpose == "住民基本台帳の記録\n（転入・転出）"
    assert _costs("住民記録システム") == {2022: 1_200_000, 2023: 1_300_000}
    assert InformationSystem.objects.get(name="市公式ウェブサイト").in_service_on == date(2019, 5, 1)


def test_a_csv_register_problem_names_the_file_cell(tmp_path):
    path = tmp_path / "台帳.csv"
    path.write_bytes("システム名,区分,設置形態,稼働開始日\r\n住民記録システム,マイナンバー系,データセンター,H25.13\r\n"
                     .encode("cp932"))
    messages = _refused(path)
    assert [m.split(":")[0] for m in messages] == ["台帳.csv!D2"], messages
