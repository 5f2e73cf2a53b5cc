"""Finding 2 (unsafe defaults) and the API cap of finding 7 of issue #14.

A server started in production mode without a key refuses to start with a Japanese message; the
documented production environment passes ``tenken check --deploy`` without a warning; responses carry
the security headers; a 500 is logged with the request id; the API's ``limit`` is capped.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
TENKEN = [sys.executable, "-m", "tenken.cli"]

# The production environment as docs/operations.md documents it (「本番の設定」).
PRODUCTION_ENV = {
    "TENKEN_SECRET_KEY": "Zq3v8b0Hc2yLwV1nKpT7sXe4RmJ9uA6dFgN5hQbYcEiOoWlUrSzMaPtDk-_xIjG",
    "TENKEN_ALLOWED_HOSTS": "tenken.example.lg.jp",
    "TENKEN_BASE_URL": "https://tenken.example.lg.jp",
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_")}
    env["TENKEN_DB"] = "sqlite"
    env["TENKEN_SQLITE_PATH"] = str(ROOT / "var" / "settings-test.sqlite3")
    return env | extra


def test_docs_state_the_production_environment():
    ops = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for name in ("TENKEN_SECRET_KEY", "TENKEN_ALLOWED_HOSTS", "TENKEN_DEBUG", "TENKEN_HTTPS", "TENKEN_CSP",
                 "TENKEN_LOG_FILE", "TENKEN_BASE_URL", "check --deploy"):
        assert name in ops, name


def test_server_without_a_secret_key_refuses_to_start_in_production_mode():
    for cmd in (
        [*TENKEN, "runserver", "127.0.0.1:18601", "--noreload"],
        [sys.executable, "-c", "import tenken.wsgi"],  # what gunicorn loads
    ):
        proc = subprocess.run(cmd, env=clean_env(), capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert proc.returncode != 0, cmd
        assert "TENKEN_SECRET_KEY が設定されていないため起動しません" in proc.stderr, proc.stderr[-500:]


def test_the_public_development_key_is_refused_outside_debug():
    proc = subprocess.run([*TENKEN, "check"], env=clean_env(TENKEN_SECRET_KEY="dev-only-not-secret-tenken"),
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode != 0 and "開発用の公開された値" in proc.stderr


def test_debug_needs_to_be_asked_for():
    proc = subprocess.run([sys.executable, "-c", "from django.conf import settings as s; import django; "
                           "django.setup(); print(s.DEBUG, s.SECRET_KEY == 'dev-only-not-secret-tenken')"],
                          env=clean_env(TENKEN_DEBUG="1", DJANGO_SETTINGS_MODULE="tenken.settings"),
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.stdout.split() == ["True", "True"], proc.stderr[-500:]
    assert settings.DEBUG is False  # the suite itself runs in production mode with a test key


def test_documented_production_environment_passes_check_deploy():
    proc = subprocess.run([*TENKEN, "check", "--deploy", "--fail-level", "WARNING"], env=clean_env(**PRODUCTION_ENV),
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout
    assert "WARNING" not in proc.stdout + proc.stderr


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    res = client.get("/public/")
    assert res.status_code == 200
    csp = res["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert res["X-Content-Type-Options"] == "nosniff"
    assert res["Referrer-Policy"] == "same-origin"
    assert res["X-Frame-Options"] == "DENY"
    assert len(res["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_security_headers_are_switchable(client, settings):
    settings.TENKEN_CSP = ""
    settings.SECURE_REFERRER_POLICY = None
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    res = client.get("/public/")
    assert "Content-Security-Policy" not in res and "Referrer-Policy" not in res
    assert "X-Content-Type-Options" not in res


def test_cookies_are_secure_in_the_production_environment():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, "
            "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_AGE <= 86400)")
    proc = subprocess.run([sys.executable, "-c", code],
                          env=clean_env(DJANGO_SETTINGS_MODULE="tenken.settings", **PRODUCTION_ENV),
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.stdout.split() == ["True"] * 6, proc.stderr[-500:]


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.django_db
def test_a_500_is_logged_with_its_request_id(monkeypatch):
    from tenken.common.security import RequestIdLogFilter

    logger = logging.getLogger("django.request")
    assert logger.handlers and logger.level == logging.ERROR  # configured, not left to DEBUG
    handler = _Records()
    handler.addFilter(RequestIdLogFilter())
    logger.addHandler(handler)

    def boom(*args, **kwargs):
        raise RuntimeError("テスト用の障害")

    monkeypatch.setattr("tenken.public.views.public_plan_list", boom)
    try:
        client = Client(raise_request_exception=False)
        res = client.get("/public/")
    finally:
        logger.removeHandler(handler)
    assert res.status_code == 500
    assert "テスト用の障害" not in res.content.decode()  # no debug page
    (record,) = [r for r in handler.records if r.levelno >= logging.ERROR]
    assert record.request_id == res["X-Request-ID"]
    assert record.exc_info is not None


@pytest.mark.django_db
def test_api_limit_is_capped(client, settings):
    from tenken.reviews.models import InitiativeReview
    from tests.personas import cast_for, small_plan
    from tests.public.conftest import add_inspection, add_review, publish

    cast = cast_for(small_plan())
    inspection = add_inspection(cast.plan, fiscal_year=2017)
    add_review(inspection, cast.plan.initiatives.first(), status="in_progress",
               approval=InitiativeReview.Approval.APPROVED)
    publish(inspection, cast.sato)  # the API lists a plan once something of it is published
    settings.TENKEN_API_MAX_LIMIT = 3
    data = client.get("/api/v1/initiatives/?limit=1000000").json()
    assert data["count"] == 6 and len(data["results"]) == 3 and "limit=3" in data["next"]
    res = client.get("/api/v1/initiatives/?limit=99999999999999999999&offset=99999999999999999999")
    assert res.status_code == 200 and res.json()["results"] == []
