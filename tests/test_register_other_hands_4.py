"""Other hands, fourth probe of the register: 情報システム台帳 as more municipal clerks keep them.

A register in the layout of the 総務省 survey (システムの名称, 業務名, 導入時期, 次期更改予定, 契約形態, ベンダー名,
クラウド利用の有無, 標準化対象（20業務）, 年間経費（円）); amounts written 「¥1,234,567」, 「約120万円」, 「1.2億円」,
「(1,200)」; segments numbered as the guideline numbers them (①個人番号利用事務系), the slang 基幹系 / 情報系 / ネット系,
and 「ガバメントクラウド」 written where the segment goes; dates across the 平成→令和 change; one system listed under
two 所管課; a 合計 row with dashes; and next year's register with a system left out and one renamed.

Each test says what a careful ICT officer expects: the systems as stored (segments, yen, dates), or a located
Japanese refusal with the database unchanged.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from tenken.inventory.models import InformationSystem, InformationSystemChange
from tenken.orgs.services import organization_for_code

from .conftest import db_snapshot
from .personas import OPERATOR, operator
from .test_register_reg4 import cost_of, load, preview, refusal, systems, where

pytestmark = pytest.mark.django_db
CODE = "140007"


@pytest.fixture(autouse=True)
def _operator():
    operator()
    organization_for_code(code=CODE)  # registered before a refusal is compared with the snapshot


def book(path: Path, rows: list[list], sheet: str = "台帳") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def cli(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("inventory", "import", str(path), "--org", CODE, "--user", OPERATOR, *args, stdout=out,
                 stderr=io.StringIO())
    return out.getvalue()


HEAD = ["システム名", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（円）"]


# --- 1. 総務省の調査票に倣った台帳 ------------------------------------------------------------------------------

SOUMU = [
    ["情報システム台帳（令和6年4月1日現在）"],
    ["システムの名称", "業務名", "所管課", "導入時期", "次期更改予定", "契約形態", "ベンダー名", "クラウド利用の有無",
     "標準化対象（20業務）", "区分", "設置形態", "令和5年度 年間経費（円）"],
    ["住民記録システム", "住民基本台帳", "市民課", "令和5年4月", "令和10年度", "賃貸借", "○○電算", "有", "対象",
     "マイナンバー利用事務系", "ガバメントクラウド", 18_400_000],
    ["財務会計システム", "財務会計", "会計課", "R2.10", "R7年度", "保守委託", "△△システムズ", "無", "対象外",
     "LGWAN接続系", "庁舎内", "¥3,520,000"],
    ["施設予約システム", "施設予約", "生涯学習課", "2021年7月", "未定", "使用料", "××ウェブ", "有", "対象外",
     "インターネット接続系", "クラウド", "―"],
]


def test_a_register_in_the_layout_of_the_soumu_survey(tmp_path):
    """システムの名称 is the system's name, 導入時期 its start (a month: its first day), 年間経費 of a named year its
    operating cost in yen; 業務名, 次期更改予定, 契約形態, ベンダー名, クラウド利用の有無, 標準化対象 are no register
    items: not read, and listed in the notes."""
    path = book(tmp_path / "台帳.xlsx", SOUMU)
    notes: list[str] = []
    assert load(path, notes=notes) == {"created": 3, "updated": 0}
    assert systems("segment") == {"住民記録システム": "mynumber", "財務会計システム": "lgwan", "施設予約システム": "internet"}
    assert systems("hosting") == {"住民記録システム": "cloud", "財務会計システム": "on_premises", "施設予約システム": "cloud"}
    assert systems("in_service_on") == {"住民記録システム": date(2023, 4, 1), "財務会計システム": date(2020, 10, 1),
                                        "施設予約システム": date(2021, 7, 1)}
    assert cost_of("住民記録システム") == {2023: 18_400_000}
    assert cost_of("財務会計システム") == {2023: 3_520_000}
    assert cost_of("施設予約システム") == {}
    assert InformationSystem.objects.get(name="住民記録システム").department.name == "市民課"
    unread = next(n for n in notes if "読まない列" in n)
    for head in ("業務名", "次期更改予定", "契約形態", "ベンダー名", "クラウド利用の有無", "標準化対象（20業務）"):
        assert head in unread, notes


def test_an_annual_cost_without_its_fiscal_year_is_refused_at_the_header(tmp_path):
    """「年間経費（円）」 alone: the register's date (令和6年4月1日現在) does not say whether it is R5's settled or R6's
    budgeted cost, so it is asked at the header, not dropped nor guessed."""
    rows = [r[:] for r in SOUMU]
    rows[1][11] = "年間経費（円）"
    messages = refusal(book(tmp_path / "台帳.xlsx", rows))
    assert messages == ["台帳!L2: 列見出し「年間経費（円）」から年度が読み取れません"], messages


# --- 2. 金額の書き方 ------------------------------------------------------------------------------------------

def test_amounts_with_a_yen_sign_commas_and_a_dash(tmp_path):
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["グループウェア", "情報政策課", "LGWAN接続系", "データセンター", "H30.4", "¥1,234,567"],
        ["電子申請システム", "情報政策課", "インターネット接続系", "クラウド", "R3.4", "￥ 880,000"],
        ["庁内LAN", "情報政策課", "LGWAN接続系", "庁舎内", "H20.4", "―"],
        ["文書管理システム", "総務課", "LGWAN接続系", "庁舎内", "H28.4", "2,400,000円"],
    ])
    assert load(path) == {"created": 4, "updated": 0}
    assert cost_of("グループウェア") == {2023: 1_234_567}
    assert cost_of("電子申請システム") == {2023: 880_000}
    assert cost_of("庁内LAN") == {}
    assert cost_of("文書管理システム") == {2023: 2_400_000}


def test_approximate_other_unit_and_negative_amounts_are_refused_at_their_cells(tmp_path):
    """「約120万円」 is no amount; 「1.2億円」 under （円） is another unit (not read as 1.2 yen nor converted behind the
    user's back); 「(1,200)」 and 「△1,200」 are negative amounts as accounting writes them: an operating cost is not."""
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["A", "総務課", "LGWAN接続系", "庁舎内", "R5.4", "約120万円"],
        ["B", "総務課", "LGWAN接続系", "庁舎内", "R5.4", "1.2億円"],
        ["C", "総務課", "LGWAN接続系", "庁舎内", "R5.4", "(1,200)"],
        ["D", "総務課", "LGWAN接続系", "庁舎内", "R5.4", "△1,200"],
        ["E", "総務課", "LGWAN接続系", "庁舎内", "R5.4", "¥12,000"],
    ])
    messages = refusal(path)
    assert where(messages) == ["台帳!F2", "台帳!F3", "台帳!F4", "台帳!F5"], messages
    assert "円単位の数値で記入してください" in messages[0]
    assert "単位（億円）が列見出しの単位（円）と異なります" in messages[1]
    assert messages[2].endswith("運用経費が負の値です") and messages[3].endswith("運用経費が負の値です")


