"""National scale: synthetic workbooks, the bulk (COPY) path, rollups, and a run killed half-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import load_workbook

from tenken.national.bulk import bulk_import
from tenken.national.rollups import (
    raw_by_policy,
    rollup_by_organization,
    rollup_by_policy,
    rollup_by_prefecture,
    year_over_year,
)
from tenken.national.synth import iter_national, national_orgs, write_xlsx
from tenken.plans.importing import import_plan_file
from tenken.plans.models import Plan
from tenken.plans.selectors import plan_fingerprint

from .conftest import db_snapshot
from .personas import OPERATOR, operator

ROOT = Path(__file__).resolve().parent.parent


def synth(tmp_path: Path, orgs: int = 3, initiatives: int = 40, years: int = 3) -> list[Path]:
    out = []
    for plan in iter_national(orgs=orgs, initiatives=initiatives, years=years, seed=5):
        path = tmp_path / f"{plan.org.code}.xlsx"
        write_xlsx(plan, path)
        out.append(path)
    return out


def test_national_orgs_are_the_1788():
    orgs = national_orgs(5000)
    assert len(orgs) == 1788
    assert sum(o.kind == "prefecture" for o in orgs) == 47


def test_synth_is_deterministic(tmp_path):
    a = [p.rows for p in iter_national(orgs=2, initiatives=30, years=2, seed=9)]
    b = [p.rows for p in iter_national(orgs=2, initiatives=30, years=2, seed=9)]
    c = [p.rows for p in iter_national(orgs=2, initiatives=30, years=2, seed=10)]
    assert a == b and a != c


@pytest.mark.django_db
def test_bulk_path_writes_what_the_normal_importer_writes(tmp_path):
    path = synth(tmp_path, orgs=1)[0]
    result = bulk_import([path], user=operator(), workers=1)
    assert (result.imported, result.refused) == (1, {})
    bulk_plan = Plan.objects.get()
    bulk = plan_fingerprint(plan=bulk_plan)
    assert len(bulk["yearly"]) == result.reviews == 3 * 40
    title, period = bulk_plan.title, f"{bulk_plan.first_fiscal_year}-{bulk_plan.last_fiscal_year}"
    Plan.objects.filter(pk=bulk_plan.pk).update(title=f"{title}（一括取込）")  # make room for the same plan
    normal = import_plan_file(path, user=operator(), org_code=path.stem, title=title, fiscal_years=period).plan
    assert plan_fingerprint(plan=normal) == bulk


@pytest.mark.django_db
def test_a_bad_workbook_is_refused_whole_and_named(tmp_path):
    paths = synth(tmp_path)
    wb = load_workbook(paths[1])
    ws = wb["別紙"]
    ws["G7"] = "済み"
    ws["E9"] = None
    wb.save(paths[1])
    result = bulk_import(paths, user=operator(), workers=2)
    assert result.imported == 2
    messages = result.refused[str(paths[1])]
    assert messages[0].startswith("別紙!G7: 実施結果「済み」を解釈できません")
    assert "別紙!E9: 取組内容が空欄です" in messages
    assert sorted(Plan.objects.values_list("organization__code", flat=True)) == sorted(p.stem for p in (paths[0], paths[2]))
    before = db_snapshot()
    again = bulk_import(paths, user=operator(), workers=1)
    assert again.imported == 0 and len(again.refused) == 3  # two duplicates, one still broken
    assert db_snapshot() == before


@pytest.mark.django_db
def test_strict_refuses_everything(tmp_path):
    paths = synth(tmp_path)
    paths[2].write_bytes(b"PK\x03\x04 not really a workbook")
    before = db_snapshot()
    result = bulk_import(paths, user=operator(), workers=1, strict=True)
    assert result.imported == 0 and list(result.refused) == [str(paths[2])]
    assert db_snapshot() == before


@pytest.mark.django_db
def test_rollups_match_the_reviews(tmp_path):
    bulk_import(synth(tmp_path, orgs=4, years=3), user=operator(), workers=2)
    for fy in (2019, 2020, 2021):
        assert rollup_by_policy(fiscal_year=fy) == raw_by_policy(fiscal_year=fy)
        by_org = rollup_by_organization(fiscal_year=fy)
        assert len(by_org) == 4 and all(sum(v.values()) == 40 for v in by_org.values())
    assert set(rollup_by_prefecture(fiscal_year=2020)) == {"010006", "020001", "030007", "040002"}
    yoy = year_over_year(fiscal_year=2021)
    assert sum(v["current"] for v in yoy.values()) == sum(v["previous"] for v in yoy.values()) == 160
    assert yoy["achieved"]["change"] >= 0  # an achieved initiative stays achieved in the synthetic data


def _kill_halfway(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.time() + 120
    line = ""
    while time.time() < deadline:
        line = proc.stderr.readline()
        if "PAUSED" in line or (line == "" and proc.poll() is not None):
            break
    assert "PAUSED" in line, proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_sigkill_halfway_leaves_sqlite_as_before(tmp_path):
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    for path in synth(tmp_path, orgs=7):
        path.rename((first if path.stem in ("010006", "020001") else rest) / path.name)
    db = tmp_path / "national.sqlite3"
    env = os.environ | {"TENKEN_DB": "sqlite", "TENKEN_SQLITE_PATH": str(db), "DJANGO_SETTINGS_MODULE": "tenken.settings"}
    tenken = [sys.executable, "-m", "tenken.cli"]
    subprocess.run([*tenken, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*tenken, "shell", "-c", "from tenken.demo import setup_account; setup_account()"],  # --user
                   env=env, check=True, cwd=ROOT)
    subprocess.run([*tenken, "import-national", str(first), "--workers", "1", "--user", OPERATOR], env=env, check=True, cwd=ROOT,
                   capture_output=True)

    def counts() -> dict[str, int]:
        with sqlite3.connect(db) as con:
            return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                    for t in ("orgs_department", "plans_plan", "plans_initiative", "reviews_initiativereview",
                              "national_statusrollup")}

    before = counts()
    assert before["plans_plan"] == 2
    _kill_halfway([*tenken, "import-national", str(rest), "--workers", "1", "--pause-after", "3", "--user", OPERATOR],
                  env)
    assert counts() == before
    subprocess.run([*tenken, "import-national", str(rest), "--workers", "1", "--user", OPERATOR], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    assert counts()["plans_plan"] == 7


@pytest.mark.django_db(transaction=True)
def test_sigkill_halfway_leaves_postgresql_as_before(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run only (the SQLite variant is above)")
    paths = synth(tmp_path, orgs=4)
    bulk_import(paths[:1], user=operator(), workers=1)
    before = db_snapshot() | {"rollup": connection.cursor().execute("SELECT COUNT(*) FROM national_statusrollup").fetchone()[0]}
    env = os.environ | {"TENKEN_DB": "postgres", "TENKEN_PG_NAME": connection.settings_dict["NAME"]}
    _kill_halfway([sys.executable, "-m", "tenken.cli", "import-national", str(tmp_path), "--workers", "1",
                   "--pause-after", "3", "--user", OPERATOR], env)
    time.sleep(1)  # the server notices the dead client and rolls back its transaction
    after = db_snapshot() | {"rollup": connection.cursor().execute("SELECT COUNT(*) FROM national_statusrollup").fetchone()[0]}
    assert after == before
    assert bulk_import(paths, user=operator(), workers=1).imported == 3  # the tables are not left locked


@pytest.mark.django_db
def test_set_based_foreign_key_check_catches_a_dangling_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger-free load path is PostgreSQL-only")
    from django.db import IntegrityError

    from tenken.national.bulk import ORDER, _verify_foreign_keys
    from tenken.reviews.models import InitiativeReview

    bulk_import(synth(tmp_path, orgs=1), user=operator(), workers=1)
    review = InitiativeReview.objects.order_by("id").last()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("UPDATE reviews_initiativereview SET initiative_id = 999999999 WHERE id = %s", [review.pk])
        with pytest.raises(IntegrityError, match=r"reviews_initiativereview\.initiative_id"):
            _verify_foreign_keys({m._meta.db_table: 1 for m in ORDER})
        cur.execute("SET LOCAL session_replication_role = origin")


def _schema() -> dict[str, set]:
    """Every index, constraint and column default of the public schema, as PostgreSQL reports them."""
    with connection.cursor() as cur:
        cur.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        indexes = set(cur.fetchall())
        cur.execute("""SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), c.condeferrable, c.condeferred,
                              c.convalidated
                       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'""")
        constraints = set(cur.fetchall())
        cur.execute("""SELECT table_name, column_name, column_default, is_nullable FROM information_schema.columns
                       WHERE table_schema = 'public'""")
        columns = set(cur.fetchall())
    return {"indexes": indexes, "constraints": constraints, "columns": columns}


