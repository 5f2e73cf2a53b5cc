"""Staff pages of the front door: login, logout, the home page per role, and the error pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from tenken.orgs import access

from . import selectors


class LoginView(auth_views.LoginView):
    """One Japanese login for every role (clerks, approvers, the ICT division, staff)."""

    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def legacy_login(request: HttpRequest) -> HttpResponse:
    """/surveys/login/ (the old address) → /login/, keeping ``next``."""
    url = reverse("login")
    if request.GET.get("next"):
        url += "?" + urlencode({"next": request.GET["next"]})
    return HttpResponseRedirect(url)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from tenken.plans.milestones import overdue_milestones_for

    user = request.user
    roles = selectors.my_roles(user=user)
    today = selectors.today_in_tokyo()
    admin_orgs: list[int] | None = None if user.is_superuser else roles.admin_of
    governance = access.governance_organizations(user=user)
    governance_ids = None if user.is_superuser else list(governance.values_list("pk", flat=True))
    to_answer = selectors.responses_to_answer(department_ids=roles.editor_of)
    context = {
        "today": today,
        "to_answer": [(r, selectors.is_overdue(r, today=today)) for r in to_answer],
        "to_decide": selectors.responses_to_decide(department_ids=roles.approver_of),
        "is_editor": bool(roles.editor_of),
        "is_approver": bool(roles.approver_of),
        "is_admin": user.is_superuser or bool(roles.admin_of),
        "boards": selectors.round_boards(organization_ids=admin_orgs, today=today)
        if (user.is_superuser or roles.admin_of) else [],
        "plans": selectors.plans_of(organization_ids=governance_ids)
        if (governance_ids is None or governance_ids) else [],
        "unpublished": selectors.unpublished_inspections(organization_ids=admin_orgs)
        if (user.is_superuser or roles.admin_of) else [],
        "overdue_milestones": overdue_milestones_for(user),
        "no_role": not (roles.admin_of or roles.editor_of or roles.approver_of or roles.viewer_of_orgs
                        or user.is_staff or user.is_superuser),
    }
    return render(request, "web/home.html", context)


# -- error pages: Japanese, with the site's navigation, also with DEBUG off ---------------------------

def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = getattr(exception, "message", None) or (str(exception) if exception and str(exception) else "")
    return render(request, "403.html", {"message": message}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a token no longer valid (the page was open across a logout or a new login, or the
    browser refused the cookie): say so in Japanese and link back to the page the form was on."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in a context processor or the database.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
