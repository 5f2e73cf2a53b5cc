from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import totp, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Every user changes their own password here (Django's validators apply; the session stays valid).
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="web/password_change.html", success_url=reverse_lazy("web:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/password_change_done.html"),
        name="password_change_done",
    ),
    # Optional two-step login: enrol / remove an authenticator app; the login's second step (tenken/web/totp.py).
    path("account/totp/", totp.totp_setup, name="totp_setup"),
    path("login/totp/", totp.totp_verify, name="totp_verify"),
]
