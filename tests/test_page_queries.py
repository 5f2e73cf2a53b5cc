"""Issue #12: no page needs more queries for a bigger plan. Every page of the page matrix
(tests/test_page_matrix.py PAGES) that answers HTML is opened by its first persona at 1× and again at 10× the
plan (ten times the initiatives, each with an approved result, departments, indicators and systems): the
query counts must be the same."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenken.indicators.services import indicator_create, observation_record
from tenken.inventory.models import InformationSystem
from tenken.inventory.services import system_save
from tenken.orgs.services import department_get_or_create
from tenken.plans.assignments import initiative_assign_departments
from tenken.plans.models import Initiative, Section
from tenken.reviews.models import InitiativeReview

from .public.conftest import add_review
from .test_page_matrix import _client, build_world, html_pages

pytestmark = pytest.mark.django_db


def _grow(cast, w, times: int) -> None:
    """``times``× more of everything a page lists: initiatives (approved in the published inspection and
    answered in the round's), departments, indicators with observations, systems."""
    items = list(Section.objects.filter(plan=cast.plan, depth=1))
    start = Initiative.objects.filter(plan=cast.plan).count()
    extra = Initiative.objects.bulk_create(
        Initiative(plan=cast.plan, section=item, number_label=f"9-{k}", text=f"追加の取組{k}", order=1000 + k)
        for k, item in enumerate(items * ((times - 1) * start // len(items)))
    )
    depts = [department_get_or_create(organization=cast.org, name=f"追加の所属{n}") for n in range(3 * (times - 1))]
    for n, initiative in enumerate(extra):
        # half to 政策局 (the round's response grows), half to new departments
        department = cast.dept_a if n % 2 == 0 else depts[n % len(depts)]
        initiative_assign_departments(initiatives=Initiative.objects.filter(pk=initiative.pk).select_related("plan"),
                                      departments=[department])
        add_review(w["inspection"], initiative, status="in_progress", approval=InitiativeReview.Approval.APPROVED,
                   outcome=f"成果{n}", issues=f"課題{n}")
    for n in range(2 * (times - 1)):
        indicator = indicator_create(organization=cast.org, plan=cast.plan, name=f"指標{n}", unit="件",
                                     direction="higher", sections=[items[n % len(items)]])
        observation_record(indicator=indicator, kind="actual", value=n, as_of=date(2017, 3, 31), source="実績")
    for n in range(3 * (times - 1)):
        system_save(user=cast.sato, system=InformationSystem(
            organization=cast.org, name=f"追加システム{n}", department=cast.dept_a, segment="lgwan", hosting="cloud",
            in_service_on=date(2015, 4, 1), contract_end=date(2027, 3, 31)))


# Pages that differ by persona beyond the first one who may open them: the approver's view of a response,
# the clerk's and the approver's home and survey index.
VARIANTS = {("surveys:response", "takahashi"), ("surveys:answer", "suzuki"), ("web:home", "suzuki"),
            ("web:home", "takahashi"), ("web:home", "ito"), ("surveys:index", "suzuki")}


def _counts(cast, w) -> dict[str, int]:
    counts: dict[str, int] = {}
    first: set[str] = set()
    for name, persona, url in html_pages(w):
        if name in first and (name, persona) not in VARIANTS:
            continue  # the first persona that may open the page, and the variants
        first.add(name)
        client = _client(cast, persona)
        client.get(url)  # warm: the session, caches that are filled once
        with CaptureQueriesContext(connection) as ctx:
            res = client.get(url)
        if res["Content-Type"].startswith("text/html") and not res.has_header("Content-Disposition"):
            counts[f"{name} ({persona})"] = len(ctx.captured_queries)
    return counts


def test_no_page_needs_more_queries_for_a_ten_times_bigger_plan(django_capture_on_commit_callbacks):
    cast, w = build_world(lambda: django_capture_on_commit_callbacks(execute=False))
    # the 1× plan has a value to show too (an indicator table with no value before the report date is left out)
    observation_record(indicator=w["indicator"], kind="actual", value=1, as_of=date(2017, 3, 31), source="実績")
    one = _counts(cast, w)
    _grow(cast, w, 10)
    assert Initiative.objects.filter(plan=cast.plan).count() >= 10 * 6
    ten = _counts(cast, w)
    sato = _client(cast, "sato")
    for url, text in ((reverse("plans:edit", args=[cast.plan.pk]), "追加の取組52"),
                      (reverse("surveys:response", args=[w["response"].pk]), "追加の取組52"),
                      (reverse("indicators:list"), "指標17"),
                      (reverse("inventory:systems", args=["140007"]), "追加システム26")):
        assert text in sato.get(url).content.decode(), url  # the pages counted did grow
    assert len(one) > 40 and {f"{n} ({p})" for n, p in VARIANTS} <= set(one)
    grew = {name: (one[name], ten[name]) for name in one if ten[name] != one[name]}
    assert grew == {}, grew
