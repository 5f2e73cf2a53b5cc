"""Status values and scales written in other hands (third probe, values share): held-back words, dashes,
results with the date they were reached, progress rates, and schedules drawn over the years. Each is written
differently from its reproduction in tests/test_imports_other_hands_3.py, so the rule is shown to be general."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tenken.imports.scale import category_of_words, propose_scale, split_annotation
from tenken.reviews.models import InitiativeReview

from .conftest import db_snapshot
from .test_imports_other_hands import _workbook, inspect_then_import, results

pytestmark = pytest.mark.django_db


def _refused(path: Path, tmp_path: Path, capsys, *, toml: str | None = None) -> tuple[str, str]:
    if toml is None:
        call_command("import_plan", str(path), "--inspect")
        toml = capsys.readouterr().out
    (tmp_path / "mapping.toml").write_text(toml, encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_plan", str(path), "--mapping", str(tmp_path / "mapping.toml"), "--org", "140007",
                     "--title", "計画", "--fiscal-years", "R4-R8")
    assert db_snapshot() == before
    return toml, capsys.readouterr().err


def _csv(path: Path, rows: list[list[object]], encoding: str = "cp932") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# --- 1. held back: 見送り / 見合わせ / 保留 are asked, 延期 / 中断 win over the 実施 beside them -----------------


@pytest.mark.parametrize(("words", "category"), [
    ("実施延期", "delayed"), ("着手を延期", "delayed"), ("実施を先送り", "delayed"),
    ("取組を中断", "cancelled"), ("実施断念", "cancelled"), ("事業凍結", "cancelled"),
    ("実施見送り", None), ("導入を見合わせ", None), ("着手保留", None), ("実施見合せ", None),
    ("実施中", "in_progress"), ("一部実施", "in_progress"), ("未実施", "not_started"),
])
def test_words_that_hold_the_work_back_win_over_its_implementation(words, category):
    assert category_of_words(words) == category


def test_a_held_back_value_is_a_located_question_with_its_reason(tmp_path, capsys):
    """A CSV 「取組状況」 of 完了 / 実施中 / 着手見合わせ / 延期: 延期 is a delay, 着手見合わせ (for how long?) is asked at its
    cell with the reason, never 実施中 for its 着手."""
    path = _csv(tmp_path / "取組状況.csv", [
        ["番号", "事業名", "所管課", "取組状況"],
        ["1", "電子申請", "情報政策課", "完了"],
        ["2", "RPA", "情報政策課", "実施中"],
        ["3", "電子契約", "契約課", "着手見合わせ"],
        ["4", "公衆無線LAN", "企画課", "延期"],
    ])
    toml, err = _refused(path, tmp_path, capsys)
    assert "要確認: 実施結果「着手見合わせ」の区分: 「見合わせ」は中止（cancelled）とも延期・遅れ（delayed）とも" in toml, toml
    assert 'value = "延期"\nlabel = "延期"\ncategory = "delayed"' in toml, toml
    assert "取組状況.csv!D4: 実施結果「着手見合わせ」の区分が未確認です（「見合わせ」は中止" in err, err
    assert "D5" not in err


def test_a_legend_entry_that_holds_back_is_kept_and_asked():
    entries = {e.value: e for e in propose_scale(["A", "B", "C"], {"A": "完了", "B": "実施中", "C": "実施見送り"})}
    assert entries["C"].label == "実施見送り" and entries["C"].category == ""
    assert "推定しません" in entries["C"].reason


# --- 3. a dash is asked, whatever dash it is ------------------------------------------------------------------


@pytest.mark.parametrize("dash", ["ー", "―", "-", "—"])
def test_a_dash_beside_a_letter_scale_is_asked(tmp_path, capsys, dash):
    """A/B/C/D with another dash for the rows not evaluated (a CSV): the dash is a located question saying why
    (対象外 as often as 未着手), and nothing is written."""
    path = _csv(tmp_path / "評価.csv", [
        ["No", "取組名", "担当課", "評価"],
        ["1", "電子申請", "DX推進課", "A"],
        ["2", "電子契約", "契約課", dash],
        ["3", "RPA", "DX推進課", "B"],
        ["4", "ドローン", "防災課", "D"],
    ], "utf-8-sig")
    toml, err = _refused(path, tmp_path, capsys)
    assert f"要確認: 実施結果「{dash}」の区分: 「{dash}」は対象外・該当なし" in toml, toml
    assert f"評価.csv!D3: 実施結果「{dash}」の区分が未確認です（「{dash}」は対象外・該当なし" in err, err
    assert "D2" not in err and "D5" not in err


def test_a_dash_answered_in_the_mapping_is_imported(tmp_path, capsys):
    """The user answers the question in the TOML (here: 対象外 rows skipped, one dash 未着手): it imports."""
    path = _workbook(tmp_path / "評価.xlsx", "評価", [
        ["No", "取組名", "担当課", "評価"],
        ["1", "電子申請", "DX推進課", "◎"],
        ["2", "電子契約", "契約課", "－"],
        ["3", "RPA", "DX推進課", "△"],
    ])
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out.replace('value = "－"\nlabel = "－"\ncategory = ""',
                                             'value = "－"\nlabel = "対象外"\ncategory = "not_started"')
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007",
                 "--title", "計画", "--fiscal-years", "R4-R8")
    from tenken.plans.models import Plan

    plan = Plan.objects.get(title="計画")
    assert results(plan) == {("final", 2026): {"done": 1, "delayed": 1, "not_started": 1}}


# --- 4. a result with the date it was reached ---------------------------------------------------------------


@pytest.mark.parametrize(("value", "word"), [
    ("完了 R6.3", "完了"), ("【令和5年12月】完了", "完了"), ("達成(2024/2)", "達成"), ("実施中（R5.4～）", "実施中"),
    ("完了〔R5年度〕", "完了"), ("完了（10月末）", "完了"),
])
def test_a_date_beside_a_status_word_is_an_annotation(value, word):
    assert split_annotation(value)[0] == word


@pytest.mark.parametrize("value", ["完了（一部）", "完了（R6.3予定）", "遅れ（3件）", "R5完了", "完了"])
def test_other_words_beside_a_status_are_no_date_annotation(value):
    assert split_annotation(value) is None


def test_a_completion_still_planned_is_not_done():
    assert category_of_words("完了（R6.3予定）") is None
    assert category_of_words("達成見込み") is None


def test_yearly_results_with_their_dates_are_one_status_and_the_date_is_that_years_outcome(tmp_path, capsys):
    """Yearly columns (R4 進捗 / R5 進捗) with dates written after a space or before in brackets: one 完了 in the
    scale, the dates kept in that year's 実績・成果; a date not in the inspected file (edited later) still reads."""
    path = _workbook(tmp_path / "進捗.xlsx", "進捗", [
        ["No", "取組名", "担当課", "R4進捗", "R5進捗"],
        ["1", "電子申請", "DX推進課", "実施中", "完了 R6.1"],
        ["2", "電子契約", "契約課", "【R5.2】完了", "完了"],
        ["3", "RPA", "DX推進課", "未着手", "実施中"],
    ])
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out
    assert toml.count('category = "done"') == 1, toml
    # The file is corrected after inspection: another month, the mapping unchanged.
    wb = __import__("openpyxl").load_workbook(path)
    wb["進捗"]["E2"] = "完了（令和6年3月）"
    wb.save(path)
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007",
                 "--title", "計画", "--fiscal-years", "R4-R8")
    from tenken.plans.models import Plan

    plan = Plan.objects.get(title="計画")
    assert results(plan) == {("annual", 2022): {"done": 1, "in_progress": 1, "not_started": 1},
                             ("annual", 2023): {"done": 2, "in_progress": 1}}
    assert plan.statuses.filter(category="done").count() == 1
    r5 = InitiativeReview.objects.get(inspection__plan=plan, initiative__number_label="1", fiscal_year=2023)
    r4 = InitiativeReview.objects.get(inspection__plan=plan, initiative__number_label="2", fiscal_year=2022)
    assert "令和6年3月" in r5.outcome and "R5.2" in r4.outcome