def test_a_yen_sign_under_a_thousand_yen_header_is_refused(tmp_path):
    """「¥12,000」 under 「（千円）」: 12,000 yen or 12,000 thousand yen? Asked at the cell, as 「12,000円」 is."""
    path = book(tmp_path / "台帳.xlsx", [
        ["システム名", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
        ["A", "総務課", "LGWAN接続系", "庁舎内", "R5.4", "¥12,000"],
    ])
    messages = refusal(path)
    assert where(messages) == ["台帳!F2"] and "単位（¥）が列見出しの単位（千円）と異なります" in messages[0], messages


# --- 3. ネットワーク区分の書き方 ------------------------------------------------------------------------------

def test_segments_numbered_as_the_guideline_numbers_them(tmp_path):
    """①個人番号利用事務系 ②LGWAN接続系 ③インターネット接続系 (the guideline's numbering), LGWAN系, and the formal
    name with the model's variant in brackets are the formal names: read without confirmation."""
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["住民記録システム", "市民課", "①個人番号利用事務系", "データセンター", "H25.4", 1],
        ["財務会計システム", "会計課", "②LGWAN接続系", "庁舎内", "H27.4", 1],
        ["ホームページ", "広報課", "③インターネット接続系", "クラウド", "R2.4", 1],
        ["グループウェア", "情報政策課", "LGWAN系", "庁舎内", "H30.4", 1],
        ["Web会議", "情報政策課", "インターネット接続系（α'モデル）", "クラウド", "R4.4", 1],
        ["介護保険システム", "介護保険課", "(1)マイナンバー利用事務系", "データセンター", "H26.4", 1],
    ])
    assert load(path)["created"] == 6
    assert systems("segment") == {
        "住民記録システム": "mynumber", "財務会計システム": "lgwan", "ホームページ": "internet",
        "グループウェア": "lgwan", "Web会議": "internet", "介護保険システム": "mynumber"}


def test_slang_segment_names_are_asked_then_read_once_confirmed(tmp_path):
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["住民記録システム", "市民課", "基幹系", "データセンター", "H25.4", 1],
        ["財務会計システム", "会計課", "情報系", "庁舎内", "H27.4", 1],
        ["ホームページ", "広報課", "ネット系", "クラウド", "R2.4", 1],
    ])
    messages = refusal(path)
    assert where(messages) == ["台帳!C2", "台帳!C3", "台帳!C4"], messages
    assert "「インターネット接続系」と読めます" in messages[2]
    assert load(path, confirm_segments=True)["created"] == 3
    assert systems("segment") == {"住民記録システム": "mynumber", "財務会計システム": "lgwan", "ホームページ": "internet"}


