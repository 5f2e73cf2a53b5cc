"""Plans in other hands: inspect → proposed mapping (TOML) → import, with the fixtures of
tests/fixtures/imports/build.py. Each imports with exact counts or is refused with every located message
and the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenken.common.errors import InputRejected
from tenken.imports.inspect import inspect_file
from tenken.imports.mapping import from_toml, to_toml
from tenken.imports.services import plan_import_mapped, profile_get, profile_save
from tenken.plans.models import Initiative, Section, Status
from tenken.reviews.models import InitiativeReview, Inspection

from .conftest import db_snapshot
from .fixtures.imports import build
from .personas import OPERATOR, operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return build.build_all(tmp_path / "imports")


def proposed(path: Path):
    """The proposed mapping as the CLI prints it, read back: what a user passes on unchanged."""
    return from_toml(to_toml(inspect_file(path).mapping))


def run(path: Path, mapping=None, **kw):
    args = {"org_code": "140007", "title": "DX推進計画", "fiscal_years": "R1-R5"} | kw
    return plan_import_mapped(user=operator(), path=path, mapping=mapping or proposed(path), **args)


def refused(path: Path, mapping=None, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        run(path, mapping, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def by_category(plan, kind="final") -> dict[str, int]:
    out: dict[str, int] = {}
    for r in InitiativeReview.objects.filter(inspection__plan=plan, inspection__kind=kind).select_related("status"):
        out[r.status.category] = out.get(r.status.category, 0) + 1
    return out


def test_multi_sheet_plan_keeps_every_sheet(files):
    result = inspect_file(files["multi-sheet.xlsx"])
    assert [s.name for s in result.mapping.sheets if s.use] == [
        "基本方針1 行政サービスのデジタル化", "基本方針2 デジタル人材の育成", "基本方針3 情報基盤の強化"]
    assert result.mapping.policy_from == "sheet"
    assert [r.why for r in result.sheets if not r.used] == ["凡例のシート"]
    plan = run(files["multi-sheet.xlsx"]).plan
    assert Section.objects.filter(plan=plan, depth=0).count() == 3
    assert Section.objects.filter(plan=plan, depth=1).count() == 6
    assert Initiative.objects.filter(plan=plan).count() == 12
    assert by_category(plan) == {"done": 3, "in_progress": 3, "delayed": 3, "not_started": 3}
    assert Initiative.objects.get(plan=plan, number_label="2-1").departments.get().name == "デジタル推進課1"


def test_problems_of_all_sheets_are_located_together(tmp_path):
    path = build.multi_sheet(tmp_path / "bad.xlsx", fix=False)
    mapping = proposed(build.multi_sheet(tmp_path / "good.xlsx"))
    messages = refused(path, mapping)
    assert messages == [
        "基本方針2 デジタル人材の育成!E3: 実施結果「たぶん」を解釈できません（選択肢: 完了（完了）、順調（順調）、遅れ（遅れ）、未着手（未着手））",
        "基本方針2 デジタル人材の育成!C4: 取組内容が空欄です",
    ]


def test_three_row_header_title_block_legend_and_totals(files):
    result = inspect_file(files["three-row-header.xlsx"])
    sheet = result.sheets[0]
    assert sheet.header_rows == [5, 6, 7]
    assert [(r.row, r.kind) for r in sheet.rows] == [(11, "total"), (15, "total"), (16, "total"), (17, "note")]
    assert [(e.value, e.label, e.category) for e in result.mapping.scale] == [
        ("◎", "完了", "done"), ("○", "順調", "in_progress"), ("△", "遅れ", "delayed"), ("×", "未着手", "not_started")]
    assert [(y.column, y.fiscal_year, y.field) for y in result.mapping.sheets[0].years] == [
        ("F", 2022, "status"), ("G", 2023, "status")]
    outcome = run(files["three-row-header.xlsx"])
    plan = outcome.plan
    assert [s.kind for s in outcome.preview.skipped] == ["total", "total", "total", "note"]
    assert list(Section.objects.filter(plan=plan, depth=0).values_list("code", "title")) == [
        ("1", "行政サービスのデジタル化"), ("2", "デジタル人材の育成")]
    assert Initiative.objects.filter(plan=plan).count() == 6
    assert list(Inspection.objects.filter(plan=plan).values_list("kind", "fiscal_year")) == [
        ("annual", 2022), ("annual", 2023)]
    assert by_category(plan, "annual") == {"done": 3, "in_progress": 4, "delayed": 3, "not_started": 2}
    assert Initiative.objects.get(plan=plan, number_label="1").note == "今後の方向性: 現状維持"


def test_cp932_legacy_export_with_multiline_cells(files):
    plan = run(files["cp932-legacy.csv"]).plan
    assert Initiative.objects.filter(plan=plan).count() == 4
    changed = InitiativeReview.objects.get(initiative__plan=plan, status__code="changed")
    assert changed.change_reason == "国の標準仕様の改定を待つため\n令和6年度に延期"
    assert changed.source_ref == "cp932-legacy.csv!5行目"  # the line the record starts on (record 1 spans lines 2-3)
    first = Initiative.objects.get(plan=plan, number_label="1")
    assert first.text == "電子申請の拡充\n（申請書の様式を見直す）"
    assert sorted(first.departments.values_list("name", flat=True)) == ["情報政策課", "総務課"]


def test_numeric_scale_with_legend(files):
    plan = run(files["numeric-scale.xlsx"]).plan
    assert list(Status.objects.filter(plan=plan).values_list("label", "category")) == [
        ("完了", "done"), ("順調", "in_progress"), ("遅れ", "delayed"), ("未着手", "not_started")]
    assert by_category(plan) == {"done": 1, "in_progress": 2, "delayed": 2, "not_started": 1}


def test_numeric_scale_without_legend_is_a_located_question(tmp_path):
    path = build.numeric_scale(tmp_path / "n.xlsx", legend=False)
    messages = refused(path)
    assert len(messages) == 6
    assert messages[0] == ("取組一覧!E4: 実施結果「1」の区分が未確認です（凡例がありません）。"
                           "対応表の [[scale]] で category を指定してください（神奈川県の①②③とは限りません）")
    mapping = proposed(path)
    for e, cat in zip(mapping.scale, ["done", "in_progress", "delayed", "not_started"], strict=True):
        e.category = cat
    assert by_category(run(path, mapping).plan) == {"done": 1, "in_progress": 2, "delayed": 2, "not_started": 1}


def test_yearly_r1_to_r4_with_indicator_columns(files):
    result = inspect_file(files["yearly-r1-r4.xlsx"])
    ignored = [(c.letter, c.reason) for c in result.sheets[0].columns if not c.field and not c.year]
    assert [letter for letter, _ in ignored] == ["J", "K", "L"]
    assert "指標" in ignored[1][1]
    outcome = run(files["yearly-r1-r4.xlsx"])
    plan = outcome.plan
    assert list(Inspection.objects.filter(plan=plan).values_list("fiscal_year", flat=True)) == [2019, 2020, 2021, 2022]
    assert InitiativeReview.objects.filter(inspection__plan=plan).count() == 20
    assert by_category(plan, "annual") == {"in_progress": 9, "not_started": 1, "delayed": 2, "done": 5, "changed": 1,
                                           "cancelled": 2}
    assert [str(w) for w in outcome.preview.warnings] == [
        "計画!I3: 「変更」の理由が記入されていません", "計画!I6: 「中止」の理由が記入されていません"]


def test_excel_dated_labels_are_restored(files):
    outcome = run(files["dated-labels.xlsx"])
    assert list(Initiative.objects.filter(plan=outcome.plan).values_list("number_label", flat=True)) == [
        "1-2", "3-1", "12-1", "1"]
    assert [w.location for w in outcome.preview.warnings] == ["取組!A2", "取組!A3", "取組!A4"]


def test_over_long_fields_are_reported_with_their_cell(files):
    assert refused(files["over-long.xlsx"]) == [
        "取組!A3: 取組Noが40文字を超えています（45文字）。短くしてください",
        "取組!B4: 方針（大項目）が300文字を超えています（301文字）。短くしてください",
        "取組!D5: 担当所属の名前が200文字を超えています（201文字）",
    ]
    assert refused(files["dated-labels.xlsx"], title="計" * 201) == ["--title: 計画名が200文字を超えています（201文字）"]


def test_kanagawa_proposed_mapping_gives_the_same_plan(kanagawa_dir):
    mapping = proposed(kanagawa_dir / "action-plan.xlsx")
    assert [e.code for e in mapping.scale] == ["achieved", "in_progress", "changed"]
    plan = run(kanagawa_dir / "action-plan.xlsx", mapping, fiscal_years="2014-2018").plan
    assert Initiative.objects.filter(plan=plan, is_heading=False).count() == 100
    assert by_category(plan) == {"done": 60, "in_progress": 35, "changed": 5}


def test_result_kind_is_asked_not_inferred(files):
    mapping = proposed(files["numeric-scale.xlsx"])
    mapping.result = ""
    assert refused(files["numeric-scale.xlsx"], mapping)[0].startswith("対応表:result: 単一の実施結果列を最終点検とするか")
    mapping.result, mapping.result_year = "annual", 2023
    plan = run(files["numeric-scale.xlsx"], mapping).plan
    assert list(Inspection.objects.filter(plan=plan).values_list("kind", "fiscal_year")) == [("annual", 2023)]


def test_profile_is_reused_next_year(tmp_path):
    first = build.multi_sheet(tmp_path / "r5.xlsx")
    outcome = run(first, profile_name="計画")
    org = outcome.plan.organization
    saved = profile_get(organization=org)
    assert saved is not None and [s.name for s in saved.sheets if s.use] == [
        s.name for s in proposed(first).sheets if s.use]
    nxt = build.multi_sheet(tmp_path / "r6.xlsx", extra=2)
    plan = run(nxt, saved, title="DX推進計画 R6").plan
    assert Initiative.objects.filter(plan=plan).count() == 14
    profile_save(user=operator(), organization=org, name="計画", mapping=saved)


def test_cli_inspect_then_mapping(files, tmp_path, capsys):
    operator()  # the imports act as --user tenken-setup
    call_command("import_plan", str(files["numeric-scale.xlsx"]), "--inspect")
    toml = capsys.readouterr().out
    assert 'value = "3"' in toml and 'category = "delayed"  # 凡例「3：遅れ」' in toml
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    call_command("import_plan", str(files["numeric-scale.xlsx"]), "--mapping", str(tmp_path / "m.toml"),
                 "--org", "140007", "--title", "T", "--fiscal-years", "R5-R9", "--user", OPERATOR)
    assert "取組 6（ほかに見出し行 0） / 実施結果: 完了 1、順調 2、遅れ 2、未着手 1" in capsys.readouterr().out
    before = db_snapshot()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_plan", str(files["over-long.xlsx"]), "--mapping", str(tmp_path / "m.toml"),
                     "--org", "140007", "--title", "T2", "--fiscal-years", "R5-R9", "--user", OPERATOR)
    assert db_snapshot() == before


def test_reason_in_a_merged_cell_belongs_to_every_row_of_it(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "取組"
    ws.append(["No.", "施策", "取組名", "進捗状況", "変更の理由"])
    ws.append(["1", "施策A", "取組1", "変更", "国の制度改正に合わせて見直した"])
    ws.append(["2", "施策A", "取組2", "変更", None])
    ws.append(["3", "施策A", "取組3", "順調", None])
    ws.merge_cells("E2:E3")
    wb.save(tmp_path / "merged.xlsx")
    outcome = run(tmp_path / "merged.xlsx")
    assert outcome.preview.warnings == []
    reasons = dict(InitiativeReview.objects.filter(initiative__plan=outcome.plan)
                   .values_list("initiative__number_label", "change_reason"))
    assert reasons == {"1": "国の制度改正に合わせて見直した", "2": "国の制度改正に合わせて見直した", "3": ""}


def test_kanagawa_csv_with_its_proposed_mapping(kanagawa_dir):
    plan = run(kanagawa_dir / "initiatives.csv", fiscal_years="2014-2018").plan
    assert Initiative.objects.filter(plan=plan, is_heading=False).count() == 100
    assert Initiative.objects.filter(plan=plan, is_heading=True).count() == 5
    assert by_category(plan) == {"done": 60, "in_progress": 35, "changed": 5}


def test_a_file_changed_on_disk_is_read_again(tmp_path):
    """inspect → preview → import of one upload parse it once, but a file rewritten in place (the wizard's
    「ファイルを差し替える」, a user fixing the file between --inspect and --mapping) is read anew."""
    path = build.numeric_scale(tmp_path / "plan.xlsx")
    first = inspect_file(path)
    assert inspect_file(path).mapping.sheets[0].header_rows == first.mapping.sheets[0].header_rows == [3]
    build.numeric_scale(path, legend=False)
    assert [e.category for e in inspect_file(path).mapping.scale] == ["", "", "", ""]
    build.numeric_scale(path)
    assert [e.category for e in inspect_file(path).mapping.scale] == ["done", "in_progress", "delayed", "not_started"]
