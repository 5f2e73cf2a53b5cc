"""Values written in other hands (fourth probe, values share): the heading nearest the data deciding what a
yearly column holds, 完了 / 達成 qualified as only a part of it or the way toward it, and 取組No that Excel
turned into dates seen as text (a saved CSV). Each is written differently from its reproduction in
tests/test_imports_other_hands_4.py, so the rule is shown to be general."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from tenken.imports.inspect import inspect_file
from tenken.imports.preview import build_preview
from tenken.imports.scale import category_of_words
from tenken.imports.years import year_kind_of_parts, year_of_header
from tenken.plans.models import Initiative
from tenken.plans.source import dated_label_text
from tenken.reviews.models import InitiativeReview

from .test_imports_other_hands import _workbook, inspect_then_import, results

pytestmark = pytest.mark.django_db


def _csv(path: Path, rows: list[list[object]], encoding: str = "cp932") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _labels(plan) -> list[str]:
    return list(Initiative.objects.filter(plan=plan, is_heading=False).order_by("order")
                .values_list("number_label", flat=True))


# --- 1. the heading nearest the data decides a yearly column's field ----------------------------------------


@pytest.mark.parametrize(("parts", "kind"), [
    (["進捗状況", "令和4年度", "実績"], "outcome"),  # the outer group word names the block, not this column
    (["実施状況", "R5年度", "成果"], "outcome"),
    (["取組実績", "令和5年度", "評価"], "status"),
    (["取組状況", "2023年度", "取組内容"], "outcome"),
    (["進捗状況", "R4"], "status"),  # the year alone: the group word says it
    (["実績", "R4"], "outcome"),
    (["令和4年度の実績"], "outcome"),
    (["R5進捗"], "status"),
    (["目標値", "R4"], "indicator"),
    (["進捗状況", "R4", "実績値"], "indicator"),
    (["計画", "R6"], "plan"),
])
def test_the_heading_nearest_the_data_says_what_a_yearly_column_holds(parts, kind):
    yh = year_of_header(" ".join(parts))
    rest = yh[1] if yh else " ".join(p for p in parts if not year_of_header(p))
    assert year_kind_of_parts(parts, rest) == kind


def test_an_outer_status_group_over_years_over_result_and_outcome(tmp_path, capsys):
    """「実施状況」 merged over two years, each year over 「進捗 | 成果」 (status first, then the year's actuals in
    short words). The 成果 columns are each year's outcome, not results asked one by one."""
    path = tmp_path / "実施状況.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "実施状況"
    ws.append(["番号", "取組内容", "所管課", "実施状況", None, None, None])
    ws.append([None, None, None, "R5年度", None, "R6年度", None])
    ws.append([None, None, None, "進捗", "成果", "進捗", "成果"])
    for rng in ("A1:A3", "B1:B3", "C1:C3", "D1:G1", "D2:E2", "F2:G2"):
        ws.merge_cells(rng)
    for row in (["1", "オンライン申請", "DX推進課", "順調", "12手続", "完了", "40手続"],
                ["2", "キャッシュレス決済", "会計課", "遅れ", "調整中", "順調", "3窓口"],
                ["3", "AI-OCR", "行政改革課", "未着手", "なし", "遅れ", "試行"]):
        ws.append(row)
    wb.save(path)
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "要確認" not in toml, toml
    assert results(plan) == {
        ("annual", 2023): {"in_progress": 1, "delayed": 1, "not_started": 1},
        ("annual", 2024): {"done": 1, "in_progress": 1, "delayed": 1},
    }
    r = InitiativeReview.objects.get(inspection__plan=plan, initiative__number_label="2", fiscal_year=2024)
    assert r.outcome == "3窓口"


# --- 2. 完了 / 達成 qualified: only a part of it, or the way toward it -------------------------------------


@pytest.mark.parametrize(("words", "category"), [
    ("一部完了", "in_progress"), ("部分的に達成", "in_progress"), ("完了（一部）", "in_progress"),
    ("達成途中", "in_progress"), ("目標達成に向けて推進中", "in_progress"), ("完了に向けて調整中", "in_progress"),
    ("一定の達成", "in_progress"), ("目標を一部達成", "in_progress"), ("大部分を達成", "in_progress"),
    ("8割完了", "in_progress"), ("完了間近", "in_progress"), ("道半ば", "in_progress"), ("一部実施済", "in_progress"),
    ("計画以上に達成", "done"), ("計画どおり完了", "done"), ("実施済み", "done"), ("達成", "done"),
    ("目標を大きく上回った", "done"), ("10割達成", "done"),
    ("職員向け研修を完了", "done"), ("達成を目指して取組中", "in_progress"), ("完了へ向けて準備", "in_progress"),
    # a qualifier changes only a done reading: its own word keeps the others
    ("一部中止", "cancelled"), ("一部遅れ", "delayed"), ("一部見直し", "changed"), ("一部未達成", "delayed"),
    # not reached, or reached only in the future: asked (like 未完了, 完了予定)
    ("達成に至らず", None), ("完了には至っていない", None), ("未済", None), ("達成見込み", None), ("完了予定", None),
])
def test_a_done_word_qualified_as_a_part_or_a_way_toward_it_is_in_progress(words, category):
    assert category_of_words(words) == category


