"""Optional two-step login (issue #14): enrol an authenticator app, then the login asks for its code;
``TENKEN_REQUIRE_TOTP_FOR_ADMINS`` makes organization admins enrol before anything else."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .personas import PASSWORD, cast_for, small_plan

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (``steps_ahead`` 30-second steps later: a code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def cast():
    return cast_for(small_plan())


def enrol(client: Client, user) -> TOTPDevice:
    page = client.get("/account/totp/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/totp/", {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enrolment_shows_a_server_drawn_qr_code_and_needs_a_correct_code(cast):
    client = Client()
    client.force_login(cast.suzuki)
    page = client.get("/account/totp/")
    html = page.content.decode()
    assert page.status_code == 200 and "二段階認証" in html
    assert "<svg" in html and 'aria-label="認証アプリで読み取る QR コード"' in html and "<script" not in html.split("<main")[-1]
    device = TOTPDevice.objects.get(user=cast.suzuki)
    assert "キー:" in html and not device.confirmed
    wrong = client.post("/account/totp/", {"code": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "確認コードが正しくありません" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    time.sleep(1.1)  # django-otp throttles: after one wrong code, none is taken for 1 s (then 2, 4, ...)
    assert client.post("/account/totp/", {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "認証アプリが登録されています" in client.get("/account/totp/").content.decode()


def test_login_asks_for_the_code_once_a_device_is_enrolled(cast):
    cast.tanaka.set_password(PASSWORD)
    cast.tanaka.save()
    first = Client()
    first.force_login(cast.tanaka)
    device = enrol(first, cast.tanaka)

    client = Client()
    res = client.post("/login/", {"username": "tanaka", "password": PASSWORD})
    assert res.status_code == 302
    for url in ("/", "/surveys/", "/account/password/"):  # the password alone opens nothing
        res = client.get(url)
        assert res.status_code == 302 and res["Location"].startswith("/login/totp/?next="), url
    page = client.get("/login/totp/?next=/surveys/")
    assert page.status_code == 200 and "確認コードの入力" in page.content.decode()
    assert client.post("/login/totp/", {"code": "12345", "next": "/surveys/"}).status_code == 400  # not 6 digits
    bad = "000000" if code(device) != "000000" else "111111"
    wrong = client.post("/login/totp/", {"code": bad, "next": "/surveys/"})
    assert wrong.status_code == 400 and "確認コードが正しくありません" in wrong.content.decode()
    assert client.get("/").status_code == 302
    # right at once after a wrong one: throttled (django-otp), refused even though it is correct
    assert client.post("/login/totp/", {"code": code(device, steps_ahead=1), "next": "/surveys/"}).status_code == 400
    time.sleep(2.1)  # two counted failures: 2 s
    res = client.post("/login/totp/", {"code": code(device, steps_ahead=1), "next": "/surveys/"})
    assert res.status_code == 302 and res["Location"] == "/surveys/"
    assert client.get("/").status_code == 200


def test_logout_is_open_while_the_code_is_pending_and_next_stays_on_the_site(cast):
    client = Client()
    client.force_login(cast.ito)
    device = enrol(client, cast.ito)
    client.force_login(cast.ito)  # a new login: the code is asked again
    assert client.get("/").status_code == 302
    res = client.post("/login/totp/", {"code": code(device, steps_ahead=1), "next": "https://evil.example/"})
    assert res.status_code == 302 and res["Location"] == "/"
    client.force_login(cast.ito)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302 and client.get("/").url.startswith("/login/")


def test_a_device_is_removed_only_with_a_current_code(cast):
    client = Client()
    client.force_login(cast.suzuki)
    device = enrol(client, cast.suzuki)
    assert client.post("/account/totp/", {"code": "99999x"}).status_code == 400
    assert TOTPDevice.objects.filter(user=cast.suzuki, confirmed=True).exists()
    time.sleep(1.1)  # throttled for 1 s after the wrong code
    assert client.post("/account/totp/", {"code": code(device, steps_ahead=1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.suzuki).exists()
    client.force_login(cast.suzuki)
    assert client.get("/").status_code == 200  # the password alone again


def test_the_setting_makes_admins_enrol_first(cast, settings):
    settings.TENKEN_REQUIRE_TOTP_FOR_ADMINS = True
    editor = Client()
    editor.force_login(cast.suzuki)
    assert editor.get("/").status_code == 200  # only admins must
    admin = Client()
    admin.force_login(cast.sato)
    res = admin.get("/surveys/")
    assert res.status_code == 302 and res["Location"].startswith("/account/totp/?next=")
    page = admin.get("/account/totp/")
    assert "管理者は二段階認証が必須です" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.sato)
    res = admin.post("/account/totp/", {"code": code(device), "next": "/surveys/"})
    assert res.status_code == 302 and res["Location"] == "/surveys/"
    assert admin.get("/").status_code == 200


def test_the_setting_is_off_by_default(cast):
    client = Client()
    client.force_login(cast.sato)
    assert client.get("/").status_code == 200
