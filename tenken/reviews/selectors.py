"""Reads for inspections: status counts rolled up the section tree."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import models

from tenken.plans.models import Section

from .models import InitiativeReview, Inspection


def status_counts_by_section(
    *, inspection: Inspection, approved_only: bool = False, reviews: models.QuerySet | None = None
) -> dict[int, Counter[str]]:
    """``{section_id: Counter({status_code: n})}`` for every section, including its descendants.

    Heading initiatives have no review and so are never counted; 再掲 rows are counted. Two queries,
    whatever the plan size. ``reviews`` replaces the inspection's live reviews (a publication passes its
    frozen copies, which have the same field names).
    """
    parents = dict(Section.objects.filter(plan_id=inspection.plan_id).values_list("id", "parent_id"))
    if reviews is not None:
        reviews = reviews.filter(initiative__is_heading=False)
    else:
        reviews = InitiativeReview.objects.filter(inspection=inspection, initiative__is_heading=False)
    if approved_only and reviews.model is InitiativeReview:
        reviews = reviews.filter(approval=InitiativeReview.Approval.APPROVED)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for section_id, code in reviews.values_list("initiative__section_id", "status__code"):
        node: int | None = section_id
        while node is not None:
            counts[node][code] += 1
            node = parents.get(node)
    return {sid: counts.get(sid, Counter()) for sid in parents}


def report_inspection(*, plan_id: int) -> Inspection | None:
    """The inspection a plan's 点検報告書 renders: the latest one — the latest fiscal year, the final
    inspection before the annual one of the same year, then the latest as-of date. A plan with yearly
    results only (as the synthetic national plans) reports its latest annual inspection."""
    return (
        Inspection.objects.filter(plan_id=plan_id)
        .order_by(
            "-fiscal_year",
            models.Case(models.When(kind=Inspection.Kind.FINAL, then=0), default=1),
            "-as_of",
            "-pk",
        )
        .first()
    )
