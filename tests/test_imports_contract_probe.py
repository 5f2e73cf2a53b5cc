"""The CLI contract of #11 probed as a new user runs it: ``tenken import-plan PATH --inspect > m.toml``, the
TOML edited by hand the ways a clerk edits it (Notepad included), then ``--mapping m.toml --org --title
--fiscal-years [--dry-run]``; next year's file with the saved mapping; the same file through the web wizard.

The subprocess tests run the real ``python -m tenken.cli`` on a database of their own (one migration per
module); the others call the command in-process as tests/test_imports_other_hands.py does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.imports.mapping import from_toml
from tenken.plans.models import Initiative, Plan, Section
from tenken.reviews.models import InitiativeReview

from .conftest import db_snapshot
from .personas import cast_for, small_plan

ROOT = Path(__file__).resolve().parent.parent

LEGEND = "凡例：A 完了 B 順調 C 遅れ D 未着手"
HEADER = ["No.", "施策名", "取組内容", "所管課", "進捗状況", "備考"]
ROWS = [
    ["1", "行政手続のオンライン化", "電子申請の対象手続を拡大する", "DX推進課", "B", ""],
    ["2", "行政手続のオンライン化", "申請書の押印を廃止する", "総務課", "A", ""],
    ["3", "行政手続のオンライン化", "公金のキャッシュレス決済を導入する", "会計課", "C", "国の制度待ち"],
    ["4", "窓口のデジタル化", "書かない窓口を導入する", "市民課", "D", ""],
    ["5", "窓口のデジタル化", "窓口の予約システムを導入する", "市民課", "B", ""],
]


def city(path: Path, *, order: list[str] | None = None, rename: dict[str, str] | None = None,
         extra: list[list[str]] | None = None, sheets: tuple[str, ...] = ("進捗管理",),
         cells: dict[tuple[int, int], str] | None = None) -> Path:
    """A city's progress sheet: a title, a legend row, a blank row, the header on row 4, five initiatives.
    ``order`` reorders the columns (by header), ``rename`` renames headers, ``extra`` adds rows, ``sheets``
    names the sheets (each a copy of the table), ``cells`` overwrites (row index in ROWS, column) values."""
    order = order or HEADER
    rows = [list(r) for r in ROWS] + [list(r) for r in (extra or [])]
    for (i, c), v in (cells or {}).items():
        rows[i][c] = v
    wb = Workbook()
    wb.remove(wb.active)
    for name in sheets:
        ws = wb.create_sheet(name)
        ws.append(["〇〇市DX推進計画 進捗管理表"])
        ws.append([LEGEND])
        ws.append([])
        ws.append([(rename or {}).get(h, h) for h in order])
        for r in rows:
            ws.append([r[HEADER.index(h)] for h in order])
    wb.save(path)
    return path


# --- the real command in a subprocess -------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """``run(*args)`` → CompletedProcess of ``python -m tenken.cli import-plan ...`` on a migrated database of
    this module; ``counts()`` → row count of every table of that database."""
    state = tmp_path_factory.mktemp("cli-state")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_") and k != "DJANGO_SETTINGS_MODULE"}
    env |= {"PYTHONPATH": str(ROOT), "TENKEN_DEBUG": "1", "TENKEN_DB": "sqlite", "TENKEN_STATE_DIR": str(state),
            "TENKEN_SQLITE_PATH": str(state / "db.sqlite3"), "PYTHONWARNINGS": "default"}
    subprocess.run([sys.executable, "-m", "tenken.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)

    class Cli:
        def run(self, *args: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-m", "tenken.cli", "import-plan", *map(str, args)], cwd=ROOT,
                                  env=env, capture_output=True, text=True, timeout=300)

        def counts(self) -> dict[str, int]:
            with sqlite3.connect(state / "db.sqlite3") as con:
                tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
                return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}

    return Cli()


def _no_chatter(stdout: str) -> None:
    """What --inspect prints is the mapping and nothing else: every line TOML (a comment, a key, a table)."""
    data = tomllib.loads(stdout)
    assert data["sheets"] and "version" in data
    for line in stdout.splitlines():
        assert line == "" or line.startswith(("#", "[")) or " = " in line, line
    assert "\x1b" not in stdout and "\r" not in stdout  # no progress bar, no colours


def test_inspect_prints_only_toml_and_a_refusal_exits_1_naming_the_cell_on_stderr(cli, tmp_path):
    """A file with open questions (a bare 1/2/3 scale): stdout is only the TOML (questions are its comments),
    exit 0; importing it unchanged exits 1 with every located question on stderr, nothing on the database."""
    wb = Workbook()
    ws = wb.active
    ws.title = "取組一覧"
    ws.append(["No.", "取組名", "担当課", "進捗状況"])
    for i, v in enumerate((1, 2, 3, 2), start=1):
        ws.append([str(i), f"取組{i}", "企画課", v])
    wb.save(tmp_path / "bare.xlsx")
    proc = cli.run(tmp_path / "bare.xlsx", "--inspect")
    assert proc.returncode == 0, proc.stderr
    _no_chatter(proc.stdout)
    assert "# 要確認: 実施結果「1」" in proc.stdout
    from_toml(proc.stdout)  # what is printed reads back as a mapping
    (tmp_path / "m.toml").write_text(proc.stdout, encoding="utf-8")
    before = cli.counts()
    proc = cli.run(tmp_path / "bare.xlsx", "--mapping", tmp_path / "m.toml", "--org", "140007", "--title", "計画",
                   "--fiscal-years", "R4-R8")
    assert proc.returncode == 1
    assert "取組一覧!D2: 実施結果「1」の区分が未確認です" in proc.stderr and "何も登録していません" in proc.stderr
    assert "Traceback" not in proc.stderr and "登録しました" not in proc.stdout
    assert cli.counts() == before  # not even the set-up account or the organization


def test_inspect_of_a_file_with_problems_still_prints_only_toml(cli, tmp_path):
    """Problems of the rows (an unknown status, an empty 取組内容) are the import's to report: --inspect prints
    a readable mapping all the same; an unreadable file prints nothing on stdout and exits 1."""
    path = city(tmp_path / "計画.xlsx", cells={(1, 4): "たぶん", (2, 2): ""})
    proc = cli.run(path, "--inspect")
    assert proc.returncode == 0, proc.stderr
    _no_chatter(proc.stdout)
    bad = tmp_path / "計画.xlsm"
    bad.write_bytes(path.read_bytes())
    proc = cli.run(bad, "--inspect")
    assert (proc.returncode, proc.stdout) == (1, "")
    assert "計画.xlsm: マクロ有効ファイル" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli.run(tmp_path / "ない.xlsx", "--inspect")
    assert (proc.returncode, proc.stdout) == (1, "") and "ない.xlsx: ファイルがありません" in proc.stderr


def test_dry_run_writes_nothing_and_prints_what_would_be_created(cli, tmp_path):
    path = city(tmp_path / "進捗.xlsx")
    toml = cli.run(path, "--inspect").stdout
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    args = [path, "--mapping", tmp_path / "m.toml", "--org", "140007", "--title", "乾燥", "--fiscal-years", "R4-R8"]
    before = cli.counts()
    proc = cli.run(*args, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert cli.counts() == before  # every table, the set-up account and the organization included
    assert "検証のみ（--dry-run）" in proc.stdout and "取組 5" in proc.stdout
    assert "1 行政手続のオンライン化: 3" in proc.stdout and "2 窓口のデジタル化: 2" in proc.stdout
    proc = cli.run(*args)
    assert proc.returncode == 0, proc.stderr
    assert "計画「乾燥（令和4年度～8年度）」を登録しました" in proc.stdout
    after = cli.counts()
    assert after["plans_plan"] == before["plans_plan"] + 1 and after["plans_initiative"] == before["plans_initiative"] + 5
    proc = cli.run(*args)  # the same title and period again: refused, nothing written
    assert proc.returncode == 1 and "は既に登録されています" in proc.stderr and cli.counts() == after


def test_usage_errors_exit_2(cli, tmp_path):
    path = city(tmp_path / "進捗.xlsx")
    proc = cli.run(path, "--mapping", "m.toml", "--org", "140007")
    assert proc.returncode == 2 and "次の引数を指定してください: --title、--fiscal-years" in proc.stderr
    proc = cli.run(path, "--inspekt")
    assert proc.returncode == 2 and "不明な引数です" in proc.stderr


# --- hand edits of the TOML -------------------------------------------------------------------------------

def _inspect(path: Path, capsys) -> str:
    call_command("import_plan", str(path), "--inspect")
    return capsys.readouterr().out


def _import(path: Path, mapping: Path, capsys, *, title: str = "計画", years: str = "R4-R8", dry: bool = False):
    args = ["--mapping", str(mapping), "--org", "140007", "--title", title, "--fiscal-years", years]
    call_command("import_plan", str(path), *args, *(["--dry-run"] if dry else []))
    return capsys.readouterr()


def _refused(path: Path, mapping: Path, capsys, **kw) -> str:
    before = db_snapshot()
    with pytest.raises(CommandError):
        _import(path, mapping, capsys, **kw)
    assert db_snapshot() == before
    return capsys.readouterr().err


def plan_shape(plan: Plan) -> dict:
    """Everything the import made, without ids: sections, initiatives (with departments), results."""
    return {
        "sections": sorted((s.depth, s.code, s.title, s.parent.code if s.parent else "")
                           for s in Section.objects.filter(plan=plan).select_related("parent")),
        "initiatives": [(i.number_label, i.name, i.text, i.section.code, i.note, i.is_heading,
                         sorted(d.name for d in i.departments.all()))
                        for i in Initiative.objects.filter(plan=plan).order_by("order").select_related("section")
                        .prefetch_related("departments")],
        "reviews": sorted((r.initiative.number_label, r.inspection.kind, r.fiscal_year, r.status.label,
                           r.status.category, r.outcome, r.change_reason)
                          for r in InitiativeReview.objects.filter(inspection__plan=plan)
                          .select_related("initiative", "inspection", "status")),
        "period": (plan.first_fiscal_year, plan.last_fiscal_year),
    }


@pytest.fixture
def proposed(tmp_path, capsys):
    path = city(tmp_path / "進捗.xlsx")
    return path, _inspect(path, capsys)


@pytest.mark.django_db
def test_unchanged_toml_imports(proposed, tmp_path, capsys):
    path, toml = proposed
    assert 'status = "E"' in toml and 'result = "final"' in toml
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys)
    plan = Plan.objects.get(title="計画")
    assert [i.text for i in Initiative.objects.filter(plan=plan).order_by("order")] == [r[2] for r in ROWS]


def _edit(toml: str, old: str, new: str) -> str:
    assert old in toml, old
    return toml.replace(old, new, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding,newline", [("utf-8", "\r\n"), ("utf-8-sig", "\n"), ("utf-8-sig", "\r\n"),
                                              ("utf-16", "\r\n"), ("cp932", "\r\n")])
def test_saved_by_notepad(proposed, tmp_path, capsys, encoding, newline):
    """Windows Notepad: CRLF, a UTF-8 BOM, 「Unicode」 (UTF-16 with its BOM) or 「ANSI」 (CP932) — the same plan."""
    path, toml = proposed
    (tmp_path / "m.toml").write_bytes(toml.replace("\n", newline).encode(encoding))
    _import(path, tmp_path / "m.toml", capsys)
    assert Initiative.objects.filter(plan__title="計画").count() == 5


@pytest.mark.django_db
def test_an_unreadable_mapping_file_is_a_japanese_error(proposed, tmp_path, capsys):
    path, _toml = proposed
    (tmp_path / "m.toml").write_bytes(b"\xff\xfe\x00\xd8garbage"[::-1] + bytes(range(0x80, 0xa0)))
    assert "m.toml: 対応表の文字コードを読めません。UTF-8 で保存してください" in _refused(path, tmp_path / "m.toml", capsys)
    with pytest.raises(CommandError, match=r"ない\.toml: 対応表がありません"):
        _import(path, tmp_path / "ない.toml", capsys)


@pytest.mark.django_db
def test_change_one_columns_field_and_remove_one(proposed, tmp_path, capsys):
    path, toml = proposed
    edited = _edit(toml, 'departments = "D"', 'note = "D"')  # 所管課 kept as a note
    edited = _edit(edited, '\nnote = "F"', "\n# note = \"F\"")  # 備考 left out
    (tmp_path / "m.toml").write_text(edited, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys)
    plan = Plan.objects.get(title="計画")
    one = Initiative.objects.get(plan=plan, number_label="3")
    assert "会計課" in one.note and "国の制度待ち" not in one.note and not one.departments.exists()


@pytest.mark.django_db
def test_remove_the_text_column_is_a_located_refusal(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(_edit(toml, 'text = "C"', ""), encoding="utf-8")
    err = _refused(path, tmp_path / "m.toml", capsys)
    assert "進捗管理!4行目: 取組内容（text）の列が対応表にありません" in err


@pytest.mark.django_db
@pytest.mark.parametrize("letter", ['"c"', '"Ｃ"', '"取組内容"'])
def test_a_column_written_in_lower_case_full_width_or_by_its_header(proposed, tmp_path, capsys, letter):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(_edit(toml, 'text = "C"', f"text = {letter}"), encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys)
    assert Initiative.objects.get(plan__title="計画", number_label="4").text == "書かない窓口を導入する"


@pytest.mark.django_db
def test_a_column_outside_the_table_is_a_located_refusal(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(_edit(toml, 'departments = "D"', 'departments = "Z"'), encoding="utf-8")
    err = _refused(path, tmp_path / "m.toml", capsys)
    assert "進捗管理!4行目: 対応表の列「Z」（担当所属）が見出しにありません" in err


@pytest.mark.django_db
def test_an_alias_added_to_the_scale(tmp_path, capsys):
    """Next to 「A」 a cell says 「A済」: refused at the cell, then read as 完了 once the clerk adds the alias."""
    path = city(tmp_path / "進捗.xlsx")
    toml = _inspect(path, capsys)
    city(path, cells={(0, 4): "A済"})
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    assert "進捗管理!E5" in _refused(path, tmp_path / "m.toml", capsys)
    edited = _edit(toml, 'value = "A"\nlabel = "完了"\ncategory = "done"  # 凡例「A：完了」\nrequires_reason = false',
                   'value = "A"\nlabel = "完了"\ncategory = "done"\nrequires_reason = false\naliases = ["A済"]  # 手で追加')
    (tmp_path / "m.toml").write_text(edited, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys)
    r = InitiativeReview.objects.select_related("status").get(initiative__plan__title="計画", initiative__number_label="1")
    assert r.status.category == "done"


@pytest.mark.django_db
def test_a_status_marked_as_needing_a_reason_warns_on_the_rows_without_one(proposed, tmp_path, capsys):
    path, toml = proposed
    edited = _edit(toml, 'category = "delayed"  # 凡例「C：遅れ」\nrequires_reason = false',
                   'category = "delayed"\nrequires_reason = true')
    edited = _edit(edited, 'note = "F"', 'reason = "F"')
    (tmp_path / "m.toml").write_text(edited, encoding="utf-8")
    out = _import(path, tmp_path / "m.toml", capsys).out
    assert "理由が記入されていません" not in out  # row 3's 遅れ has its reason in F
    city(path, cells={(2, 5): ""})
    out = _import(path, tmp_path / "m.toml", capsys, title="計画2").out
    assert "注意 進捗管理!E7: 「遅れ」の理由が記入されていません" in out


@pytest.mark.django_db
def test_the_header_row_changed_by_hand(proposed, tmp_path, capsys):
    """header_rows pointed at a data row (the clerk miscounted): the header is found again, with a note."""
    path, toml = proposed
    (tmp_path / "m.toml").write_text(_edit(toml, "header_rows = [4]", "header_rows = [6]"), encoding="utf-8")
    out = _import(path, tmp_path / "m.toml", capsys).out
    assert "見出し行が 6 行目から 4 行目に移っていた" in out
    assert Initiative.objects.filter(plan__title="計画").count() == 5


@pytest.mark.django_db
def test_a_sheet_set_to_use_false(tmp_path, capsys):
    path = city(tmp_path / "進捗.xlsx", sheets=("本庁", "支所"))
    toml = _inspect(path, capsys)
    head, tail = toml.split('name = "支所"', 1)
    (tmp_path / "m.toml").write_text(head + 'name = "支所"' + tail.replace("use = true", "use = false", 1),
                                     encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys)
    assert Initiative.objects.filter(plan__title="計画").count() == 5


@pytest.mark.django_db
def test_keys_reordered_and_comments_added(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "a.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "a.toml", capsys, title="元")
    data = tomllib.loads(toml)
    sheet = data["sheets"][0]
    cols = "\n".join(f'{k} = "{v}"   # 確認済み' for k, v in reversed(sheet["columns"].items()))
    scale = "\n\n".join("[[scale]]\n" + "\n".join(f"{k} = {'true' if v is True else 'false' if v is False else repr(v)}"
                                                 for k, v in reversed(e.items())) for e in data["scale"])
    edited = f"""# 令和6年度 情報政策課 確認済み
