"""Rows, sheets and structure of plan files in other hands (third probe), written differently from
tests/test_imports_other_hands_3.py so that the rules are shown to be general: outline numbers with Roman and
bracketed parts, bracketed headings over stacked tables, 表紙・目次 sheets and tables without results, a form's
empty numbered rows, rows of filling instructions, and columns of marks."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tenken.imports.inspect import inspect_file
from tenken.imports.outline import outline_headings, parts
from tenken.plans.draft import split_chapter, split_outline_code
from tenken.plans.models import Initiative, Section

from .conftest import db_snapshot
from .test_imports_other_hands import _workbook, inspect_then_import, results, texts, tree

pytestmark = pytest.mark.django_db


# --- outline numbers -------------------------------------------------------------------------------------------

def test_outline_parts_of_every_numbering_style():
    assert parts("Ⅳ-2-(3)") == ("IV", "2", "(3)")
    assert parts("1-(2)-③") == ("1", "(2)", "3")
    assert parts("Ⅱ．1") == ("II", "1")
    assert parts("１－（１）") == ("1", "(1)")
    assert parts("Ⅰ-1(2)") == ("I", "1", "(2)")
    for not_a_number in ("IT", "A-1", "1 行政", "2024-01-02", "", "○"):
        assert parts(not_a_number) is None, not_a_number
    # a part keeps its kind: 「Ⅰ」 heads 「Ⅰ-1」, not 「1-1」
    assert outline_headings([("Ⅰ", False), ("1-1", True)]) == set()
    assert outline_headings([("Ⅰ", False), ("Ⅰ-1", True)]) == {0}
    assert split_chapter("Ⅲ 人材の育成") == ("Ⅲ", "人材の育成")
    assert split_outline_code("Ⅲ-2 研修") == ("Ⅲ-2", "研修")
    assert split_outline_code("2-(1) 研修") == ("2-(1)", "研修")


def test_an_outline_of_arabic_numbers_bracketed_and_circled(tmp_path, capsys):
    """「1」 基本目標, 「1-(1)」 施策, 「1-(1)-①」 取組 in one 番号 column, the name in 「取組内容」."""
    path = _workbook(
        tmp_path / "実行計画.xlsx",
        "実行計画",
        [
            ["令和5年度 情報化推進実行計画 進捗状況"],
            ["番号", "取組内容", "所管課", "進捗状況"],
            ["1", "便利な行政サービス", None, None],
            ["1-(1)", "オンライン手続", None, None],
            ["1-(1)-①", "電子申請の拡充", "情報政策課", "完了"],
            ["1-(1)-②", "電子納付", "会計課", "遅れ"],
            ["1-(2)", "窓口の改革", None, None],
            ["1-(2)-①", "書かない窓口", "市民課", "順調"],
            ["2", "効率的な行政運営", None, None],
            ["2-(1)", "業務の見直し", None, None],
            ["2-(1)-①", "RPA", "行政改革課", "未着手"],
            ["2-(1)-②", "AI議事録", "総務課", "順調"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'policy_from = "outline"' in toml, toml
    assert tree(plan) == {"1 便利な行政サービス": 3, "2 効率的な行政運営": 2}
    assert sorted((s.code, s.title) for s in Section.objects.filter(plan=plan, depth=1)) == [
        ("1-(1)", "オンライン手続"), ("1-(2)", "窓口の改革"), ("2-(1)", "業務の見直し")]
    assert texts(plan) == ["電子申請の拡充", "電子納付", "書かない窓口", "RPA", "AI議事録"]
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 1, "not_started": 1}}


def test_a_roman_outline_of_two_levels_keeps_the_roman_code(tmp_path, capsys):
    """「Ⅰ」「Ⅱ」 基本方針 over 「Ⅰ-1」… 取組 (no middle level): the policy's code is 「Ⅰ」 as written."""
    path = _workbook(
        tmp_path / "計画.xlsx",
        "取組",
        [
            ["No.", "項目", "担当", "評価"],
            ["Ⅰ", "デジタル窓口", None, None],
            ["Ⅰ-1", "電子申請", "DX推進課", "順調"],
            ["Ⅰ-2", "キャッシュレス", "会計課", "完了"],
            ["Ⅱ", "デジタル人材", None, None],
            ["Ⅱ-1", "職員研修", "人事課", "順調"],
        ],
    )
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"Ⅰ デジタル窓口": 2, "Ⅱ デジタル人材": 1}
    assert not Initiative.objects.filter(plan=plan, number_label__in=["Ⅰ", "Ⅱ"]).exists()