@pytest.mark.django_db
def test_first_load_restores_every_index_and_constraint_it_dropped(tmp_path):
    """A first load drops the big tables' indexes, keys and foreign keys (and those pointing at them) and
    builds them once after COPY: afterwards the schema is exactly as before, and the rows are those the
    normal path writes (test_bulk_path_writes_what_the_normal_importer_writes)."""
    if connection.vendor != "postgresql":
        pytest.skip("index handling is PostgreSQL-only")
    before = _schema()
    assert any("fiscal_year" in d for _t, _n, d in before["indexes"])
    result = bulk_import(synth(tmp_path, orgs=2), user=operator(), workers=1)
    assert "index_rebuild" in result.timings and result.imported == 2
    after = _schema()
    for part in ("indexes", "constraints", "columns"):
        assert after[part] == before[part], (part, after[part] ^ before[part])


@pytest.mark.django_db
def test_a_duplicate_key_in_a_first_load_refuses_the_whole_run(tmp_path, monkeypatch):
    """With the primary keys dropped during COPY, uniqueness is checked when they are restored: two rows
    with one id (here forced by handing out the same review ids twice) fail the run, and nothing stays."""
    if connection.vendor != "postgresql":
        pytest.skip("index handling is PostgreSQL-only")
    from django.db import IntegrityError

    from tenken.national import bulk

    real_take = bulk._take

    def take(model, n=1):
        first = real_take(model, n)
        return 1 if model is bulk.InitiativeReview else first  # every workbook's reviews from id 1

    monkeypatch.setattr(bulk, "_take", take)
    before = db_snapshot()
    schema = _schema()
    with pytest.raises(IntegrityError, match=r"(?i)unique|duplicate"):
        bulk_import(synth(tmp_path, orgs=2), user=operator(), workers=1)
    assert db_snapshot() == before
    assert _schema() == schema


