"""What the public may see — the one place that decides it.

The public site (``tenken.public``), the open-data files (``tenken.opendata``), the DCAT catalogue and
the REST API (``tenken.api``) read results only through :func:`public_reviews`.

Rule: **only published inspections are public** (docs/publication.md). Approval inside a survey round
is department work, not publication: the ICT division publishes an inspection as one act
(:func:`tenken.publications.services.inspection_publish`), which freezes a copy of its approved reviews
as a numbered version (版). The public surface shows exactly that copy
(:class:`~tenken.publications.models.PublishedReview`, same field names as ``InitiativeReview``) until
the inspection is published again or withdrawn; a later edit of a review, or a later approval, changes
nothing public. A withdrawn inspection disappears at once.

Plans appear publicly only once one of their inspections is published; their sections, statuses and
initiatives (the plan as adopted) are public with them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from tenken.plans.models import Initiative, Plan, Section, Status
from tenken.publications.models import Publication, PublishedReview
from tenken.reviews.models import Inspection

CURRENT = Publication.State.CURRENT


def current_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(state=CURRENT)


def public_reviews() -> QuerySet[PublishedReview]:
    """Every result the public may see: the frozen copies of the current publications, any plan."""
    return PublishedReview.objects.filter(publication__state=CURRENT)


def reviews_of_published_report(publication: Publication) -> QuerySet[PublishedReview]:
    """The results a published report version draws on beyond its own inspection (chapter 5's latest
    result per initiative, the predecessor's results of carried-over initiatives): the version's own frozen
    copies, and of every other inspection only what is public — never a live review."""
    from django.db.models import Q

    return PublishedReview.objects.filter(
        Q(publication=publication) | (Q(publication__state=CURRENT) & ~Q(inspection_id=publication.inspection_id))
    )


def is_public_review(review: object) -> bool:
    """True when this (live) review's inspection is published and the review is part of that version."""
    return public_reviews().filter(review_id=getattr(review, "pk", None)).exists()


def public_inspections() -> QuerySet[Inspection]:
    return Inspection.objects.filter(Exists(current_publications().filter(inspection=OuterRef("pk"))))


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(
        Exists(current_publications().filter(inspection__plan=OuterRef("pk")))
    )


def public_sections() -> QuerySet[Section]:
    return Section.objects.filter(plan__in=public_plans())


def public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(plan__in=public_plans())


def public_statuses() -> QuerySet[Status]:
    return Status.objects.filter(plan__in=public_plans()).order_by("plan_id", "order")


def downloadable_publications() -> QuerySet[Publication]:
    """Report versions the public may download: the current version and the older (superseded) ones of a
    published inspection; never a withdrawn version, nothing of a withdrawn inspection."""
    return Publication.objects.filter(
        state__in=[CURRENT, Publication.State.SUPERSEDED],
        inspection__in=public_inspections(),
    )
