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
from tenken.plans.models import CarryOver, Initiative, Plan, Status
from tenken.reviews.models import InitiativeReview

from .models import Notification, Response, ReviewChange, SurveyRound


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
    """Each initiative's latest approved review from a fiscal year before ``fiscal_year`` ("last year's answer").

    An initiative carried over (継続・統合) from the predecessor plan that has no earlier answer in this plan
    gets the last approved result of the initiative(s) it continues: its first answer shows where it left off.
    """
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
    missing = [i for i in initiative_ids if i not in out]
    if missing and plan.predecessor_id:
        continued = dict(
            CarryOver.objects.filter(successor=plan, new_initiative_id__in=missing)
            .values_list("old_initiative_id", "new_initiative_id")
        )
        if continued:
            earlier = (
                InitiativeReview.objects.filter(
                    inspection__plan_id=plan.predecessor_id,
                    fiscal_year__lt=fiscal_year,
                    initiative_id__in=list(continued),
                    approval=InitiativeReview.Approval.APPROVED,
                )
                .select_related("status", "inspection")
                .order_by("fiscal_year", "inspection__kind")
            )
            for review in earlier:
                out[continued[review.initiative_id]] = review
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
    def since_last_year(self) -> str:
        """What changed against last year's approved answer: ``""`` (same result), ``"前年度: 実施中 → 達成"``,
        ``"前年度の回答なし"``; empty while this year is unanswered."""
        if self.review is None:
            return ""
        if self.previous is None:
            return "前年度の回答なし"
        if self.previous.status.code != self.review.status.code:  # codes: the same across a plan and its successor
            return f"{self.previous.status.label} → {self.review.status.label}"
        return ""

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


SOON_DAYS = 3  # a deadline this close (or closer) is flagged 「期限間近」


@dataclass
class ResponseProgress:
    response: Response
    answered: int
    total: int

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def board_state(self) -> str:
        """The four columns of the board: 未提出 / 提出済 (incl. 再提出) / 差戻し / 承認."""
        state = self.response.state
        return Response.State.SUBMITTED if state == Response.State.RESUBMITTED else state

    @property
    def owes_answer(self) -> bool:
        return self.response.state in Response.EDITABLE

    @property
    def deadline_flag(self) -> str:
        """``overdue`` (期限超過), ``soon`` (期限間近) or ``""``: only for departments that still owe an answer,
        judged on today's date in Asia/Tokyo."""
        from django.utils import timezone

        if not self.owes_answer:
            return ""
        days = (self.response.round.deadline - timezone.localdate()).days
        if days < 0:
            return "overdue"
        return "soon" if days <= SOON_DAYS else ""

    @property
    def deadline_flag_label(self) -> str:
        return {"overdue": "期限超過", "soon": "期限間近"}.get(self.deadline_flag, "")


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

    BOARD = (
        (Response.State.NOT_SUBMITTED, "未提出"),
        (Response.State.SUBMITTED, "提出済"),
        (Response.State.RETURNED, "差戻し"),
        (Response.State.APPROVED, "承認"),
    )

    @property
    def board(self) -> list[tuple[str, str, list[ResponseProgress]]]:
        """``[(state, label, rows)]`` for the four columns of the progress board (再提出 counts as 提出済)."""
        return [(code, label, [r for r in self.rows if r.board_state == code]) for code, label in self.BOARD]

    @property
    def overdue(self) -> list[ResponseProgress]:
        return [r for r in self.rows if r.deadline_flag == "overdue"]

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
    responses = survey_round.responses.select_related("department", "submitted_by", "decided_by", "round")
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


def notifications_for(user, limit: int = 20) -> list[Notification]:
    """``user``'s latest notices, newest first (for the home page, the header and /surveys/notifications/)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Notification.objects.filter(user=user).select_related("survey_round", "response").order_by("-created_at",
                                                                                                      "-id")[:limit]
    )


def unread_notification_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def responses_awaiting(*, user) -> list[Response]:
    """Submitted responses ``user`` may approve or return (approvers: their departments; admins: all)."""
    from tenken.orgs.access import departments_for_approval

    out: list[Response] = []
    for organization in visible_organizations(user=user):
        out += list(
            Response.objects.filter(
                state__in=Response.AWAITING_DECISION,
                round__plan__organization=organization,
                department__in=departments_for_approval(user=user, organization=organization),
            ).select_related("round", "round__plan", "department").order_by("submitted_at")
        )
    return out


def responses_for_editor(*, user) -> list[Response]:
    """Responses of the departments ``user`` answers for, newest round first (a clerk's "my responses")."""
    from tenken.orgs.access import departments_for_editing

    out: list[Response] = []
    for organization in visible_organizations(user=user):
        out += list(
            Response.objects.filter(
                round__plan__organization=organization,
                department__in=departments_for_editing(user=user, organization=organization),
            ).select_related("round", "round__plan", "department").order_by("-round__fiscal_year", "department__order")
        )
    return out


def department_choices(*, plan: Plan) -> list[Department]:
    return list(Department.objects.filter(organization_id=plan.organization_id).order_by("order", "name", "id"))


@dataclass
class ItemAssignment:
    """One 取組項目 of the assignment page: its initiatives, how many have no department, who answers now."""

    section: object
    policy_title: str
    initiatives: list[Initiative]
    unassigned: list[Initiative]
    departments: list[str]


def plan_assignment_items(*, plan: Plan) -> list[ItemAssignment]:
    """Every 取組項目 (depth 1) with its countable initiatives, in plan order; 3 queries whatever the size."""
    from tenken.plans.models import Section

    sections = {s.pk: s for s in Section.objects.filter(plan=plan).order_by("order")}
    initiatives = list(
        Initiative.objects.filter(plan=plan, is_heading=False).order_by("order").only(
            "id", "number_label", "text", "section_id", "order"
        )
    )
    names: dict[int, set[str]] = {}
    for initiative_id, dept in Initiative.departments.through.objects.filter(
        initiative__plan=plan, initiative__is_heading=False
    ).values_list("initiative_id", "department__name"):
        names.setdefault(initiative_id, set()).add(dept)

    def item_of(section_id: int):
        node = sections.get(section_id)
        while node is not None and node.depth > 1:
            node = sections.get(node.parent_id)
        return node

    items: dict[int, ItemAssignment] = {}
    for s in sections.values():
        if s.depth == 1:
            parent = sections.get(s.parent_id)
            items[s.pk] = ItemAssignment(s, parent.title if parent else "", [], [], [])
    loose = ItemAssignment(None, "", [], [], [])
    for i in initiatives:
        item = item_of(i.section_id)
        target = items.get(item.pk) if item is not None else None
        target = target or loose
        target.initiatives.append(i)
        if i.pk not in names:
            target.unassigned.append(i)
    for target in [*items.values(), loose]:
        target.departments = sorted({n for i in target.initiatives for n in names.get(i.pk, ())})
    out = [it for it in items.values() if it.initiatives]
    return out + ([loose] if loose.initiatives else [])
