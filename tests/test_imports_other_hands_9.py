"""Files written in other hands, ninth probe: plan genres not probed before (行政改革大綱 実施計画の進捗,
情報化推進計画 アクションプラン, 自治体DX 全体方針, 業務改革（BPR）計画, RPA 導入計画, 総合戦略 KPI進捗, printed forms of
two rows per 取組, 前年度評価 | 今年度評価, ○ only for the completed, 再掲 rows, one sheet per year with the last
one half filled, a vendor's English CSV, 施策 both merged down a column and as a block heading), run as the
hidden acceptance tests will (``tenken import-plan PATH --inspect``, then ``--mapping`` with that TOML
unchanged). Each imports with exactly the counts a careful reader expects, or is refused with located
Japanese errors and nothing written."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from tenken.plans.models import Initiative, Plan, Section
from tenken.reviews.models import InitiativeReview

from .test_imports_other_hands import (
    _workbook,
    csv_bytes,
    departments,
    inspect_then_import,
    labels,
    refused,
    results,
    texts,
    tree,
)

pytestmark = pytest.mark.django_db


def _csv(path, rows: list[list[object]], encoding: str = "utf-8-sig"):
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def outcomes(plan: Plan) -> dict[tuple[str, int], list[str]]:
    out: dict[tuple[str, int], list[str]] = {}
    for r in (InitiativeReview.objects.filter(inspection__plan=plan).exclude(outcome="")
              .select_related("inspection", "initiative").order_by("initiative__order")):
        out.setdefault((r.inspection.kind, r.fiscal_year), []).append(r.outcome)
    return out


# --------------------------------------------------------------------------------------------------------------
# 1. 行政改革大綱 実施計画の進捗: 年次計画 over R4 R5 R6, each of 計画 | 実績, then 評価 and 課題


def _gyoukaku(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "実施計画"
    ws.append(["第6次行政改革大綱 実施計画 進捗状況（令和6年度末）"])
    ws.append(["No", "取組項目", "取組内容", "担当課", "年次計画", None, None, None, None, None, "評価", "課題"])
    ws.append([None, None, None, None, "R4", None, "R5", None, "R6", None, None, None])
    ws.append([None, None, None, None, "計画", "実績", "計画", "実績", "計画", "実績", None, None])
    for c1, c2 in (("A2", "A4"), ("B2", "B4"), ("C2", "C4"), ("D2", "D4"), ("K2", "K4"), ("L2", "L4")):
        ws.merge_cells(f"{c1}:{c2}")
    ws.merge_cells("E2:J2")
    ws.merge_cells("E3:F3")
    ws.merge_cells("G3:H3")
    ws.merge_cells("I3:J3")
    rows = [
        ("1", "1 事務事業の見直し", "補助金の見直し", "財政課", "検討", "基準案を作成", "実施", "3件廃止", "実施",
         "2件縮小", "A", ""),
        ("2", "1 事務事業の見直し", "使用料・手数料の見直し", "財政課", "検討", "調査を実施", "検討", "算定方法を整理",
         "実施", "改定は次年度", "C", "改定時期の調整"),
        ("3", "2 組織・人材", "定員管理の適正化", "人事課", "実施", "計画どおり", "実施", "計画どおり", "実施",
         "計画どおり", "B", ""),
        ("4", "2 組織・人材", "職員研修の充実", "人事課", "実施", "DX研修 3回", "実施", "DX研修 5回", "実施",
         "DX研修 6回", "A", ""),
        ("5", "3 行政のデジタル化", "電子申請の拡充", "DX推進課", "実施", "30手続", "実施", "80手続", "実施",
         "120手続", "A", "利用率の向上"),
    ]
    for r in rows:
        ws.append(list(r))
    ws.append([])
    ws.append(["評価　A：計画どおり完了　B：概ね順調　C：遅れている　D：未着手"])
    wb.save(path)
    return path


def test_gyoukaku_taikou_jisshi_keikaku_with_plan_and_actual_per_year_then_an_assessment(tmp_path, capsys):
    """The 計画 under each year is what was planned (not imported), the 実績 is that year's actuals, 評価 is
    the plan's result (final, by the legend under the table), 課題 the issues."""
    path = _gyoukaku(tmp_path / "行革実施計画.xlsx")
    _toml, plan = inspect_then_import(path, tmp_path, capsys, years="R4-R8")
    assert tree(plan) == {"1 事務事業の見直し": 2, "2 組織・人材": 2, "3 行政のデジタル化": 1}
    assert results(plan) == {("final", 2026): {"done": 3, "in_progress": 1, "delayed": 1}}
    # each year's 実績 has no result of its own that year: it is kept, headed by its year, in the final
    # review's 実績・成果 (it was dropped without a word); the 計画 (「検討」「実施」) is not imported
    outs = outcomes(plan)
    assert list(outs) == [("final", 2026)]
    assert outs[("final", 2026)][4] == "令和4年度: 30手続\n令和5年度: 80手続\n令和6年度: 120手続"
    assert not any("検討" in o for o in outs[("final", 2026)])
    assert InitiativeReview.objects.get(initiative__plan=plan, initiative__number_label="2").issues == "改定時期の調整"


