"""Issue #14: every CLI command that writes acts as ``--user NAME`` and is checked like the web.

The matrix runs each writing command, from the command line (``tenken.cli.main``, exit codes included),
as every persona: an allowed run exits 0; a refused one exits 1 with 「この操作を行う権限がありません」
and leaves every row count as it was. Without ``--user`` a command exits 2 naming the option; an
unknown user exits 2. History rows written by a command name its user.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenken.cli import main
from tenken.orgs.access import AccessDenied

from .conftest import db_snapshot
from .personas import cast_with_operators, small_plan

pytestmark = pytest.mark.django_db

PERSONAS = ["sato", "nakamura", "suzuki", "takahashi", "ito", "kato", "staff", "yoshida"]
ADMINS = {"sato", "yoshida"}  # the organization's ICT admin, and a superuser (admin of every organization)
REGISTER = {"sato", "kato", "yoshida"}  # admin or 台帳編集者
NATIONAL = {"yoshida"}  # national data (bulk load, rollup, organization master): superusers only

# command → (argument list before --user, personas allowed)
COMMANDS = {
    "import-plan": (lambda f: ["import-plan", f["plan_csv"], "--org", "140007", "--title", "CLI計画",
                               "--fiscal-years", "2014-2018"], ADMINS),
    "import-plan --mapping": (lambda f: ["import-plan", f["plan_csv"], "--mapping", f["mapping"], "--org", "140007",
                                         "--title", "CLI計画（対応表）", "--fiscal-years", "2014-2018"], ADMINS),
    "import-inspection": (lambda f: ["import-inspection", f["items"], "--plan", f["plan"]], ADMINS),
    "import-indicators": (lambda f: ["import-indicators", f["indicators"], "--org", "140007", "--plan", f["plan"],
                                     "--meta", f["meta"]], ADMINS),
    "municipal create-goal": (lambda f: ["municipal", "create-goal", "--prefecture", "140007", "--name", "CLI目標",
                                         "--target", "R2年度末"], REGISTER),
    "municipal import": (lambda f: ["municipal", "import", f["municipal"], "--goal", f["goal"]], REGISTER),
    "municipal feed-indicator": (lambda f: ["municipal", "feed-indicator", "--goal", f["goal"]], ADMINS),
    "inventory import": (lambda f: ["inventory", "import", f["register"], "--org", "140007"], REGISTER),
    "inventory feed-indicators": (lambda f: ["inventory", "feed-indicators", "--org", "140007"], ADMINS),
    "survey open": (lambda f: ["survey", "open", "--plan", f["plan"], "--fiscal-year", "2017",
                               "--deadline", "2018-05-31"], ADMINS),
    "import-national": (lambda f: ["import-national", f["national"], "--workers", "1"], NATIONAL),
    "rollup-refresh": (lambda f: ["rollup-refresh"], NATIONAL),
    "load-orgs": (lambda f: ["load-orgs"], NATIONAL),
}


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``tenken ARGS`` in this process: (exit code, stdout, stderr)."""
    # each command closes the database connections when it ends; here they run inside the test transaction
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    from django.db import connection

    if connection.vendor == "postgresql":
        # the fixture's rows still have deferred foreign-key checks pending in the test transaction, which
        # the bulk load's index rebuild refuses; in use every command starts its own transaction
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    capsys.readouterr()
    try:
        main(["tenken", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    """The input files, written once (they name no database rows)."""
    from tenken.imports.inspect import inspect_file
    from tenken.imports.mapping import to_toml
    from tenken.inventory.register_format import register_workbook_bytes
    from tenken.national.synth import iter_national, write_xlsx

    d = tmp_path_factory.mktemp("cli")
    plan_csv = d / "plan.csv"
    plan_csv.write_text(
        "seq,方針,取組項目,小項目,上位の取組,取組No,取組内容,取組の実施結果,note\n"
        "1,方針A,取組項目A,,,1,取組内容その一,① 取組内容を達成した,\n"
        "2,方針A,取組項目A,,,2,取組内容その二,② 取組内容を実施中である,\n", encoding="utf-8")
    mapping = d / "mapping.toml"
    mapping.write_text(to_toml(inspect_file(plan_csv).mapping), encoding="utf-8")
    items = d / "items.csv"
    items.write_text(
        "方針,記号,取組項目,達成(報告書),実施中(報告書),変更(報告書),主な取組,成果,課題・今後の予定等,変更した取組\n"
        "方針1,ア,取組項目1ア,1,1,0,CLIで書いた主な取組,成果,課題,なし\n", encoding="utf-8")
    indicators = d / "indicators.csv"
    indicators.write_text("指標,単位,値,時点,種別,出典,note\nCLI指標,件,10,2019-03,actual,CLI,\n", encoding="utf-8")
    meta = d / "indicator-meta.csv"
    meta.write_text("指標,direction,decimals,取組項目,note\nCLI指標,higher,0,,\n", encoding="utf-8")
    municipal = d / "municipal.csv"
    municipal.write_text("団体コード,団体名,取組済となった日,備考\n141003,横浜市,R元.7,\n", encoding="utf-8")
    register = d / "register.xlsx"
    register.write_bytes(register_workbook_bytes([{
        "name": "財務会計システム", "department": "会計局", "purpose": "", "segment": "LGWAN接続系",
        "hosting": "クラウド", "internet_facing": False, "in_service_on": date(2010, 4, 1), "retired_on": None,
        "contract_end": None, "state": "稼働", "successor": "", "note": "", "costs": {2018: 1000},
    }], [2018]))
    national = d / "national"
    national.mkdir()
    for plan in iter_national(orgs=1, initiatives=4, years=2, seed=5):
        write_xlsx(plan, national / f"{plan.org.code}.xlsx")
    return {"plan_csv": str(plan_csv), "mapping": str(mapping), "items": str(items), "indicators": str(indicators),
            "meta": str(meta), "municipal": str(municipal), "register": str(register), "national": str(national)}


@pytest.fixture
def world(files):
    from tenken.inventory.services import municipal_goal_create
    from tenken.surveys.services import round_open

    cast = cast_with_operators(small_plan())
    round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))  # its inspection
    goal = municipal_goal_create(user=cast.yoshida, prefecture=cast.org, name="オープンデータ取組済",
                                 target_date=date(2021, 3, 31), target_text="R2年度末")
    return cast, files | {"plan": str(cast.plan.pk), "goal": str(goal.pk)}