result = "final"   # 最終点検
skip = {data['skip']!r}
policy_from = "column"
version = 3

[[sheets]]
# 進捗管理のシート
[sheets.columns]
{cols}

{scale}
""".replace("'", '"')
    # the sheet's own keys after its columns table would belong to the table: write them in a second form
    edited = edited.replace("[[sheets]]\n# 進捗管理のシート\n",
                            f'[[sheets]]\n# 進捗管理のシート\nheader_rows = [4]\nuse = true\nname = "{sheet["name"]}"\n')
    (tmp_path / "b.toml").write_text(edited, encoding="utf-8")
    _import(path, tmp_path / "b.toml", capsys, title="並べ替え")
    assert plan_shape(Plan.objects.get(title="元")) == plan_shape(Plan.objects.get(title="並べ替え"))


@pytest.mark.django_db
@pytest.mark.parametrize("old,new,message", [
    ("use = true", 'use = "false"', "m.toml:sheets[1].use: use は true か false で指定してください"),
    ("header_rows = [4]", "header_rows = 4", "m.toml:sheets[1].header_rows: 行の番号の一覧で指定してください（例: [4]、[3, 4]）"),
    ("header_rows = [4]", 'header_rows = ["四"]', "m.toml:sheets[1].header_rows: 行の番号の一覧で指定してください"),
    ("header_rows = [4]", "header_rows = [4]\nskip_rows = 7", "m.toml:sheets[1].skip_rows: 行の番号の一覧で"),
    ("requires_reason = false", 'requires_reason = "はい"', "m.toml:scale[1].requires_reason: requires_reason は true か false"),
    ("requires_reason = false", 'requires_reason = false\naliases = "A済"', "m.toml:scale[1].aliases: 文字列の一覧で"),
    ("header_rows = [4]", "heder_rows = [4]", "m.toml:sheets[1].heder_rows: 「heder_rows」という設定はありません"),
    ('result = "final"', 'result = "final"\nsheet = []', "m.toml:sheet: 「sheet」という設定はありません"),
    ('category = "done"', 'category = "完了"', "m.toml:scale[1].category: 区分「完了」はありません（done（完了・達成）"),
    ('text = "C"', "text = C", "m.toml:16行目: TOML として読めません（値が読めません。文字は \"C\" のように半角の二重引用符で囲みます）"),
    ('text = "C"', 'text = "C"\ntext = "D"', "m.toml:17行目: TOML として読めません（同じ設定が二度あります"),
    ('text = "C"', "text = “C”", "m.toml:16行目: TOML として読めません（値が読めません"),
])
def test_a_wrong_edit_names_the_key_or_the_line(proposed, tmp_path, capsys, old, new, message):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(_edit(toml, old, new), encoding="utf-8")
    err = _refused(path, tmp_path / "m.toml", capsys)
    assert message in err, err
    assert "Traceback" not in err


# --- a mapping that does not fit the file (next year's file) ----------------------------------------------

@pytest.mark.django_db
def test_next_year_columns_reordered_are_followed_by_their_headers(proposed, tmp_path, capsys):
    """Next year 所管課 moved after 進捗状況: the letters of the mapping no longer hold their columns. Each is
    found by the header it had (printed in the mapping), with a note — never 所管課 read as the 進捗."""
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys, title="R5")
    nxt = city(tmp_path / "R6.xlsx", order=["No.", "施策名", "取組内容", "進捗状況", "所管課", "備考"])
    out = _import(nxt, tmp_path / "m.toml", capsys, title="R6").out
    assert "注意 進捗管理!D4: 対応表の E 列「進捗状況」（実施結果（進捗））は D 列に移っていたため、D 列から読みました" in out
    assert plan_shape(Plan.objects.get(title="R5")) == plan_shape(Plan.objects.get(title="R6"))


@pytest.mark.django_db
def test_next_year_a_column_inserted_before_the_others(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys, title="R5")
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗管理"
    ws.append(["〇〇市DX推進計画 進捗管理表"])
    ws.append([LEGEND])
    ws.append([])
    ws.append(["重点", *HEADER])
    for r in ROWS:
        ws.append(["", *r])
    wb.save(tmp_path / "R6.xlsx")
    _import(tmp_path / "R6.xlsx", tmp_path / "m.toml", capsys, title="R6")
    assert plan_shape(Plan.objects.get(title="R5")) == plan_shape(Plan.objects.get(title="R6"))


@pytest.mark.django_db
def test_next_year_a_header_renamed_in_place_is_read_with_a_note(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys, title="R5")
    nxt = city(tmp_path / "R6.xlsx", rename={"所管課": "担当課"})
    out = _import(nxt, tmp_path / "m.toml", capsys, title="R6").out
    assert "注意 進捗管理!D4: D 列の見出しが「所管課」から「担当課」に変わっています" in out
    assert plan_shape(Plan.objects.get(title="R5")) == plan_shape(Plan.objects.get(title="R6"))


@pytest.mark.django_db
def test_next_year_a_column_removed_is_a_located_refusal(proposed, tmp_path, capsys):
    _path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    nxt = city(tmp_path / "R6.xlsx", order=["No.", "施策名", "取組内容", "進捗状況", "備考"])
    err = _refused(nxt, tmp_path / "m.toml", capsys)
    assert "進捗管理!4行目: 対応表の D 列「所管課」（担当所属）が見出しにありません" in err


@pytest.mark.django_db
def test_next_year_a_sheet_missing_or_added(tmp_path, capsys):
    path = city(tmp_path / "R5.xlsx", sheets=("本庁", "支所"))
    toml = _inspect(path, capsys)
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    err = _refused(city(tmp_path / "R6.xlsx", sheets=("本庁",)), tmp_path / "m.toml", capsys)
    assert "R6.xlsx: 対応表のシート「支所」がファイルにありません" in err
    err = _refused(city(tmp_path / "R6.xlsx", sheets=("本庁", "支所", "出張所")), tmp_path / "m.toml", capsys)
    assert "出張所: シート「出張所」は対応表にありません" in err


# --- arguments ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("years", ["R4-R8", "令和4-8", "2022-2026", "R4～R8", "令和4年度～令和8年度", "令和4年度～8年度",
                                   "R4〜R8", "R4－R8", "R4ーR8", "Ｒ４－Ｒ８", "R4 - R8", "令和4年度から令和8年度"])
def test_fiscal_years_as_users_type_them(proposed, tmp_path, capsys, years):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    out = _import(path, tmp_path / "m.toml", capsys, years=years, dry=True).out
    assert "検証のみ" in out


@pytest.mark.django_db
@pytest.mark.parametrize("years,message", [
    ("R8-R4", "--fiscal-years: 「R8-R4」: 終わりの年度が始まりより前です"),
    ("R4", "--fiscal-years: 「R4」を年度の範囲として解釈できません"),
    ("令和4年度", "--fiscal-years: 「令和4年度」を年度の範囲として解釈できません"),
    ("R4からR8まで", "--fiscal-years: 「R4からR8まで」を年度の範囲として解釈できません"),
])
def test_a_bad_fiscal_year_range_is_refused(proposed, tmp_path, capsys, years, message):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    assert message in _refused(path, tmp_path / "m.toml", capsys, years=years)


@pytest.mark.django_db
def test_an_annual_result_outside_the_period_is_refused(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(_edit(toml, 'result = "final"', 'result = "annual"\nresult_year = 2021'),
                                     encoding="utf-8")
    err = _refused(path, tmp_path / "m.toml", capsys, years="R5-R8")
    assert "対応表: 2021年度の列は計画期間（2023～2026年度）の外です" in err


@pytest.mark.django_db
@pytest.mark.parametrize("org,message", [
    ("999997", "--org: 団体コード「999997」は全国地方公共団体コードの一覧にありません"),
    ("13101", "--org: 団体コード「13101」は5桁です。検査数字を付けた6桁の「131016」で指定してください"),
    ("131017", "--org: 団体コード「131017」の検査数字が正しくありません（13101 の検査数字は 6）"),
    ("千代田区", "--org: 団体コード「千代田区」は数字6桁で入力してください"),
])
def test_a_bad_org_code_is_refused(proposed, tmp_path, capsys, org, message):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), "--mapping", str(tmp_path / "m.toml"), "--org", org, "--title", "計画",
                     "--fiscal-years", "R4-R8")
    assert db_snapshot() == before
    assert message in capsys.readouterr().err


def test_a_5_digit_code_that_lost_its_leading_zero_still_works():
    """「10006」 (北海道 010006 read as a number by Excel) stays accepted."""
    from tenken.orgs.lgcode import clean_lgcode

    assert clean_lgcode("10006") == "010006"


@pytest.mark.django_db
def test_a_duplicate_title_is_refused_and_writes_nothing(proposed, tmp_path, capsys):
    path, toml = proposed
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys, title="DX推進計画")
    err = _refused(path, tmp_path / "m.toml", capsys, title=" DX推進計画 ")
    assert "計画: 計画「DX推進計画（令和4年度～8年度）」は既に登録されています" in err


# --- the web wizard and the CLI give the same plan; the web's profile on the CLI next year -----------------

@pytest.fixture
def cast(settings, tmp_path):
    settings.STATE_DIR = tmp_path / "state"
    return cast_for(small_plan())


def _web_import(client, cast, settings, path: Path, title: str, years: str = "R4-R8"):
    from .test_import_web_wizard5 import round_trip, upload

    token, url = upload(client, cast, path)
    if url.endswith("/mapping/"):
        round_trip(client, settings, token, result="final")
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    assert 'id="problems"' not in page, page.split('id="problems"', 1)[1][:1500]
    resp = client.post(f"/plans/import/{token}/import/", {"title": title, "fiscal_years": years})
    assert resp.status_code == 200, resp.content.decode()[:2000]
    return Plan.objects.get(title=title)


@pytest.mark.django_db
@pytest.mark.parametrize("builder", ["city", "city_dx_progress", "town_cp932_csv", "merged_policy", "multi_sheet"])
def test_cli_and_web_give_identical_plans(client, cast, settings, tmp_path, capsys, builder):
    from .fixtures.imports import build

    path = tmp_path / ("plan.csv" if "csv" in builder else "plan.xlsx")
    city(path) if builder == "city" else getattr(build, builder)(path)
    toml = _inspect(path, capsys)
    (tmp_path / "m.toml").write_text(toml, encoding="utf-8")
    _import(path, tmp_path / "m.toml", capsys, title="CLI")
    client.force_login(cast.sato)
    web = _web_import(client, cast, settings, path, "WEB")
    assert plan_shape(Plan.objects.get(title="CLI")) == plan_shape(web)


@pytest.mark.django_db
def test_the_webs_profile_downloaded_imports_next_years_file_on_the_cli(client, cast, settings, tmp_path, capsys):
    """R5 through the wizard saves the profile; next year's upload goes straight to the preview, and the mapping
    downloaded there (the profile) imports next year's file on the CLI without a question — also with its
    columns reordered."""
    client.force_login(cast.sato)
    _web_import(client, cast, settings, city(tmp_path / "R5.xlsx"), "R5")
    from .test_import_web_wizard5 import upload

    nxt = city(tmp_path / "R6.xlsx", order=["No.", "施策名", "取組内容", "進捗状況", "所管課", "備考"],
               extra=[["6", "窓口のデジタル化", "キャッシュレス窓口", "市民課", "A", ""]])
    token, url = upload(client, cast, nxt)
    assert url.endswith("/preview/")  # the saved profile: no questions
    profile = client.get(f"/plans/import/{token}/mapping.toml").content
    (tmp_path / "profile.toml").write_bytes(profile)
    assert "要確認" not in profile.decode("utf-8")
    _import(nxt, tmp_path / "profile.toml", capsys, title="R6")
    plan = Plan.objects.get(title="R6")
    assert Initiative.objects.filter(plan=plan).count() == 6
    got = {r.initiative.number_label: (r.status.category, sorted(d.name for d in r.initiative.departments.all()))
           for r in InitiativeReview.objects.filter(inspection__plan=plan).select_related("status", "initiative")}
    assert got["4"] == ("not_started", ["市民課"]) and got["6"] == ("done", ["市民課"])


@pytest.mark.django_db
def test_service_refuses_an_unknown_key_like_the_cli(tmp_path):
    """The web's 「対応表を読み込む」 parses with the same from_toml: the same located messages."""
    with pytest.raises(InputRejected) as exc:
        from_toml('version = 3\n[[sheets]]\nname = "a"\nusee = false\n', name="対応表.toml")
    assert exc.value.messages == ["対応表.toml:sheets[1].usee: 「usee」という設定はありません"
                                  "（name、use、header_rows、skip_rows、policy、fiscal_year、flags、columns、headers、years）"]