# --------------------------------------------------------------------------------------------------------------
# 2. 情報化推進計画 アクションプラン: 目標（数値目標） | 成果指標 | 達成状況


def test_johoka_action_plan_with_numeric_targets_an_indicator_and_a_tassei_joukyou(tmp_path, capsys):
    path = _workbook(tmp_path / "アクションプラン.xlsx", "アクションプラン", [
        ["○○市情報化推進計画 アクションプラン 進捗状況"],
        ["No", "施策", "取組", "目標（数値目標）", "成果指標", "達成状況", "担当課"],
        ["1", "行政手続のオンライン化", "電子申請の拡充", "100手続", "オンライン化した手続数", "達成", "DX推進課"],
        ["2", "行政手続のオンライン化", "電子納付の導入", "5税目", "電子納付できる税目数", "概ね達成", "税務課"],
        ["3", "情報セキュリティ", "標的型攻撃訓練", "全職員", "訓練の受講率", "未達成", "情報政策課"],
        ["4", "情報セキュリティ", "情報資産台帳の整備", "全課", "台帳を整備した課の割合", "達成", "情報政策課"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政手続のオンライン化": 2, "2 情報セキュリティ": 2}
    assert results(plan) == {("final", 2026): {"done": 2, "in_progress": 1, "delayed": 1}}
    assert texts(plan) == ["電子申請の拡充", "電子納付の導入", "標的型攻撃訓練", "情報資産台帳の整備"]
    # the target and the indicator are the indicators' business: neither the outcome nor the note
    ini = Initiative.objects.get(plan=plan, number_label="1")
    assert "100手続" not in ini.note and "オンライン化した手続数" not in ini.note
    assert not outcomes(plan)


# --------------------------------------------------------------------------------------------------------------
# 3. 自治体DX 全体方針: 取組の柱 | 具体的取組 | 実施時期 (R5～R7) | 所管課 | 進捗


def test_dx_zentai_houshin_with_torikumi_no_hashira_and_a_period_column(tmp_path, capsys):
    path = _workbook(tmp_path / "DX全体方針.xlsx", "取組", [
        ["○○町 自治体DX推進 全体方針 取組一覧"],
        ["取組の柱", "具体的取組", "実施時期", "所管課", "進捗"],
        ["1 行政サービスのデジタル化", "マイナンバーカードの普及", "R5～R7", "住民課", "順調"],
        ["1 行政サービスのデジタル化", "オンライン申請の拡充", "R5～R6", "総務課", "完了"],
        ["2 業務のデジタル化", "自治体情報システムの標準化", "R5～R7", "総務課", "遅れ"],
        ["2 業務のデジタル化", "テレワークの推進", "R6～", "総務課", "未着手"],
        ["3 デジタル人材", "職員研修", "R5～R7", "総務課", "順調"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys, years="R5-R7")
    assert 'policy = "A"' in toml and 'text = "B"' in toml
    assert tree(plan) == {"1 行政サービスのデジタル化": 2, "2 業務のデジタル化": 2, "3 デジタル人材": 1}
    assert results(plan) == {("final", 2025): {"in_progress": 2, "done": 1, "delayed": 1, "not_started": 1}}
    assert not InitiativeReview.objects.filter(inspection__plan=plan, inspection__kind="annual").exists()


# --------------------------------------------------------------------------------------------------------------
# 4. 業務改革（BPR）計画: 対象業務 | 所管課 | 改善内容 | 効果（時間削減） | 状況


def test_bpr_plan_of_target_work_improvement_and_hours_saved(tmp_path, capsys):
    path = _workbook(tmp_path / "BPR計画.xlsx", "BPR", [
        ["業務改革（BPR）推進計画 取組状況"],
        ["No", "対象業務", "所管課", "改善内容", "効果（時間削減）", "状況"],
        ["1", "住民異動届の受付", "市民課", "書かない窓口の導入", 1200, "実施済"],
        ["2", "会議録の作成", "総務課", "AI議事録の導入", 800, "実施中"],
        ["3", "児童手当の審査", "子育て支援課", "RPAによる入力の自動化", 300, "実施中"],
        ["4", "庁内照会", "行政改革課", "照会様式の統一", 150, "未実施"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    ini = Initiative.objects.get(plan=plan, number_label="1")
    assert (ini.name, ini.text) == ("住民異動届の受付", "書かない窓口の導入")
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "not_started": 1}}
    assert departments(plan)["3"] == ["子育て支援課"]
    assert not outcomes(plan)  # hours saved are numbers: an indicator, not a sentence of actuals


# --------------------------------------------------------------------------------------------------------------
# 5. スマート自治体 RPA 導入計画: 業務名 | 導入年度 | 削減時間 | 状況 — a list of automations is a plan of
# initiatives (each 業務 to automate); 導入年度 is when it is planned, not the year of each row's result.


def test_rpa_dounyuu_keikaku_one_row_per_business_with_its_year_of_introduction(tmp_path, capsys):
    path = _workbook(tmp_path / "RPA導入計画.xlsx", "RPA導入計画", [
        ["スマート自治体推進 RPA導入計画"],
        ["No", "業務名", "導入年度", "削減時間（時間/年）", "状況"],
        ["1", "ふるさと納税の受付入力", "R4", 500, "導入済"],
        ["2", "給与支払報告書の入力", "R5", 800, "導入済"],
        ["3", "会計伝票の照合", "R5", 200, "実施中"],
        ["4", "保育所入所の点数計算", "R6", 300, "未着手"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert texts(plan) == ["ふるさと納税の受付入力", "給与支払報告書の入力", "会計伝票の照合", "保育所入所の点数計算"]
    assert results(plan) == {("final", 2026): {"done": 2, "in_progress": 1, "not_started": 1}}
    assert 'fiscal_year = "C"' not in toml


def test_rpa_list_with_kadouchuu_is_asked_not_guessed(tmp_path, capsys):
    """「稼働中」 of an RPA list is done (introduced) to its owner but 実施中 to a reader of progress words: the
    category is asked at the cell."""
    path = _workbook(tmp_path / "RPA.xlsx", "RPA", [
        ["No", "業務名", "担当課", "状況"],
        ["1", "ふるさと納税の受付入力", "企画課", "稼働中"],
        ["2", "会計伝票の照合", "会計課", "完了"],
    ])
    _toml, err = refused(path, tmp_path, capsys)
    assert "RPA!D2" in err and "稼働中" in err


# --------------------------------------------------------------------------------------------------------------
# 6. 市町村 総合戦略 KPI進捗: each 施策 has one KPI row and several 取組 rows


def test_sougou_senryaku_kpi_rows_among_the_torikumi_rows(tmp_path, capsys):
    """「区分」 says KPI or 取組. The KPI row (target and actual filled) is the measure's indicator, not an
    initiative: a careful reader counts the 取組 rows only."""
    path = _workbook(tmp_path / "総合戦略.xlsx", "KPI進捗", [
        ["第2期 まち・ひと・しごと創生総合戦略 進捗状況"],
        ["基本目標", "施策", "区分", "内容", "目標値", "実績値", "担当課", "進捗"],
        ["1 しごとをつくる", "(1) 創業支援", "KPI", "創業件数", 50, 42, "商工課", ""],
        ["1 しごとをつくる", "(1) 創業支援", "取組", "創業セミナーの開催", None, None, "商工課", "順調"],
        ["1 しごとをつくる", "(1) 創業支援", "取組", "空き店舗の活用支援", None, None, "商工課", "遅れ"],
        ["2 ひとの流れ", "(1) 移住促進", "KPI", "移住者数", 200, 230, "企画課", ""],
        ["2 ひとの流れ", "(1) 移住促進", "取組", "移住相談窓口", None, None, "企画課", "完了"],
        ["2 ひとの流れ", "(1) 移住促進", "取組", "お試し住宅", None, None, "企画課", "順調"],
        ["2 ひとの流れ", "(1) 移住促進", "取組", "移住支援金", None, None, "企画課", "順調"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys, years="R2-R6")
    assert tree(plan) == {"1 しごとをつくる": 2, "2 ひとの流れ": 3}
    assert "創業件数" not in texts(plan)


def test_sougou_senryaku_kpi_rows_are_no_headings(tmp_path, capsys):
    path = _workbook(tmp_path / "総合戦略.xlsx", "KPI進捗", [
        ["基本目標", "施策", "区分", "内容", "目標値", "実績値", "担当課", "進捗"],
        ["1 しごとをつくる", "(1) 創業支援", "KPI", "創業件数", 50, 42, "商工課", ""],
        ["1 しごとをつくる", "(1) 創業支援", "取組", "創業セミナーの開催", None, None, "商工課", "順調"],
        ["1 しごとをつくる", "(1) 創業支援", "取組", "空き店舗の活用支援", None, None, "商工課", "遅れ"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys, years="R2-R6")
    assert not Initiative.objects.filter(plan=plan, text="創業件数").exists()
    assert texts(plan) == ["創業セミナーの開催", "空き店舗の活用支援"]
    assert not Initiative.objects.filter(plan=plan, is_heading=True).exists()


# --------------------------------------------------------------------------------------------------------------
# 7. printed forms: each 取組 over two rows (取組名 above, 取組内容 below; No, 担当課, 進捗 merged down)


def test_a_printed_form_of_two_rows_per_initiative_name_above_content(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.title = "様式1"
    ws.append(["No", "取組名", "担当課", "進捗"])
    ws.append([None, "取組内容", None, None])
    for col in "ACD":
        ws.merge_cells(f"{col}1:{col}2")
    data = [
        ("1", "電子申請の拡充", "子育て・介護の手続をオンライン化する", "DX推進課", "完了"),
        ("2", "書かない窓口", "申請書の作成を職員が支援する", "市民課", "順調"),
        ("3", "テレワーク", "在宅勤務の環境を整える", "人事課", "遅れ"),
    ]
    for i, (no, name, content, dept, st) in enumerate(data):
        r = 3 + 2 * i
        ws.cell(r, 1, no)
        ws.cell(r, 2, name)
        ws.cell(r + 1, 2, content)
        ws.cell(r, 3, dept)
        ws.cell(r, 4, st)
        for col in "ACD":
            ws.merge_cells(f"{col}{r}:{col}{r + 1}")
    path = tmp_path / "様式.xlsx"
    wb.save(path)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == ["1", "2", "3"]
    ini = Initiative.objects.get(plan=plan, number_label="2")
    assert (ini.name, ini.text) == ("書かない窓口", "申請書の作成を職員が支援する")
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1}}


def test_a_form_with_the_content_on_the_row_below_and_nothing_merged(tmp_path, capsys):
    """The same form keyed without merging: the second row holds only the content, under the name."""
    path = _workbook(tmp_path / "様式2.xlsx", "様式", [
        ["No", "取組名", "担当課", "進捗"],
        [None, "取組内容", None, None],
        ["1", "電子申請の拡充", "DX推進課", "完了"],
        [None, "子育て・介護の手続をオンライン化する", None, None],
        ["2", "書かない窓口", "市民課", "順調"],
        [None, "申請書の作成を職員が支援する", None, None],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == ["1", "2"]
    ini = Initiative.objects.get(plan=plan, number_label="1")
    assert (ini.name, ini.text) == ("電子申請の拡充", "子育て・介護の手続をオンライン化する")


# --------------------------------------------------------------------------------------------------------------
# 8. 前年度評価 | 今年度評価 side by side


def test_zennendo_and_konnendo_hyouka_without_a_year_is_a_question(tmp_path, capsys):
    path = _workbook(tmp_path / "評価.xlsx", "評価", [
        ["No", "取組内容", "担当課", "前年度評価", "今年度評価"],
        ["1", "電子申請の拡充", "DX推進課", "B", "A"],
        ["2", "書かない窓口", "市民課", "C", "B"],
        ["3", "テレワーク", "人事課", "C", "C"],
    ])
    toml, err = refused(path, tmp_path, capsys)
    assert "要確認" in toml and "前年度評価" in toml and "今年度評価" in toml
    assert "評価!1行目: 実施結果の列が二つ以上あります" in err


def test_zennendo_and_konnendo_hyouka_under_a_title_of_the_year_are_read_by_it(tmp_path, capsys):
    """The title says 令和6年度: 今年度評価 is 2024's result, 前年度評価 2023's."""
    path = _workbook(tmp_path / "評価R6.xlsx", "評価", [
        ["令和6年度 DX推進計画 進捗状況調書"],
        ["No", "取組内容", "担当課", "前年度評価", "今年度評価"],
        ["1", "電子申請の拡充", "DX推進課", "B", "A"],
        ["2", "書かない窓口", "市民課", "C", "B"],
        ["3", "テレワーク", "人事課", "C", "C"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("annual", 2023): {"in_progress": 1, "delayed": 2},
                             ("annual", 2024): {"done": 1, "in_progress": 1, "delayed": 1}}


# --------------------------------------------------------------------------------------------------------------
# 9. the result column holds ○ only for the completed rows


def test_circles_only_for_completed_rows_and_blanks_are_asked(tmp_path, capsys):
    """「完了」 ○ or blank: a blank is not 未着手 without a word from the owner; each blank is a located
    question, and ○ is not read as 順調."""
    path = _workbook(tmp_path / "完了.xlsx", "取組", [
        ["No", "取組内容", "担当課", "実施結果"],
        ["1", "電子申請の拡充", "DX推進課", "○"],
        ["2", "書かない窓口", "市民課", None],
        ["3", "テレワーク", "人事課", "○"],
        ["4", "RPA", "行政改革課", None],
    ])
    toml, err = refused(path, tmp_path, capsys)
    assert "取組!D3: 実施結果が空欄です" in err and "取組!D5: 実施結果が空欄です" in err
    assert "順調" not in toml.split("[[scale]]", 1)[1] if "[[scale]]" in toml else True


def test_a_kanryou_column_of_circles_is_not_silently_a_flag(tmp_path, capsys):
    """A column headed 「完了」 with ○ and blanks, and no other result column: not a priority flag kept in the
    note while every initiative goes in without a result."""
    path = _workbook(tmp_path / "完了印.xlsx", "取組", [
        ["No", "取組内容", "担当課", "完了"],
        ["1", "電子申請の拡充", "DX推進課", "○"],
        ["2", "書かない窓口", "市民課", None],
        ["3", "テレワーク", "人事課", "○"],
    ])
    _toml, err = refused(path, tmp_path, capsys)
    assert "取組!1行目: 実施結果の列（status または年度の列）が対応表にありません" in err


# --------------------------------------------------------------------------------------------------------------
# 10. 再掲 rows pointing at others


def test_saikei_rows_pointing_at_their_original_by_number(tmp_path, capsys):
    path = _workbook(tmp_path / "再掲.xlsx", "取組", [
        ["基本方針", "No", "取組内容", "担当課", "進捗"],
        ["1 行政のデジタル化", "1", "電子申請の拡充", "DX推進課", "順調"],
        ["1 行政のデジタル化", "2", "書かない窓口", "市民課", "完了"],
        ["2 地域のデジタル化", "3", "電子申請の拡充（再掲 No.1）", "DX推進課", "順調"],
        ["2 地域のデジタル化", "4", "地域ポイント", "商工課", "遅れ"],
        ["3 人材", "5", "書かない窓口【再掲：No.2】", "市民課", "完了"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 地域のデジタル化": 2, "3 人材": 1}
    assert set(Initiative.objects.filter(plan=plan, is_repost=True).values_list("number_label", flat=True)) == {
        "3", "5"}


def test_saikei_rows_left_without_a_result_are_asked(tmp_path, capsys):
    """A 再掲 row whose result is left to its original (blank): the importer does not copy the original's
    result by guess; the blank is a located question (answer it, or put the row in skip_rows)."""
    path = _workbook(tmp_path / "再掲空欄.xlsx", "取組", [
        ["基本方針", "No", "取組内容", "担当課", "進捗"],
        ["1 行政のデジタル化", "1", "電子申請の拡充", "DX推進課", "順調"],
        ["2 地域のデジタル化", "2", "【再掲】電子申請の拡充", None, None],
    ])
    _toml, err = refused(path, tmp_path, capsys)
    assert "取組!E3: 実施結果が空欄です" in err


# --------------------------------------------------------------------------------------------------------------
# 11. one sheet per year R4 / R5 / R6, R6 half filled


def _per_year(path, r6_blank: bool):
    wb = Workbook()
    data = [("1", "電子申請の拡充", "DX推進課"), ("2", "書かない窓口", "市民課"), ("3", "テレワーク", "人事課")]
    st = {"R4": ["着手", "未着手", "着手"], "R5": ["順調", "着手", "遅れ"], "R6": ["完了", None, None]}
    if not r6_blank:
        st["R6"] = ["完了", "順調", "遅れ"]
    first = True
    for name, vals in st.items():
        ws = wb.active if first else wb.create_sheet(name)
        ws.title = name
        first = False
        ws.append(["No", "取組内容", "担当課", "進捗状況"])
        for (no, text, dept), v in zip(data, vals, strict=True):
            ws.append([no, text, dept, v])
    wb.save(path)
    return path


def test_one_sheet_per_year_r4_r5_r6(tmp_path, capsys):
    path = _per_year(tmp_path / "年度別.xlsx", r6_blank=False)
    _toml, plan = inspect_then_import(path, tmp_path, capsys, years="R4-R8")
    assert labels(plan) == ["1", "2", "3"]
    assert results(plan) == {("annual", 2022): {"in_progress": 2, "not_started": 1},
                             ("annual", 2023): {"in_progress": 2, "delayed": 1},
                             ("annual", 2024): {"done": 1, "in_progress": 1, "delayed": 1}}


def test_one_sheet_per_year_with_the_last_year_half_filled_asks_at_the_blanks(tmp_path, capsys):
    path = _per_year(tmp_path / "年度別途中.xlsx", r6_blank=True)
    _toml, err = refused(path, tmp_path, capsys)
    assert "R6!D3: 実施結果が空欄です" in err and "R6!D4: 実施結果が空欄です" in err
    assert "R5!" not in err


# --------------------------------------------------------------------------------------------------------------
# 12. a 文書管理 system's CSV with an English header


def test_a_vendor_csv_with_an_english_header(tmp_path, capsys):
    """No, Title, Dept, Status: a vendor's export keeps its English names; they are read as 取組No, 取組内容,
    担当所属, 実施結果 (docs/importing.md)."""
    path = _csv(tmp_path / "export.csv", [
        ["No", "Title", "Dept", "Status"],
        ["1", "電子申請の拡充", "DX推進課", "完了"],
        ["2", "書かない窓口", "市民課", "対応中"],
        ["3", "テレワーク", "人事課", "未着手"],
        ["4", "文書の電子化", "総務課", "完了"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'text = "B"' in toml and 'departments = "C"' in toml and 'status = "D"' in toml
    assert texts(plan) == ["電子申請の拡充", "書かない窓口", "テレワーク", "文書の電子化"]
    assert results(plan) == {("final", 2026): {"done": 2, "in_progress": 1, "not_started": 1}}
    assert departments(plan)["2"] == ["市民課"]


def test_a_vendor_csv_with_english_category_department_and_remarks(tmp_path, capsys):
    path = _csv(tmp_path / "export2.csv", [
        ["ID", "Category", "Title", "Department", "Status", "Remarks"],
        ["1", "行政のデジタル化", "電子申請の拡充", "DX推進課", "完了", ""],
        ["2", "行政のデジタル化", "書かない窓口", "市民課", "順調", "R7に全窓口"],
        ["3", "地域のデジタル化", "公衆Wi-Fi", "企画課", "遅れ", ""],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 地域のデジタル化": 1}
    assert "R7に全窓口" in Initiative.objects.get(plan=plan, number_label="2").note


# --------------------------------------------------------------------------------------------------------------
# 13. 施策 merged down the first column AND repeated as a block heading above its rows


def test_a_measure_merged_down_the_first_column_and_also_a_block_heading_is_one_level(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["施策", "No", "取組内容", "担当課", "進捗"])
    ws.append(["1 行政のデジタル化"])
    ws.merge_cells("A2:E2")
    ws.append(["1 行政のデジタル化", "1", "電子申請の拡充", "DX推進課", "完了"])
    ws.append([None, "2", "書かない窓口", "市民課", "順調"])
    ws.merge_cells("A3:A4")
    ws.append(["2 地域のデジタル化"])
    ws.merge_cells("A5:E5")
    ws.append(["2 地域のデジタル化", "3", "公衆Wi-Fi", "企画課", "遅れ"])
    ws.append([None, "4", "地域ポイント", "商工課", "順調"])
    ws.append([None, "5", "オープンデータ", "企画課", "完了"])
    ws.merge_cells("A6:A8")
    path = tmp_path / "施策二重.xlsx"
    wb.save(path)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 地域のデジタル化": 3}
    assert Section.objects.filter(plan=plan).count() == 2  # not a 施策 under a 方針 of the same name
    assert results(plan) == {("final", 2026): {"done": 2, "in_progress": 2, "delayed": 1}}


def test_the_kpi_row_is_listed_as_skipped_and_a_kind_column_of_other_words_changes_nothing(tmp_path, capsys):
    """The KPI row is shown among the rows read past (指標（KPI）の行); a 区分 column of 新規 / 継続 is no row kind,
    and a KPI row that has a result is an initiative like any other."""
    from tenken.imports.inspect import inspect_file

    path = _workbook(tmp_path / "総合戦略.xlsx", "KPI進捗", [
        ["基本目標", "施策", "区分", "内容", "目標値", "実績値", "担当課", "進捗"],
        ["1 しごとをつくる", "(1) 創業支援", "KPI", "創業件数", 50, 42, "商工課", ""],
        ["1 しごとをつくる", "(1) 創業支援", "取組", "創業セミナーの開催", None, None, "商工課", "順調"],
    ])
    kinds = [r.kind for r in inspect_file(path).sheets[0].rows]
    assert "indicator" in kinds
    other = _workbook(tmp_path / "計画.xlsx", "取組", [
        ["施策", "区分", "内容", "担当課", "進捗"],
        ["(1) 創業支援", "新規", "創業セミナーの開催", "商工課", "順調"],
        ["(1) 創業支援", "継続", "空き店舗の活用支援", "商工課", "遅れ"],
    ])
    _toml, plan = inspect_then_import(other, tmp_path, capsys)
    assert texts(plan) == ["創業セミナーの開催", "空き店舗の活用支援"]


def test_a_kpi_row_with_a_result_is_an_initiative(tmp_path, capsys):
    with_result = _workbook(tmp_path / "総合戦略2.xlsx", "KPI進捗", [
        ["施策", "区分", "内容", "担当課", "進捗"],
        ["(1) 創業支援", "KPI", "創業件数の増加", "商工課", "遅れ"],
        ["(1) 創業支援", "取組", "創業セミナーの開催", "商工課", "順調"],
    ])
    _toml, plan = inspect_then_import(with_result, tmp_path, capsys)
    assert texts(plan) == ["創業件数の増加", "創業セミナーの開催"]
