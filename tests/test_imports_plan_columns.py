"""Column mapping, year columns and data rows of plan files in other hands: variants of the defects of
tests/test_imports_other_hands_2.py written differently, so that the rules fixed are the general ones."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tenken.plans.models import Initiative, Plan
from tenken.reviews.models import InitiativeReview

from .test_imports_other_hands import _workbook, inspect_then_import, results

pytestmark = pytest.mark.django_db


def test_indicator_columns_named_otherwise_and_a_jisseki_of_numbers_are_left_out(tmp_path, capsys):
    """「成果指標」「目標値（件）」「達成率」 by name, and a 「実績」 column holding only numbers by its values:
    none is the result or the 実績・成果 text."""
    path = _workbook(
        tmp_path / "指標.xlsx",
        "取組",
        [
            ["No", "取組名", "担当課", "成果指標", "目標値（件）", "実績", "達成率", "進捗状況"],
            ["1", "電子申請", "DX推進課", "オンライン手続数", 100, 120, "120%", "完了"],
            ["2", "電子契約", "契約課", "電子契約件数", 50, 20, "40%", "遅れ"],
            ["3", "AI-OCR", "DX推進課", "削減時間", 300, 310, "103%", "完了"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'outcome = "F"' not in toml and 'status = "H"' in toml, toml
    assert "# F列「実績」: 見出し「実績」の値がすべて数値なので" in toml
    assert "# G列「達成率」: 見出し「達成率」は指標（KPI）の列です" in toml
    assert not InitiativeReview.objects.filter(inspection__plan=plan).exclude(outcome="").exists()
    assert results(plan) == {("final", 2026): {"done": 2, "delayed": 1}}


def test_a_jisseki_of_sentences_beside_kpi_columns_is_still_the_outcome(tmp_path, capsys):
    path = _workbook(
        tmp_path / "実績.xlsx",
        "取組",
        [
            ["No", "取組名", "KPI", "実績値", "実績", "進捗"],
            ["1", "電子申請", "手続数", 120, "20手続を追加した", "完了"],
            ["2", "電子契約", "件数", 20, "試行を開始", "遅れ"],
        ],
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'outcome = "E"' in toml, toml
    assert set(InitiativeReview.objects.filter(inspection__plan=plan).values_list("outcome", flat=True)) == {
        "20手続を追加した", "試行を開始"}


def test_a_plan_column_under_unmerged_years_in_a_csv_is_neither_result_nor_outcome(tmp_path, capsys):
    """「令和5年度」 written once over 「取組予定 | 実績 | 進捗」 (a CSV: nothing merged); 「概ね達成」 is not yet
    達成."""
    path = tmp_path / "年度.csv"
    path.write_text(
        "取組No,取組名,担当課,令和5年度,,,令和6年度,,\n"
        ",,,取組予定,実績,進捗,取組予定,実績,進捗\n"
        "1,電子申請,DX推進課,10手続,12手続,完了,20手続,25手続,概ね達成\n"
        "2,電子契約,契約課,試行,試行,順調,本格運用,一部運用,遅れ\n",
        encoding="utf-8",
    )
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert "# D列「令和5年度 取組予定」: 2023年度の計画（予定）の列です" in toml, toml
    assert results(plan) == {
        ("annual", 2023): {"done": 1, "in_progress": 1},
        ("annual", 2024): {"in_progress": 1, "delayed": 1},
    }, toml
    r = InitiativeReview.objects.get(inspection__plan=plan, initiative__number_label="2", fiscal_year=2024)
    assert r.outcome == "一部運用"


def test_sample_rows_marked_otherwise_are_skipped_and_initiatives_about_samples_are_kept(tmp_path, capsys):
    """「(例)」 heading the initiative text, a 「【入力例】」 row and a row of placeholders (「○○の推進」「△△課」)
    are samples; 「記入例の見直し」 and 「サンプル調査」 are initiatives. A mapping saved before 記入例 rows were
    recognised (its skip list the old proposal) skips them too."""
    path = _workbook(
        tmp_path / "様式.xlsx",
        "様式1",
        [
            ["番号", "事業名", "所管課", "進捗", "備考"],
            ["", "(例)窓口のキャッシュレス化", "会計課", "完了", ""],
            ["【入力例】", "電子申請の拡充", "DX推進課", "順調", ""],
            ["", "○○の推進", "△△課", "遅れ", ""],
            ["1", "記入例の見直し", "総務課", "完了", ""],
            ["2", "サンプル調査", "統計課", "順調", "例えば人口の推計"],
        ],
    )
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out
    assert "# 2行目: 記入例" in toml and "# 3行目: 記入例" in toml and "# 4行目: 記入例" in toml, toml
    old = toml.replace('skip = ["blank", "legend", "total", "note", "repeated_header", "example", "footer"]',
                       'skip = ["blank", "legend", "total", "note", "repeated_header"]').replace(
        "version = 3", "version = 1")
    assert old.count("version = 1") == 1 and "repeated_header\"]" in old
    (tmp_path / "old.toml").write_text(old, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "old.toml"), "--org", "140007", "--title", "計画",
                 "--fiscal-years", "R4-R8")
    plan = Plan.objects.get(title="計画")
    assert sorted(Initiative.objects.filter(plan=plan).values_list("text", flat=True)) == ["サンプル調査", "記入例の見直し"]
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1}}


def test_a_current_mapping_may_read_the_sample_rows(tmp_path, capsys):
    path = _workbook(tmp_path / "例.xlsx", "一覧", [["No", "取組名", "進捗"], ["例", "○○の導入", "順調"], ["1", "電子申請", "完了"],
                                                       ["2", "電子契約", "順調"]])
    call_command("import_plan", str(path), "--inspect")
    toml = capsys.readouterr().out.replace(', "example", "footer"]', ', "footer"]')
    assert "version = 3" in toml and '"repeated_header", "footer"]' in toml
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", "140007", "--title", "計画",
                 "--fiscal-years", "R4-R8")
    assert Initiative.objects.filter(plan__title="計画").count() == 3


def test_line_breaks_inside_workbook_cells_are_stored_as_lf(tmp_path, capsys):
    """A cell typed with Alt+Enter on Windows may carry CR LF (or Excel's escaped 「_x000D_」): the text is
    stored with LF, as a CSV's quoted cell is, so the report and the next export show one line break."""
    path = _workbook(
        tmp_path / "改行.xlsx",
        "取組",
        [
            ["No", "取組名", "担当課", "進捗状況", "備考"],
            ["1", "電子申請の拡充\r\n（子育て分野）", "DX推進課", "完了", "前期\r後期"],
            ["2", "電子契約_x000D_\n（工事）", "契約課", "遅れ", ""],
        ],
    )
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    texts = dict(Initiative.objects.filter(plan=plan).values_list("number_label", "text"))
    assert texts == {"1": "電子申請の拡充\n（子育て分野）", "2": "電子契約\n（工事）"}
    assert Initiative.objects.get(plan=plan, number_label="1").note == "前期\n後期"
