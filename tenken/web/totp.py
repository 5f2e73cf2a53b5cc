"""Optional two-step login with a TOTP authenticator app (django-otp and its TOTP plugin).

- ``/account/totp/``: every signed-in user may enrol one device (a QR code drawn on the server as inline
  SVG, and the key in text) and confirms it with a 6-digit code; with a code they may also remove it.
- Once a user has a confirmed device, the password alone no longer opens any page: after ``/login/`` the
  session is marked 「確認コード待ち」 and :class:`TotpMiddleware` sends every request to ``/login/totp/``
  until the code is given.
- ``TENKEN_REQUIRE_TOTP_FOR_ADMINS=1`` (default off): the users :func:`tenken.orgs.access.must_use_totp`
  names (organization admins and superusers) are sent to ``/account/totp/`` after login until they enrol.

The state is kept in the session at login (one query then, none per request). Wrong codes are throttled
by django-otp (each failure doubles the wait), on top of the password lockout (django-axes).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenken.orgs.access import must_use_totp

SESSION_KEY = "tenken_totp"
VERIFY, ENROL, DONE = "verify", "enrol", "done"
CODE = re.compile(r"^\d{6}$")


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@receiver(user_logged_in)
def _mark_session(sender, request, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """At login: a user with a device must give a code; one who must enrol is sent to enrol."""
    if request is None or not hasattr(request, "session"):
        return
    if confirmed_device(user) is not None:
        request.session[SESSION_KEY] = VERIFY
    elif must_use_totp(user):
        request.session[SESSION_KEY] = ENROL
    else:
        request.session.pop(SESSION_KEY, None)


class TotpMiddleware:
    """Until the code is given (or the required device enrolled), only the TOTP pages and logout open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if state in (VERIFY, ENROL) and request.user.is_authenticated:
            target = reverse("web:totp_verify") if state == VERIFY else reverse("web:totp_setup")
            open_paths = {target, reverse("logout"), reverse("surveys:logout")}
            if request.path not in open_paths and not request.path.startswith(settings.STATIC_URL):
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("web:home")


def qr_svg(text: str) -> SafeString:
    """``text`` as a QR code in inline SVG markup, drawn here (no remote service, no script)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    svg = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=2).to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    # the markup is generated from our own data (the key URL), never from user text
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="認証アプリで読み取る QR コード" ', 1))


def _code(request: HttpRequest) -> str:
    return re.sub(r"\s", "", request.POST.get("code", ""))


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol, confirm or remove the user's authenticator app."""
    user = request.user
    device = confirmed_device(user)
    if device is not None and request.session.get(SESSION_KEY) == VERIFY:
        return HttpResponseRedirect(f"{reverse('web:totp_verify')}?{urlencode({'next': request.path})}")
    error = ""
    if request.method == "POST" and device is not None:  # remove, with a current code
        if CODE.match(_code(request)) and device.verify_token(_code(request)):
            TOTPDevice.objects.filter(user=user).delete()
            if must_use_totp(user):
                request.session[SESSION_KEY] = ENROL
            else:
                request.session.pop(SESSION_KEY, None)
            messages.success(request, "認証アプリの登録を解除しました。次回からパスワードだけでログインします。")
            return HttpResponseRedirect(reverse("web:totp_setup"))
        error = "確認コードが正しくありません（6桁の数字。時間をおいてからもう一度入力してください）"
    pending = None
    if device is None:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if pending is None:
            pending = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=False)
        if request.method == "POST":
            if CODE.match(_code(request)) and pending.verify_token(_code(request)):
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                otp_login(request, pending)
                request.session[SESSION_KEY] = DONE
                messages.success(request, "認証アプリを登録しました。次回からログインのときに確認コードを入力します。")
                return HttpResponseRedirect(_next(request))
            error = "確認コードが正しくありません（認証アプリに表示されている6桁の数字を入力してください）"
    context = {
        "device": device,
        "pending": pending,
        "qr": qr_svg(pending.config_url) if pending is not None else "",
        "secret": _grouped(pending.key) if pending is not None else "",
        "required": must_use_totp(user),
        "error": error,
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }
    return render(request, "web/totp_setup.html", context, status=400 if error else 200)


def _grouped(hex_key: str) -> str:
    """The key as authenticator apps take it by hand: base32, in groups of four."""
    from base64 import b32encode

    text = b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the 6-digit code of the user's authenticator app."""
    device = confirmed_device(request.user)
    if device is None or request.session.get(SESSION_KEY) != VERIFY:
        return HttpResponseRedirect(_next(request))
    error = ""
    if request.method == "POST":
        code = _code(request)
        if CODE.match(code) and device.verify_token(code):
            otp_login(request, device)
            request.session[SESSION_KEY] = DONE
            return HttpResponseRedirect(_next(request))
        error = "確認コードが正しくありません（認証アプリに表示されている6桁の数字。続けて誤ると、しばらく受け付けません）"
    return render(request, "web/totp_verify.html", {"error": error, "next": request.GET.get("next") or
                                                    request.POST.get("next") or ""}, status=400 if error else 200)