def test_government_cloud_written_as_the_segment_is_asked_not_guessed(tmp_path):
    """ガバメントクラウド is where a system runs, not a segment: a standard system on it still belongs to the segment
    it connects to (for 住民記録, マイナンバー利用事務系). The importer does not guess it (not even with the readings
    confirmed): it asks at the cell; written as 設置形態, it is クラウド."""
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["住民記録システム", "市民課", "ガバメントクラウド", "ガバメントクラウド", "R6.1", 1],
    ])
    for confirm in (False, True):
        messages = refusal(path, confirm_segments=confirm)
        assert where(messages) == ["台帳!C2"], messages
        assert "設置場所（設置形態）で、三層の構えの区分ではありません" in messages[0]
    fixed = book(tmp_path / "直した台帳.xlsx", [
        HEAD,
        ["住民記録システム", "市民課", "マイナンバー利用事務系", "ガバメントクラウド", "R6.1", 1],
    ])
    load(fixed)
    assert (systems("segment"), systems("hosting")) == ({"住民記録システム": "mynumber"}, {"住民記録システム": "cloud"})


# --- 4. 日付: 平成から令和へ ----------------------------------------------------------------------------------

def test_start_dates_and_a_contract_period_across_the_era_change(tmp_path):
    path = book(tmp_path / "台帳.xlsx", [
        [*HEAD, "契約期間"],
        ["A", "総務課", "LGWAN接続系", "庁舎内", "令和5年4月", 1, "平成31年4月1日～令和6年3月31日"],
        ["B", "総務課", "LGWAN接続系", "庁舎内", "R5.4", 1, "H31.4～R6.3"],
        ["C", "総務課", "LGWAN接続系", "庁舎内", "2023年4月", 1, None],
        ["D", "総務課", "LGWAN接続系", "庁舎内", "平成31年4月", 1, "平成31年4月～令和元年5月"],
        ["E", "総務課", "LGWAN接続系", "庁舎内", "令和元年5月", 1, None],
    ])
    load(path)
    assert systems("in_service_on") == {"A": date(2023, 4, 1), "B": date(2023, 4, 1), "C": date(2023, 4, 1),
                                        "D": date(2019, 4, 1), "E": date(2019, 5, 1)}
    assert systems("contract_end") == {"A": date(2024, 3, 31), "B": date(2024, 3, 31), "C": None,
                                       "D": date(2019, 5, 31), "E": None}


def test_dates_that_never_existed_across_the_era_change_are_refused_at_their_cells(tmp_path):
    """平成31年5月 and 令和元年4月 never were (令和 began on 2019-05-01): which one was meant is asked, not guessed."""
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["A", "総務課", "LGWAN接続系", "庁舎内", "平成31年5月", 1],
        ["B", "総務課", "LGWAN接続系", "庁舎内", "令和元年4月", 1],
    ])
    messages = refusal(path)
    assert messages == ["台帳!E2: 「平成31年5月」: 平成の期間外の日付です", "台帳!E3: 「令和元年4月」: 令和の期間外の日付です"]


# --- 5. 同じシステムが二つの所管課に、合計の行 ---------------------------------------------------------------------

def test_one_system_listed_under_two_departments_is_refused_naming_both(tmp_path):
    """A system the register keeps once per organization, written on two rows (会計課 and 財政課 both use it):
    which row is the register's is asked, naming both cells."""
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", 2_000_000],
        ["財務会計システム", "財政課", "LGWAN接続系", "庁舎内", "H27.4", 1_500_000],
    ])
    assert refusal(path) == ["台帳!A3: システム名「財務会計システム」が重複しています（台帳!A2）"]


def test_a_totals_row_with_dashes_in_its_text_columns_is_not_a_system(tmp_path):
    path = book(tmp_path / "台帳.xlsx", [
        HEAD,
        ["グループウェア", "情報政策課", "LGWAN接続系", "庁舎内", "H30.4", 1_000_000],
        ["ホームページ", "広報課", "インターネット接続系", "クラウド", "R2.4", 500_000],
        ["合計", "―", "―", "―", "―", 1_500_000],
        ["合　計", "－", None, "-", None, "1,500,000"],
    ])
    assert load(path) == {"created": 2, "updated": 0}
    assert set(systems("name")) == {"グループウェア", "ホームページ"}


