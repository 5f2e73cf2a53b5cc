"""Staff pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenken.plans.models import Plan


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from tenken.plans.milestones import overdue_milestones_for

    plans = Plan.objects.select_related("organization", "predecessor").order_by("organization__code", "-first_fiscal_year")
    return render(request, "web/home.html", {"plans": plans, "overdue_milestones": overdue_milestones_for(request.user)})
