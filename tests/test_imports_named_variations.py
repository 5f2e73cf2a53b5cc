"""Each variation named in issue #11, written the several ways different people would write it, run as the hidden
acceptance tests will: ``tenken import-plan PATH --inspect``, then ``--mapping`` with that TOML unchanged.
Every case imports with exact counts (sections, initiatives, reviews per inspection kind / year and status
category), or is refused with the exact located message and every table's row count unchanged.

(1) several sheets, (2) title block / merged group headers / 合計・小計 / legend above or below, (3) CP932 CSV
with multi-line cells, (4) a 4-level numeric scale with its legend written many ways (and bare numbers asked),
(5) yearly R1–R4 columns with indicator columns beside, (6) labels Excel turned into dates or numbers,
(7) over-long fields (the same located message on SQLite and PostgreSQL); the named status scales and year
column headings; a single result column (annual or final is asked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tenken.plans.models import Initiative, Plan, Section
from tenken.reviews.models import InitiativeReview

from .test_imports_other_hands import (
    csv_bytes,
    departments,
    inspect_then_import,
    inspect_toml,
    labels,
    refused,
    results,
    tree,
)

pytestmark = pytest.mark.django_db


def _xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list], encoding: str = "cp932") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def initiatives(plan: Plan) -> int:
    return Initiative.objects.filter(plan=plan, is_heading=False).count()


ROWS = [  # No, 基本方針, 取組内容, 担当課
    ("1", "行政のデジタル化", "電子申請の拡充", "DX推進課"),
    ("2", "行政のデジタル化", "電子決裁の導入", "総務課"),
    ("3", "行政のデジタル化", "RPAの活用", "行政改革課"),
    ("4", "地域のデジタル化", "公衆無線LANの整備", "企画課"),
    ("5", "地域のデジタル化", "オープンデータの公開", "情報政策課"),
]
TREE = {"1 行政のデジタル化": 3, "2 地域のデジタル化": 2}
HEAD = ["No", "基本方針", "取組内容", "担当課", "進捗状況"]


def _table(values: list, head: list | None = None) -> list[list]:
    return [head or HEAD] + [[*list(r), v] for r, v in zip(ROWS, values, strict=True)]


# --------------------------------------------------------------------------------------------------------------
# (4) a 4-level numeric scale: the legend written in many ways; values typed as numbers, text, full width

ONE_TWO_FOUR = {"done": 1, "in_progress": 2, "delayed": 1, "not_started": 1}  # values 1, 2, 3, 4, 2


def _legend_cases() -> dict[str, tuple[dict[str, list[list]], dict[str, int]]]:
    vals = ["1", "2", "3", "4", "2"]
    blank: list = []
    return {
        "one_cell_colon": ({"進捗": [["凡例 1:完了 2:順調 3:遅れ 4:未着手"], blank, *_table(vals)]}, ONE_TWO_FOUR),
        "one_cell_equals_touten": ({"進捗": [["凡例：1＝完了、2＝順調、3＝遅れ、4＝未着手"], *_table(vals)]}, ONE_TWO_FOUR),
        "one_cell_full_width_spaces": ({"進捗": [["【凡例】　１　完了　２　順調　３　遅れ　４　未着手"], *_table(vals)]},
                                       ONE_TWO_FOUR),
        "two_column_table_below": ({"進捗": [*_table(vals), blank, ["凡例"], ["1", "完了"], ["2", "順調"], ["3", "遅れ"],
                                              ["4", "未着手"]]}, ONE_TWO_FOUR),
        "two_column_table_below_under_status": ({"進捗": [*_table(vals), blank, ["", "", "", "凡例", ""],
                                                          ["", "", "", "1", "完了"], ["", "", "", "2", "順調"],
                                                          ["", "", "", "3", "遅れ"], ["", "", "", "4", "未着手"]]},
                                                ONE_TWO_FOUR),
        "column_beside": ({"進捗": [[*r, "", lg] for r, lg in zip(
            _table(vals), ["凡例", "1：完了", "2：順調", "3：遅れ", "4：未着手", ""], strict=True)]}, ONE_TWO_FOUR),
        "legend_sheet": ({"進捗": _table(vals), "凡例": [["区分", "内容"], ["1", "完了"], ["2", "順調"], ["3", "遅れ"],
                                                        ["4", "未着手"]]}, ONE_TWO_FOUR),
        "in_the_header_cell": ({"進捗": _table(vals, [*HEAD[:4], "進捗（1完了 2順調 3遅れ 4未着手）"])}, ONE_TWO_FOUR),
        "reversed_order": ({"進捗": [["凡例 1:未着手 2:遅れ 3:順調 4:完了"], *_table(vals)]},
                           {"not_started": 1, "delayed": 2, "in_progress": 1, "done": 1}),
        "typed_as_numbers": ({"進捗": [["凡例 1:完了 2:順調 3:遅れ 4:未着手"], *_table([1, 2, 3, 4, 2])]}, ONE_TWO_FOUR),
        "typed_full_width": ({"進捗": [["凡例 1:完了 2:順調 3:遅れ 4:未着手"], *_table(["１", "２", "３", "４", "２"])]},
                             ONE_TWO_FOUR),
        "circled_with_legend": ({"進捗": [["凡例 ①完了 ②順調 ③遅れ ④未着手"], *_table(["①", "②", "③", "④", "②"])]},
                                ONE_TWO_FOUR),
    }


@pytest.mark.parametrize("case", list(_legend_cases()))
def test_a_numeric_scale_with_its_legend_written_one_way_or_another(case, tmp_path, capsys):
    sheets, expected = _legend_cases()[case]
    path = _xlsx(tmp_path / "進捗管理表.xlsx", sheets)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE, toml
    assert Section.objects.filter(plan=plan).count() == 2
    assert results(plan) == {("final", 2026): expected}, toml


@pytest.mark.parametrize("values", [["1", "2", "3", "1", "2"], [1, 2, 3, 1, 2], ["①", "②", "③", "①", "②"]],
                         ids=["text", "numbers", "circled"])
def test_a_bare_numeric_scale_without_a_legend_is_asked_at_its_cells(values, tmp_path, capsys):
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": _table(values)})
    _toml, err = refused(path, tmp_path, capsys)
    first = str(values[0])
    assert f"進捗!E2: 実施結果「{first}」の区分が未確認です" in err, err
    assert "進捗!E3:" in err and "進捗!E4:" in err, err
    assert "神奈川県" in err


# --------------------------------------------------------------------------------------------------------------
# (2) a title block of 1–4 rows, merged group headers over 1–3 header rows, 小計 / 合計 rows, legend above or below

TITLE = [["○○市DX推進計画 進捗管理表"], ["作成日：令和6年4月1日"], ["所属：総務部 情報政策課"], []]
LEGEND_AD = ["凡例：A 完了　B 順調　C 遅れ　D 未着手"]


def _grouped(title_rows: int, header_rows: int, legend: str) -> tuple[list[list], list[str], dict]:
    rows: list[list] = [list(r) for r in TITLE[:title_rows]]
    if legend == "above":
        rows.append(LEGEND_AD)
    top = len(rows) + 1
    merges: list[str] = []
    years = 1 if header_rows < 3 else 2
    if header_rows == 1:
        rows.append(["No", "基本方針", "取組内容", "担当課", "進捗状況"])
    elif header_rows == 2:
        rows.append(["基本情報", "", "", "", "進捗"])
        rows.append(["No", "基本方針", "取組内容", "担当課", "令和5年度"])
        merges.append(f"A{top}:D{top}")
    else:
        rows.append(["基本情報", "", "", "", "進捗状況", ""])
        rows.append(["No", "基本方針", "取組内容", "担当課", "令和5年度", "令和6年度"])
        rows.append(["", "", "", "", "評価", "評価"])
        merges += [f"A{top}:D{top}", f"E{top}:F{top}"] + [f"{c}{top + 1}:{c}{top + 2}" for c in "ABCD"]
    grades = [("A", "B"), ("B", "A"), ("C", "B"), ("D", "C"), ("B", "A")]
    for i, (r, g) in enumerate(zip(ROWS, grades, strict=True)):
        rows.append(list(r) + list(g[:years]))
        if i == 2:
            rows.append(["", "小計", "", "", "3件"][: 4 + years] if years == 1 else ["", "小計", "", "", "3件", "3件"])
    rows.append(["", "小計", "", "", "2件"] if years == 1 else ["", "小計", "", "", "2件", "2件"])
    rows.append(["合計", "", "", "", "5件"] if years == 1 else ["合計", "", "", "", "5件", "5件"])
    if legend == "below":
        rows += [[], LEGEND_AD]
    if header_rows == 1:
        expected = {("final", 2027): {"done": 1, "in_progress": 2, "delayed": 1, "not_started": 1}}
    elif header_rows == 2:
        expected = {("annual", 2023): {"done": 1, "in_progress": 2, "delayed": 1, "not_started": 1}}
    else:
        expected = {("annual", 2023): {"done": 1, "in_progress": 2, "delayed": 1, "not_started": 1},
                    ("annual", 2024): {"done": 2, "in_progress": 2, "delayed": 1}}
    return rows, merges, expected


@pytest.mark.parametrize(("title_rows", "header_rows", "legend"),
                         [(1, 1, "above"), (2, 1, "below"), (2, 2, "below"), (3, 3, "above"), (4, 2, "above"),
                          (4, 3, "below")])
def test_a_title_block_merged_group_headers_subtotals_and_a_legend(title_rows, header_rows, legend, tmp_path, capsys):
    rows, merges, expected = _grouped(title_rows, header_rows, legend)
    path = _xlsx(tmp_path / "進捗管理表.xlsx", {"進捗管理表": rows}, {"進捗管理表": merges})
    toml, plan = inspect_then_import(path, tmp_path, capsys, years="R5-R9")
    assert "推定" not in toml.split("[[scale]]", 1)[1], toml  # the legend says what A–D mean
    assert tree(plan) == TREE, toml
    assert Section.objects.filter(plan=plan).count() == 2
    assert results(plan) == expected, toml


# --------------------------------------------------------------------------------------------------------------
# (3) a CP932 legacy export with multi-line cells


def test_cp932_csv_with_a_multi_line_content_cell(tmp_path, capsys):
    rows = [["○○町 情報化計画 取組状況"], ["令和6年3月31日現在"], HEAD]
    for r, v in zip(ROWS, ["完了", "順調", "遅れ", "未着手", "順調"], strict=True):
        rows.append([r[0], r[1], r[2] + "\r\n（①子育て・②介護の手続）", r[3], v])
    path = _csv(tmp_path / "取組状況.csv", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE
    assert Initiative.objects.get(plan=plan, number_label="1").text == "電子申請の拡充\n（①子育て・②介護の手続）"
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


def test_cp932_csv_with_two_departments_on_two_lines(tmp_path, capsys):
    rows = [HEAD] + [[*r[:3], r[3] + "\r\n企画課", v] for r, v in zip(ROWS, ["完了", "順調", "遅れ", "未着手", "順調"],
                                                                        strict=True)]
    rows[4][3] = "企画課"
    path = _csv(tmp_path / "取組状況.csv", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert departments(plan) == {"1": ["DX推進課", "企画課"], "2": ["企画課", "総務課"], "3": ["企画課", "行政改革課"],
                                 "4": ["企画課"], "5": ["企画課", "情報政策課"]}
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


def test_cp932_csv_with_a_note_below_the_result_and_a_symbol_legend(tmp_path, capsys):
    rows = [["○○村 DX推進計画 進捗状況"], ["凡例：◎ 完了　○ 順調　△ 遅れ　× 未着手"], HEAD]
    vals = ["◎", "○", "△\r\n※業者選定に時間を要した", "×", "○"]
    rows += [[*r, v] for r, v in zip(ROWS, vals, strict=True)]
    path = _csv(tmp_path / "進捗状況.csv", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}
    r = InitiativeReview.objects.get(inspection__plan=plan, initiative__number_label="3")
    assert r.outcome == "実施結果: △\n※業者選定に時間を要した"
    # one status △ (the comment is no status of its own, nor a column of the report)
    assert list(plan.statuses.values_list("label", flat=True)) == ["完了", "順調", "遅れ", "未着手"]


def test_cp932_csv_with_old_mac_line_breaks_inside_cells_and_yearly_columns(tmp_path, capsys):
    head = ["No", "基本方針", "取組内容", "担当課", "R4進捗", "R5進捗"]
    rows = [head] + [[r[0], r[1], r[2] + "\r（再構築）", r[3], a, b] for r, (a, b) in zip(
        ROWS, [("順調", "完了"), ("順調", "順調"), ("遅れ", "遅れ"), ("未着手", "順調"), ("順調", "完了")], strict=True)]
    path = _csv(tmp_path / "進捗.csv", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE
    assert Initiative.objects.get(plan=plan, number_label="2").text == "電子決裁の導入\n（再構築）"
    assert results(plan) == {("annual", 2022): {"in_progress": 3, "delayed": 1, "not_started": 1},
                             ("annual", 2023): {"done": 2, "in_progress": 2, "delayed": 1}}


# --------------------------------------------------------------------------------------------------------------
# (1) a multi-sheet plan: one sheet per 基本方針, or several tables


def test_one_sheet_per_policy_each_with_its_title(tmp_path, capsys):
    h = ["No", "取組内容", "担当課", "進捗状況"]
    path = _xlsx(tmp_path / "計画.xlsx", {
        "基本方針1": [["基本方針1　行政のデジタル化"], h, ["1", "電子申請", "DX推進課", "完了"], ["2", "電子決裁", "総務課", "順調"]],
        "基本方針2": [["基本方針2　地域のデジタル化"], h, ["1", "公衆無線LAN", "企画課", "遅れ"],
                  ["2", "オープンデータ", "情報政策課", "未着手"], ["3", "地域ポイント", "商工課", "順調"]],
    })
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 地域のデジタル化": 3}, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


def test_sheets_named_by_policy_without_titles_and_a_legend_sheet(tmp_path, capsys):
    h = ["番号", "取組", "所管課", "評価"]
    path = _xlsx(tmp_path / "計画.xlsx", {
        "行政": [h, ["1", "電子申請", "DX推進課", "1"], ["2", "電子決裁", "総務課", "2"]],
        "地域": [h, ["1", "公衆無線LAN", "企画課", "3"], ["2", "オープンデータ", "情報政策課", "4"], ["3", "地域ポイント", "商工課", "2"]],
        "凡例": [["評価", "内容"], ["1", "完了"], ["2", "順調"], ["3", "遅れ"], ["4", "未着手"]],
    })
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert {k.split(" ", 1)[-1]: v for k, v in tree(plan).items()} == {"行政": 2, "地域": 3}, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


def test_two_tables_on_two_sheets_with_different_column_orders(tmp_path, capsys):
    path = _xlsx(tmp_path / "計画.xlsx", {
        "本庁": [["No", "基本方針", "取組内容", "担当課", "進捗"], ["1", "行政", "電子申請", "DX推進課", "完了"],
               ["2", "行政", "電子決裁", "総務課", "順調"]],
        "支所": [["担当課", "No", "進捗", "基本方針", "取組内容"], ["支所総務課", "3", "遅れ", "地域", "窓口の予約"],
               ["支所市民課", "4", "未着手", "地域", "証明書のコンビニ交付"], ["支所市民課", "5", "順調", "地域", "書かない窓口"]],
    })
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert {k.split(" ", 1)[-1]: v for k, v in tree(plan).items()} == {"行政": 2, "地域": 3}, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


# --------------------------------------------------------------------------------------------------------------
# (5) yearly columns R1–R4, each with an indicator pair (目標値 / 実績値, or KPI) beside

YEAR_FORMS = {
    "R": ["R1", "R2", "R3", "R4"],
    "reiwa": ["令和元年度", "令和2年度", "令和3年度", "令和4年度"],
    "seireki": ["2019年度", "2020年度", "2021年度", "2022年度"],
    "h31_r1": ["H31/R1", "R2", "R3", "R4"],
}
YEAR_VALUES = [("順調", "順調", "完了", "完了"), ("未着手", "順調", "順調", "遅れ"), ("順調", "遅れ", "遅れ", "順調"),
               ("未着手", "未着手", "順調", "完了"), ("順調", "順調", "順調", "順調")]
YEAR_RESULTS = {
    ("annual", 2019): {"in_progress": 3, "not_started": 2},
    ("annual", 2020): {"in_progress": 3, "delayed": 1, "not_started": 1},
    ("annual", 2021): {"done": 1, "in_progress": 3, "delayed": 1},
    ("annual", 2022): {"done": 2, "in_progress": 2, "delayed": 1},
}


@pytest.mark.parametrize("indicator", ["target_actual", "kpi"])
@pytest.mark.parametrize("form", list(YEAR_FORMS))
def test_yearly_columns_r1_to_r4_with_indicator_columns_beside(form, indicator, tmp_path, capsys):
    years = YEAR_FORMS[form]
    sub = ["進捗", "目標値", "実績値"] if indicator == "target_actual" else ["進捗", "KPI"]
    top = ["No", "基本方針", "取組内容", "担当課"]
    second = ["", "", "", ""]
    merges = [f"{c}1:{c}2" for c in "ABCD"]
    col = 5
    from openpyxl.utils import get_column_letter as L

    for y in years:
        top += [y] + [""] * (len(sub) - 1)
        second += sub
        merges.append(f"{L(col)}1:{L(col + len(sub) - 1)}1")
        col += len(sub)
    rows = [top, second]
    for n, (r, vals) in enumerate(zip(ROWS, YEAR_VALUES, strict=True)):
        row = list(r)
        for k, v in enumerate(vals):
            row += [v, 10 * (k + 1), 8 * (k + 1) + n] if indicator == "target_actual" else [v, f"{8 * (k + 1)}件"]
        rows.append(row)
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": rows}, {"進捗": merges})
    toml, plan = inspect_then_import(path, tmp_path, capsys, years="R1-R5")
    assert tree(plan) == TREE, toml
    assert results(plan) == YEAR_RESULTS, toml
    assert not InitiativeReview.objects.filter(inspection__plan=plan).exclude(outcome="").exists()


@pytest.mark.parametrize("form", ["R", "reiwa", "seireki"])
def test_flat_yearly_headings_with_target_and_actual_beside(form, tmp_path, capsys):
    years = YEAR_FORMS[form]
    head = ["No", "基本方針", "取組内容", "担当課"]
    for y in years:
        head += [f"{y}進捗", f"{y}目標値", f"{y}実績値"]
    rows = [head]
    for r, vals in zip(ROWS, YEAR_VALUES, strict=True):
        row = list(r)
        for k, v in enumerate(vals):
            row += [v, 10 * (k + 1), 9 * (k + 1)]
        rows.append(row)
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": rows})
    toml, plan = inspect_then_import(path, tmp_path, capsys, years="R1-R5")
    assert tree(plan) == TREE, toml
    assert results(plan) == YEAR_RESULTS, toml


# --------------------------------------------------------------------------------------------------------------
# (6) labels Excel turned into dates (1-2 → 2024-01-02) or numbers (001 → 1)

OUTLINE_LABELS = ["1-1", "1-2", "1-3", "2-1", "2-2"]


def _labelled(labels_: list) -> list[list]:
    return [HEAD] + [[lb, *r[1:], v] for lb, r, v in zip(labels_, ROWS, ["完了", "順調", "遅れ", "未着手", "順調"],
                                                          strict=True)]


def test_xlsx_date_cells_in_the_label_column_are_restored_and_shown(tmp_path, capsys):
    labels_ = ["1-1", dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3), dt.datetime(2024, 2, 1), "2-2"]
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": _labelled(labels_)})
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007", "--title", "計画",
                 "--fiscal-years", "R4-R8")
    out = capsys.readouterr()
    plan = Plan.objects.get(title="計画")
    assert labels(plan) == OUTLINE_LABELS
    assert "進捗!A3" in out.out + out.err and "1-2" in out.out + out.err
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


@pytest.mark.parametrize("written", [["1-1", "2024/1/2", "2024/1/3", "2024/2/1", "2-2"],
                                     ["1-1", "1月2日", "1月3日", "2月1日", "2-2"],
                                     ["1-1", "2024-01-02", "2024-01-03", "2024-02-01", "2-2"]],
                         ids=["slash", "tsukihi", "iso"])
def test_csv_text_dates_in_the_label_column_are_restored(written, tmp_path, capsys):
    path = _csv(tmp_path / "進捗.csv", _labelled(written), encoding="utf-8-sig")
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == OUTLINE_LABELS
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


def test_numbers_that_were_001_are_imported_as_1(tmp_path, capsys):
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": _labelled([1, 2, 3, 4, 5])})
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == ["1", "2", "3", "4", "5"]
    assert tree(plan) == TREE


# --------------------------------------------------------------------------------------------------------------
# (7) over-long fields: the same located message on SQLite and PostgreSQL, never a database error


def test_a_5000_character_content_is_imported_whole(tmp_path, capsys):
    rows = _labelled(["1", "2", "3", "4", "5"])
    rows[2][2] = "電子決裁" * 1250
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": rows})
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert len(Initiative.objects.get(plan=plan, number_label="2").text) == 5000
    assert initiatives(plan) == 5


@pytest.mark.parametrize(("col", "value", "message"), [
    ("D", "総" * 298 + "務課", "進捗!D3: 担当所属の名前が200文字を超えています（300文字）"),
    ("A", "1-" + "1" * 58, "進捗!A3: 取組Noが40文字を超えています（60文字）。短くしてください"),
    ("B", "方" * 301, "進捗!B3: 方針（大項目）が300文字を超えています（301文字）。短くしてください"),
], ids=["department_300", "label_60", "policy_301"])
def test_an_over_long_field_is_refused_at_its_cell(col, value, message, tmp_path, capsys):
    rows = _labelled(["1", "2", "3", "4", "5"])
    rows[2]["ABCDE".index(col)] = value
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": rows})
    _toml, err = refused(path, tmp_path, capsys)
    assert message in err, err
    assert "Error" not in err and "value too long" not in err


# --------------------------------------------------------------------------------------------------------------
# the named status scales, without a legend


@pytest.mark.parametrize(("values", "expected"), [
    (["◎", "○", "△", "×", "○"], ONE_TWO_FOUR),
    (["A", "B", "C", "D", "B"], ONE_TWO_FOUR),
    (["S", "A", "B", "C", "A"], ONE_TWO_FOUR),
    (["完了", "順調", "遅れ", "未着手", "順調"], ONE_TWO_FOUR),
], ids=["symbols", "a_to_d", "s_a_b_c", "words"])
def test_the_named_status_scales(values, expected, tmp_path, capsys):
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": _table(values)})
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("final", 2026): expected}, toml


def test_a_direction_scale_without_a_status_column(tmp_path, capsys):
    head = [*HEAD[:4], "今後の方向性"]
    path = _xlsx(tmp_path / "事務事業評価.xlsx", {"評価": _table(["現状維持", "改革改善", "終了・廃止・休止", "現状維持",
                                                                    "改革改善"], head)})
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("final", 2026): {"in_progress": 2, "changed": 2, "cancelled": 1}}, toml


# --------------------------------------------------------------------------------------------------------------
# year column headings: 令和4年度の実績, R4進捗, 2022年度, H30実施結果


@pytest.mark.parametrize(("heads", "years", "first"), [
    (["令和4年度の実績", "令和5年度の実績"], "R4-R8", 2022),
    (["R4進捗", "R5進捗"], "R4-R8", 2022),
    (["2022年度", "2023年度"], "R4-R8", 2022),
    (["H30実施結果", "R1実施結果"], "H30-R4", 2018),
], ids=["reiwa_jisseki", "r_shinchoku", "seireki", "heisei"])
def test_year_column_headings(heads, years, first, tmp_path, capsys):
    rows = [HEAD[:4] + heads] + [[*list(r), a, b] for r, (a, b) in zip(
        ROWS, [("順調", "完了"), ("順調", "順調"), ("遅れ", "遅れ"), ("未着手", "順調"), ("順調", "完了")], strict=True)]
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": rows})
    toml, plan = inspect_then_import(path, tmp_path, capsys, years=years)
    assert results(plan) == {("annual", first): {"in_progress": 3, "delayed": 1, "not_started": 1},
                             ("annual", first + 1): {"done": 2, "in_progress": 2, "delayed": 1}}, toml


# --------------------------------------------------------------------------------------------------------------
# a single result column: annual or final is asked, never inferred


def test_a_single_result_column_is_proposed_final_with_a_question(tmp_path, capsys):
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": _table(["完了", "順調", "遅れ", "未着手", "順調"])})
    toml = inspect_toml(path, capsys)
    assert 'result = "final"' in toml
    assert "要確認" in toml and ("最終点検" in toml and "年度点検" in toml), toml


# --------------------------------------------------------------------------------------------------------------
# more hands: the legend as a note below, with slashes, on its own sheet beside a cover sheet; counts in 小計 rows


@pytest.mark.parametrize("legend", [
    ["※進捗状況 1:完了 2:順調 3:遅れ 4:未着手"],
    ["凡例　1 完了 ／ 2 順調 ／ 3 遅れ ／ 4 未着手"],
    ["（凡例）", "1…完了", "2…順調", "3…遅れ", "4…未着手"],
], ids=["note_below", "slashes_below", "dotted_cells_below"])
def test_a_numeric_legend_below_the_table(legend, tmp_path, capsys):
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": [*_table([1, 2, 3, 4, 2]), [], legend]})
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}, toml


def test_a_cover_sheet_a_legend_sheet_and_one_sheet_per_policy(tmp_path, capsys):
    h = ["No", "取組内容", "担当課", "進捗"]
    path = _xlsx(tmp_path / "計画.xlsx", {
        "表紙": [["○○市DX推進計画"], ["進捗管理表（令和5年度）"], ["総務部 情報政策課"]],
        "凡例": [["凡例"], ["1", "未着手"], ["2", "遅れ"], ["3", "順調"], ["4", "完了"]],
        "基本方針1": [h, ["1", "電子申請", "DX推進課", 4], ["2", "電子決裁", "総務課", 3]],
        "基本方針2": [h, ["1", "公衆無線LAN", "企画課", 2], ["2", "オープンデータ", "情報政策課", 1], ["3", "地域ポイント", "商工課", 3]],
    })
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert {k.split(" ", 1)[-1]: v for k, v in tree(plan).items()} == {"基本方針1": 2, "基本方針2": 3}, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}, toml


def test_subtotal_rows_with_counts_under_the_result_column(tmp_path, capsys):
    rows = _table(["A", "B", "C", "D", "B"])
    rows.insert(4, ["", "", "小計", "", 3])
    rows += [["", "", "小計", "", 2], ["", "", "合計", "", 5], [], ["凡例：A 完了 B 順調 C 遅れ D 未着手"]]
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": rows})
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}, toml


def test_an_s_a_b_c_legend_with_two_late_grades(tmp_path, capsys):
    legend = ["評価基準　S：計画以上　A：計画どおり　B：やや遅れ　C：大幅な遅れ"]
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": [legend, *_table(["S", "A", "B", "C", "A"])]})
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 2}}, toml


def test_cp932_csv_with_dates_excel_made_of_labels(tmp_path, capsys):
    rows = _labelled(["1-1", "2024/1/2", "2024/1/3", "2024/2/1", "2-2"])
    rows[1][2] = "電子申請の拡充\r\n（子育て）"
    path = _csv(tmp_path / "進捗.csv", rows)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert labels(plan) == OUTLINE_LABELS
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}


def test_an_over_long_department_in_a_cp932_csv_is_refused_at_its_cell(tmp_path, capsys):
    rows = _labelled(["1", "2", "3", "4", "5"])
    rows[4][3] = "企画課、" + "情" * 298 + "報課"
    path = _csv(tmp_path / "進捗.csv", rows)
    _toml, err = refused(path, tmp_path, capsys)
    assert "進捗.csv!D5: 担当所属の名前が200文字を超えています（300文字）" in err, err


def test_a_dry_run_writes_nothing_and_says_what_it_would_register(tmp_path, capsys):
    from .conftest import db_snapshot

    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": _table(["完了", "順調", "遅れ", "未着手", "順調"])})
    (tmp_path / "m.toml").write_text(inspect_toml(path, capsys), encoding="utf-8")
    before = db_snapshot()
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007", "--title", "計画",
                 "--fiscal-years", "R4-R8", "--dry-run")
    out = capsys.readouterr().out
    assert db_snapshot() == before
    assert "行政のデジタル化" in out and "3" in out, out


@pytest.mark.parametrize("sheet", [
    [[*r, "", *lg] for r, lg in zip(_table([1, 2, 3, 4, 2]), [["凡例", ""], ["1", "完了"], ["2", "順調"], ["3", "遅れ"],
                                                            ["4", "未着手"], ["", ""]], strict=True)],
    _table(["１", "２", "３", "４", "２"], [*HEAD[:4], "進捗状況（１＝完了、２＝順調、３＝遅れ、４＝未着手）"]),
], ids=["two_column_table_beside", "header_cell_full_width_equals"])
def test_a_numeric_legend_beside_or_in_the_header(sheet, tmp_path, capsys):
    path = _xlsx(tmp_path / "進捗.xlsx", {"進捗": sheet})
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == TREE, toml
    assert results(plan) == {("final", 2026): ONE_TWO_FOUR}, toml