# --- bracketed headings over stacked tables --------------------------------------------------------------------

def test_three_stacked_tables_under_bracketed_headings_in_a_later_column(tmp_path, capsys):
    """A title, then 「［基本方針１］行政のデジタル化」 (in column B), a table; 「〔基本方針２〕…」 and 「【基本方針３】…」 over
    tables with their header repeated. Three policies, numbered from the headings, no header row read."""
    header = ["番号", "取組名", "担当課", "進捗"]
    path = _workbook(
        tmp_path / "進捗.xlsx",
        "進捗",
        [
            ["○○町DX推進計画 進捗管理表"],
            [None, "［基本方針１］行政のデジタル化"],
            header,
            ["1", "電子申請", "総務課", "完了"],
            ["2", "電子契約", "財政課", "順調"],
            [],
            [None, "〔基本方針２〕地域のデジタル化"],
            header,
            ["3", "公衆Wi-Fi", "企画課", "遅れ"],
            [None, "【基本方針３】デジタル人材"],
            header,
            ["4", "職員研修", "総務課", "未着手"],
            ["5", "DXリーダー", "総務課", "順調"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'policy_from = "block"' in toml, toml
    assert sorted(tree(plan).values()) == [1, 2, 2], tree(plan)
    assert set(Section.objects.filter(plan=plan, depth=0).values_list("title", flat=True)) == {
        "基本方針1 行政のデジタル化", "基本方針2 地域のデジタル化", "基本方針3 デジタル人材"}
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 1, "not_started": 1}}


def test_a_bracketed_initiative_name_is_not_a_heading():
    """「【新規】電子契約」 alone in the 取組名 column (its result not written yet) is an initiative, asked for its
    result; 「【再掲】…」 neither."""
    from tenken.imports.inspect import is_bracketed_heading

    assert is_bracketed_heading("【重点取組】") and is_bracketed_heading("【その他の取組】", whole=True)
    assert is_bracketed_heading("【第2章】行政運営")
    assert not is_bracketed_heading("【新規】電子契約", whole=True)
    assert not is_bracketed_heading("【再掲】電子申請")
    assert not is_bracketed_heading("【凡例】")


# --- sheets that are not the plan ------------------------------------------------------------------------------

def test_a_revision_history_and_a_list_of_policies_are_left_out(tmp_path, capsys):
    """「改訂履歴」 (版 | 日付 | 内容) and 「施策体系」 (番号 | 施策名: no result, no 担当課) beside two sheets of the
    plan: both proposed use = false with the reason, asked at the top; the plan imports unchanged."""
    path = tmp_path / "計画.xlsx"
    wb = Workbook()
    hist = wb.active
    hist.title = "改訂履歴"
    for row in (["版", "日付", "内容"], ["1.0", "令和5年4月1日", "新規作成"], ["1.1", "令和6年4月1日", "進捗を更新"]):
        hist.append(row)
    system = wb.create_sheet("施策体系")
    for row in (["番号", "施策名"], ["1", "行政のデジタル化"], ["2", "地域のデジタル化"]):
        system.append(row)
    for name, inis in (("行政", [("1", "電子申請", "完了"), ("2", "電子契約", "遅れ")]), ("地域", [("3", "Wi-Fi", "順調")])):
        ws = wb.create_sheet(name)
        ws.append(["No", "取組名", "担当課", "進捗状況"])
        for n, t, s in inis:
            ws.append([n, t, "企画課", s])
    wb.save(path)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    blocks = {b.split("\n")[1]: b for b in toml.split("[[sheets]]")[1:]}
    assert "use = false" in blocks['name = "施策体系"'] and "実施結果の列がない表" in blocks['name = "施策体系"'], toml
    assert "# 要確認: シート「施策体系」" in toml
    assert "use = false" in blocks['name = "改訂履歴"'], toml
    assert texts(plan) == ["電子申請", "電子契約", "Wi-Fi"]
    assert tree(plan) == {"1 行政": 2, "2 地域": 1}


def test_a_plan_sheet_whose_result_column_is_not_recognised_is_kept_and_asked(tmp_path, capsys):
    """A second sheet with 担当課 but its result under an unknown header (「取組結果の区分」? no: 「判定」): it is the
    plan's, so it stays in and the unchanged mapping is refused naming that sheet — not imported without it."""
    path = tmp_path / "計画.xlsx"
    wb = Workbook()
    a = wb.active
    a.title = "方針1"
    for row in (["No", "取組名", "担当課", "進捗"], ["1", "電子申請", "企画課", "完了"]):
        a.append(row)
    b = wb.create_sheet("方針2")
    for row in (["No", "取組名", "担当課", "判定"], ["2", "RPA", "総務課", "完了"]):
        b.append(row)
    wb.save(path)
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007",
                     "--title", "計画", "--fiscal-years", "R4-R8")
    assert "方針2!1行目: 実施結果の列" in capsys.readouterr().err
    assert db_snapshot() == before


