"""Staff pages of the register (governance views) and the municipal follow-up."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tenken.common.wareki import fiscal_year_label

from .access import organization_for_register
from .models import Hosting, MunicipalGoal, Segment
from .selectors import (
    consolidations,
    contracts_ending,
    municipal_rollup,
    municipal_series,
    register_by_fiscal_year,
    systems_by_segment_and_hosting,
)


def _today(request: HttpRequest) -> date:
    from tenken.common.wareki import WarekiError, parse_date

    try:
        return parse_date(request.GET["today"]).start if request.GET.get("today") else date.today()
    except WarekiError as exc:
        raise Http404(str(exc)) from exc


@login_required
def register_summary(request: HttpRequest, code: str) -> HttpResponse:
    organization = organization_for_register(user=request.user, code=code)
    today = _today(request)
    try:
        months = max(1, min(int(request.GET.get("months", 12)), 120))
    except ValueError:
        months = 12
    years = register_by_fiscal_year(organization=organization)
    grid = systems_by_segment_and_hosting(organization=organization, on=today)
    return render(request, "inventory/summary.html", {
        "organization": organization,
        "years": [(fiscal_year_label(y.fiscal_year), y) for y in years],
        "segments": [(s.label, [grid.get((s.value, h.value), 0) for h in Hosting], sum(grid.get((s.value, h.value), 0) for h in Hosting)) for s in Segment],
        "hostings": [h.label for h in Hosting],
        "today": today,
        "months": months,
        "contracts": contracts_ending(organization=organization, today=today, months=months),
        "consolidations": consolidations(organization=organization),
    })


@login_required
def municipal_goal(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(MunicipalGoal.objects.select_related("prefecture"), pk=pk)
    organization_for_register(user=request.user, code=goal.prefecture.code)
    today = _today(request)
    last_fy = max(goal.target_date.year - (1 if goal.target_date.month < 4 else 0), today.year)
    series = municipal_series(goal=goal, fiscal_years=range(last_fy - 5, last_fy + 1))
    return render(request, "inventory/municipal.html", {
        "goal": goal,
        "rollup": municipal_rollup(goal=goal, on=today),
        "series": [(fiscal_year_label(s.on.year - 1), s) for s in series],
        "rows": goal.progress.select_related("municipality").order_by("municipality__code"),
        "today": today,
    })


