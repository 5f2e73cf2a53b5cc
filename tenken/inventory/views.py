"""Staff pages of the register (governance views) and the municipal follow-up."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected
from tenken.common.wareki import fiscal_year_label
from tenken.orgs.access import (
    AccessDenied,
    organization_for_register,
    organization_for_register_update,
    register_organizations,
)
from tenken.spreadsheets.uploads import uploaded_file

from .models import Hosting, MunicipalGoal, Segment
from .register_format import register_workbook_bytes
from .selectors import (
    consolidations,
    contracts_ending,
    municipal_rollup,
    municipal_series,
    register_by_fiscal_year,
    register_records,
    systems_by_segment_and_hosting,
)
from .services import register_import_file


def _today(request: HttpRequest) -> date:
    from tenken.common.wareki import WarekiError, parse_date

    try:
        return parse_date(request.GET["today"]).start if request.GET.get("today") else date.today()
    except WarekiError as exc:
        raise Http404(str(exc)) from exc


@login_required
def register_index(request: HttpRequest) -> HttpResponse:
    return render(request, "inventory/index.html", {"organizations": register_organizations(user=request.user)})


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
def register_export(request: HttpRequest, code: str) -> HttpResponse:
    organization = organization_for_register(user=request.user, code=code)
    records, years = register_records(organization=organization)
    response = HttpResponse(
        register_workbook_bytes(records, years, organization=organization.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename=register-{organization.code}.xlsx"
    return response


@login_required
@require_POST
def register_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Import an uploaded register through the same service as the CLI; all problems are shown.

    Only the organization's admin or a 台帳編集者 may: the gate runs before the upload is read."""
    try:
        organization = organization_for_register_update(user=request.user, code=code)
    except AccessDenied as exc:
        return render(request, "surveys/denied.html", {"message": exc.message}, status=403)
    try:
        upload = uploaded_file(request, "file")
    except InputRejected as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("inventory:summary", code=code)
    if upload is None:
        messages.error(request, "ファイルを選択してください")
        return redirect("inventory:summary", code=code)
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            counts = register_import_file(user=request.user, organization=organization, path=path, name=upload.name)
        except InputRejected as exc:
            for message in exc.messages:
                messages.error(request, message)
            messages.error(request, "取り込みを中止しました。何も登録していません。")
        else:
            messages.success(request, f"台帳を取り込みました: 新規 {counts['created']} 件、更新 {counts['updated']} 件")
    return redirect("inventory:summary", code=code)


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


