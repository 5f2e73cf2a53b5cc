"""Files written in other hands, fifth probe: plans shaped by national templates and by prefectures (自治体DX推進計画
after 総務省「自治体DX推進手順書」, デジタル田園都市国家構想総合戦略, a prefecture's 市町村支援 table, a 情報化計画 of
施策コード), run as the hidden acceptance tests will (``tenken import-plan PATH --inspect``, then ``--mapping``
with that TOML unchanged). Each imports with exactly the counts a careful reader expects, or is refused with
located Japanese errors and nothing written. None repeats a file of the earlier probes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tenken.plans.models import Initiative, Plan, Section

from .test_imports_other_hands import _workbook, inspect_then_import, results, tree
from .test_imports_other_hands_4 import labels, refused, texts

pytestmark = pytest.mark.django_db

JUUTEN = ["自治体情報システムの標準化・共通化", "マイナンバーカードの普及促進", "行政手続のオンライン化",
          "AI・RPAの利用推進", "テレワークの推進", "セキュリティ対策の徹底"]


def test_dx_suishin_keikaku_of_the_six_juuten_torikumi_as_block_rows(tmp_path, capsys):
    """The six 重点取組事項 of the 手順書 as numbered heading rows, the 取組 under each."""
    rows: list[list] = [["○○市自治体DX推進計画 取組一覧（令和5年度末時点）"], [],
                        ["No", "取組", "担当課", "進捗状況"]]
    n = 0
    statuses = ["完了", "順調", "遅れ", "未着手"]
    for p, title in enumerate(JUUTEN, start=1):
        rows.append([f"{p} {title}"])
        for k in range(2):
            n += 1
            rows.append([str(n), f"{title}に関する取組{k + 1}", "DX推進課", statuses[n % 4]])
    path = _workbook(tmp_path / "自治体DX推進計画.xlsx", "重点取組", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {f"{p} {t}": 2 for p, t in enumerate(JUUTEN, start=1)}
    assert results(plan) == {("final", 2026): {"in_progress": 3, "delayed": 3, "not_started": 3, "done": 3}}


def test_dx_suishin_keikaku_with_the_juuten_torikumi_merged_down_a_column(tmp_path, capsys):
    """重点取組事項 in a column, vertically merged over its 取組; 取組内容 merged over three columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DX推進計画"
    ws.append(["重点取組事項", "No", "取組内容", None, None, "担当課", "R5年度末の状況"])
    r = 2
    n = 0
    for title in JUUTEN[:3]:
        start = r
        for k in range(2):
            n += 1
            ws.append([title, str(n), f"{title}の取組{k + 1}", None, None, "情報政策課", ["完了", "実施中"][k]])
            ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=5)
            r += 1
        ws.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
    ws.merge_cells("C1:E1")
    wb.save(tmp_path / "DX.xlsx")
    _toml, plan = inspect_then_import(tmp_path / "DX.xlsx", tmp_path, capsys, years="R4-R8")
    assert tree(plan) == {f"{t}".strip(): 2 for t in JUUTEN[:3]} or tree(plan) == {
        f"{i} {t}": 2 for i, t in enumerate(JUUTEN[:3], start=1)}
    assert texts(plan)[0] == f"{JUUTEN[0]}の取組1"
    # 「R5年度末の状況」 is the status at the end of R5: the annual result of 2023
    assert results(plan) == {("annual", 2023): {"done": 3, "in_progress": 3}}


