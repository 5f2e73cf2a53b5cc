"""The authorization matrix: every role × every action × own/other department, through the access gates
and through HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse

from tenken.orgs import access
from tenken.plans.models import Initiative
from tenken.surveys import services

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db

ACTIONS = {
    "view_initiative": lambda user, w: access.initiative_for_view(user=user, pk=w["initiative"].pk),
    "edit_initiative": lambda user, w: access.initiative_for_update(user=user, pk=w["initiative"].pk),
    "view_response": lambda user, w: access.response_for_view(user=user, pk=w["response"].pk),
    "answer_response": lambda user, w: access.response_for_update(user=user, pk=w["response"].pk),
    "approve_response": lambda user, w: access.response_for_approval(user=user, pk=w["response"].pk),
    "view_round": lambda user, w: access.round_for_view(user=user, pk=w["round"].pk),
    "manage_round": lambda user, w: access.round_for_management(user=user, pk=w["round"].pk),
    "manage_plan": lambda user, w: access.plan_for_management(user=user, pk=w["round"].plan_id),
}

Y, N = True, False
# persona: (home department, {action: (allowed on own department, allowed on the other department)})
MATRIX = {
    "sato": ("A", dict.fromkeys(ACTIONS, (Y, Y))),  # ICT division admin
    "suzuki": ("A", {  # editor of A
        "view_initiative": (Y, N), "edit_initiative": (Y, N), "view_response": (Y, N), "answer_response": (Y, N),
        "approve_response": (N, N), "view_round": (Y, Y), "manage_round": (N, N), "manage_plan": (N, N),
    }),
    "takahashi": ("A", {  # approver of A
        "view_initiative": (Y, N), "edit_initiative": (N, N), "view_response": (Y, N), "answer_response": (N, N),
        "approve_response": (Y, N), "view_round": (Y, Y), "manage_round": (N, N), "manage_plan": (N, N),
    }),
    "tanaka": ("B", {  # editor of B
        "view_initiative": (Y, N), "edit_initiative": (Y, N), "view_response": (Y, N), "answer_response": (Y, N),
        "approve_response": (N, N), "view_round": (Y, Y), "manage_round": (N, N), "manage_plan": (N, N),
    }),
    "ito": ("A", {  # viewer of the whole organization
        "view_initiative": (Y, Y), "edit_initiative": (N, N), "view_response": (Y, Y), "answer_response": (N, N),
        "approve_response": (N, N), "view_round": (Y, Y), "manage_round": (N, N), "manage_plan": (N, N),
    }),
    "kobayashi": ("B", {  # viewer of B only
        "view_initiative": (Y, N), "edit_initiative": (N, N), "view_response": (Y, N), "answer_response": (N, N),
        "approve_response": (N, N), "view_round": (Y, Y), "manage_round": (N, N), "manage_plan": (N, N),
    }),
    "watanabe": ("A", dict.fromkeys(ACTIONS, (N, N))),  # no membership
    "nakamura": ("A", dict.fromkeys(ACTIONS, (N, N))),  # admin of 横浜市, not of 神奈川県
}

CASES = [
    pytest.param(persona, action, where, MATRIX[persona][1][action][where == "other"], id=f"{persona}-{action}-{where}")
    for persona in MATRIX
    for action in ACTIONS
    for where in ("own", "other")
]


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))

    def side(dept):
        return {
            "initiative": Initiative.objects.filter(plan=cast.plan, departments=dept).first(),
            "response": survey_round.responses.get(department=dept),
            "round": survey_round,
        }

    return cast, {"A": side(cast.dept_a), "B": side(cast.dept_b)}


def test_matrix_covers_every_action():
    assert all(set(actions) == set(ACTIONS) for _, actions in MATRIX.values())


@pytest.mark.parametrize(("persona", "action", "where", "allowed"), CASES)
def test_access_gate(world, persona, action, where, allowed):
    cast, sides = world
    home, _ = MATRIX[persona]
    target = home if where == "own" else ("B" if home == "A" else "A")
    user = getattr(cast, persona)
    if allowed:
        assert ACTIONS[action](user, sides[target]) is not None
    else:
        with pytest.raises(PermissionDenied):
            ACTIONS[action](user, sides[target])


def test_anonymous_and_inactive_users_have_no_access(world):
    from django.contrib.auth.models import AnonymousUser

    cast, sides = world
    cast.sato.is_active = False
    cast.sato.save()
    for user in (AnonymousUser(), cast.sato):
        for act in ACTIONS.values():
            with pytest.raises(PermissionDenied):
                act(user, sides["A"])


def test_unknown_ids_are_404_not_500(world):
    cast, _ = world
    with pytest.raises(Http404):
        access.response_for_view(user=cast.sato, pk=999999)
    with pytest.raises(Http404):
        access.initiative_for_update(user=cast.sato, pk="abc")


# HTTP: the pages call the same gates; a refused page is a Japanese 403.
PAGES = {
    "response page": ("get", "surveys:response", lambda w: [w["response"].pk], "view_response"),
    "answer form": ("get", "surveys:answer", lambda w: [w["response"].pk, w["initiative"].pk], "view_initiative"),
    "workbook download": ("get", "surveys:workbook", lambda w: [w["response"].pk], "answer_response"),
    "approve": ("post", "surveys:approve", lambda w: [w["response"].pk], "approve_response"),
    "remind": ("post", "surveys:remind", lambda w: [w["round"].pk], "manage_round"),
    "round page": ("get", "surveys:round", lambda w: [w["round"].pk], "view_round"),
    "workbooks ZIP": ("get", "surveys:workbooks", lambda w: [w["round"].pk], "manage_round"),
    "close confirmation": ("get", "surveys:close", lambda w: [w["round"].pk], "manage_round"),
    "reopen confirmation": ("get", "surveys:reopen", lambda w: [w["round"].pk], "manage_round"),
    "many uploads": ("post", "surveys:round_upload", lambda w: [w["round"].pk], "manage_round"),
    "assignments": ("get", "surveys:assignments", lambda w: [w["round"].plan_id], "manage_plan"),
    "narratives": ("get", "reviews:narratives", lambda w: [w["round"].inspection_id], "view_round"),
    "chapter texts": ("get", "reviews:texts", lambda w: [w["round"].inspection_id], "view_round"),
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_pages_follow_the_matrix(world, persona):
    cast, sides = world
    client = Client()
    client.force_login(getattr(cast, persona))
    home, allowed = MATRIX[persona]
    other = "B" if home == "A" else "A"
    for name, (method, url_name, args, action) in PAGES.items():
        for where, side in (("own", home), ("other", other)):
            url = reverse(url_name, args=args(sides[side]))
            res = getattr(client, method)(url)
            expected = allowed[action][where == "other"]
            if expected:
                assert res.status_code in (200, 302), (name, where, res.status_code)
            else:
                assert res.status_code == 403, (name, where, res.status_code)
                assert "権限がありません" in res.content.decode()


def test_pages_require_login(world):
    _, sides = world
    res = Client().get(reverse("surveys:response", args=[sides["A"]["response"].pk]))
    assert res.status_code == 302 and res["Location"].startswith(reverse("login") + "?next=")


# -- the information-system register, Django admin and the CLI (issue #14) ----------------------------

# persona: (reads the register of 神奈川県, writes it)
REGISTER_MATRIX = {
    "sato": (Y, Y), "suzuki": (N, N), "takahashi": (N, N), "tanaka": (N, N), "yamamoto": (N, N),
    "ito": (Y, N), "kobayashi": (N, N), "watanabe": (N, N), "nakamura": (N, N), "kato": (Y, Y), "staff": (N, N),
}


@pytest.fixture
def register_world(world, tmp_path):
    from datetime import date as day

    from tenken.inventory.register_format import register_workbook_bytes
    from tenken.orgs.models import Membership

    from .personas import make_user

    cast, sides = world
    cast.kato = make_user("kato", "加藤")  # 台帳編集者
    Membership.objects.create(user=cast.kato, organization=cast.org, role=Membership.Role.REGISTRAR)
    cast.staff = make_user("staff", "職員")  # the admin-site flag and nothing else
    cast.staff.is_staff = True
    cast.staff.save()
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_workbook_bytes([{
        "name": "財務会計システム", "department": "会計局", "purpose": "", "segment": "LGWAN接続系",
        "hosting": "クラウド", "internet_facing": False, "in_service_on": day(2010, 4, 1), "retired_on": None,
        "contract_end": None, "state": "稼働", "successor": "", "note": "", "costs": {},
    }], []))
    return cast, sides, path


@pytest.mark.parametrize("persona", list(REGISTER_MATRIX))
def test_register_over_http_follows_the_matrix(register_world, persona):
    from tenken.inventory.models import InformationSystem

    from .conftest import db_snapshot

    cast, _, path = register_world
    reads, writes = REGISTER_MATRIX[persona]
    client = Client()
    client.force_login(getattr(cast, persona))
    for url in ("/inventory/140007/", "/inventory/140007/export.xlsx"):
        assert client.get(url).status_code == (200 if reads else 403), url
    before = db_snapshot()
    with open(path, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh})
    if writes:  # checked, then written at the confirm step
        assert res.status_code == 302 and db_snapshot() == before
        assert client.post(res["Location"]).status_code == 302 and InformationSystem.objects.count() == 1
    else:
        assert res.status_code == 403 and db_snapshot() == before


ADMIN_PAGES = ["reviews/initiativereview", "surveys/reviewchange", "surveys/surveyround", "reviews/inspection",
               "plans/initiative", "plans/plan", "inventory/informationsystem", "indicators/indicator"]


def test_admin_is_read_only_for_models_with_a_service(world):
    from django.apps import apps

    from .conftest import db_snapshot

    cast, sides = world
    cast.sato.is_staff = cast.sato.is_superuser = True
    cast.sato.save()
    services.review_answer(user=cast.suzuki, response=sides["A"]["response"], answer=services.Answer(
        initiative_id=sides["A"]["initiative"].pk, status="達成"))
    client = Client()
    client.force_login(cast.sato)
    before = db_snapshot()
    for page in ADMIN_PAGES:
        model = apps.get_model(*page.split("/"))
        obj = model.objects.first()
        assert client.get(f"/admin/{page}/").status_code == 200, page
        assert client.get(f"/admin/{page}/add/").status_code == 403, page
        if obj is not None:
            assert client.get(f"/admin/{page}/{obj.pk}/change/").status_code == 200, page
            assert client.post(f"/admin/{page}/{obj.pk}/change/", {}).status_code == 403, page
            assert client.post(f"/admin/{page}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403, page
    assert db_snapshot() == before


@pytest.mark.parametrize("persona", ["suzuki", "ito", "watanabe", "nakamura"])
def test_admin_site_is_closed_to_non_staff(world, persona):
    cast, _ = world
    client = Client()
    client.force_login(getattr(cast, persona))
    assert client.get("/admin/reviews/initiativereview/").status_code == 302  # to the admin login


# Every CLI command that writes acts as --user and is checked like the web: persona → allowed.
CLI_WRITES = {
    "survey open": lambda w, p: ["survey", "open", "--user", p, "--plan", str(w["plan"]), "--fiscal-year", "2017",
                                 "--deadline", "2018-05-31"],
    "survey close": lambda w, p: ["survey", "close", "--user", p, "--round", str(w["round"])],
    "survey assign": lambda w, p: ["survey", "assign", w["mapping"], "--user", p, "--plan", str(w["plan"])],
    "survey generate": lambda w, p: ["survey", "generate", "--user", p, "--round", str(w["round"]), "--out", w["out"]],
    "inventory import": lambda w, p: ["inventory", "import", w["register"], "--org", "140007", "--user", p],
}
CLI_ALLOWED = {"sato": set(CLI_WRITES), "kato": {"inventory import"}}


@pytest.mark.parametrize("persona", ["sato", "kato", "suzuki", "takahashi", "ito", "watanabe", "nakamura", "staff"])
def test_cli_writes_follow_the_matrix(register_world, tmp_path, persona):
    from django.core.management import CommandError, call_command

    from .conftest import db_snapshot

    cast, sides, register = register_world
    mapping = tmp_path / "map.csv"
    mapping.write_text("取組項目,所属\n取組項目1ア,政策局\n", encoding="utf-8")
    w = {"plan": cast.plan.pk, "round": sides["A"]["round"].pk, "mapping": str(mapping), "out": str(tmp_path / "out"),
         "register": str(register)}
    for name, args in CLI_WRITES.items():
        if name in CLI_ALLOWED.get(persona, set()):
            call_command(*args(w, persona))
        else:
            before = db_snapshot()
            with pytest.raises(CommandError, match=r"権限がありません|管理者だけ|ICT所管課の管理者"):
                call_command(*args(w, persona))
            assert db_snapshot() == before, name