# --- rows that are not initiatives -----------------------------------------------------------------------------

def test_a_form_with_outline_numbers_prefilled_and_a_row_filled_between(tmp_path, capsys):
    """A 調査票 with 「1-1」…「1-8」 typed as text and 担当課 left to fill: rows 1-1, 1-2 and 1-5 are filled; the
    others hold only their number. Shown in inspect (in runs), skipped, and listed in the preview."""
    rows = [["取組番号", "取組名", "担当課", "進捗"]]
    filled = {1: ("電子申請", "DX課", "完了"), 2: ("電子契約", "契約課", "遅れ"), 5: ("RPA", "DX課", "順調")}
    for i in range(1, 9):
        rows.append([f"1-{i}", *filled.get(i, (None, None, None))])
    path = _workbook(tmp_path / "調査票.xlsx", "調査票", rows)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "# 4～5行目: 様式の空き行" in toml and "# 7～9行目: 様式の空き行" in toml, toml
    assert texts(plan) == ["電子申請", "電子契約", "RPA"]
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1}}

    from tenken.imports.mapping import from_toml
    from tenken.imports.preview import build_preview

    preview = build_preview(path, from_toml(toml))
    assert [s.where for s in preview.skipped if s.kind == "empty_form"] == [f"調査票!{r}行目" for r in (4, 5, 7, 8, 9)]


def test_a_number_alone_in_the_text_column_is_still_an_initiative_to_ask_about(tmp_path, capsys):
    """A row whose only cell is 「2024」 in the 取組名 column is not an empty row of the form: it is read, and the
    missing result is asked."""
    path = _workbook(tmp_path / "一覧.xlsx", "一覧",
                     [["No", "取組名", "担当課", "進捗"], ["1", "電子申請", "DX課", "完了"], [None, "2024", None, None]])
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007",
                     "--title", "計画", "--fiscal-years", "R4-R8")
    assert "一覧!D3: " in capsys.readouterr().err


