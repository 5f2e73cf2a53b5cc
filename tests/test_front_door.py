"""Issue #12: one Japanese login at /login/ for every role, a home page that says what to do now,
logout on every page, and Japanese error pages (also with DEBUG off)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tenken.surveys import services

from .personas import PASSWORD, cast_for, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    return cast, survey_round


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_clerk_logs_in_from_the_front_door(world):
    cast, _ = world
    cast.suzuki.set_password(PASSWORD)
    cast.suzuki.save()
    client = Client()
    res = client.get("/")
    assert res.status_code == 302 and res["Location"] == "/login/?next=/"
    page = client.get(res["Location"]).content.decode()
    assert '<html lang="ja">' in page and "<h1>ログイン</h1>" in page
    # the header is the site's (Django's login view puts its own "site" in the context)
    assert '<p class="site-name"><a href="/public/">tenken 行動計画の点検</a>' in page and "testserver" not in page
    bad = client.post("/login/", {"username": "suzuki", "password": "wrong", "next": "/"})
    assert bad.status_code == 200 and "ユーザー名またはパスワードが正しくありません" in bad.content.decode()
    ok = client.post("/login/", {"username": "suzuki", "password": PASSWORD, "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    home = client.get("/").content.decode()
    assert "自分の所属の回答" in home and "政策局" in home and "令和元年5月31日" in home
    assert "ログアウト" in home
    res = client.post(reverse("logout"))
    assert res.status_code == 302 and res["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_the_old_survey_login_redirects_keeping_next():
    res = Client().get("/surveys/login/?next=/surveys/rounds/1/")
    assert res.status_code == 302 and res["Location"] == "/login/?next=%2Fsurveys%2Frounds%2F1%2F"


def test_home_per_role(world):
    cast, _ = world
    clerk = _client(cast.suzuki).get("/").content.decode()
    assert "自分の所属の回答" in clerk and "承認を待っている回答" not in clerk and "照会の進み具合" not in clerk
    approver = _client(cast.takahashi).get("/").content.decode()
    assert "承認を待っている回答" in approver and "自分の所属の回答" not in approver
    admin = _client(cast.sato).get("/").content.decode()
    assert "照会の進み具合（所属別）" in admin and "まだ公開していない点検結果" in admin
    for label in ("未提出", "提出済", "差戻し", "承認"):
        assert label in admin
    assert "政策局" in admin and "総務局" in admin and "会計局" in admin
    outsider = _client(cast.watanabe).get("/").content.decode()
    assert "役割" in outsider and "政策局" not in outsider


def test_menus_show_only_what_the_role_can_use(world):
    cast, _ = world
    clerk = _client(cast.suzuki).get("/").content.decode()
    assert 'href="/surveys/"' in clerk and 'href="/indicators/"' not in clerk and 'href="/admin/"' not in clerk
    admin = _client(cast.sato).get("/").content.decode()
    assert 'href="/indicators/"' in admin and 'href="/inventory/"' in admin and 'href="/admin/"' not in admin
    nobody = _client(cast.watanabe).get("/").content.decode()
    assert 'href="/surveys/"' not in nobody and 'href="/indicators/"' not in nobody


def test_overdue_responses_are_red_on_the_admin_home(world):
    cast, survey_round = world
    survey_round.deadline = date(2019, 5, 31)
    survey_round.save()
    page = _client(cast.sato).get("/").content.decode()
    assert 'class="overdue"' in page and "期限超過" in page


@pytest.mark.parametrize("debug", [True, False])
def test_error_pages_are_japanese_with_navigation(world, debug, settings):
    cast, _ = world
    with override_settings(DEBUG=debug):
        client = _client(cast.suzuki)
        denied = client.get(reverse("indicators:list"))
        assert denied.status_code == 403
        page = denied.content.decode()
        assert '<html lang="ja">' in page and "権限がありません" in page and 'href="/"' in page
        assert "ログアウト" in page
        if not debug:
            missing = client.get("/no/such/page/")
            assert missing.status_code == 404
            page = missing.content.decode()
            assert '<html lang="ja">' in page and "ページが見つかりません" in page and 'href="/public/"' in page


@override_settings(DEBUG=False)
def test_400_and_500_pages():
    from django.test import RequestFactory

    from tenken.web import views

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    bad = views.bad_request(request)
    assert bad.status_code == 400 and "リクエストが正しくありません" in bad.content.decode()
    error = views.server_error(request)
    page = error.content.decode()
    assert error.status_code == 500 and '<html lang="ja">' in page and "システムエラー" in page
    assert 'href="/public/"' in page


@override_settings(DEBUG=False)
def test_an_unhandled_error_shows_the_japanese_500_page(world, monkeypatch):
    cast, _ = world
    from tenken.web import selectors

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "plans_of", boom)
    client = _client(cast.sato)
    client.raise_request_exception = False
    res = client.get("/")
    assert res.status_code == 500 and "システムエラーが発生しました" in res.content.decode()