CASES = [pytest.param(command, persona, persona in allowed, id=f"{command}-{persona}")
         for command, (_, allowed) in COMMANDS.items() for persona in PERSONAS]


@pytest.mark.parametrize(("command", "persona", "allowed"), CASES)
def test_writing_commands_follow_the_matrix(world, monkeypatch, capsys, command, persona, allowed):
    _, f = world
    args = [*COMMANDS[command][0](f), "--user", persona]
    before = db_snapshot()
    code, out, err = run(monkeypatch, capsys, *args)
    if allowed:
        assert code == 0, (out, err)
        assert "エラー" not in err
    else:
        assert code == 1, (out, err)
        assert "この操作を行う権限がありません" in err, err
        assert db_snapshot() == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_user_is_required_by_every_writing_command(world, monkeypatch, capsys, command):
    _, f = world
    before = db_snapshot()
    if not command.startswith("import-plan"):  # import-plan acts as the set-up account then (next test)
        code, _, err = run(monkeypatch, capsys, *COMMANDS[command][0](f))
        assert code == 2 and "--user" in err and "指定してください" in err, err
    code, _, err = run(monkeypatch, capsys, *COMMANDS[command][0](f), "--user", "nobody")
    assert code == 2 and "ユーザー「nobody」は登録されていません" in err, err
    assert db_snapshot() == before


def test_import_plan_without_user_acts_as_the_setup_account(world, monkeypatch, capsys):
    """``tenken import-plan PATH --mapping FILE.toml --org CODE --title T --fiscal-years A-B`` as #11 states it:
    the server operator's set-up account imports, checked like anyone (a superuser) and named in the history."""
    from tenken.plans.models import Plan, PlanChange

    _, f = world
    assert run(monkeypatch, capsys, *COMMANDS["import-plan --mapping"][0](f))[0] == 0
    change = PlanChange.objects.get(plan=Plan.objects.get(title="CLI計画（対応表）"), action="import")
    assert change.changed_by.username == "tenken-setup"


def test_an_inactive_user_is_refused(world, monkeypatch, capsys):
    cast, f = world
    cast.sato.is_active = False
    cast.sato.save(update_fields=["is_active"])
    before = db_snapshot()
    code, _, err = run(monkeypatch, capsys, *COMMANDS["import-plan"][0](f), "--user", "sato")
    assert code == 1 and "この操作を行う権限がありません" in err
    assert db_snapshot() == before


# -- history rows name the acting user ---------------------------------------------------------------

def test_imported_plan_records_who_imported_it(world, monkeypatch, capsys):
    from tenken.plans.models import Plan, PlanChange

    cast, f = world
    assert run(monkeypatch, capsys, *COMMANDS["import-plan"][0](f), "--user", "sato")[0] == 0
    assert run(monkeypatch, capsys, *COMMANDS["import-plan --mapping"][0](f), "--user", "yoshida")[0] == 0
    for title, user in (("CLI計画", cast.sato), ("CLI計画（対応表）", cast.yoshida)):
        plan = Plan.objects.get(title=title)
        change = PlanChange.objects.get(plan=plan, action="import")
        assert (change.changed_by, change.new_value) == (user, Path(f["plan_csv"]).name)