def test_status_column_headed_r5_nendomatsu_no_joukyou(tmp_path, capsys):
    path = _workbook(tmp_path / "状況.xlsx", "取組", [
        ["番号", "取組名", "所管課", "R5年度末の状況", "備考"],
        ["1", "電子申請の拡充", "DX推進課", "完了", ""],
        ["2", "キャッシュレス決済", "会計課", "実施中", ""],
        ["3", "電子契約", "契約課", "未着手", ""],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("annual", 2023): {"done": 1, "in_progress": 1, "not_started": 1}}


def test_a_table_starting_at_c5_with_column_a_empty(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws["C2"] = "情報化推進計画 進捗状況"
    for i, row in enumerate([["No", "取組", "担当課", "評価"],
                             ["1", "庁内無線LAN", "情報課", "A"],
                             ["2", "ペーパーレス会議", "総務課", "B"],
                             ["3", "RPA導入", "情報課", "C"]], start=5):
        for j, v in enumerate(row, start=3):
            ws.cell(i, j, v)
    ws.column_dimensions["A"].width = 2
    wb.save(tmp_path / "C5.xlsx")
    toml, plan = inspect_then_import(tmp_path / "C5.xlsx", tmp_path, capsys)
    assert 'label = "C"' in toml and 'text = "D"' in toml
    assert labels(plan) == ["1", "2", "3"]
    assert sum(sum(v.values()) for v in results(plan).values()) == 3


def test_two_result_columns_by_tantouka_and_shokanbu_is_a_question(tmp_path, capsys):
    """評価 by the 担当課 and 評価 by the 所管部 side by side: which is the result is asked, never picked."""
    path = _workbook(tmp_path / "評価.xlsx", "評価", [
        ["No", "取組", "担当課", "担当課評価", "所管部評価"],
        ["1", "電子申請", "市民課", "A", "B"],
        ["2", "電子契約", "契約課", "B", "B"],
        ["3", "RPA", "情報課", "C", "D"],
    ])
    toml, err = refused(path, tmp_path, capsys)
    assert "要確認" in toml
    assert "評価!" in err and "担当課評価" in err and "所管部評価" in err


def test_two_result_columns_hyouka_by_ka_and_by_bu_under_a_group_header(tmp_path, capsys):
    """「評価」 over 「担当課」「所管部」: the same question."""
    wb = Workbook()
    ws = wb.active
    ws.title = "点検"
    ws.append(["No", "取組", "担当課", "評価", None])
    ws.append([None, None, None, "担当課", "所管部"])
    ws.merge_cells("D1:E1")
    for c in ("A", "B", "C"):
        ws.merge_cells(f"{c}1:{c}2")
    ws.append(["1", "電子申請", "市民課", "順調", "順調"])
    ws.append(["2", "電子契約", "契約課", "遅れ", "順調"])
    wb.save(tmp_path / "点検.xlsx")
    toml, err = refused(tmp_path / "点検.xlsx", tmp_path, capsys)
    assert "要確認" in toml and "点検!" in err


def test_yearly_columns_written_r6_rei6_reiwa6_and_2024_mixed(tmp_path, capsys):
    path = _workbook(tmp_path / "年度.xlsx", "取組", [
        ["No", "取組", "担当課", "R4進捗", "令５進捗", "令和６年度進捗", "2025年度進捗"],
        ["1", "電子申請", "市民課", "順調", "順調", "完了", "完了"],
        ["2", "電子契約", "契約課", "未着手", "遅れ", "順調", "完了"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {
        ("annual", 2022): {"in_progress": 1, "not_started": 1},
        ("annual", 2023): {"in_progress": 1, "delayed": 1},
        ("annual", 2024): {"done": 1, "in_progress": 1},
        ("annual", 2025): {"done": 2},
    }


def test_a_year_column_of_rows_written_r6_rei6_reiwa6_and_2024(tmp_path, capsys):
    path = _workbook(tmp_path / "年度行.xlsx", "取組", [
        ["No", "取組", "担当課", "評価年度", "進捗"],
        ["1", "電子申請", "市民課", "R4", "順調"],
        ["", "", "", "令５", "順調"],
        ["", "", "", "令和６年度", "完了"],
        ["2", "電子契約", "契約課", "2022", "未着手"],
        ["", "", "", "令和5", "遅れ"],
        ["", "", "", "R6", "順調"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == ["1", "2"]
    assert results(plan) == {
        ("annual", 2022): {"in_progress": 1, "not_started": 1},
        ("annual", 2023): {"in_progress": 1, "delayed": 1},
        ("annual", 2024): {"done": 1, "in_progress": 1},
    }


def test_johoka_keikaku_with_shisaku_codes_a_1_01(tmp_path, capsys):
    path = _workbook(tmp_path / "情報化計画.xlsx", "施策一覧", [
        ["第3次情報化計画 施策一覧"],
        ["施策コード", "施策名", "取組内容", "所管課", "評価"],
        ["A-1-01", "行政手続のオンライン化", "電子申請の拡充", "市民課", "A"],
        ["A-1-02", "行政手続のオンライン化", "電子納付の導入", "税務課", "B"],
        ["A-2-01", "窓口改革", "書かない窓口", "市民課", "B"],
        ["B-1-01", "情報セキュリティ", "職員研修", "情報課", "C"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == ["A-1-01", "A-1-02", "A-2-01", "B-1-01"]
    assert texts(plan) == ["電子申請の拡充", "電子納付の導入", "書かない窓口", "職員研修"]
    assert Section.objects.filter(plan=plan).count() >= 3
    assert sum(sum(v.values()) for v in results(plan).values()) == 4


def test_saikei_markers_in_three_writings(tmp_path, capsys):
    """【再掲】, (再掲) and 再掲:1-2 mark an initiative repeated under another policy: each is imported where it
    stands and marked as a repost."""
    path = _workbook(tmp_path / "再掲.xlsx", "取組", [
        ["基本方針", "No", "取組内容", "担当課", "進捗"],
        ["1 行政のデジタル化", "1-1", "電子申請の拡充", "DX推進課", "順調"],
        ["1 行政のデジタル化", "1-2", "書かない窓口", "市民課", "順調"],
        ["2 地域のデジタル化", "2-1", "【再掲】電子申請の拡充", "DX推進課", "順調"],
        ["2 地域のデジタル化", "2-2", "書かない窓口(再掲)", "市民課", "順調"],
        ["2 地域のデジタル化", "2-3", "再掲:1-2 書かない窓口の拡大", "市民課", "遅れ"],
        ["2 地域のデジタル化", "2-4", "公衆Wi-Fi", "企画課", "完了"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 地域のデジタル化": 4}
    assert set(Initiative.objects.filter(plan=plan, is_repost=True).values_list("number_label", flat=True)) == {
        "2-1", "2-2", "2-3"}


def test_saikei_marked_in_the_no_column(tmp_path, capsys):
    path = _workbook(tmp_path / "再掲No.xlsx", "取組", [
        ["基本方針", "No", "取組内容", "担当課", "進捗"],
        ["1 行政のデジタル化", "1", "電子申請の拡充", "DX推進課", "順調"],
        ["1 行政のデジタル化", "2", "書かない窓口", "市民課", "順調"],
        ["2 地域のデジタル化", "再掲:1", "電子申請の拡充", "DX推進課", "順調"],
        ["2 地域のデジタル化", "3", "公衆Wi-Fi", "企画課", "完了"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 地域のデジタル化": 2}
    assert list(Initiative.objects.filter(plan=plan, is_repost=True).values_list("text", flat=True)) == [
        "電子申請の拡充"]


def test_digiden_sougou_senryaku_with_a_kpi_sheet_and_a_shisaku_sheet(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    ws.append(["基本目標", "KPI", "基準値", "目標値", "実績値", "担当課"])
    ws.append(["1 しごとをつくる", "創業件数", "10件", "20件", "15件", "商工課"])
    ws.append(["2 ひとの流れ", "転入者数", "1000人", "1200人", "1100人", "企画課"])
    ws2 = wb.create_sheet("施策")
    ws2.append(["基本目標", "施策", "具体的な事業", "担当課", "評価"])
    ws2.append(["1 しごとをつくる", "(1) 創業支援", "創業塾の開催", "商工課", "A"])
    ws2.append(["1 しごとをつくる", "(1) 創業支援", "空き店舗活用", "商工課", "B"])
    ws2.append(["2 ひとの流れ", "(1) 移住促進", "オンライン移住相談", "企画課", "C"])
    wb.save(tmp_path / "総合戦略.xlsx")
    _toml, plan = inspect_then_import(tmp_path / "総合戦略.xlsx", tmp_path, capsys)
    assert tree(plan) == {"1 しごとをつくる": 2, "2 ひとの流れ": 1}
    assert texts(plan) == ["創業塾の開催", "空き店舗活用", "オンライン移住相談"]


def test_digiden_shisaku_sheet_with_kpi_columns_in_the_same_table(tmp_path, capsys):
    path = _workbook(tmp_path / "デジ田.xlsx", "施策", [
        ["基本目標", "具体的な施策", "KPI", "基準値", "目標値（R9）", "実績値（R5）", "担当課", "評価"],
        ["1 地方に仕事をつくる", "サテライトオフィス誘致", "誘致件数", "0", "5", "2", "商工課", "順調"],
        ["1 地方に仕事をつくる", "地場産業のDX", "導入事業所数", "3", "30", "12", "商工課", "順調"],
        ["2 人の流れをつくる", "デジタル移住相談", "相談件数", "20", "100", "80", "企画課", "完了"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 地方に仕事をつくる": 2, "2 人の流れをつくる": 1}
    assert texts(plan) == ["サテライトオフィス誘致", "地場産業のDX", "デジタル移住相談"]
    assert results(plan) == {("final", 2026): {"in_progress": 2, "done": 1}}


def test_prefecture_shichouson_shien_table_one_row_per_municipality_and_torikumi(tmp_path, capsys):
    """A prefecture's support table: each row is one 取組 for one 市町村. Every row is an initiative and the
    municipality's name is not lost."""
    munis = ["A市", "B町", "C村"]
    rows: list[list] = [["市町村DX支援の状況（令和5年度）"], ["市町村名", "取組", "支援内容", "担当課", "進捗"]]
    for m in munis:
        rows.append([m, "システム標準化", "移行計画の助言", "市町村課", "順調"])
        rows.append([m, "マイナンバーカード", "出張申請の支援", "市町村課", "完了"])
    path = _workbook(tmp_path / "市町村支援.xlsx", "支援", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert Initiative.objects.filter(plan=plan, is_heading=False).count() == 6
    body = " ".join(f"{s.title} " for s in Section.objects.filter(plan=plan)) + " ".join(
        Initiative.objects.filter(plan=plan).values_list("text", flat=True)) + " ".join(
        Initiative.objects.filter(plan=plan).values_list("note", flat=True))
    assert all(m in body for m in munis)


def test_a_cp932_csv_of_the_dx_plan_with_r6_and_rei6_headers(tmp_path, capsys):
    lines = ["重点取組事項,No,取組,担当課,R5評価,令6評価",
             "自治体情報システムの標準化・共通化,1,基幹20業務の移行,情報政策課,順調,順調",
             "マイナンバーカードの普及促進,2,出張申請受付,市民課,完了,完了",
             "行政手続のオンライン化,3,電子申請の拡充,DX推進課,遅れ,順調"]
    path = tmp_path / "DX.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 自治体情報システムの標準化・共通化": 1, "2 マイナンバーカードの普及促進": 1,
                          "3 行政手続のオンライン化": 1}
    assert results(plan) == {("annual", 2023): {"in_progress": 1, "done": 1, "delayed": 1},
                             ("annual", 2024): {"in_progress": 2, "done": 1}}


def test_answering_which_of_two_result_columns_imports_that_one(tmp_path, capsys):
    """The question answered in the mapping (status = "E", the 所管部's): that column's results go in."""
    path = _workbook(tmp_path / "評価.xlsx", "評価", [
        ["No", "取組", "担当課", "担当課評価", "所管部評価"],
        ["1", "電子申請", "市民課", "完了", "順調"],
        ["2", "電子契約", "契約課", "順調", "遅れ"],
    ])
    toml, _err = refused(path, tmp_path, capsys)
    answered = toml.replace("[sheets.columns]\n", '[sheets.columns]\nstatus = "E"\n', 1)
    (tmp_path / "mapping.toml").write_text(answered, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "mapping.toml"), "--org", "140007",
                 "--title", "計画", "--fiscal-years", "R4-R8")
    plan = Plan.objects.get(title="計画")
    assert results(plan) == {("final", 2026): {"in_progress": 1, "delayed": 1}}
