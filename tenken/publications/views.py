"""Staff pages of publication (公表): preview → publish, withdraw, history with the report jobs.

Access: :mod:`tenken.orgs.access` (``inspection_for_publication``; the organization's ICT admin only).
Writes: :mod:`tenken.publications.services`.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected
from tenken.jobs.models import Job
from tenken.orgs import access
from tenken.plans.models import Initiative, Status
from tenken.reviews.models import Inspection

from .models import Publication
from .selectors import publication_history, publication_preview
from .services import inspection_publish, inspection_set_figures, publication_withdraw
from .tasks import subject_of


@login_required
def plan_publications(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_management(user=request.user, pk=plan_id)
    inspections = list(Inspection.objects.filter(plan=plan).order_by("fiscal_year", "kind"))
    current = {p.inspection_id: p for p in Publication.objects.filter(inspection__plan=plan, state="current")}
    rows = [{"inspection": i, "current": current.get(i.pk)} for i in inspections]
    return render(request, "publications/plan.html", {"plan": plan, "rows": rows})


@login_required
def inspection_publication(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = access.inspection_for_publication(user=request.user, pk=inspection_id)
    preview = publication_preview(inspection=inspection)
    statuses = {s.pk: s for s in Status.objects.filter(plan_id=inspection.plan_id)}
    initiatives = {i.pk: i for i in Initiative.objects.filter(plan_id=inspection.plan_id)}
    rows = [
        {"initiative": initiatives[r["initiative_id"]], "status": statuses[r["status_id"]], **r}
        for r in preview.rows
    ]
    counts = Counter(r["status"].pk for r in rows if not r["initiative"].is_heading)
    history = publication_history(inspection=inspection)
    jobs = {
        j.subject: j
        for j in Job.objects.filter(subject__in=[subject_of(p.pk) for p in history]).order_by("created_at", "pk")
    }
    for p in history:
        p.job = jobs.get(subject_of(p.pk))
    return render(
        request,
        "publications/inspection.html",
        {
            "plan": inspection.plan,
            "inspection": inspection,
            "preview": preview,
            "rows": rows,
            "counts": [(s, counts.get(s.pk, 0)) for s in statuses.values()],
            "history": history,
            "running": any(p.job and not p.job.finished for p in history),
            "figures_choices": Inspection.Figures.choices,
        },
    )


@login_required
@require_POST
def inspection_publish_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    try:
        publication = inspection_publish(user=request.user, inspection_id=inspection_id,
                                         note=request.POST.get("note", ""))
    except InputRejected as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"第{publication.version}版を公表しました。点検報告書を作成しています。")
    return redirect("publications:inspection", inspection_id=inspection_id)


@login_required
@require_POST
def publication_withdraw_view(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = access.publication_for_withdrawal(user=request.user, pk=publication_id)
    try:
        publication_withdraw(user=request.user, publication_id=publication.pk, reason=request.POST.get("reason", ""))
    except InputRejected as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"第{publication.version}版を取り下げました。公開ページから直ちに消えます。")
    return redirect("publications:inspection", inspection_id=publication.inspection_id)


@login_required
@require_POST
def inspection_figures_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    try:
        inspection_set_figures(user=request.user, inspection_id=inspection_id, figures=request.POST.get("figures", ""))
    except InputRejected as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, "報告書の取組数の扱いを変更しました（次に公表する版から反映されます）。")
    return redirect("publications:inspection", inspection_id=inspection_id)


@login_required
def publication_job(request: HttpRequest, publication_id: int) -> JsonResponse:
    """Progress of the publication's report job, for the page's status line."""
    publication = access.publication_for_withdrawal(user=request.user, pk=publication_id)
    job = Job.objects.filter(subject=subject_of(publication.pk)).order_by("-created_at", "-pk").first()
    if job is None:
        return JsonResponse({"state": "none"})
    return JsonResponse({"state": job.state, "label": job.get_state_display(), "progress": job.progress,
                         "step": job.step, "message": job.message})