# --- 6. 翌年度の台帳: 一つ消え、一つ名称が変わった ---------------------------------------------------------------------

YEAR1 = [
    ["システム名", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R4年度（千円）"],
    ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_000],
    ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", 3_000],
    ["旧グループウェア", "情報政策課", "LGWAN接続系", "庁舎内", "H22.4", 1_200],
    ["施設予約システム", "生涯学習課", "インターネット接続系", "クラウド", "R1.7", 600],
]
YEAR2 = [
    ["システム名", "所管課", "区分", "設置場所", "稼働開始", "運用経費 R5年度（千円）"],
    ["住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", "H25.4", 8_200],
    ["財務会計システム", "会計課", "LGWAN接続系", "庁舎内", "H27.4", 3_000],
    ["公共施設予約システム", "生涯学習課", "インターネット接続系", "クラウド", "R1.7", 650],  # renamed
]  # 旧グループウェア left out


def test_next_years_register_with_a_system_left_out_and_one_renamed(tmp_path):
    """Re-import updates the systems it names and adds the new names; it neither deletes nor retires a system by
    its absence (its history and costs stay), and says which registered systems in service the file leaves out,
    so a rename (a new row, the old one kept) is seen before it is imported."""
    load(book(tmp_path / "R4台帳.xlsx", YEAR1))
    second = book(tmp_path / "R5台帳.xlsx", YEAR2)
    before = db_snapshot()
    seen = preview(second)
    assert db_snapshot() == before
    assert seen.new == ["公共施設予約システム"]
    assert [n for n, _items in seen.changed] == ["住民記録システム", "財務会計システム"]
    absent = [n for n in seen.notes if "このファイルにないもの" in n]
    assert len(absent) == 1 and "2 件（施設予約システム、旧グループウェア）" in absent[0], seen.notes
    assert "削除・廃止はしません" in absent[0]
    out = cli(second, "--dry-run")
    assert "注: 台帳に登録済みの稼働中のシステムのうち、このファイルにないもの 2 件" in out, out
    assert db_snapshot() == before
    history = InformationSystemChange.objects.filter(system_name="旧グループウェア").count()
    notes: list[str] = []
    assert load(second, notes=notes) == {"created": 1, "updated": 2}
    assert any("このファイルにないもの 2 件" in n for n in notes)
    assert InformationSystem.objects.count() == 5
    assert systems("state")["旧グループウェア"] == "active"
    assert cost_of("旧グループウェア") == {2022: 1_200_000}
    assert cost_of("住民記録システム") == {2022: 8_000_000, 2023: 8_200_000}
    assert cost_of("施設予約システム") == {2022: 600_000} and cost_of("公共施設予約システム") == {2023: 650_000}
    assert InformationSystemChange.objects.filter(system_name="旧グループウェア").count() == history  # untouched


def test_a_retired_system_left_out_of_next_years_register_is_not_named(tmp_path):
    """A system recorded as 廃止 need not be carried on: only systems in service are named as left out."""
    rows = [r[:] for r in YEAR1]
    rows[0] = [*rows[0], "廃止日"]
    for r in rows[1:]:
        r.append(None)
    rows[3][-1] = "R5.3.31"
    load(book(tmp_path / "R4台帳.xlsx", rows))
    assert systems("state")["旧グループウェア"] == "retired"
    seen = preview(book(tmp_path / "R5台帳.xlsx", YEAR2))
    absent = [n for n in seen.notes if "このファイルにないもの" in n]
    assert len(absent) == 1 and "1 件（施設予約システム）" in absent[0], seen.notes


def test_the_confirm_page_names_the_systems_the_new_register_leaves_out(client, tmp_path):
    from tenken.orgs.models import Membership

    from .personas import make_user

    load(book(tmp_path / "R4台帳.xlsx", YEAR1))
    admin = make_user("sato", "佐藤")
    Membership.objects.create(user=admin, organization=organization_for_code(code=CODE), role=Membership.Role.ADMIN)
    client.force_login(admin)
    data = book(tmp_path / "R5台帳.xlsx", YEAR2).read_bytes()
    before = db_snapshot()
    res = client.post(f"/inventory/{CODE}/upload/", {"file": SimpleUploadedFile("R5台帳.xlsx", data)}, follow=True)
    page = res.content.decode()
    assert db_snapshot() == before
    assert "新規 1 件、変更 2 件、変更なし 0 件" in page
    assert "このファイルにないもの 2 件（施設予約システム、旧グループウェア）" in page, page
    page = client.post(res.redirect_chain[-1][0], follow=True).content.decode()
    assert "台帳を取り込みました: 新規 1 件、更新 2 件" in page
    assert InformationSystem.objects.count() == 5
