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
    assert res.status_code == 302 and res["Location"].startswith(reverse("surveys:login"))
