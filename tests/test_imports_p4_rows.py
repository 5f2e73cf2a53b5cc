"""Rows of the fourth probe, written other ways: the lines a document ends with under its table (作成者・
問い合わせ先・担当・日付・以上), a block heading longer than a 方針 may be, heading rows on two levels (方針 over
施策), and 施策 carrying their own numbers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tenken.imports.inspect import heading_levels, heading_rank, is_footer_row
from tenken.imports.mapping import SKIP_KINDS, from_toml
from tenken.plans.draft import split_item_code
from tenken.plans.models import Initiative, Plan, Section

from .conftest import db_snapshot
from .test_imports_other_hands import _workbook, inspect_then_import, results, tree

pytestmark = pytest.mark.django_db


def _texts(plan: Plan) -> list[str]:
    return list(Initiative.objects.filter(plan=plan, is_heading=False).order_by("order").values_list("text", flat=True))


def _sections(plan: Plan, depth: int) -> list[tuple[str, str]]:
    return list(Section.objects.filter(plan=plan, depth=depth).order_by("order").values_list("code", "title"))


def _refused(path, tmp_path, capsys, toml: str | None = None) -> str:
    if toml is None:
        call_command("import_plan", str(path), "--inspect")
        toml = capsys.readouterr().out
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007",
                     "--title", "計画", "--fiscal-years", "R4-R8")
    assert db_snapshot() == before
    return capsys.readouterr().err


# --- 1. the lines under the table ------------------------------------------------------------------------------


def test_contact_lines_after_a_legend_under_a_workbook_table(tmp_path, capsys):
    """「担当：デジタル推進課　内線1234」「TEL 045-000-0000」 in one cell each, under a legend under the table, and
    「令和6年3月31日現在」 alone in the 取組名 column: no initiatives, shown as such by --inspect."""
    path = _workbook(tmp_path / "状況.xlsx", "状況", [
        ["番号", "取組名", "所管課", "進捗"],
        ["1", "電子申請", "デジタル推進課", "完了"],
        ["2", "電子契約", "契約課", "遅れ"],
        [],
        ["凡例　完了：取組を終えた　遅れ：予定より遅れている"],
        ["担当：デジタル推進課　内線1234"],
        ["TEL 045-000-0000"],
        [None, "令和6年3月31日現在"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "# 6行目: 作成者・問い合わせ先などの行" in toml and "# 8行目: 作成者・問い合わせ先などの行" in toml, toml
    assert '"footer"' in toml.split("skip = ")[1].splitlines()[0]
    assert _texts(plan) == ["電子申請", "電子契約"]
    assert results(plan) == {("final", 2026): {"done": 1, "delayed": 1}}


def test_a_csv_ending_with_a_bracketed_contact_in_two_cells_and_a_date_in_brackets(tmp_path, capsys):
    text = ("方針,No,取組,担当,状況\r\n"
            "行政,1,オンライン申請,企画課,順調\r\n"
            "行政,2,ペーパーレス会議,総務課,完了\r\n"
            "【お問い合わせ先】,企画課 デジタル係,,,\r\n"
            "（2024年4月1日時点）,,,,\r\n"
            "以上。,,,,\r\n")
    path = tmp_path / "報告.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert _texts(plan) == ["オンライン申請", "ペーパーレス会議"], toml
    assert tree(plan) == {"1 行政": 2}


def test_a_contact_line_between_initiatives_is_no_footer_and_is_asked(tmp_path, capsys):
    """Only the rows under the last initiative are what a document ends with: 「作成者：企画課」 between two
    initiatives is a row to ask about, located, never skipped without a word."""
    path = _workbook(tmp_path / "途中.xlsx", "一覧", [
        ["No.", "取組名", "担当課", "進捗状況"],
        ["1", "電子申請", "企画課", "完了"],
        ["作成者：企画課"],
        ["2", "電子契約", "契約課", "順調"],
    ])
    err = _refused(path, tmp_path, capsys)
    assert "一覧!D3: 実施結果が空欄です" in err, err


def test_footer_rows_are_told_by_their_words_and_never_hold_a_result():
    assert is_footer_row({1: "問合せ先", 2: "内線 2345"}, status_cols={4})
    assert is_footer_row({1: "作成日：令和6年4月1日"}, status_cols={4})
    assert is_footer_row({2: "2024/04/01 現在"}, status_cols={4})
    assert is_footer_row({1: "－以上－"}, status_cols={4})
    assert not is_footer_row({1: "担当", 2: "電話受付の自動化", 4: "完了"}, status_cols={4})  # a result: an initiative
    assert not is_footer_row({2: "問い合わせ先の一元化"}, status_cols={4})  # words, not the label
    assert not is_footer_row({2: "電話相談の拡充"}, status_cols={4})
    assert not is_footer_row({2: "令和6年度"}, status_cols={4})  # a year is no date line
    assert not is_footer_row({1: "以上", 2: "の取組"}, status_cols={4})


def test_saved_mappings_of_earlier_versions_skip_the_footer_and_a_current_one_may_read_it(tmp_path, capsys):
    for version, skip in ((1, ["blank", "legend", "total", "note", "repeated_header"]),
                          (2, ["blank", "legend", "total", "note", "repeated_header", "example"]),
                          (2, ["blank", "total"])):
        m = from_toml(f'version = {version}\nskip = {skip!r}\n[[sheets]]\nname = "a"\n'.replace("'", '"'))
        assert "footer" in m.skip, (version, skip)
    assert from_toml('version = 3\nskip = ["blank"]\n[[sheets]]\nname = "a"\n').skip == ["blank"]
    assert "footer" in from_toml('[[sheets]]\nname = "a"\n').skip
    assert "footer" in SKIP_KINDS
    path = _workbook(tmp_path / "末尾.xlsx", "一覧", [
        ["No.", "取組名", "担当課", "進捗状況"], ["1", "電子申請", "企画課", "完了"], [], ["作成者", "企画課"]])
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out.replace(', "footer"]', "]")
    assert "version = 3" in toml
    err = _refused(path, tmp_path, capsys, toml)  # read as data, as the mapping says: a row without a result
    assert "一覧!D4: 実施結果が空欄です" in err, err


# --- 2. a block heading longer than a 方針 may be ----------------------------------------------------------------


def test_an_over_long_measure_heading_and_one_above_the_header_are_refused_at_their_cells(tmp_path, capsys):
    path = tmp_path / "長い.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "計画"
    ws.append(["第1章 " + "行政のデジタル化" * 40])
    ws.append(["No.", "取組名", "担当課", "進捗状況"])
    ws.append(["(1) " + "手続をオンラインで完結できるようにする" * 16])
    ws.append(["1", "電子申請", "企画課", "完了"])
    ws.append(["2", "電子納付", "会計課", "順調"])
    wb.save(path)
    err = _refused(path, tmp_path, capsys)
    assert "計画!A1: 方針（大項目）が300文字を超えています（324文字）" in err, err
    assert "計画!A3: 取組項目（中項目）が300文字を超えています" in err, err
    assert err.count("計画!A3:") == 1 and "Traceback" not in err  # once, not once per initiative under it


def test_a_heading_of_exactly_300_characters_is_imported_whole(tmp_path, capsys):
    title = "基本方針1 " + "あ" * 294
    assert len(title) == 300
    path = tmp_path / "境.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "一覧"
    ws.append(["No.", "取組名", "担当課", "進捗状況"])
    ws.append([title])
    ws.merge_cells("A2:D2")
    for i, (name, result) in enumerate((("電子申請", "完了"), ("電子契約", "順調"), ("RPA", "遅れ")), start=1):
        ws.append([str(i), name, "企画課", result])
    wb.save(path)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert _sections(plan, 0) == [("1", title)]


# --- 3. heading rows on two levels ------------------------------------------------------------------------------


def test_heading_levels_follow_the_numbering_of_the_first_heading():
    assert heading_levels(["基本方針1 行政", "(1) 手続", "(2) 窓口", "基本方針2 地域", "(1) 教室"]) == [0, 1, 1, 0, 1]
    assert heading_levels(["第1章 行政", "1-1 手続", "1-2 窓口", "第2章 地域"]) == [0, 1, 1, 0]
    assert heading_levels(["1 行政", "(1) 手続", "ア 電子", "2 地域"]) == [0, 1, 2, 0]
    assert heading_levels(["1 行政", "① 手続", "ア 電子"]) == [0, 1, 1]  # ① and ア number the same depth
    assert heading_levels(["1 行政", "Ⅱ 地域", "3 教育"]) == [0, 0, 0]  # less deep than the first: still 方針
    assert heading_levels(["【重点取組】", "【その他の取組】"]) == [0, 0]
    assert heading_levels(["(1) 行政", "(2) 地域"]) == [0, 0]
    assert heading_levels(["1 行政", "(1) 手続", "① 申請", "(ア) 深い"], depth=3) == [0, 1, 2, 2]
    assert [heading_rank(t) for t in ("第2章", "施策3 …", "1-1-1 …", "（ア）…")] == [0, 2, 3, 4]


def test_chapters_over_outline_numbered_measures_in_the_no_column(tmp_path, capsys):
    """「第1章 …」 merged across the table, then 「1-1 …」 alone in the No. column: chapter and 施策, the 施策
    keeping its number 1-1 as its code."""
    path = tmp_path / "章.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "担当課", "進捗状況"])
    rows = [["第1章 行政のデジタル化"], ["1-1 手続のオンライン化"], ["1", "電子申請", "企画課", "完了"],
            ["1-2 窓口改革"], ["2", "書かない窓口", "市民課", "遅れ"], ["3", "キャッシュレス", "会計課", "順調"],
            ["第2章 地域のデジタル化"], ["2-1 デジタルデバイド対策"], ["4", "スマホ教室", "地域課", "未着手"]]
    for r, row in enumerate(rows, start=2):
        ws.append(row)
        if row[0].startswith("第"):
            ws.merge_cells(f"A{r}:D{r}")
    wb.save(path)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "# 3行目: 施策の見出し" in toml and "# 2行目: 方針の見出し" in toml, toml
    assert tree(plan) == {"1 行政のデジタル化": 3, "2 地域のデジタル化": 1}
    assert _sections(plan, 1) == [("1-1", "手続のオンライン化"), ("1-2", "窓口改革"), ("2-1", "デジタルデバイド対策")]
    assert results(plan) == {("final", 2026): {"done": 1, "delayed": 1, "in_progress": 1, "not_started": 1}}


def test_a_policy_without_a_measure_heading_among_policies_with_them_is_asked(tmp_path, capsys):
    """Initiatives straight under 「2 地域」 while 「1 行政」 has 施策 headings: located, not guessed."""
    path = _workbook(tmp_path / "混在.xlsx", "一覧", [
        ["No.", "取組名", "担当課", "進捗状況"],
        ["1 行政のデジタル化"], ["① 手続"], ["1", "電子申請", "企画課", "完了"],
        ["2 地域のデジタル化"], ["2", "スマホ教室", "地域課", "順調"]])
    err = _refused(path, tmp_path, capsys)
    assert "一覧!6行目: 中項目（取組項目）が空欄です" in err, err


# --- 4. 施策 carrying their own numbers ----------------------------------------------------------------------------


def test_split_item_code_of_every_numbering_style():
    assert split_item_code("(1) 手続") == ("(1)", "手続")
    assert split_item_code("⑵窓口") == ("(2)", "窓口")
    assert split_item_code("1-2　窓口改革") == ("1-2", "窓口改革")
    assert split_item_code("③ 人材") == ("③", "人材")
    assert split_item_code("イ．教育") == ("イ", "教育")
    assert split_item_code("（ウ）地域") == ("(ウ)", "地域")
    assert split_item_code("2. 地域") == ("2", "地域")
    for plain in ("窓口改革", "イベントの開催", "5Gの活用", "2030年の姿", "(1)"):
        assert split_item_code(plain) is None, plain


def test_measure_columns_numbered_with_circled_numbers_and_katakana(tmp_path, capsys):
    path = _workbook(tmp_path / "施策.xlsx", "取組", [
        ["基本方針", "施策", "No.", "取組名", "担当課", "進捗状況"],
        ["1 行政", "① 手続のオンライン化", "1", "電子申請", "企画課", "完了"],
        ["1 行政", "② 窓口改革", "2", "書かない窓口", "市民課", "順調"],
        ["2 地域", "ア デジタルデバイド対策", "3", "スマホ教室", "地域課", "遅れ"],
        ["2 地域", "地域の情報基盤", "4", "公衆Wi-Fi", "情報課", "完了"]])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert _sections(plan, 1) == [("①", "手続のオンライン化"), ("②", "窓口改革"), ("ア", "デジタルデバイド対策"),
                                  ("イ", "地域の情報基盤")]  # without a number of its own: ア, イ … in plan order


def test_a_heading_merged_across_a_small_table_does_not_make_the_result_column_look_like_sentences(tmp_path, capsys):
    """Two 基本方針 headings merged across every column of a five-row table: their long text filled the 進捗状況
    column's samples, so the column looked like sentences and was proposed as 実績・成果, leaving the plan
    without a result column. A heading merged across the row belongs to its first cell only."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "担当課", "進捗状況"])
    ws.append(["基本方針1　行政手続のオンライン化を進め、市民がいつでもどこでも申請できる市役所を目指す"])
    ws.merge_cells("A2:D2")
    ws.append(["1", "電子申請", "DX推進課", "完了"])
    ws.append(["2", "電子納付", "収納課", "遅れ"])
    ws.append(["基本方針2　職員の働き方を変え、デジタルで業務を効率化する"])
    ws.merge_cells("A5:D5")
    ws.append(["3", "RPA", "DX推進課", "順調"])
    path = tmp_path / "小さな表.xlsx"
    wb.save(path)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'status = "D"' in toml, toml
    assert results(plan) == {("final", 2026): {"done": 1, "delayed": 1, "in_progress": 1}}
    assert len(tree(plan)) == 2