@pytest.mark.django_db
def test_a_column_without_a_header_mapped_by_hand(tmp_path, capsys):
    """A column with values and no header (a memo column): the clerk maps it as the note; no header is recorded
    for it, so next year's file reads it by its letter without a question."""
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗管理"
    ws.append([LEGEND])
    ws.append([*HEADER[:5], None])
    for r in ROWS:
        ws.append([*r[:5], f"メモ{r[0]}"])
    wb.save(tmp_path / "R5.xlsx")
    toml = _inspect(tmp_path / "R5.xlsx", capsys)
    assert "（見出しなし）" not in toml.split("[sheets.headers]", 1)[1].split("[[", 1)[0]
    (tmp_path / "m.toml").write_text(_edit(toml, 'status = "E"', 'status = "E"\nnote = "F"'), encoding="utf-8")
    out = _import(tmp_path / "R5.xlsx", tmp_path / "m.toml", capsys).out
    assert "注意" not in out
    assert Initiative.objects.get(plan__title="計画", number_label="2").note == "メモ2"


@pytest.mark.django_db
def test_a_mapping_without_recorded_headers_reads_by_letter(proposed, tmp_path, capsys):
    """A mapping written before [sheets.headers] existed (or with it deleted): the letters as they are."""
    path, toml = proposed
    head, rest = toml.split("[sheets.headers]", 1)
    rest = rest.split("\n", 1)[1]
    rest = "\n".join(line for line in rest.splitlines() if not line[:1].isupper() or " = " not in line[:4])
    (tmp_path / "m.toml").write_text(head + rest + "\n", encoding="utf-8")
    assert from_toml((tmp_path / "m.toml").read_text(encoding="utf-8")).sheets[0].headers == {}
    out = _import(path, tmp_path / "m.toml", capsys).out
    assert "注意" not in out and Initiative.objects.filter(plan__title="計画").count() == 5


@pytest.mark.django_db
def test_the_wizard_reads_a_mapping_saved_by_notepad(client, cast, settings, tmp_path, capsys):
    """「対応表を読み込む」 with the TOML saved as ANSI (CP932) and CRLF: read like the CLI reads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_import_web_wizard5 import upload

    path = city(tmp_path / "R5.xlsx")
    toml = _inspect(path, capsys)
    client.force_login(cast.sato)
    token, _ = upload(client, cast, path)
    resp = client.post(f"/plans/import/{token}/mapping/", {"mapping_file": SimpleUploadedFile(
        "対応表.toml", toml.replace("\n", "\r\n").encode("cp932"), content_type="application/toml")})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    assert "id=\"problems\"" not in page, page.split("id=\"problems\"", 1)[1][:1500]
