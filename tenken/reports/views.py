"""Staff pages for the 点検報告書: the report as HTML with download buttons, and the downloads.

Access decisions live in :mod:`tenken.reports.access`; these views only call it and render.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .access import report_for_user
from .renderers import RENDERERS, render_report, report_filename
from .renderers.html import template_context


@login_required
def plan_report(request: HttpRequest, plan_id: int) -> HttpResponse:
    ctx = report_for_user(user=request.user, plan_id=plan_id)
    page = template_context(ctx)
    page["downloads"] = list(RENDERERS.values())
    return render(request, "reports/plan_report.html", page)


@login_required
def plan_report_download(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    if fmt not in RENDERERS:
        raise Http404(f"形式「{fmt}」には対応していません")
    ctx = report_for_user(user=request.user, plan_id=plan_id)
    response = HttpResponse(render_report(ctx, fmt), content_type=RENDERERS[fmt].media_type)
    name = report_filename(ctx, fmt)
    response["Content-Disposition"] = f"attachment; filename=\"report.{RENDERERS[fmt].extension}\"; filename*=UTF-8''{quote(name)}"
    return response