# --- 2. a progress rate as the result -----------------------------------------------------------------------


def test_progress_rates_written_as_text_in_a_csv(tmp_path, capsys):
    """A CSV 「進捗率（%）」 of 100% / 60% / 0% / 25%: the result, in three bands; the rate kept in the outcome."""
    path = _csv(tmp_path / "進捗.csv", [
        ["番号", "事業名", "所管課", "進捗率（%）"],
        ["1", "電子申請", "情報政策課", "100%"],
        ["2", "電子契約", "契約課", "60%"],
        ["3", "RPA", "情報政策課", "0%"],
        ["4", "AI-OCR", "情報政策課", "25%"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'status = "D"' in toml and "Excel の%表示" not in toml, toml
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "not_started": 1}}
    r = InitiativeReview.objects.get(inspection__plan=plan, initiative__number_label="2")
    assert "進捗率: 60%" in r.outcome


def test_progress_rates_typed_as_numbers_out_of_a_hundred(tmp_path, capsys):
    """「進捗度(%)」 typed as 100 / 40 / 0 (no percent format): 100 is done, 40 in progress, 0 not started; 1 is
    1% here (the numbers go beyond 1), in progress."""
    path = _workbook(tmp_path / "進捗.xlsx", "一覧", [
        ["No", "取組名", "担当課", "進捗度(%)"],
        ["1", "電子申請", "DX推進課", 100],
        ["2", "電子契約", "契約課", 40],
        ["3", "RPA", "DX推進課", 0],
        ["4", "AI-OCR", "DX推進課", 1],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 2, "not_started": 1}}


def test_a_kpi_achievement_rate_beside_its_target_and_actual_is_left_out(tmp_path, capsys):
    """「目標値 | 実績値 | 達成率」 with no result column: the indicator's rate is no initiative's result. The file is
    refused for having no result column, not read from the KPI."""
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    ws.append(["No", "取組名", "担当課", "目標値", "実績値", "達成率"])
    for i, (t, goal, done) in enumerate([("電子申請", 100, 120), ("電子契約", 50, 25), ("RPA", 10, 0)], 1):
        ws.append([str(i), t, "DX推進課", goal, done, done / goal])
    wb.save(tmp_path / "kpi.xlsx")
    toml, err = _refused(tmp_path / "kpi.xlsx", tmp_path, capsys)
    assert "status =" not in toml and "実施結果の列" in err, (toml, err)


def test_a_rate_beside_a_real_progress_column_stays_a_kpi(tmp_path):
    from tenken.imports.inspect import inspect_file

    path = _workbook(tmp_path / "進捗.xlsx", "進捗", [
        ["No", "取組名", "担当課", "進捗状況", "進捗率"],
        ["1", "電子申請", "DX推進課", "完了", 1],
        ["2", "電子契約", "契約課", "順調", 0.5],
    ])
    mapping = inspect_file(path).mapping
    assert mapping.sheets[0].columns["status"] == "D"
    assert "E" not in mapping.sheets[0].columns.values()
    assert {e.value for e in mapping.scale} == {"完了", "順調"}


# --- 5. a schedule drawn over the years ---------------------------------------------------------------------


def test_bare_year_columns_holding_arrows_are_a_schedule(tmp_path, capsys):
    """R4 R5 R6 headers with no word beside them, holding 「検討」「━━━」「――→」「運用」: the arrows make the
    whole group a schedule (檢討 in R4 is no R4 result either); the 評価 column is the result."""
    path = _workbook(tmp_path / "工程.xlsx", "取組", [
        ["No", "取組名", "担当課", "R4", "R5", "R6", "評価"],
        ["1", "電子申請", "DX推進課", "検討", "――→", "運用", "A"],
        ["2", "電子契約", "契約課", "検討", "検討", "━━━", "B"],
        ["3", "RPA", "DX推進課", "導入", "⇒", "⇒", "C"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "[[sheets.years]]" not in toml, toml
    assert "実施スケジュール（計画）です" in toml
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1}}


@pytest.mark.parametrize("group", ["工程表", "年次計画", "ロードマップ", "取組スケジュール"])
def test_year_columns_under_a_schedule_heading_are_left_out(tmp_path, group):
    from tenken.imports.inspect import inspect_file

    wb = Workbook()
    ws = wb.active
    ws.append(["取組名", "担当課", group, None, None, "進捗状況"])
    ws.append([None, None, "令和5年度", "令和6年度", "令和7年度", None])
    for c in ("A", "B", "F"):
        ws.merge_cells(f"{c}1:{c}2")
    ws.merge_cells("C1:E1")
    ws.append(["電子申請", "DX推進課", "実施", "実施", "実施", "順調"])
    ws.append(["電子契約", "契約課", "検討", "実施", "実施", "遅れ"])
    wb.save(tmp_path / "計画.xlsx")
    sheet = inspect_file(tmp_path / "計画.xlsx").mapping.sheets[0]
    assert sheet.years == [] and sheet.columns["status"] == "F"


def test_a_dash_among_the_progress_rates_is_asked_and_the_rates_stay_the_result(tmp_path, capsys):
    """進捗率 100% / 50% / － / 0%: the dash (対象外? 未着手?) made the column not a column of rates, so it was left
    out as a KPI's and the sheet had no result column at all. The rates are the result; the dash is asked at
    its cell, and nothing is written until it is answered."""
    path = _workbook(tmp_path / "進捗率.xlsx", "進捗管理", [
        ["No", "取組名", "担当課", "進捗率"],
        ["1", "電子申請", "DX推進課", "100%"],
        ["2", "電子契約", "契約課", "50%"],
        ["3", "公衆無線LAN", "防災課", "－"],
        ["4", "RPA", "DX推進課", "0%"],
    ])
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out
    assert 'status = "D"' in toml, toml
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(toml, encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), "--mapping", str(mapping), "--org", "140007", "--title", "計画",
                     "--fiscal-years", "R4-R8")
    assert "進捗管理!D4" in capsys.readouterr().err
    assert db_snapshot() == before
    mapping.write_text(toml.replace('value = "－"\nlabel = "－"\ncategory = ""',
                                    'value = "－"\nlabel = "対象外"\ncategory = "not_started"'), encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(mapping), "--org", "140007", "--title", "計画",
                 "--fiscal-years", "R4-R8")
    from tenken.plans.models import Plan

    assert results(Plan.objects.get(title="計画")) == {("final", 2026): {"done": 1, "in_progress": 1, "not_started": 2}}