@pytest.mark.django_db
def test_a_department_named_twice_in_one_cell_is_one_link(tmp_path):
    """「企画課、企画課」 in a 担当所属 cell: one department link (it failed the whole national run with a
    duplicate key), in the bulk path and in the normal importer alike."""
    from tenken.plans.models import Initiative

    path = synth(tmp_path, orgs=1)[0]
    wb = load_workbook(path)
    ws = wb.active
    header = next(r for r in range(1, 20) if ws.cell(r, 6).value == "担当所属")
    ws.cell(header + 1, 6).value = "企画課、企画課"
    wb.save(path)
    result = bulk_import([path], user=operator(), workers=1)
    assert result.imported == 1, result.refused
    linked = [[d.name for d in i.departments.all()] for i in Initiative.objects.filter(departments__name="企画課")]
    assert linked and all(names.count("企画課") == 1 for names in linked)



def _sigterm_disposition(_path: str) -> str:
    """Run in a pool worker instead of prepare_workbook: what SIGTERM does there."""
    return "default" if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else "inherited handler"


def _exit_at_once(_signum, _frame):
    os._exit(0)


def test_pool_workers_die_on_sigterm_whatever_handler_the_parent_set(monkeypatch):
    """The pool's workers are forked from the process that runs the import. In a background job that process is
    ``db_worker``, whose SIGTERM handler only notes the request while a task runs: inherited by the workers, it
    let ``Pool.terminate()`` (at the end of every import) wait forever on a worker that would not stop — the
    whole suite once hung in test_rollups_match_the_reviews, after a test had run ``db_worker`` in-process and
    left its handler behind. Each worker starts with SIGTERM's default action, whatever the parent installed."""
    from tenken.national import bulk

    monkeypatch.setattr(bulk, "prepare_workbook", _sigterm_disposition)
    previous = signal.signal(signal.SIGTERM, _exit_at_once)  # a parent's handler (this one cannot hang the test)
    try:
        seen = list(bulk._prepared(["a", "b", "c", "d"], 2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen == ["default"] * 4
