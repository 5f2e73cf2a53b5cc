"""The general rules behind the second probe's legend and sheet fixes, on files shaped differently from the
probe's: ``--inspect``, then ``--mapping`` with that TOML unchanged."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from tenken.plans.models import Initiative

from .test_imports_other_hands import _workbook, inspect_then_import, results, tree

pytestmark = pytest.mark.django_db


def test_symbol_legend_under_a_title_with_placeholders(tmp_path, capsys):
    """「○○市」「××課」 in the title are no legend entries (「○：市DX実施計画」 would be 実施中); the legend's ◎○△
    are."""
    path = _workbook(
        tmp_path / "評価.xlsx",
        "評価",
        [
            ["○○市DX実施計画（××課）"],
            ["進捗　◎：完了　○：順調　△：遅れ"],
            ["No", "取組名", "担当課", "進捗"],
            ["1", "電子申請", "DX推進課", "◎"],
            ["2", "電子契約", "契約課", "○"],
            ["3", "RPA", "DX推進課", "△"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert [s.label for s in plan.statuses.order_by("order")] == ["完了", "順調", "遅れ"], toml
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1}}


def test_lower_case_legend_keys_name_upper_case_cells(tmp_path, capsys):
    path = _workbook(
        tmp_path / "評価.xlsx",
        "評価",
        [
            ["評価区分 a=達成 b=概ね達成 c=未達成"],
            ["No", "事業名", "所管課", "評価"],
            ["1", "電子申請", "DX推進課", "Ａ"],
            ["2", "電子契約", "契約課", "b（概ね達成）"],
            ["3", "RPA", "DX推進課", "C"],
            ["4", "GIS", "DX推進課", "B"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "推定" not in toml.split("[[scale]]", 1)[1], toml
    assert [s.label for s in plan.statuses.order_by("order")] == ["達成", "概ね達成", "未達成"]
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 1}}


def test_a_chapter_sheet_titled_in_brackets_and_a_sheet_titled_with_the_table_name(tmp_path, capsys):
    """「【第1章】行政のデジタル化」 over sheet 「第1章」 names the 方針; 「第2章 進捗管理表」 over sheet 「第2章」
    is the table's title, so that sheet keeps its name."""
    path = tmp_path / "章別.xlsx"
    wb = Workbook()
    wb.remove(wb.active)
    for name, title, inis in (("第1章", "【第1章】行政のデジタル化", ["電子申請", "電子契約"]),
                              ("第2章", "第2章 進捗管理表", ["Wi-Fi"])):
        ws = wb.create_sheet(name)
        ws.append([title])
        ws.append(["No", "取組名", "担当課", "進捗"])
        for i, t in enumerate(inis, 1):
            ws.append([str(i), t, "企画課", "順調"])
    wb.save(path)
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert tree(plan) == {"1 行政のデジタル化": 2, "2 第2章": 1}


def test_an_unnamed_instructions_sheet_and_a_count_table_of_status_counts(tmp_path, capsys):
    """A sheet 「Sheet2」 that lists the columns with how to fill each in, and a 「まとめ」 sheet of
    「完了件数 | 順調件数」: neither is read; a plan sheet with 「着手年度 | 完了年度」 numbers is."""
    path = tmp_path / "計画.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "取組"
    ws.append(["No", "取組名", "担当課", "着手年度", "完了年度", "進捗", "記入者"])
    ws.append(["1", "電子申請", "企画課", 2022, 2024, "完了", "山田"])
    ws.append(["2", "電子契約", "契約課", 2023, 2026, "順調", "佐藤"])
    ws.append(["No", "取組名", "担当課", "着手年度", "完了年度", "進捗", "記入者"])
    ws.append(["3", "RPA", "企画課", 2023, 2025, "順調", "山田"])
    ws.append(["No", "取組名", "担当課", "着手年度", "完了年度", "進捗", "記入者"])
    ws.append(["4", "GIS", "企画課", 2024, 2027, "遅れ", "佐藤"])
    notes = wb.create_sheet("Sheet2")
    for row in (["担当課", "令和6年4月1日時点の課名を記入してください"], ["進捗", "一覧から選択してください"],
                ["備考", "特記事項があれば記入"]):
        notes.append(row)
    counts = wb.create_sheet("まとめ")
    counts.append(["施策", "取組数", "完了件数", "順調件数", "遅れ件数"])
    counts.append(["全体", 4, 1, 2, 1])
    wb.save(path)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "記入上の注意・説明のシート" in toml and "集計のシート" in toml, toml
    assert Initiative.objects.filter(plan=plan).count() == 4
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 1}}


def test_a_cell_whose_words_contradict_its_legend_letter_is_not_that_entry(tmp_path, capsys):
    """With 「A：完了」 in the legend, 「A（遅れ）」 says 遅れ: not merged into A (the words are what was written)."""
    path = _workbook(
        tmp_path / "評価.xlsx",
        "評価",
        [
            ["凡例 A：完了 B：順調 C：遅れ"],
            ["No", "取組名", "担当課", "評価"],
            ["1", "電子申請", "DX推進課", "A"],
            ["2", "電子契約", "契約課", "A（遅れ）"],
            ["3", "RPA", "DX推進課", "B（順調）"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'value = "A（遅れ）"' in toml, toml
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1}}


def test_a_legend_listing_the_words_of_the_scale_without_keys_sets_its_order_and_unused_entries(tmp_path, capsys):
    """「凡例：完了／順調／遅れ／未着手」: the values are the words themselves. The scale is the legend's, in its
    order, 未着手 included though no row uses it yet — next year's file, read with the saved mapping,
    may."""
    path = _workbook(
        tmp_path / "一覧.xlsx",
        "一覧",
        [
            ["番号", "取組名称", "担当部署", "令和5年度進捗", "令和6年度進捗"],
            ["1-1", "電子申請の推進", "DX推進課", "順調", "完了"],
            ["1-2", "電子納付", "収納課", "遅れ", "順調"],
            ["2-1", "ＲＰＡ", "DX推進課", "順調", "順調"],
            ["凡例：完了／順調／遅れ／未着手"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert [s.label for s in plan.statuses.order_by("order")] == ["完了", "順調", "遅れ", "未着手"]
    assert "推定" not in toml.split("[[scale]]", 1)[1], toml
    assert results(plan) == {("annual", 2023): {"in_progress": 2, "delayed": 1},
                             ("annual", 2024): {"done": 1, "in_progress": 2}}