def test_imported_narratives_record_who_wrote_them(world, monkeypatch, capsys):
    from tenken.reviews.models import NarrativeChange

    cast, f = world
    assert run(monkeypatch, capsys, *COMMANDS["import-inspection"][0](f), "--user", "sato")[0] == 0
    change = NarrativeChange.objects.get(field="main_initiatives")
    assert (change.changed_by, change.new_value) == (cast.sato, "CLIで書いた主な取組")
    # a re-run with the same file changes nothing and records nothing
    assert run(monkeypatch, capsys, *COMMANDS["import-inspection"][0](f), "--user", "sato")[0] == 0
    assert NarrativeChange.objects.filter(field="main_initiatives").count() == 1

    # an approved narrative changed by an import is a draft again, recorded (as a web edit would be)
    from tenken.reviews.models import SectionNarrative

    SectionNarrative.objects.update(state="approved")
    changed = Path(f["items"]).with_name("items-changed.csv")
    changed.write_text(Path(f["items"]).read_text(encoding="utf-8").replace("CLIで書いた", "直した"), encoding="utf-8")
    assert run(monkeypatch, capsys, "import-inspection", str(changed), "--plan", f["plan"], "--user", "yoshida")[0] == 0
    narrative = SectionNarrative.objects.get()
    assert (narrative.state, narrative.updated_by, narrative.main_initiatives) == ("draft", cast.yoshida, "直した主な取組")
    assert NarrativeChange.objects.filter(field="state", new_value="下書き", changed_by=cast.yoshida).count() == 1


def test_register_and_survey_history_name_the_cli_user(world, monkeypatch, capsys):
    from tenken.inventory.models import InformationSystemChange
    from tenken.surveys.models import SurveyRound

    cast, f = world
    assert run(monkeypatch, capsys, *COMMANDS["inventory import"][0](f), "--user", "kato")[0] == 0
    assert set(InformationSystemChange.objects.values_list("changed_by__username", "via").distinct()) == {("kato", "cli")}
    assert run(monkeypatch, capsys, *COMMANDS["survey open"][0](f), "--user", "sato")[0] == 0
    assert SurveyRound.objects.get(fiscal_year=2017).opened_by == cast.sato


# -- the services themselves refuse (the CLI and the web call the same ones) -------------------------

def test_services_refuse_without_a_permitted_user(world):
    from tenken.indicators.importing import import_indicators_file
    from tenken.inventory.indicator_feed import register_feed_indicators
    from tenken.national.bulk import bulk_import
    from tenken.national.rollups import rollup_refresh
    from tenken.orgs.services import organizations_load_master
    from tenken.plans.importing import import_plan_file

    cast, f = world
    before = db_snapshot()
    calls = [
        lambda u: import_plan_file(f["plan_csv"], user=u, org_code="140007", title="T", fiscal_years="2014-2018"),
        lambda u: import_indicators_file(f["indicators"], user=u, org_code="140007", meta=f["meta"]),
        lambda u: register_feed_indicators(user=u, organization=cast.org),
        lambda u: bulk_import(sorted(Path(f["national"]).glob("*.xlsx")), user=u, workers=1),
        lambda u: rollup_refresh(user=u),
        lambda u: organizations_load_master(user=u),
    ]
    for call in calls:
        for user in (None, cast.ito, cast.nakamura):
            with pytest.raises(AccessDenied):
                call(user)
    assert db_snapshot() == before


@pytest.mark.parametrize("args", [
    ["inventory", "import", "REGISTER", "--org", "011002"],
    ["inventory", "feed-indicators", "--org", "011002"],
    ["municipal", "create-goal", "--prefecture", "130001", "--name", "目標", "--target", "R2年度末"],
])
def test_a_refused_command_leaves_no_organization_behind(world, monkeypatch, capsys, args):
    """An organization not yet in the database (札幌市, 東京都) is created from the national list on first use:
    for a refused user not even that row stays (the command is one transaction)."""
    from tenken.orgs.models import Organization

    _, f = world
    before = db_snapshot()
    count = Organization.objects.count()
    args = [f["register"] if a == "REGISTER" else a for a in args]
    code, _, err = run(monkeypatch, capsys, *args, "--user", "ito")
    assert code == 1 and "この操作を行う権限がありません" in err, err
    assert Organization.objects.count() == count
    assert db_snapshot() == before
