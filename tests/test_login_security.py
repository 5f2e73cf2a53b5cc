"""Finding 7 (login) of issue #14: throttling and lockout per account and per address (django-axes),
Django's full password validators, a password-change page for every user, session expiry."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
PASSWORD = "kanagawa-2018-secret"


@pytest.fixture
def suzuki(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests
    return get_user_model().objects.create_user("suzuki", password=PASSWORD, last_name="鈴木")


def attempt(username: str, password: str, address: str = "10.0.0.1") -> int:
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address).status_code


def test_the_right_password_is_refused_after_repeated_failures(suzuki, settings):
    assert attempt("suzuki", PASSWORD) == 302  # works at first
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert attempt("suzuki", "wrong-password") in (200, 429)
    res = Client().post(LOGIN, {"username": "suzuki", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert res.status_code == 429
    assert "ログインを一時的に停止しています" in res.content.decode()


def test_lockout_is_per_account_from_any_address(suzuki, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt("suzuki", "wrong-password", address=f"10.0.1.{i + 1}")
    assert attempt("suzuki", PASSWORD, address="10.0.2.1") == 429


def test_lockout_is_per_address_across_accounts(suzuki, settings):
    get_user_model().objects.create_user("tanaka", password=PASSWORD)
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"guess{i}", "wrong-password", address="10.9.9.9")
    assert attempt("tanaka", PASSWORD, address="10.9.9.9") == 429
    assert attempt("tanaka", PASSWORD, address="10.9.9.8") == 302


def test_every_user_can_change_their_password_with_the_full_validators(suzuki, settings):
    client = Client()
    client.force_login(suzuki)
    page = client.get("/account/password/")
    assert page.status_code == 200 and "パスワードの変更" in page.content.decode()
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"]
    for weak, reason in (("password1234", "よく使われる"), ("2019040120190401", "数字だけ"),
                         ("short-pw", "短すぎ")):
        res = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": weak,
                                                 "new_password2": weak})
        assert res.status_code == 200 and reason in res.content.decode(), weak
    strong = "Tenken-点検-2026-strong"
    res = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": strong,
                                             "new_password2": strong})
    assert res.status_code == 302 and res["Location"] == "/account/password/done/"
    suzuki.refresh_from_db()
    assert suzuki.check_password(strong)


def test_password_page_needs_login():
    res = Client().get("/account/password/")
    assert res.status_code == 302 and res["Location"].startswith("/login/?next=")


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
