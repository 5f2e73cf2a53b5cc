"""The public cache at its floor: a hit reads a shared version stamp, not the database.

Personas: 花子 (Hanako) is a resident with no login (``client``); 佐藤 (sato) is the ICT admin of 神奈川県
who publishes and withdraws; Alice is staff. The stamp (``tenken.public.stamp``) lives in a small file
under ``TENKEN_STATE_DIR`` (local-memory cache) or in the shared cache (Redis). Every committed write to a
table the public surface reads replaces it, so every process — each with its own local-memory cache —
stops serving the old pages at once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tenken.public import cache as public_cache
from tenken.public import stamp
from tenken.publications.services import publication_withdraw
from tenken.reviews.models import Inspection

from ..personas import operator
from .conftest import publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cached(settings):
    settings.TENKEN_PUBLIC_CACHE = True
    return settings


def _final(plan) -> Inspection:
    return plan.inspections.get(kind=Inspection.Kind.FINAL)


def test_a_hit_runs_no_query_and_opens_no_connection(client, world, cached, monkeypatch):
    url = f"/public/plans/{world.plan.pk}/"
    assert client.get(url)["X-Tenken-Cache"] == "miss"

    def no_database(*args, **kwargs):
        raise AssertionError("a cache hit touched the database")

    assert client.get("/api/v1/plans/")["X-Tenken-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        monkeypatch.setattr(connection, "ensure_connection", no_database)
        hit = client.get(url)
        api_hit = client.get("/api/v1/plans/")
        monkeypatch.undo()
    assert hit.status_code == 200 and hit["X-Tenken-Cache"] == "hit"
    assert api_hit["X-Tenken-Cache"] == "hit"
    assert len(ctx) == 0, [q["sql"] for q in ctx.captured_queries]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"])
    assert not_modified.status_code == 304


def test_publish_and_withdraw_replace_the_stamp_on_commit(client, kanagawa_plan, sato, cached,
                                                          django_capture_on_commit_callbacks):
    plan = kanagawa_plan
    before = stamp.read().token
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(_final(plan), sato)
    published = stamp.read().token
    assert published != before
    assert client.get(f"/public/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/public/plans/{plan.pk}/")["X-Tenken-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        publication_withdraw(user=sato, publication_id=publication.pk, reason="記載誤りのため")
    assert stamp.read().token != published
    assert client.get(f"/public/plans/{plan.pk}/").status_code == 404


def test_one_replacement_per_transaction_after_the_commit(kanagawa_plan, sato, django_capture_on_commit_callbacks):
    plan = kanagawa_plan
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            for initiative in plan.initiatives.all()[:5]:
                initiative.text += "（改）"
                initiative.save()
    assert [c for c in callbacks if getattr(c, "__name__", "") == "bump"] == [stamp.bump]


@pytest.mark.django_db(transaction=True)
def test_a_real_transaction_replaces_the_stamp_once_after_its_commit(monkeypatch):
    """Outside a test case's own transaction: five nested blocks writing, one replacement, after the commit;
    a rolled-back transaction replaces nothing."""
    from tenken.orgs.models import Organization

    calls = []
    real = stamp.bump
    monkeypatch.setattr(stamp, "bump", lambda: calls.append(1) or real())
    monkeypatch.setattr(stamp, "_filled", False)
    with transaction.atomic():
        for n in range(5):
            with transaction.atomic():
                Organization.objects.create(code=f"99{n:03d}0", name=f"試験団体{n}", kind="city")
        assert calls == []
    assert calls == [1]
    with pytest.raises(RuntimeError), transaction.atomic():
        Organization.objects.filter(code__startswith="99").update(name="取り消される名前")
        raise RuntimeError
    assert calls == [1]
    Organization.objects.filter(code__startswith="99").delete()  # autocommit: replaced at once
    assert calls == [1, 1]


def test_two_processes_withdrawal_empties_both_caches(client, world, sato, cached, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    """Two workers, each with its own local-memory cache, share the stamp file: a withdrawal served by
    worker B is seen at once by worker A, which still holds the page in its memory."""
    worker_a, worker_b = LocMemCache("a", {}), LocMemCache("b", {})
    url = f"/public/plans/{world.plan.pk}/"
    annual_title = world.annual.title
    for worker in (worker_a, worker_b):
        monkeypatch.setattr(public_cache, "cache", worker)
        assert annual_title in client.get(url).content.decode()
        assert client.get(url)["X-Tenken-Cache"] == "hit"
    publication = world.annual.publications.get(state="current")
    with django_capture_on_commit_callbacks(execute=True):  # in worker B
        publication_withdraw(user=sato, publication_id=publication.pk, reason="記載誤りのため")
    monkeypatch.setattr(public_cache, "cache", worker_a)
    page = client.get(url)
    assert page["X-Tenken-Cache"] == "miss" and annual_title not in page.content.decode()


def test_a_stamp_written_by_another_process_is_honoured(client, world, cached):
    url = f"/public/plans/{world.plan.pk}/"
    client.get(url)
    assert client.get(url)["X-Tenken-Cache"] == "hit"
    env = dict(os.environ, PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="tenken.settings",
               TENKEN_PUBLIC_STAMP_PATH=str(cached.TENKEN_PUBLIC_STAMP_PATH))
    script = "import django; django.setup(); from tenken.public import stamp; print(stamp.bump().token)"
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    assert stamp.read().token == out.stdout.split()[-1]
    assert client.get(url)["X-Tenken-Cache"] == "miss"
    assert client.get(url)["X-Tenken-Cache"] == "hit"


def test_a_missing_stamp_is_rewritten_and_never_reuses_old_entries(client, world, cached):
    url = f"/public/plans/{world.plan.pk}/"
    client.get(url)
    old = stamp.read().token
    Path(cached.TENKEN_PUBLIC_STAMP_PATH).unlink()
    assert client.get(url)["X-Tenken-Cache"] == "miss"
    assert Path(cached.TENKEN_PUBLIC_STAMP_PATH).is_file()
    assert stamp.read().token != old
    assert client.get(url)["X-Tenken-Cache"] == "hit"


def test_a_staff_members_page_is_never_served_to_a_resident(client, world, sato, cached):
    """佐藤 is logged in while he looks at the public page: his name and the staff menu must not be cached
    for 花子, and his visit must not be served a resident's cached page either."""
    from django.test import Client

    url = f"/public/plans/{world.plan.pk}/"
    staff = Client()
    staff.force_login(sato)
    assert "佐藤 さん" in staff.get(url).content.decode()
    client.get(url)
    cached_page = client.get(url)
    hanako = cached_page.content.decode()
    assert cached_page["X-Tenken-Cache"] == "hit" and "Cookie" in cached_page["Vary"]  # for shared proxies
    assert "佐藤 さん" not in hanako and "職員ログイン" in hanako
    assert "佐藤 さん" in staff.get(url).content.decode()