def test_a_numbered_legend_with_a_partial_completion(tmp_path, capsys):
    """A CSV whose legend (under the table) says 「1：完了　2：部分的に完了　3：遅れ」: 2 is under way, not done."""
    path = _csv(tmp_path / "進捗.csv", [
        ["No", "取組", "担当課", "進捗"],
        ["1", "電子申請", "情報政策課", "1"],
        ["2", "電子契約", "契約課", "2"],
        ["3", "RPA", "行政改革課", "2"],
        ["4", "AI議事録", "行政改革課", "3"],
        [],
        ["凡例 1：完了　2：部分的に完了　3：遅れ"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "delayed": 1}}, toml


def test_result_phrases_toward_completion_in_a_yearly_sheet(tmp_path, capsys):
    """Yearly 「R5進捗」 written as phrases: 「完了」「一部完了」「完了に向けて調整中」「未着手」."""
    path = _workbook(tmp_path / "進捗.xlsx", "進捗", [
        ["取組No", "取組内容", "担当課", "R5進捗"],
        ["1", "電子申請", "情報政策課", "完了"],
        ["2", "電子契約", "契約課", "一部完了"],
        ["3", "RPA", "行政改革課", "完了に向けて調整中"],
        ["4", "AI-OCR", "行政改革課", "未着手"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("annual", 2023): {"done": 1, "in_progress": 2, "not_started": 1}}, toml


# --- 3. a 取組No Excel turned into a date, seen as text -----------------------------------------------------


@pytest.mark.parametrize(("text", "label"), [
    ("1月2日", "1-2"), ("１２月３日", "12-3"), ("2024/3/1", "3-1"), ("2025-01-05", "1-5"), ("2024年2月1日", "2-1"),
    ("2024/3/1 0:00", "3-1"), ("1-2", None), ("1/2", None), ("3-1-2", None), ("2月30日", None), ("R6.3.1", None),
    ("第1月2日", None),
])
def test_the_text_of_a_date_excel_made_of_a_label(text, label):
    found = dated_label_text(text)
    assert (found[0] if found else None) == label


def test_dated_labels_in_an_outline_column_of_a_utf8_csv_are_restored_and_shown(tmp_path, capsys):
    """A UTF-8 (BOM) CSV whose 番号 column is an outline (1-1, 1-3 …) with 「1月2日」 and 「2025-02-01」 among them:
    imported as 1-2 and 2-1, each cell warned."""
    path = tmp_path / "一覧.csv"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([
        ["番号", "取組内容", "担当課", "実施結果"],
        ["1-1", "電子申請", "情報政策課", "完了"],
        ["1月2日", "電子納付", "会計課", "順調"],
        ["1-3", "電子契約", "契約課", "遅れ"],
        ["2025-02-01", "テレワーク", "人事課", "順調"],
        ["2-2", "Web会議", "総務課", "完了"],
    ])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    preview = build_preview(path, inspect_file(path).mapping)
    dated = {w.location: w.message for w in preview.warnings if "日付" in w.message}
    assert set(dated) == {"一覧.csv!A3", "一覧.csv!A5"}, preview.warnings
    assert "「1-2」として取り込みました" in dated["一覧.csv!A3"]
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert _labels(plan) == ["1-1", "1-2", "1-3", "2-1", "2-2"], toml


def test_a_column_of_dated_labels_only_is_restored(tmp_path):
    """Every 取組No of the column became a date (1-1, 1-2, 2-1 typed into a CSV opened in Excel)."""
    path = _csv(tmp_path / "取組一覧.csv", [
        ["取組No", "取組名", "担当課", "進捗"],
        ["1月1日", "電子申請", "情報政策課", "完了"],
        ["1月2日", "電子契約", "契約課", "順調"],
        ["2月1日", "RPA", "行政改革課", "遅れ"],
    ])
    preview = build_preview(path, inspect_file(path).mapping)
    assert [w.location for w in preview.warnings if "日付" in w.message] == [
        "取組一覧.csv!A2", "取組一覧.csv!A3", "取組一覧.csv!A4"]
    assert [i.label for i in preview.draft.initiatives if not i.is_heading] == ["1-1", "1-2", "2-1"]


def test_a_dated_label_among_codes_is_kept_as_written_and_shown(tmp_path):
    """取組No written as codes (「DX-01」「DX-02」): a 「2024/3/1」 among them is no outline number restored; it is
    kept as written and its cell warned (not imported silently)."""
    path = _csv(tmp_path / "事業.csv", [
        ["事業番号", "事業名", "所管課", "評価"],
        ["DX-01", "電子申請", "情報政策課", "完了"],
        ["2024/3/1", "電子契約", "契約課", "順調"],
        ["DX-03", "RPA", "行政改革課", "遅れ"],
    ])
    preview = build_preview(path, inspect_file(path).mapping)
    dated = [w for w in preview.warnings if "日付" in w.message]
    assert [w.location for w in dated] == ["事業.csv!A3"], preview.warnings
    assert "書かれたとおり" in dated[0].message
    assert [i.label for i in preview.draft.initiatives if not i.is_heading] == ["DX-01", "2024/3/1", "DX-03"]


def test_a_dated_label_typed_as_text_in_a_workbook_is_restored(tmp_path, capsys):
    """The CSV's dates pasted back into a workbook as text (「3月1日」 a string cell, not a date): the same rule."""
    path = _workbook(tmp_path / "取組.xlsx", "取組", [
        ["No.", "取組名", "担当課", "進捗状況"],
        ["2-1", "電子申請", "情報政策課", "完了"],
        ["2-2", "電子契約", "契約課", "順調"],
        ["3月1日", "RPA", "行政改革課", "遅れ"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert _labels(plan) == ["2-1", "2-2", "3-1"], toml