def test_a_row_of_half_width_bracketed_instructions_with_placeholders(tmp_path, capsys):
    """Instructions in half-width brackets, some placeholders among them: 「(数字)」「(○○の推進)」「(○○課)」
    「(リストから選ぶ)」, under a two-word title. An example row; the initiatives below import, and a data row
    whose text only starts with a bracket (「（仮称）市民ポータル」) stays an initiative."""
    path = _workbook(
        tmp_path / "照会.xlsx",
        "照会",
        [
            ["DX推進計画 取組状況の照会"],
            ["No.", "取組", "所管", "状況", "備考"],
            ["(数字)", "(○○の推進)", "(○○課)", "(リストから選ぶ)", "(任意)"],
            ["1", "（仮称）市民ポータル", "広報課", "順調", None],
            ["2", "電子申請", "DX推進課", "完了", "(1) 先行実施"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "# 3行目: 記入例・記入方法" in toml, toml
    assert texts(plan) == ["（仮称）市民ポータル", "電子申請"]
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1}}


def test_instruction_rows_are_told_from_outline_rows():
    from tenken.imports.inspect import is_instruction_row

    assert is_instruction_row({1: "（半角数字）", 4: "（プルダウンから選択）"})
    assert is_instruction_row({4: "（選択してください）"})
    assert not is_instruction_row({1: "(1)", 2: "（仮称）"})  # an outline number and a word in brackets
    assert not is_instruction_row({1: "（再掲）", 2: "（仮称）"})  # nothing says how to fill the columns
    assert not is_instruction_row({1: "1", 2: "（半角数字）"})


# --- columns of marks ------------------------------------------------------------------------------------------

def test_flag_columns_after_the_name_are_kept_in_the_note(tmp_path, capsys):
    """「新規」 of ◎ / blank after 取組名 and 「重点」 of レ / blank, with a 備考 column: neither is a grouping level
    (no section 「◎」 or 「レ」), a text or a result; a marked initiative's note says so."""
    path = _workbook(
        tmp_path / "取組.xlsx",
        "取組",
        [
            ["基本目標", "No", "取組名", "新規", "重点", "担当課", "進捗", "備考"],
            ["1 便利な市役所", "1", "電子申請", "◎", "レ", "DX推進課", "完了", "前倒し"],
            ["1 便利な市役所", "2", "電子納付", None, "レ", "会計課", "順調", None],
            ["2 効率的な行政", "3", "RPA", "◎", None, "DX推進課", "遅れ", None],
            ["2 効率的な行政", "4", "AI-OCR", None, None, "DX推進課", "順調", None],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'flags = ["D", "E"]' in toml and 'note = "H"' in toml, toml
    assert tree(plan) == {"1 便利な市役所": 2, "2 効率的な行政": 2}
    assert not Section.objects.filter(plan=plan, title__in=["◎", "レ"]).exists()
    notes = dict(Initiative.objects.filter(plan=plan).values_list("number_label", "note"))
    assert notes["1"].splitlines() == ["前倒し", "新規: ◎", "重点: レ"], notes
    assert notes["2"] == "重点: レ" and notes["3"] == "新規: ◎" and notes["4"] == ""
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 1}}


def test_a_group_column_named_like_a_flag_is_still_the_group():
    """「重点取組」 holding the names of the groups (repeated) is the grouping level, as before: only marks make
    a flag."""
    from tenken.imports.inspect import is_mark_column

    assert is_mark_column(["○", "○", "◯"]) and is_mark_column(["✓"]) and is_mark_column(["●", "レ"])
    assert not is_mark_column(["行政手続のオンライン化", "行政手続のオンライン化"])
    assert not is_mark_column(["○", "×"])  # ×/△ say something of their own (a scale)
    assert not is_mark_column([])


def test_a_mapping_flag_column_is_checked_against_the_file(tmp_path):
    """A flag column named by its header in the mapping is found by it; the TOML reads back."""
    from tenken.imports.mapping import from_toml, to_toml

    path = _workbook(tmp_path / "a.xlsx", "a", [["No", "重点", "取組名", "進捗"], ["1", "○", "電子申請", "完了"]])
    mapping = inspect_file(path).mapping
    assert mapping.sheets[0].flags == ["B"]
    again = from_toml(to_toml(mapping))
    assert again.sheets[0].flags == ["B"]
