"""Every persona × every staff and public page → the status designed for it (issue #12).

The URL list is read from the resolver: a named pattern missing from PAGES fails
``test_every_page_is_in_the_matrix``, so a new page must be given its row here. Writes (POST) are rolled
back after each request, so every persona meets the same world.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tenken.indicators.services import indicator_create
from tenken.inventory.models import InformationSystem
from tenken.inventory.services import municipal_goal_create, system_save
from tenken.orgs.services import organizations_load_master
from tenken.plans.editing import milestone_create
from tenken.plans.models import Initiative, Section
from tenken.reviews.models import InitiativeReview
from tenken.surveys import services
from tenken.surveys.tasks import start_round_workbooks

from .personas import cast_for, operator, small_plan
from .public.conftest import add_inspection, add_review, publish

pytestmark = pytest.mark.django_db

PERSONAS = ["anon", "sato", "suzuki", "takahashi", "tanaka", "yamamoto", "ito", "kobayashi", "watanabe", "nakamura"]
# Namespaces that are not pages for people: Django's admin (sec's issue) and the JSON API (tests/public/test_api.py).
NOT_PAGES = {"admin", "api"}


def only(*allowed: str, ok: int = 200, denied: int = 403, anon: int = 302) -> dict[str, int]:
    """``allowed`` personas get ``ok``, the other signed-in ones ``denied``, the anonymous visitor ``anon``."""
    return {p: anon if p == "anon" else ok if p in allowed else denied for p in PERSONAS}


def everyone(code: int = 200, anon: int | None = None) -> dict[str, int]:
    return {p: (code if anon is None else anon) if p == "anon" else code for p in PERSONAS}


SIGNED_IN = PERSONAS[1:]
MEMBERS = ["sato", "suzuki", "takahashi", "tanaka", "yamamoto", "ito", "kobayashi"]  # of 神奈川県
GOVERNANCE = ["sato", "ito"]  # admin and organization-wide viewer of 神奈川県
A_VIEW = ["sato", "suzuki", "takahashi", "ito"]

# name: (method, args(world), data(world) or None, {persona: status})
PAGES = {
    "login": ("get", lambda w: [], None, everyone(302, anon=200)),
    "logout": ("post", lambda w: [], None, everyone(302)),
    "web:home": ("get", lambda w: [], None, only(*SIGNED_IN)),
    "web:totp_setup": ("get", lambda w: [], None, only(*SIGNED_IN)),
    "web:totp_verify": ("get", lambda w: [], None, everyone(302)),  # no code pending: on to the next page
    "surveys:index": ("get", lambda w: [], None, only(*SIGNED_IN)),
    "surveys:login": ("get", lambda w: [], None, everyone(302)),
    "surveys:logout": ("post", lambda w: [], None, everyone(302)),
    "surveys:open": ("post", lambda w: [], lambda w: {"plan": w["plan"].pk, "fiscal_year": 2017,
                                                      "deadline": "2018-05-31"}, only("sato", ok=302)),
    "surveys:round": ("get", lambda w: [w["round"].pk], None, only(*MEMBERS)),
    "surveys:remind": ("post", lambda w: [w["round"].pk], None, only("sato", ok=302)),
    "surveys:close": ("post", lambda w: [w["round"].pk], lambda w: {"confirm": "on"}, only("sato", ok=302)),
    "surveys:response": ("get", lambda w: [w["response"].pk], None, only(*A_VIEW)),
    "surveys:workbook": ("get", lambda w: [w["response"].pk], None, only("sato", "suzuki")),
    "surveys:upload": ("post", lambda w: [w["response"].pk], None, only("sato", "suzuki", ok=302)),
    "surveys:submit": ("post", lambda w: [w["response"].pk], None, only("sato", "suzuki", ok=302)),
    "surveys:approve": ("post", lambda w: [w["response"].pk], None, only("sato", "takahashi", ok=302)),
    "surveys:return": ("post", lambda w: [w["response"].pk], None, only("sato", "takahashi", ok=302)),
    "surveys:answer": ("get", lambda w: [w["response"].pk, w["initiative"].pk], None, only(*A_VIEW)),
    "reports:plan_report": ("get", lambda w: [w["plan"].pk], None, only(*GOVERNANCE)),
    "reports:plan_report_download": ("get", lambda w: [w["plan"].pk, "html"], None, only(*GOVERNANCE)),
    "indicators:list": ("get", lambda w: [], None, only(*GOVERNANCE, "nakamura")),
    "indicators:upload": ("get", lambda w: [], None, only("sato", "nakamura")),
    "indicators:detail": ("get", lambda w: [w["indicator"].pk], None, only(*GOVERNANCE)),
    "indicators:chart": ("get", lambda w: [w["indicator"].pk], None, only(*GOVERNANCE)),
    "indicators:observation_add": ("post", lambda w: [w["indicator"].pk], None, only("sato", ok=422)),
    "inventory:index": ("get", lambda w: [], None, only(*SIGNED_IN)),
    "inventory:summary": ("get", lambda w: ["140007"], None, only(*GOVERNANCE)),
    "inventory:export": ("get", lambda w: ["140007"], None, only(*GOVERNANCE)),
    "inventory:upload": ("post", lambda w: ["140007"], None, only("sato", ok=302)),
    "inventory:upload_confirm": ("get", lambda w: ["140007", "not-my-upload"], None, only("sato", ok=404)),
    "inventory:systems": ("get", lambda w: ["140007"], None, only(*GOVERNANCE)),
    "inventory:system": ("get", lambda w: ["140007", w["system"].pk], None, only(*GOVERNANCE)),
    "inventory:system_edit": ("get", lambda w: ["140007", w["system"].pk], None, only("sato")),
    "inventory:municipal": ("get", lambda w: [w["goal"].pk], None, only(*GOVERNANCE)),
    "inventory:municipal_record": ("post", lambda w: [w["goal"].pk], None, only("sato", ok=422)),
    "inventory:municipal_upload": ("post", lambda w: [w["goal"].pk], None, only("sato", ok=422)),
    "public:plans": ("get", lambda w: [], None, everyone()),
    "public:catalog": ("get", lambda w: [], None, everyone()),
    "public:plan": ("get", lambda w: [w["plan"].pk], None, everyone()),
    "public:initiative": ("get", lambda w: [w["plan"].pk, w["initiative"].pk], None, everyone()),
    "public:data": ("get", lambda w: [w["plan"].pk], None, everyone()),
    "public:data_file": ("get", lambda w: [w["plan"].pk, "datapackage.json"], None, everyone()),
    "public:goals": ("get", lambda w: [w["plan"].pk], None, everyone()),
    "public:report_file": ("get", lambda w: [w["plan"].pk, w["inspection"].pk, 1, "html"], None, everyone()),
    # /api/… outside /api/v1/: the JSON 404 for everyone (tests/public/test_api.py checks its body)
    "api_not_found": ("get", lambda w: [], None, everyone(404)),
    "web:password_change": ("get", lambda w: [], None, only(*SIGNED_IN)),
    "web:password_change_done": ("get", lambda w: [], None, only(*SIGNED_IN)),
    # plan pages and editing (pdca): members read, the ICT admin edits
    "plans:plan": ("get", lambda w: [w["plan"].pk], None, only(*MEMBERS)),
    # an initiative's page: its departments' people and the organization-wide roles
    "plans:initiative_history": ("get", lambda w: [w["plan"].pk, w["initiative"].pk], None, only(*A_VIEW)),
    "plans:edit": ("get", lambda w: [w["plan"].pk], None, only("sato")),
    # an empty add form: the edit page again, its problems next to the fields (422)
    "plans:section_add": ("post", lambda w: [w["plan"].pk], None, only("sato", ok=422)),
    "plans:section_edit": ("get", lambda w: [w["plan"].pk, w["section"].pk], None, only("sato")),
    "plans:section_action": ("post", lambda w: [w["plan"].pk, w["section"].pk, "down"], None,
                             only("sato", ok=302)),
    "plans:initiative_add": ("post", lambda w: [w["plan"].pk], None, only("sato", ok=422)),
    "plans:initiative_edit": ("get", lambda w: [w["plan"].pk, w["initiative"].pk], None, only("sato")),
    "plans:goals_edit": ("get", lambda w: [w["plan"].pk], None, only("sato")),
    "plans:successor": ("get", lambda w: [w["plan"].pk], None, only("sato")),
    # a plan without a predecessor: the admin is sent back to the plan with a message
    "plans:carry_over": ("get", lambda w: [w["plan"].pk], None, only("sato", ok=302)),
    # a milestone: the initiative's editors (鈴木 for 政策局) and the ICT admin
    "plans:milestone_done": ("post", lambda w: [w["milestone"].pk], None, only("sato", "suzuki", ok=302)),
    # the survey round in the web (round)
    "surveys:reopen": ("post", lambda w: [w["round"].pk], None, only("sato", ok=302)),
    "surveys:workbooks": ("get", lambda w: [w["round"].pk], None, only("sato")),
    "surveys:round_upload": ("post", lambda w: [w["round"].pk], None, only("sato", ok=302)),
    "surveys:assignments": ("get", lambda w: [w["plan"].pk], None, only("sato")),
    "surveys:notifications": ("get", lambda w: [], None, only(*SIGNED_IN)),
    # narratives and chapter texts of the report (round): any member of the organization reads
    "reviews:narratives": ("get", lambda w: [w["inspection"].pk], None, only(*MEMBERS)),
    "reviews:narrative": ("get", lambda w: [w["inspection"].pk, w["item"].pk], None, only(*MEMBERS)),
    "reviews:texts": ("get", lambda w: [w["inspection"].pk], None, only(*MEMBERS)),
    # publication (pub): the ICT admin only
    "publications:plan": ("get", lambda w: [w["plan"].pk], None, only("sato")),
    "publications:inspection": ("get", lambda w: [w["inspection"].pk], None, only("sato")),
    "publications:publish": ("post", lambda w: [w["inspection"].pk], None, only("sato", ok=302)),
    "publications:figures": ("post", lambda w: [w["inspection"].pk], None, only("sato", ok=302)),
    "publications:withdraw": ("post", lambda w: [w["publication"].pk], None, only("sato", ok=302)),
    "publications:job": ("get", lambda w: [w["publication"].pk], None, only("sato")),
    # the import wizard (import): an organization's admin (横浜市's too, for its own plans); an upload not in
    # one's own session is not found
    "imports:index": ("get", lambda w: [], None, only("sato", "nakamura")),
    "imports:template": ("get", lambda w: [], None, only("sato", "nakamura")),
    "imports:mapping": ("get", lambda w: ["not-my-upload"], None, everyone(404, anon=302)),
    "imports:mapping_download": ("get", lambda w: ["not-my-upload"], None, everyone(404, anon=302)),
    "imports:preview": ("get", lambda w: ["not-my-upload"], None, everyone(404, anon=302)),
    "imports:replace": ("post", lambda w: ["not-my-upload"], None, everyone(404, anon=302)),
    "imports:import": ("post", lambda w: ["not-my-upload"], None, everyone(404, anon=302)),
    # a background job (jobs): the ICT admin's ZIP of the round's workbooks; its page and file are for whoever
    # started it and the organization's admin (both 佐藤 here); 鈴木's own job is his and the admin's
    "jobs:list": ("get", lambda w: [], None, only(*SIGNED_IN)),
    "jobs:detail": ("get", lambda w: [w["job"].pk], None, only("sato")),
    "jobs:status": ("get", lambda w: [w["job"].pk], None, only("sato")),
    "jobs:download": ("get", lambda w: [w["job"].pk], None, only("sato")),
    # a job that did not lose its worker is never run again (tests/test_job_worker_death.py: who may retry)
    "jobs:retry": ("post", lambda w: [w["job"].pk], None, only()),
}

# Objects that do not exist are 404 for everyone signed in (the ICT admin here), before any role check.
MISSING = {
    "surveys:round": [999999], "surveys:response": [999999], "surveys:answer": [999999, 999999],
    "reports:plan_report": [999999], "indicators:detail": [999999], "inventory:summary": ["999999"],
    "inventory:system": ["140007", 999999], "inventory:municipal": [999999], "public:plan": [999999],
}


def _walk(patterns, namespace: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield namespace, p.name, str(p.pattern)


def test_every_page_is_in_the_matrix():
    found = set()
    for namespace, name, pattern in _walk(get_resolver().url_patterns):
        if namespace in NOT_PAGES:
            continue
        assert name, f"URL {pattern} has no name: name it and add it to PAGES"
        found.add(f"{namespace}:{name}" if namespace else name)
    assert found - set(PAGES) == set(), "pages missing from tests/test_page_matrix.py PAGES"
    assert set(PAGES) - found == set(), "PAGES names a URL that no longer exists"


def build_world(capture: Callable[[], AbstractContextManager] = nullcontext):
    """The world every page of PAGES is visited in (also by tests/test_axe.py, tests/test_breadcrumbs.py and
    tests/test_page_queries.py). ``capture`` wraps the publication, whose report job runs after the commit."""
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    organizations_load_master(user=operator())
    system = system_save(user=cast.sato, system=InformationSystem(organization=cast.org, name="基幹システム",
                                                  segment="lgwan", hosting="cloud", in_service_on=date(2015, 4, 1)))
    # an approved result published by the ICT admin: the plan is public only once something of it is
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order").first()
    inspection = add_inspection(cast.plan, fiscal_year=2017)
    add_review(inspection, initiative, status="in_progress", approval=InitiativeReview.Approval.APPROVED,
               outcome="平成29年度の成果")
    with capture():
        publication = publish(inspection, cast.sato)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the ZIP job runs after the commit
        job = start_round_workbooks(user=cast.sato, survey_round=survey_round)
    milestone = milestone_create(user=cast.sato, initiative=initiative, title="要件定義", due=date(2019, 3, 31))
    return cast, {
        "inspection": inspection,
        "publication": publication,
        "milestone": milestone,
        "job": job,
        "section": Section.objects.filter(plan=cast.plan, depth=0).order_by("order").first(),
        "item": initiative.section,
        "plan": cast.plan,
        "round": survey_round,
        "response": survey_round.responses.get(department=cast.dept_a),
        "initiative": Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order").first(),
        "indicator": indicator_create(organization=cast.org, plan=cast.plan, name="電子申請", unit="件",
                                      direction="higher"),
        "system": system,
        "goal": municipal_goal_create(user=operator(), prefecture=cast.org, name="オープンデータ取組済", target_date=date(2021, 3, 31)),
    }


@pytest.fixture
def world(request, django_capture_on_commit_callbacks):
    # rendering PDF/DOCX/XLSX/HTML is slow, so the report job runs only where it is looked at
    return build_world(lambda: django_capture_on_commit_callbacks(execute="report_file" in request.node.name))


def html_pages(w) -> list[tuple[str, str, str]]:
    """``(name, persona, url)`` of every page PAGES opens with GET and 200 for that persona (the signed-in
    personas first, then the anonymous visitor); a caller keeps those answered with HTML."""
    out = []
    for name, (method, args, _data, expected) in sorted(PAGES.items()):
        if method != "get":
            continue
        url = reverse(name, args=args(w))
        out += [(name, persona, url) for persona in [*PERSONAS[1:], "anon"] if expected[persona] == 200]
    return out


def _client(cast, persona: str) -> Client:
    client = Client()
    if persona != "anon":
        client.force_login(getattr(cast, persona))
    return client


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_for_every_persona(world, name):
    cast, w = world
    method, args, data, expected = PAGES[name]
    url = reverse(name, args=args(w))
    got = {}
    for persona in PERSONAS:
        client = _client(cast, persona)
        with transaction.atomic():
            res = getattr(client, method)(url, data(w) if data else {})
            transaction.set_rollback(True)
        got[persona] = res.status_code
        if res.status_code == 403:
            page = res.content.decode()
            assert '<html lang="ja">' in page and "権限がありません" in page, (name, persona)
        if res.status_code == 302 and persona == "anon" and expected["anon"] == 302 and name not in ("logout",
                                                                                                   "surveys:login",
                                                                                                   "surveys:logout"):
            assert res["Location"].startswith("/login/?next="), (name, res["Location"])
    assert got == expected, name


@pytest.mark.parametrize("name", sorted(MISSING))
def test_missing_objects_are_404(world, name):
    cast, _ = world
    res = _client(cast, "sato").get(reverse(name, args=MISSING[name]))
    assert res.status_code == 404, name