def _tables_read(ctx) -> set[str]:
    return {t for q in ctx.captured_queries for t in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"])}


def test_every_table_the_public_surface_reads_replaces_the_stamp(client, world, settings):
    """The public content is live for everything but the results (plan, sections, statuses, initiatives,
    departments, organization, inspections, indicators, goals, report files): each such table is watched."""
    from tenken.indicators.importing import import_indicators_file

    from ..indicators.conftest import DATA
    from .test_draft_never_public import public_surface

    settings.TENKEN_PUBLIC_CACHE = False
    import_indicators_file(DATA / "indicators.csv", user=operator(), org_code="140007", plan_id=world.plan.pk)
    plan = world.plan
    with CaptureQueriesContext(connection) as ctx:
        public_surface(client, plan)
        for url in (f"/public/plans/{plan.pk}/goals/", f"/api/v1/indicators/?plan={plan.pk}"):
            assert client.get(url).status_code == 200
    read = _tables_read(ctx)
    assert {"plans_plan", "plans_initiative", "orgs_department", "indicators_observation"} <= read
    assert read <= stamp.watched_tables(), sorted(read - stamp.watched_tables())
    assert "reviews_initiativereview" not in stamp.watched_tables()  # answers: frozen at publication


@pytest.mark.parametrize("edit", ["plan title", "initiative text", "department", "inspection title",
                                  "indicator value"])
def test_a_live_edit_changes_the_cached_page_at_once(client, world, cached, edit):
    from datetime import date
    from decimal import Decimal

    from tenken.indicators.importing import import_indicators_file
    from tenken.indicators.models import Indicator
    from tenken.indicators.services import observation_record
    from tenken.plans.models import Plan

    from ..indicators.conftest import DATA

    plan = world.plan
    import_indicators_file(DATA / "indicators.csv", user=operator(), org_code="140007", plan_id=plan.pk)
    first = plan.initiatives.filter(is_heading=False).order_by("order").first()
    url = f"/public/plans/{plan.pk}/"
    if edit == "initiative text":
        url = f"/public/plans/{plan.pk}/initiatives/{first.pk}/"
    client.get(url)
    assert client.get(url)["X-Tenken-Cache"] == "hit"
    mark = "公開後に直した記述"
    if edit == "plan title":
        Plan.objects.filter(pk=plan.pk).update(title=mark)  # a queryset update, no signal
    elif edit == "initiative text":
        first.text = mark
        first.save()
    elif edit == "department":
        department = world.departments["情報企画課"]
        department.name = mark
        department.save()
    elif edit == "inspection title":
        Inspection.objects.filter(pk=world.annual.pk).update(title=mark)
    else:
        indicator = Indicator.objects.filter(plan=plan).order_by("pk").first()
        indicator.name = mark
        indicator.save()
        observation_record(indicator=indicator, kind="actual", value=Decimal(1), as_of=date(2020, 3, 31))
    page = client.get(url)
    assert page["X-Tenken-Cache"] == "miss" and mark in page.content.decode(), edit


def test_with_a_shared_cache_the_stamp_lives_in_that_cache(client, world, sato, cached, tmp_path,
                                                           django_capture_on_commit_callbacks):
    """With Redis (here: Django's file-based cache, shared by every process the same way) the stamp is a
    key of the shared cache, so every machine sees a withdrawal at once; no stamp file is written."""
    cached.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                 "LOCATION": str(tmp_path / "shared")}}
    from django.core.cache import caches

    Path(cached.TENKEN_PUBLIC_STAMP_PATH).unlink(missing_ok=True)  # written by the fixture's own writes
    url = f"/public/plans/{world.plan.pk}/"
    client.get(url)
    assert client.get(url)["X-Tenken-Cache"] == "hit"
    assert caches["default"].get(stamp.CACHE_KEY).split()[0] == stamp.read().token
    assert not Path(cached.TENKEN_PUBLIC_STAMP_PATH).exists()
    publication = world.annual.publications.get(state="current")
    with django_capture_on_commit_callbacks(execute=True):
        publication_withdraw(user=sato, publication_id=publication.pk, reason="記載誤りのため")
    page = client.get(url)
    assert page["X-Tenken-Cache"] == "miss" and world.annual.title not in page.content.decode()

    assert not Path(cached.TENKEN_PUBLIC_STAMP_PATH).exists()
