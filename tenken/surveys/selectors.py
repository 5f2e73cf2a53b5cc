"""Reads for survey rounds: who answers what, the answers, last year's answers, progress and history.

An initiative is answered by its *answering department*: the first of its 担当所属 by (表示順, 名称, id).
Heading initiatives (``is_heading``) have no result and are never asked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from tenken.orgs.access import visible_departments, visible_organizations
from tenken.orgs.models import Department
from tenken.plans.models import Initiative, Plan, Status
from tenken.reviews.models import InitiativeReview

from .models import Response, ReviewChange, SurveyRound


def answering_departments(*, plan: Plan) -> dict[int, int]:
    """``{initiative_id: department_id}`` for every countable initiative that has a department."""
    links = Initiative.departments.through.objects.filter(
        initiative__plan=plan, initiative__is_heading=False, initiative__retired=False
    ).values_list("initiative_id", "department_id", "department__order", "department__name")
    best: dict[int, tuple[int, str, int]] = {}
    for initiative_id, dept_id, order, name in links:
        key = (order, name, dept_id)
        if initiative_id not in best or key < best[initiative_id]:
            best[initiative_id] = key
    return {i: key[2] for i, key in best.items()}


def unassigned_initiatives(*, plan: Plan) -> list[Initiative]:
    assigned = answering_departments(plan=plan)
    return [
        i for i in Initiative.objects.filter(plan=plan, is_heading=False, retired=False).order_by("order")
        if i.pk not in assigned
    ]


def response_initiatives(*, response: Response) -> list[Initiative]:
    """The countable initiatives this response answers, in plan order."""
    plan = response.round.plan
    ids = [i for i, d in answering_departments(plan=plan).items() if d == response.department_id]
    return list(
        Initiative.objects.filter(pk__in=ids)
        .select_related("section", "section__parent", "section__parent__parent", "parent")
        .order_by("order")
    )


def previous_reviews(*, plan: Plan, fiscal_year: int, initiative_ids: list[int]) -> dict[int, InitiativeReview]:
    """Each initiative's latest approved review from a fiscal year before ``fiscal_year`` ("last year's answer")."""
    out: dict[int, InitiativeReview] = {}
    qs = (
        InitiativeReview.objects.filter(
            inspection__plan=plan,
            fiscal_year__lt=fiscal_year,
            initiative_id__in=initiative_ids,
            approval=InitiativeReview.Approval.APPROVED,
        )
        .select_related("status", "inspection")
        .order_by("fiscal_year", "inspection__kind")
    )
    for review in qs:
        out[review.initiative_id] = review  # later years overwrite earlier ones
    return out


@dataclass
class AnswerRow:
    initiative: Initiative
    review: InitiativeReview | None
    previous: InitiativeReview | None

    @property
    def version(self) -> int:
        return self.review.version if self.review else 0

    @property
    def section_path(self) -> list[str]:
        out, s = [], self.initiative.section
        while s is not None:
            out.insert(0, s.title)
            s = s.parent
        return out


def response_rows(*, response: Response) -> list[AnswerRow]:
    initiatives = response_initiatives(response=response)
    ids = [i.pk for i in initiatives]
    current = {
        r.initiative_id: r
        for r in InitiativeReview.objects.filter(inspection=response.round.inspection, initiative_id__in=ids)
        .select_related("status", "entered_by")
    }
    previous = previous_reviews(plan=response.round.plan, fiscal_year=response.round.fiscal_year, initiative_ids=ids)
    return [AnswerRow(i, current.get(i.pk), previous.get(i.pk)) for i in initiatives]


def answer_row(*, response: Response, initiative: Initiative) -> AnswerRow | None:
    for row in response_rows(response=response):
        if row.initiative.pk == initiative.pk:
            return row
    return None


def plan_statuses(*, plan: Plan) -> list[Status]:
    return list(Status.objects.filter(plan=plan).order_by("order"))


@dataclass
class ResponseProgress:
    response: Response
    answered: int
    total: int

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


@dataclass
class RoundProgress:
    survey_round: SurveyRound
    rows: list[ResponseProgress]

    @property
    def by_state(self) -> list[tuple[str, str, int]]:
        """``[(state, label, count)]`` for every state, in workflow order."""
        counts = Counter(r.response.state for r in self.rows)
        return [(s.value, s.label, counts.get(s.value, 0)) for s in Response.State]

    @property
    def not_answered(self) -> list[ResponseProgress]:
        """Departments that still owe an answer: not yet submitted, or returned and not resubmitted."""
        return [r for r in self.rows if r.response.state in Response.EDITABLE]

    @property
    def answered_initiatives(self) -> int:
        return sum(r.answered for r in self.rows)

    @property
    def total_initiatives(self) -> int:
        return sum(r.total for r in self.rows)


def round_progress(*, survey_round: SurveyRound, departments: QuerySet[Department] | None = None) -> RoundProgress:
    mapping = answering_departments(plan=survey_round.plan)
    totals = Counter(mapping.values())
    answered_ids = set(
        InitiativeReview.objects.filter(inspection=survey_round.inspection).values_list("initiative_id", flat=True)
    )
    answered = Counter(d for i, d in mapping.items() if i in answered_ids)
    responses = survey_round.responses.select_related("department", "submitted_by", "decided_by")
    if departments is not None:
        responses = responses.filter(department__in=departments)
    rows = [ResponseProgress(r, answered.get(r.department_id, 0), totals.get(r.department_id, 0)) for r in responses]
    return RoundProgress(survey_round, rows)


def rounds_for_user(*, user) -> list[SurveyRound]:
    return list(
        SurveyRound.objects.filter(plan__organization__in=visible_organizations(user=user))
        .select_related("plan", "plan__organization")
        .order_by("plan__organization__code", "-fiscal_year")
    )


def responses_for_user(*, user, survey_round: SurveyRound) -> list[Response]:
    departments = visible_departments(user=user, organization=survey_round.plan.organization)
    return list(survey_round.responses.filter(department__in=departments).select_related("department"))


def initiative_history(*, initiative: Initiative) -> list[ReviewChange]:
    """Every recorded change to any review of this initiative, newest first."""
    return list(
        ReviewChange.objects.filter(review__initiative=initiative)
        .select_related("changed_by", "review__inspection")
        .order_by("-changed_at", "-id")
    )


def response_for_department(*, survey_round: SurveyRound, department: Department) -> Response | None:
    return survey_round.responses.filter(department=department).first()


def plans_manageable(*, user) -> list[Plan]:
    from tenken.orgs.access import can_manage_organization

    plans = Plan.objects.filter(organization__in=visible_organizations(user=user)).select_related("organization")
    return [p for p in plans if can_manage_organization(user, p.organization)]
