"""Departments and yearly rows written in other hands (variants of tests/test_imports_other_hands_3.py):
the lead 課 marks and a 係 in brackets under its 課 in the 担当課 cell, and one initiative written over
one row per fiscal year with a 「年度」 column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tenken.plans.draft import split_departments
from tenken.plans.models import Initiative, Plan

from .conftest import db_snapshot
from .test_imports_other_hands import _workbook, departments, inspect_then_import, results

pytestmark = pytest.mark.django_db


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# --- the 担当課 cell ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    # a sub-unit in brackets on the line under its 課 belongs to it (half- or full-width brackets)
    ("情報政策課\n(システム係)", ["情報政策課(システム係)"]),
    ("市民課\n【窓口係】\n税務課", ["市民課【窓口係】", "税務課"]),
    ("企画課\n〔政策調整担当〕、財政課", ["企画課〔政策調整担当〕", "財政課"]),
    # two departments on two lines stay two; a bracket inside a name is the name's
    ("企画課\n情報政策課", ["企画課", "情報政策課"]),
    ("(仮称)デジタル推進課", ["(仮称)デジタル推進課"]),
    # lead and co-lead marks are dropped, split on, and the lead comes first wherever it is written
    ("情報政策課、●企画課", ["企画課", "情報政策課"]),
    ("○財政課○人事課◎行政改革課", ["行政改革課", "財政課", "人事課"]),
    ("主担当：DX推進課\n副担当：情報政策課", ["DX推進課", "情報政策課"]),
    ("[副]契約課 [主]財政課", ["財政課", "契約課"]),
    ("情報政策課（関係課）、企画課（主管）", ["企画課", "情報政策課"]),
    ("【主】市民課　【関係】戸籍課・保険年金課", ["市民課", "戸籍課", "保険年金課"]),
    ("★子育て支援課\n☆保育課", ["子育て支援課", "保育課"]),
    # a placeholder of doubled marks and names with 主/副 inside are no marks
    ("〇〇課", ["〇〇課"]),
    ("主税課・副読本編集室", ["主税課", "副読本編集室"]),
])
def test_department_cell(cell, expected):
    assert split_departments(cell) == expected


def test_lead_marks_and_sub_units_in_a_csv_import(tmp_path, capsys):
    """A CSV (as exported from a groupware form) whose 所管課 holds 「主担当：…／副担当：…」, 「…課（主）」 after the
    name, and a 係 on the next line in half-width brackets: the 課 themselves, the 係 kept with its 課."""
    path = _csv(tmp_path / "所管.csv", [
        ["取組番号", "事業名", "所管課", "進捗状況"],
        ["1", "公共施設予約のオンライン化", "主担当：スポーツ課／副担当：DX推進課", "完了"],
        ["2", "GIS の全庁導入", "都市計画課（主）\n情報政策課", "順調"],
        ["3", "ペーパーレス会議", "総務課\n(文書係)", "遅れ"],
        ["4", "窓口キャッシュレス", "○会計課○市民課", "未着手"],
    ])
    _toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert departments(plan) == {
        "1": ["DX推進課", "スポーツ課"],
        "2": ["情報政策課", "都市計画課"],
        "3": ["総務課(文書係)"],
        "4": ["会計課", "市民課"],
    }
    assert results(plan) == {("final", 2026): {"done": 1, "in_progress": 1, "delayed": 1, "not_started": 1}}


# --- one initiative over one row per fiscal year ---------------------------------------------------------


def _mapping_text(path: Path, capsys) -> str:
    call_command("import_plan", str(path), "--inspect")
    return capsys.readouterr().out


def _import(path: Path, tmp_path: Path, toml: str, years: str = "R4-R8") -> Plan:
    (tmp_path / "mapping.toml").write_text(toml, encoding="utf-8")
    call_command("import_plan", str(path), "--mapping", str(tmp_path / "mapping.toml"), "--org", "140007",
                 "--title", "計画", "--fiscal-years", years)
    return Plan.objects.get(title="計画")


def _refused(path: Path, tmp_path: Path, toml: str, capsys, years: str = "R4-R8") -> str:
    (tmp_path / "mapping.toml").write_text(toml, encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("import_plan", str(path), "--mapping", str(tmp_path / "mapping.toml"), "--org", "140007",
                     "--title", "計画", "--fiscal-years", years)
    assert db_snapshot() == before
    return capsys.readouterr().err


def _three_year_csv(path: Path, years: tuple[str, str, str], fourth: str | None = None) -> Path:
    """A CSV (no merged cells): the No and 事業名 written on the first of each initiative's rows only, blank on
    the next ones; 評価年度 written 令和4年度…; a 課題 differing by year."""
    rows: list[list[object]] = [["No", "事業名", "所管課", "評価年度", "評価", "取組実績", "課題"]]
    rows += [
        ["1", "公共施設予約のオンライン化", "スポーツ課", years[0], "B", "要件定義", ""],
        ["", "", "", years[1], "A", "運用開始", "利用者周知"],
        ["", "", "", years[2], "A", "対象施設を拡大", ""],
        ["2", "庁内チャットの導入", "情報政策課", years[0], "C", "調達延期", "予算"],
        ["", "", "", years[1], "B", "試行", ""],
        ["", "", "", fourth or years[2], "A", "全庁展開", ""],
    ]
    return _csv(path, rows)


def test_a_csv_with_the_name_only_on_the_first_of_each_initiatives_rows(tmp_path, capsys):
    path = _three_year_csv(tmp_path / "評価.csv", ("令和4年度", "令和5年度", "令和6年度"))
    toml = _mapping_text(path, capsys)
    assert 'fiscal_year = "D"' in toml, toml
    assert "単一の実施結果列を最終点検" not in toml  # no final/annual question: each row says its year
    plan = _import(path, tmp_path, toml.replace('category = ""', 'category = "done"'))
    assert list(Initiative.objects.filter(plan=plan).order_by("order").values_list("text", flat=True)) == [
        "公共施設予約のオンライン化", "庁内チャットの導入"]
    rows = results(plan)
    assert set(rows) == {("annual", 2022), ("annual", 2023), ("annual", 2024)}, rows
    assert sum(sum(v.values()) for v in rows.values()) == 6
    from tenken.reviews.models import InitiativeReview

    outcomes = dict(InitiativeReview.objects.filter(inspection__plan=plan, initiative__number_label="1")
                    .values_list("fiscal_year", "outcome"))
    assert outcomes == {2022: "要件定義", 2023: "運用開始", 2024: "対象施設を拡大"}
    assert departments(plan) == {"1": ["スポーツ課"], "2": ["情報政策課"]}


def test_rows_grouped_by_year_with_the_year_as_a_number(tmp_path, capsys):
    """All of FY2022's rows, then all of FY2023's (the No repeated, the year typed as the number 2022): the rows
    of one No under one 施策 are one initiative, wherever they stand."""
    path = _workbook(tmp_path / "年度別.xlsx", "進捗", [
        ["施策", "取組番号", "取組名", "年度", "進捗状況"],
        ["(1) 手続", "1", "電子申請", 2022, "遅れ"],
        ["(1) 手続", "2", "電子納付", 2022, "順調"],
        ["(2) 窓口", "1", "書かない窓口", 2022, "未着手"],
        ["(1) 手続", "1", "電子申請", 2023, "完了"],
        ["(1) 手続", "2", "電子納付", 2023, "完了"],
        ["(2) 窓口", "1", "書かない窓口", 2023, "順調"],
    ])
    toml = _mapping_text(path, capsys)
    assert 'fiscal_year = "D"' in toml, toml
    plan = _import(path, tmp_path, toml)
    assert Initiative.objects.filter(plan=plan).count() == 3
    assert results(plan) == {("annual", 2022): {"delayed": 1, "in_progress": 1, "not_started": 1},
                             ("annual", 2023): {"done": 2, "in_progress": 1}}


def test_an_unreadable_year_is_refused_at_its_cell(tmp_path, capsys):
    path = _three_year_csv(tmp_path / "評価.csv", ("R4", "R5", "R6"), fourth="次年度")
    toml = _mapping_text(path, capsys)
    assert 'fiscal_year = "D"' in toml, toml
    err = _refused(path, tmp_path, toml.replace('category = ""', 'category = "done"'), capsys)
    assert "評価.csv!D7: 年度「次年度」を読めません" in err, err


def test_a_year_outside_the_plan_or_twice_for_one_initiative_is_refused(tmp_path, capsys):
    path = _three_year_csv(tmp_path / "評価.csv", ("R4", "R5", "R6"))
    toml = _mapping_text(path, capsys).replace('category = ""', 'category = "done"')
    err = _refused(path, tmp_path, toml, capsys, years="R5-R9")
    assert "評価.csv!D2: 2022年度の行は計画期間（2023～2027年度）の外です" in err, err
    path = _three_year_csv(tmp_path / "評価2.csv", ("R4", "R5", "R6"), fourth="R5")
    err = _refused(path, tmp_path, _mapping_text(path, capsys).replace('category = ""', 'category = "done"'), capsys)
    assert "評価2.csv!D7: 「庁内チャットの導入」の令和5年度の行が 評価2.csv!D6 にもあります" in err, err


def test_a_year_column_with_one_row_per_initiative_is_not_guessed(tmp_path, capsys):
    """「実施年度」 with each initiative once may be the year the work is planned for: not proposed (the reason
    says how to choose it); chosen in the mapping, each row's result is that year's."""
    path = _workbook(tmp_path / "一覧.xlsx", "一覧", [
        ["No", "取組名", "実施年度", "進捗"],
        ["1", "電子申請", "R4～R6", "完了"],
        ["2", "電子契約", "R5～R8", "順調"],
        ["3", "RPA", "R4", "遅れ"],
    ])
    toml = _mapping_text(path, capsys)
    assert "fiscal_year =" not in toml and "一つの年度ではない" in toml, toml
    path = _workbook(tmp_path / "一覧2.xlsx", "一覧", [
        ["No", "取組名", "実施年度", "進捗"],
        ["1", "電子申請", "R4", "完了"],
        ["2", "電子契約", "R5", "順調"],
    ])
    toml = _mapping_text(path, capsys)
    assert "fiscal_year =" not in toml and "取組ごとに一行なので" in toml, toml
    toml = toml.replace('[sheets.columns]\n', '[sheets.columns]\nfiscal_year = "C"\n')
    plan = _import(path, tmp_path, toml)
    assert results(plan) == {("annual", 2022): {"done": 1}, ("annual", 2023): {"in_progress": 1}}


def test_the_year_column_through_the_wizard(client, settings, tmp_path):
    """The wizard offers 「年度（行ごとの年度）」 among a column's choices, proposed for the 年度 column; the form
    sent back as it is imports one initiative per No with its annual results."""
    from .personas import cast_for, small_plan
    from .test_import_web import _form_values

    settings.STATE_DIR = tmp_path / "state"
    cast = cast_for(small_plan())
    wb = Workbook()
    ws = wb.active
    ws.title = "年度別"
    ws.append(["No", "取組名", "年度", "進捗"])
    for n, t, rows in (("1", "電子申請", (("R4", "順調"), ("R5", "完了"))), ("2", "RPA", (("R4", "遅れ"), ("R5", "順調")))):
        for y, s in rows:
            ws.append([n, t, y, s])
    path = tmp_path / "年度別.xlsx"
    wb.save(path)
    client.force_login(cast.sato)
    with open(path, "rb") as fh:
        res = client.post("/plans/import/", {"organization": cast.org.pk, "file": fh})
    page = client.get(res["Location"]).content.decode()
    assert '<option value="fiscal_year" selected>年度（行ごとの年度）</option>' in page
    values = _form_values(page, "mapping-form")
    assert ("s0-col-C", "fiscal_year") in values
    preview = client.post(res["Location"], dict(values))
    assert preview.status_code == 302, preview.content.decode()[:3000]
    token = preview["Location"].rstrip("/").split("/")[-2]
    done = client.post(f"/plans/import/{token}/import/", {"title": "年度行の計画", "fiscal_years": "R4-R8"})
    assert done.status_code == 200, done.content.decode()[:3000]
    plan = cast.org.plans.get(title="年度行の計画")
    assert Initiative.objects.filter(plan=plan).count() == 2
    assert results(plan) == {("annual", 2022): {"in_progress": 1, "delayed": 1},
                             ("annual", 2023): {"done": 1, "in_progress": 1}}
