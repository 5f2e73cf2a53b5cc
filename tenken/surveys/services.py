"""Writes for survey rounds. The web form, the workbook upload and ``tenken survey`` all call these.

Every function takes the acting ``user`` and asks :mod:`tenken.orgs.access` whether it may act
(:class:`~tenken.orgs.access.AccessDenied` otherwise), validates everything first (one
:class:`~tenken.common.errors.InputRejected` with all problems), then writes in one transaction.

Answers are written with a compare-and-swap on ``InitiativeReview.version``
(``UPDATE ... WHERE id = … AND version = n``): a writer holding an old version gets
:class:`EditConflict` and nothing is overwritten. Every changed field is recorded as a
:class:`~tenken.surveys.models.ReviewChange`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import fiscal_year_label
from tenken.orgs.access import (
    AccessDenied,
    can_approve_department,
    can_edit_department,
    can_manage_organization,
)
from tenken.orgs.models import Membership
from tenken.plans.milestones import milestone_reminder_text
from tenken.plans.models import Initiative, Plan, Status
from tenken.reviews.models import InitiativeReview, Inspection
from tenken.spreadsheets.neutralize import control_problem

from . import indicator_answers, selectors
from .models import Notification, Response, ReviewChange, SurveyRound, deadline_text
from .notifications import department_people, notify

ANSWER_FIELDS = ("status", "change_reason", "outcome", "issues")


class EditConflict(InputRejected):
    """Someone else changed the review after this writer read it; nothing was saved."""


def _display(field_name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Status):
        return value.label
    if field_name == "approval":
        return InitiativeReview.Approval(value).label
    return str(value)


def _conflict(inspection: Inspection, initiative: Initiative, expected: int, location: str = "") -> EditConflict:
    current = InitiativeReview.objects.filter(inspection=inspection, initiative=initiative).first()
    who = "ほかの人が"
    last = current.changes.select_related("changed_by").order_by("-id").first() if current is not None else None
    if last is not None and last.changed_by is not None:
        when = timezone.localtime(last.changed_at).strftime("%Y-%m-%d %H:%M")
        who = f"{last.changed_by.get_full_name() or last.changed_by.username} さんが {when} に"
    now_version = current.version if current is not None else 0
    label = initiative.number_label or "（番号なし）"
    return EditConflict(
        Problem(
            location or f"取組{label}",
            f"{who}この取組の回答を更新したため、保存しませんでした（開いたときの版 {expected}、現在の版 "
            f"{now_version}）。最新の内容を確認してから、もう一度入力してください",
        )
    )


# -- opening a round -------------------------------------------------------------------------------

DEFAULT_ANSWER_DAYS = 30


def default_deadline() -> date:
    """The 回答期限 a new round proposes: 30 days after today *in Asia/Tokyo* (not the server's UTC date)."""
    return timezone.localdate() + timedelta(days=DEFAULT_ANSWER_DAYS)


def _response_url(response: Response) -> str:
    return f"/surveys/responses/{response.pk}/"


def _editors(responses: list[Response]) -> dict[int, list]:
    return department_people(department_ids=[r.department_id for r in responses], role=Membership.Role.EDITOR)


@transaction.atomic
def round_open(*, user, plan: Plan, fiscal_year: int, deadline: date) -> SurveyRound:
    """Open the survey of ``fiscal_year`` for ``plan``: the annual inspection (created or reused) and one
    response per answering department. Refused when an initiative has no department."""
    if not can_manage_organization(user, plan.organization):
        raise AccessDenied("照会を開始できるのは ICT 所管課の管理者だけです")
    problems: list[Problem] = []
    if fiscal_year not in plan.fiscal_years:
        problems.append(
            Problem("対象年度", f"{fiscal_year_label(fiscal_year)}は計画期間（{plan.period_label}）の外です")
        )
    if SurveyRound.objects.filter(plan=plan, fiscal_year=fiscal_year).exists():
        problems.append(Problem("対象年度", f"{fiscal_year_label(fiscal_year)}の照会は既に開始されています"))
    orphans = selectors.unassigned_initiatives(plan=plan)
    if orphans:
        shown = "、".join(i.number_label or i.text[:15] for i in orphans[:10])
        more = f" ほか{len(orphans) - 10}件" if len(orphans) > 10 else ""
        problems.append(
            Problem("担当所属", f"担当所属が決まっていない取組が{len(orphans)}件あります（{shown}{more}）")
        )
    if problems:
        raise InputRejected(problems)
    inspection, _ = Inspection.objects.get_or_create(
        plan=plan,
        fiscal_year=fiscal_year,
        kind=Inspection.Kind.ANNUAL,
        defaults={
            "title": f"{plan.title} {fiscal_year_label(fiscal_year)} 点検",
            "as_of": date(fiscal_year + 1, 3, 31),
        },
    )
    survey_round = SurveyRound.objects.create(
        plan=plan, fiscal_year=fiscal_year, inspection=inspection, deadline=deadline, opened_by=user
    )
    mapping = selectors.answering_departments(plan=plan)
    departments = sorted(set(mapping.values()))
    Response.objects.bulk_create(Response(round=survey_round, department_id=d) for d in departments)
    totals: dict[int, int] = {}
    for d in mapping.values():
        totals[d] = totals.get(d, 0) + 1
    responses = list(survey_round.responses.select_related("department"))
    editors = _editors(responses)
    for response in responses:
        notify(
            users=editors.get(response.department_id, []),
            kind=Notification.Kind.OPENED,
            subject=f"【照会】{survey_round}の回答をお願いします（{response.department.name}）",
            body=(
                f"{response.department.name} ご担当者様\n\n"
                f"「{survey_round}」を開始しました。担当の取組 {totals.get(response.department_id, 0)} 件の"
                f"実施結果を回答してください。\n回答期限: {deadline_text(deadline)}\n"
                "回答は画面で入力するか、回答票（Excel）をダウンロードして記入し、アップロードしてください。\n"
            ),
            url=_response_url(response),
            survey_round=survey_round,
            response=response,
        )
    return survey_round


# -- answering ------------------------------------------------------------------------------------

@dataclass
class Answer:
    """One initiative's answer as typed (web form field or workbook row), before validation."""

    initiative_id: int
    status: str
    change_reason: str = ""
    outcome: str = ""
    issues: str = ""
    expected_version: int = 0
    location: str = ""  # where it came from: "回答!I5" or a form field
    unreadable: bool = False  # its source had a problem already reported (a formula): do not validate
    field_locations: dict[str, str] = field(default_factory=dict)

    def where(self, name: str) -> str:
        return self.field_locations.get(name, self.location)


def _resolver(plan: Plan):
    from tenken.plans.statuses import StatusResolver, StatusSpec

    statuses = selectors.plan_statuses(plan=plan)
    specs = [
        StatusSpec(s.code, s.label, s.long_label, s.column_label, s.order, s.requires_reason, s.color)
        for s in statuses
    ]
    return StatusResolver(specs), {s.code: s for s in statuses}


def _check_editable(*, user, response: Response, location: str) -> list[Problem]:
    if not can_edit_department(user, response.department):
        raise AccessDenied(f"「{response.department.name}」の回答を入力する権限がありません")
    problems = []
    if response.round.state != SurveyRound.State.OPEN:
        problems.append(Problem(location, "この照会は締め切られています"))
    elif response.state not in Response.EDITABLE:
        problems.append(
            Problem(
                location,
                f"回答は「{response.get_state_display()}」のため変更できません（差戻しされた場合に修正できます）",
            )
        )
    return problems


def _validate(
    response: Response, answers: list[Answer]
) -> tuple[list[Problem], list[Problem], list[tuple[Answer, Initiative, Status]]]:
    """``(problems, conflicts, valid answers)``."""
    resolver, statuses = _resolver(response.round.plan)
    mine = {i.pk: i for i in selectors.response_initiatives(response=response)}
    current = dict(
        InitiativeReview.objects.filter(inspection=response.round.inspection, initiative_id__in=list(mine))
        .values_list("initiative_id", "version")
    )
    problems: list[Problem] = []
    conflicts: list[Problem] = []
    valid: list[tuple[Answer, Initiative, Status]] = []
    for a in answers:
        initiative = mine.get(a.initiative_id)
        if a.unreadable and initiative is not None:
            continue
        if initiative is None:
            problems.append(Problem(a.location, f"この取組（ID {a.initiative_id}）は「{response.department.name}」の回答対象ではありません"))
            continue
        bad = _text_problems(a)
        if bad:
            problems.extend(bad)
            continue
        code = resolver.resolve(a.status)
        if not (a.status or "").strip():
            problems.append(Problem(a.where("status"), "実施結果が入力されていません"))
        elif code is None:
            problems.append(
                Problem(a.where("status"), f"実施結果「{a.status}」は選択肢にありません（{resolver.choices_text()}）")
            )
        status = statuses.get(code) if code else None
        if status is not None and status.requires_reason and not a.change_reason.strip():
            problems.append(
                Problem(a.where("change_reason"), f"実施結果を「{status.label}」とする場合は変更の理由を入力してください")
            )
        if current.get(initiative.pk, 0) != a.expected_version:
            inspection = response.round.inspection
            conflicts.extend(_conflict(inspection, initiative, a.expected_version, a.where("status")).problems)
            continue
        if status is not None:
            valid.append((a, initiative, status))
    return problems, conflicts, valid


def _text_problems(a: Answer) -> list[Problem]:
    """Control characters and over-long texts, each named at its field or cell (issue #14)."""
    limit = int(getattr(settings, "TENKEN_ANSWER_MAX_CHARS", 10000))
    out = []
    for name in ANSWER_FIELDS:
        text = getattr(a, name) or ""
        message = control_problem(text)
        if message is None and len(text) > limit:
            message = f"{len(text):,}文字あります。{limit:,}文字以内にしてください"
        if message is not None:
            out.append(Problem(a.where(name), message))
    return out


_LOOK_UP = object()


def _write_answer(
    *,
    user,
    response: Response,
    answer: Answer,
    initiative: Initiative,
    status: Status,
    via: str,
    review=_LOOK_UP,
    history: list[ReviewChange] | None = None,
) -> InitiativeReview:
    """Compare-and-swap one answer. Raises :class:`EditConflict` when the version moved.

    A caller writing many answers passes the ``review`` it already read (or ``None``) and a ``history``
    list to collect the :class:`ReviewChange` rows for one bulk insert; the version check in the
    ``UPDATE`` is made either way.
    """
    inspection = response.round.inspection
    new = {
        "status": status,
        "change_reason": answer.change_reason.strip(),
        "outcome": answer.outcome.strip(),
        "issues": answer.issues.strip(),
    }
    if review is _LOOK_UP:
        review = (
            InitiativeReview.objects.filter(inspection=inspection, initiative=initiative)
            .select_related("status")
            .first()
        )
    if review is None:
        if answer.expected_version != 0:
            raise _conflict(inspection, initiative, answer.expected_version, answer.where("status"))
        try:
            with transaction.atomic():
                review = InitiativeReview.objects.create(
                    inspection=inspection,
                    initiative=initiative,
                    fiscal_year=inspection.fiscal_year,
                    entered_by=user,
                    source_ref=answer.location,
                    **new,
                )
        except IntegrityError as exc:  # someone created it between our read and our insert
            raise _conflict(inspection, initiative, answer.expected_version, answer.where("status")) from exc
        old = dict.fromkeys(ANSWER_FIELDS, "")
    else:
        if review.version != answer.expected_version:
            raise _conflict(inspection, initiative, answer.expected_version, answer.where("status"))
        old = {f: getattr(review, f) for f in ANSWER_FIELDS}
        changed = {f: v for f, v in new.items() if _display(f, old[f]) != _display(f, v)}
        if not changed:
            return review
        # Any write to a review's content takes it out of 承認: it re-enters the workflow (issue #14).
        old_approval = review.approval
        updated = InitiativeReview.objects.filter(pk=review.pk, version=answer.expected_version).update(
            **changed,
            approval=InitiativeReview.Approval.DRAFT,
            version=F("version") + 1,
            entered_by=user,
            updated_at=timezone.now(),
            source_ref=answer.location or review.source_ref,
        )
        if updated != 1:
            raise _conflict(inspection, initiative, answer.expected_version, answer.where("status"))
        # The UPDATE matched version n, so the row is now exactly what we wrote, at version n + 1.
        for f, v in changed.items():
            setattr(review, f, v)
        review.version, review.entered_by = answer.expected_version + 1, user
        review.approval = InitiativeReview.Approval.DRAFT
        if old_approval != InitiativeReview.Approval.DRAFT:
            old["approval"], new["approval"] = old_approval, InitiativeReview.Approval.DRAFT
    changes = [
        ReviewChange(
            review=review,
            changed_by=user,
            field=f,
            old_value=_display(f, old[f]),
            new_value=_display(f, new[f]),
            version=review.version,
            via=via,
        )
        for f in (*ANSWER_FIELDS, "approval")
        if f in new and _display(f, old.get(f)) != _display(f, new[f])
    ]
    if history is None:
        ReviewChange.objects.bulk_create(changes)
    else:
        history.extend(changes)
    return review


@transaction.atomic
def review_answer(
    *, user, response: Response, answer: Answer, via: str = ReviewChange.Via.WEB,
    indicator_entries: list[indicator_answers.IndicatorEntry] | None = None,
) -> InitiativeReview:
    """Save one initiative's answer for ``response`` (the web form), with the year's actuals of its
    indicators (``indicator_entries``) when given. Raises InputRejected / EditConflict; nothing is
    written unless everything is valid."""
    response = Response.objects.select_for_update().select_related("round", "round__plan", "round__inspection",
                                                                     "department").get(pk=response.pk)
    problems = _check_editable(user=user, response=response, location=answer.location or "回答")
    more, conflicts, valid = _validate(response, [answer])
    if conflicts:  # the form was stale: say so first, whatever else is wrong with it
        raise EditConflict(conflicts)
    problems += more
    parsed: list[indicator_answers.ParsedEntry] = []
    if indicator_entries:
        allowed = indicator_answers.response_indicators(response=response, initiative_ids=[answer.initiative_id])
        ind_problems, parsed = indicator_answers.validate_entries(
            response=response, entries=indicator_entries, indicators=allowed
        )
        problems += ind_problems
    if problems:
        raise InputRejected(problems)
    (a, initiative, status), = valid
    review = _write_answer(user=user, response=response, answer=a, initiative=initiative, status=status, via=via)
    indicator_answers.save_entries(user=user, response=response, parsed=parsed)
    return review


@transaction.atomic
def response_answer_all(
    *, user, response: Response, answers: list[Answer], via: str, location: str, problems: list[Problem] | None = None,
    indicator_entries: list[indicator_answers.IndicatorEntry] | None = None,
) -> Response:
    """Validate every answer of a response (a returned workbook), then write them all and submit.

    Every initiative of the response must be answered; anything wrong — including ``problems`` the
    caller found in the source — refuses the whole set.
    """
    found = list(problems or [])
    response = Response.objects.select_for_update().select_related("round", "round__plan", "round__inspection",
                                                                     "department").get(pk=response.pk)
    problems = _check_editable(user=user, response=response, location=location)
    more, conflicts, valid = _validate(response, answers)
    problems += found + more + conflicts
    given = {a.initiative_id for a in answers}
    for initiative in selectors.response_initiatives(response=response):
        if initiative.pk not in given:
            problems.append(
                Problem(location, f"取組{initiative.number_label or '（番号なし）'}「{initiative.text[:20]}」の行がありません")
            )
    parsed: list[indicator_answers.ParsedEntry] = []
    if indicator_entries:
        ind_problems, parsed = indicator_answers.validate_entries(response=response, entries=indicator_entries)
        problems += ind_problems
    if problems:
        raise InputRejected(problems)
    indicator_answers.save_entries(user=user, response=response, parsed=parsed)
    existing = {
        r.initiative_id: r
        for r in InitiativeReview.objects.filter(
            inspection=response.round.inspection, initiative_id__in=[i.pk for _, i, _ in valid]
        ).select_related("status")
    }
    history: list[ReviewChange] = []
    for a, initiative, status in valid:
        _write_answer(user=user, response=response, answer=a, initiative=initiative, status=status, via=via,
                      review=existing.get(initiative.pk), history=history)
    ReviewChange.objects.bulk_create(history)
    return response_submit(user=user, response=response)


# -- workflow -------------------------------------------------------------------------------------

def _set_approval(*, user, response: Response, approval: str) -> None:
    reviews = list(
        InitiativeReview.objects.filter(
            inspection=response.round.inspection,
            initiative__in=selectors.response_initiatives(response=response),
        ).exclude(approval=approval)
    )
    InitiativeReview.objects.filter(pk__in=[r.pk for r in reviews]).update(
        approval=approval, version=F("version") + 1, updated_at=timezone.now()
    )
    ReviewChange.objects.bulk_create(
        ReviewChange(
            review=r,
            changed_by=user,
            field="approval",
            old_value=_display("approval", r.approval),
            new_value=_display("approval", approval),
            version=r.version + 1,
            via=ReviewChange.Via.WORKFLOW,
        )
        for r in reviews
    )


def _locked(response: Response) -> Response:
    return Response.objects.select_for_update().select_related(
        "round", "round__plan", "round__inspection", "department"
    ).get(pk=response.pk)


@transaction.atomic
def response_submit(*, user, response: Response) -> Response:
    """未提出 / 差戻し → 提出済 / 再提出. Every initiative must have an answer."""
    response = _locked(response)
    problems = _check_editable(user=user, response=response, location="提出")
    missing = [row.initiative for row in selectors.response_rows(response=response) if row.review is None]
    if missing:
        shown = "、".join(i.number_label or i.text[:15] for i in missing[:10])
        problems.append(Problem("提出", f"未回答の取組が{len(missing)}件あります（{shown}）"))
    if problems:
        raise InputRejected(problems)
    resubmission = response.state == Response.State.RETURNED
    response.state = Response.State.RESUBMITTED if resubmission else Response.State.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = user
    response.submission_count += 1
    response.save(update_fields=["state", "submitted_at", "submitted_by", "submission_count"])
    _set_approval(user=user, response=response, approval=InitiativeReview.Approval.SUBMITTED)
    approvers = department_people(department_ids=[response.department_id], role=Membership.Role.APPROVER)
    label = "再提出" if resubmission else "提出"
    notify(
        users=approvers.get(response.department_id, []),
        kind=Notification.Kind.SUBMITTED,
        subject=f"【承認依頼】{response.department.name}の回答が{label}されました（{response.round}）",
        body=(
            f"{response.department.name} 所属承認者様\n\n"
            f"「{response.round}」の{response.department.name}の回答が{label}されました"
            f"（{_person(user)}、{response.submission_count}回目）。内容を確認し、承認または差戻ししてください。\n"
        ),
        url=_response_url(response),
        survey_round=response.round,
        response=response,
    )
    return response


def _person(user) -> str:
    return f"{user.get_full_name() or user.username} さん" if user is not None else "—"


def _decide(*, user, response: Response) -> Response:
    response = _locked(response)
    if not can_approve_department(user, response.department):
        raise AccessDenied(f"「{response.department.name}」の回答を承認する権限がありません")
    if response.state not in Response.AWAITING_DECISION:
        raise InputRejected(
            Problem("承認", f"回答は「{response.get_state_display()}」のため、承認・差戻しできません（提出後に行えます）")
        )
    return response


@transaction.atomic
def response_approve(*, user, response: Response) -> Response:
    """提出済 / 再提出 → 承認: the department's answers count in the inspection."""
    response = _decide(user=user, response=response)
    response.state = Response.State.APPROVED
    response.decided_at, response.decided_by = timezone.now(), user
    response.save(update_fields=["state", "decided_at", "decided_by"])
    _set_approval(user=user, response=response, approval=InitiativeReview.Approval.APPROVED)
    notify(
        users=_editors([response]).get(response.department_id, []),
        kind=Notification.Kind.APPROVED,
        subject=f"【承認】{response.round}（{response.department.name}）",
        body=(
            f"{response.department.name} ご担当者様\n\n"
            f"「{response.round}」の{response.department.name}の回答を{_person(user)}が承認しました。\n"
        ),
        url=_response_url(response),
        survey_round=response.round,
        response=response,
    )
    indicator_answers.record_approved_actuals(response=response)  # the year's 実績値, approved with the rest
    return response


@transaction.atomic
def response_return(*, user, response: Response, comment: str) -> Response:
    """提出済 / 再提出 → 差戻し with a comment the department sees; its answers become editable again."""
    if not comment.strip():
        raise InputRejected(Problem("差戻しの理由", "差戻しの理由を入力してください"))
    response = _decide(user=user, response=response)
    response.state = Response.State.RETURNED
    response.decided_at, response.decided_by = timezone.now(), user
    response.return_comment = comment.strip()
    response.save(update_fields=["state", "decided_at", "decided_by", "return_comment"])
    _set_approval(user=user, response=response, approval=InitiativeReview.Approval.RETURNED)
    notify(
        users=_editors([response]).get(response.department_id, []),
        kind=Notification.Kind.RETURNED,
        subject=f"【差戻し】{response.round}（{response.department.name}）",
        body=(
            f"{response.department.name} ご担当者様\n\n"
            f"「{response.round}」の{response.department.name}の回答が{_person(user)}から差し戻されました。\n"
            f"差戻しの理由: {response.return_comment}\n"
            f"修正して再提出してください。回答期限: {deadline_text(response.round.deadline)}\n"
        ),
        url=_response_url(response),
        survey_round=response.round,
        response=response,
    )
    return response


def _notify_owing(
    survey_round: SurveyRound,
    *,
    kind: str,
    subject: Callable[[Response], str],
    body: Callable[[Response], str],
) -> None:
    """Tell the editors of every department whose response is still editable (未提出 / 差戻し)."""
    owing = list(survey_round.responses.filter(state__in=Response.EDITABLE).select_related("department"))
    editors = _editors(owing)
    for response in owing:
        notify(
            users=editors.get(response.department_id, []),
            kind=kind,
            subject=subject(response),
            body=body(response),
            url=_response_url(response),
            survey_round=survey_round,
            response=response,
        )


@transaction.atomic
def round_close(*, user, survey_round: SurveyRound) -> SurveyRound:
    """受付中 → 締切済: no more answers or submissions; submitted responses can still be approved or returned."""
    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("照会を締め切れるのは ICT 所管課の管理者だけです")
    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.state == SurveyRound.State.CLOSED:
        raise InputRejected(Problem("照会", f"{survey_round}は既に締め切られています"))
    survey_round.state = SurveyRound.State.CLOSED
    survey_round.closed_at, survey_round.closed_by = timezone.now(), user
    survey_round.save(update_fields=["state", "closed_at", "closed_by"])
    _notify_owing(
        survey_round,
        kind=Notification.Kind.CLOSED,
        subject=lambda r: f"【締切】{survey_round}（{r.department.name}）",
        body=lambda r: (
            f"{r.department.name} ご担当者様\n\n"
            f"「{survey_round}」は締め切られました。{r.department.name}の回答は"
            f"「{r.get_state_display()}」のままです。回答の入力・提出が必要な場合は ICT 所管課に"
            "連絡してください。\n"
        ),
    )
    return survey_round


@transaction.atomic
def round_reopen(*, user, survey_round: SurveyRound, deadline: date | None = None) -> SurveyRound:
    """締切済 → 受付中 again (optionally with a new 回答期限); departments that still owe an answer are told."""
    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("照会の受付を再開できるのは ICT 所管課の管理者だけです")
    survey_round = SurveyRound.objects.select_for_update().select_related("plan").get(pk=survey_round.pk)
    if survey_round.state == SurveyRound.State.OPEN:
        raise InputRejected(Problem("照会", f"{survey_round}は受付中です"))
    survey_round.state = SurveyRound.State.OPEN
    survey_round.closed_at = survey_round.closed_by = None
    fields = ["state", "closed_at", "closed_by"]
    if deadline is not None:
        survey_round.deadline = deadline
        fields.append("deadline")
    survey_round.save(update_fields=fields)
    _notify_owing(
        survey_round,
        kind=Notification.Kind.REOPENED,
        subject=lambda r: f"【受付再開】{survey_round}（{r.department.name}）",
        body=lambda r: (
            f"{r.department.name} ご担当者様\n\n"
            f"「{survey_round}」の受付を再開しました。回答期限: {deadline_text(survey_round.deadline)}\n"
        ),
    )
    return survey_round


# -- reminders ------------------------------------------------------------------------------------

@dataclass
class ReminderResult:
    sent: list[str]  # department names
    no_address: list[str]


def round_remind(*, user, survey_round: SurveyRound, base_url: str = "") -> ReminderResult:
    """Remind the editors of every department that still owes an answer (stored notice and e-mail)."""
    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("督促できるのは ICT 所管課の管理者だけです")
    progress = selectors.round_progress(survey_round=survey_round)
    result = ReminderResult([], [])
    owing = progress.not_answered
    editors = _editors([row.response for row in owing])
    with transaction.atomic():
        for row in owing:
            response = row.response
            people = editors.get(response.department_id, [])
            if not any(u.email for u in people):
                result.no_address.append(response.department.name)
            state = "差し戻されています" if response.state == Response.State.RETURNED else "まだ提出されていません"
            body = (
                f"{response.department.name} ご担当者様\n\n"
                f"「{survey_round}」の回答が{state}。\n"
                f"回答期限: {deadline_text(survey_round.deadline)}\n"
                f"回答済み {row.answered} 件 / 対象 {row.total} 件\n"
            )
            if response.return_comment and response.state == Response.State.RETURNED:
                body += f"差戻しの理由: {response.return_comment}\n"
            overdue = milestone_reminder_text(department=response.department)
            if overdue:
                body += "\n" + overdue
            notify(
                users=people,
                kind=Notification.Kind.REMINDER,
                subject=f"【督促】{survey_round}（{response.department.name}）",
                body=body + "\nICT所管課\n",
                url=_response_url(response),
                survey_round=survey_round,
                response=response,
                base_url=base_url,
                defer=False,
            )
            if any(u.email for u in people):
                result.sent.append(response.department.name)
        if result.sent:
            Response.objects.filter(round=survey_round, department__name__in=result.sent).update(
                reminded_at=timezone.now()
            )
    return result
