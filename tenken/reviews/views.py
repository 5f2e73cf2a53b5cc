"""Report texts written in the browser: each 取組項目's narrative (主な取組 / 成果 / 課題・今後の予定等 /
変更した取組) and the chapter texts (趣旨・考え方, 全体総括), draft → approved, with their history.

Objects come from :mod:`tenken.orgs.access` gates, reads from :mod:`tenken.reviews.selectors`, writes from
:mod:`tenken.reviews.services`; no model is queried here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tenken.common.errors import InputRejected
from tenken.orgs import access
from tenken.surveys.views import guarded

from . import selectors, services


def _item(inspection, section_pk: int) -> selectors.NarrativeItem:
    for item in selectors.narrative_items(inspection=inspection):
        if item.section.pk == section_pk:
            return item
    raise Http404("取組項目が見つかりません")


@guarded
def narratives(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for_narratives(user=request.user, pk=pk)
    organization = inspection.plan.organization
    items = selectors.narrative_items(inspection=inspection)
    editable = access.narrative_editor(request.user, organization)
    rows = [(item, editable(item.lead_department.pk if item.lead_department else None)) for item in items]
    return render(request, "reviews/narratives.html", {
        "inspection": inspection,
        "rows": rows,
        "can_edit_texts": access.can_edit_report_texts(request.user, organization),
        "round": getattr(inspection, "survey_round", None),
    })


@guarded
def narrative_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    inspection = access.inspection_for_narratives(user=request.user, pk=pk)
    item = _item(inspection, section_pk)
    organization = inspection.plan.organization
    lead = item.lead_department.pk if item.lead_department else None
    can_edit = access.can_edit_narrative(request.user, organization, lead)
    can_approve = access.can_approve_narrative(request.user, organization, lead)
    source = selectors.narrative_source(inspection=inspection, section=item.section)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.narrative_approve(user=request.user, inspection=inspection, section=item.section)
                messages.success(request, f"「{item.section.title}」の文章を承認しました")
            else:
                services.narrative_update(
                    user=request.user, inspection=inspection, section=item.section,
                    **{f: request.POST.get(f, "") for f, _ in selectors.NARRATIVE_FIELDS},
                )
                messages.success(request, f"「{item.section.title}」の文章を保存しました（下書き）")
        except InputRejected as exc:
            problems, status = exc.messages, 422
        else:
            return redirect("reviews:narrative", pk=inspection.pk, section_pk=item.section.pk)
    narrative = item.narrative
    draft = source.draft()
    prefilled = False
    values = {}
    for f, label in selectors.NARRATIVE_FIELDS:
        current = getattr(narrative, f) if narrative is not None else ""
        if request.method == "POST":
            current = request.POST.get(f, "")
        elif not current and draft[f]:
            current, prefilled = draft[f], True
        values[f] = (label, current)
    return render(request, "reviews/narrative.html", {
        "inspection": inspection,
        "item": item,
        "fields": values,
        "prefilled": prefilled,
        "source": source,
        "can_edit": can_edit,
        "can_approve": can_approve and narrative is not None and narrative.state == "draft",
        "problems": problems,
        "history": selectors.narrative_history(inspection=inspection, section=item.section),
        "labels": selectors.FIELD_LABELS,
        "round": getattr(inspection, "survey_round", None),
    }, status=status)


@guarded
def texts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for_narratives(user=request.user, pk=pk)
    can_edit = access.can_edit_report_texts(request.user, inspection.plan.organization)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.inspection_texts_approve(user=request.user, inspection=inspection)
                messages.success(request, "趣旨・考え方と全体総括を承認しました")
            else:
                services.inspection_texts_update(user=request.user, inspection=inspection,
                                                 purpose=request.POST.get("purpose", ""),
                                                 conclusion=request.POST.get("conclusion", ""))
                messages.success(request, "趣旨・考え方と全体総括を保存しました（下書き）")
        except InputRejected as exc:
            problems, status = exc.messages, 422
        else:
            return redirect("reviews:texts", pk=inspection.pk)
    values = {f: (label, request.POST.get(f, "") if request.method == "POST" else getattr(inspection, f))
              for f, label in selectors.CHAPTER_FIELDS}
    return render(request, "reviews/texts.html", {
        "inspection": inspection,
        "fields": values,
        "can_edit": can_edit,
        "state_label": selectors.STATE_LABELS.get(inspection.text_state, ""),
        "problems": problems,
        "history": selectors.narrative_history(inspection=inspection, section=None),
        "labels": selectors.FIELD_LABELS,
        "round": getattr(inspection, "survey_round", None),
    }, status=status)
