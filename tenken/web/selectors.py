"""Reads for the home page: what this person must do now. A fixed number of queries per role,
whatever the size of the plan (tests/test_home.py counts them at 1× and 10×)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tenken.orgs.models import Membership, Organization
from tenken.plans.models import Plan
from tenken.reviews.models import InitiativeReview, Inspection
from tenken.surveys.models import Response, SurveyRound


def today_in_tokyo() -> date:
    """Deadlines are Japanese calendar days (settings.TIME_ZONE is Asia/Tokyo)."""
    return timezone.localdate()


def is_overdue(response: Response, *, today: date) -> bool:
    return response.state in Response.EDITABLE and response.round.deadline < today


@dataclass
class MyRoles:
    admin_of: list[int] = field(default_factory=list)
    editor_of: list[int] = field(default_factory=list)
    approver_of: list[int] = field(default_factory=list)
    viewer_of_orgs: list[int] = field(default_factory=list)
    superuser: bool = False


def my_roles(*, user) -> MyRoles:
    roles = MyRoles(superuser=user.is_superuser)
    for role, org_id, dept_id in Membership.objects.filter(user=user).values_list("role", "organization_id",
                                                                                  "department_id"):
        if role == Membership.Role.ADMIN:
            roles.admin_of.append(org_id)
        elif role == Membership.Role.EDITOR:
            roles.editor_of.append(dept_id)
        elif role == Membership.Role.APPROVER:
            roles.approver_of.append(dept_id)
        else:
            roles.viewer_of_orgs.append(org_id)
    return roles


def _responses() -> QuerySet[Response]:
    return Response.objects.select_related("round", "round__plan", "round__plan__organization", "department")


def responses_to_answer(*, department_ids: list[int]) -> list[Response]:
    """A clerk's responses in rounds still open, the ones needing work first."""
    if not department_ids:
        return []
    rows = list(_responses().filter(department_id__in=department_ids, round__state=SurveyRound.State.OPEN)
                .order_by("round__deadline", "department__order", "department__name"))
    rows.sort(key=lambda r: (r.state not in Response.EDITABLE, r.round.deadline))
    return rows


def responses_to_decide(*, department_ids: list[int]) -> list[Response]:
    """Submitted responses waiting for the approver of these departments."""
    if not department_ids:
        return []
    return list(_responses().filter(department_id__in=department_ids, state__in=Response.AWAITING_DECISION)
                .order_by("submitted_at"))


@dataclass
class DepartmentRow:
    response: Response
    overdue: bool


@dataclass
class RoundBoard:
    survey_round: SurveyRound
    counts: list[tuple[str, str, int]]  # (state, label, n) for 未提出 / 提出済 / 差戻し / 承認
    rows: list[DepartmentRow]
    overdue: int


BOARD_STATES = [
    ("not_submitted", "未提出", (Response.State.NOT_SUBMITTED,)),
    ("submitted", "提出済", (Response.State.SUBMITTED, Response.State.RESUBMITTED)),
    ("returned", "差戻し", (Response.State.RETURNED,)),
    ("approved", "承認", (Response.State.APPROVED,)),
]


def round_boards(*, organization_ids: list[int] | None, today: date) -> list[RoundBoard]:
    """Open rounds of these organizations (all for ``None``), each with its departments' states."""
    rounds = SurveyRound.objects.filter(state=SurveyRound.State.OPEN).select_related("plan", "plan__organization")
    if organization_ids is not None:
        rounds = rounds.filter(plan__organization_id__in=organization_ids)
    rounds = list(rounds.order_by("plan__organization__code", "deadline"))
    by_round: dict[int, list[Response]] = {r.pk: [] for r in rounds}
    for response in (Response.objects.filter(round__in=rounds).select_related("department")
                     .order_by("department__order", "department__name")):
        by_round[response.round_id].append(response)
    boards = []
    for survey_round in rounds:
        responses = by_round[survey_round.pk]
        for r in responses:
            r.round = survey_round
        tally = Counter(r.state for r in responses)
        counts = [(code, label, sum(tally[s] for s in states)) for code, label, states in BOARD_STATES]
        rows = [DepartmentRow(r, is_overdue(r, today=today)) for r in responses]
        boards.append(RoundBoard(survey_round, counts, rows, sum(row.overdue for row in rows)))
    return boards


def plans_of(*, organization_ids: list[int] | None) -> list[Plan]:
    plans = Plan.objects.select_related("organization", "predecessor")
    if organization_ids is not None:
        plans = plans.filter(organization_id__in=organization_ids)
    return list(plans.order_by("organization__code", "-first_fiscal_year", "pk"))


@dataclass
class Unpublished:
    inspection: Inspection
    approved: int
    not_approved: int
    changed_since: bool = False  # published, but its approved results or report text changed since


def unpublished_inspections(*, organization_ids: list[int] | None) -> list[Unpublished]:
    """Inspections with approved results the public does not see as they are now (pub's Publication):
    never published (or withdrawn), or changed since the current publication — the same content hash the
    publish page compares, so "変更あり" here means publishing would make a new version."""
    from tenken.publications.models import Publication
    from tenken.publications.selectors import approved_review_rows, content_hash

    current = Publication.objects.filter(inspection=OuterRef("pk"), state=Publication.State.CURRENT)
    qs = Inspection.objects.select_related("plan", "plan__organization").annotate(
        approved=Count("reviews", filter=Q(reviews__approval=InitiativeReview.Approval.APPROVED)),
        not_approved=Count("reviews", filter=~Q(reviews__approval=InitiativeReview.Approval.APPROVED)),
        current_hash=Subquery(current.values("content_hash")[:1]),
    ).filter(approved__gt=0)
    if organization_ids is not None:
        qs = qs.filter(plan__organization_id__in=organization_ids)
    listed = []
    for i in qs.order_by("plan__organization__code", "plan_id", "-fiscal_year"):
        if i.current_hash is None:
            listed.append(Unpublished(i, i.approved, i.not_approved))
        elif i.current_hash != content_hash(inspection=i, rows=approved_review_rows(inspection=i)):
            listed.append(Unpublished(i, i.approved, i.not_approved, changed_since=True))
    return listed


def organizations(*, ids: list[int]) -> list[Organization]:
    return list(Organization.objects.filter(pk__in=ids).order_by("code"))
