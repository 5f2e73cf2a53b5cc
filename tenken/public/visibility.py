"""What the public may see — the one place that decides it.

The public site (``tenken.public``), the open-data files (``tenken.opendata``) and the REST API
(``tenken.api``) read reviews only through :func:`public_reviews`. Rule: a review is public when, and
only when, its approval is ``approved``. Draft, submitted and returned answers are department work in
progress and never leave the staff side. Plans, their sections, statuses and initiatives (the plan as
published) are public; an inspection is listed once it holds an approved review.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tenken.plans.models import Initiative, Plan, Section, Status
from tenken.reviews.models import InitiativeReview, Inspection

PUBLIC_APPROVALS: frozenset[str] = frozenset({InitiativeReview.Approval.APPROVED})


def is_public_review(review: InitiativeReview) -> bool:
    return review.approval in PUBLIC_APPROVALS


def public_reviews() -> QuerySet[InitiativeReview]:
    """Every review the public may see (approved only), any plan."""
    return InitiativeReview.objects.filter(approval__in=PUBLIC_APPROVALS)


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.all()


def public_sections() -> QuerySet[Section]:
    return Section.objects.all()


def public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.all()


def public_statuses() -> QuerySet[Status]:
    return Status.objects.order_by("plan_id", "order")


def public_inspections() -> QuerySet[Inspection]:
    return Inspection.objects.all()
