"""Every permission decision of tenken, in one place (Zulip's ``access_*`` shape).

Roles come from :class:`~tenken.orgs.models.Membership`:

| role | sees | answers (edit, upload, submit) | approves / returns | runs rounds |
|---|---|---|---|---|
| 管理者 (admin) | every department of its organization | every department | every department | yes |
| 所属入力者 (editor) | its department | its department | no | no |
| 所属承認者 (approver) | its department | no | its department | no |
| 閲覧者 (viewer) | its organization (or its one department) | no | no | no |

A Django superuser counts as admin of every organization. A user with no membership sees nothing.

``can_*`` functions answer yes/no (for templates and filtering); ``*_for_view`` / ``*_for_update`` /
``*_for_approval`` / ``*_for_management`` gates take ``user=`` and ``pk=``, return the object and raise
:class:`AccessDenied` (HTTP 403) or :class:`~django.http.Http404`. Views and services call these and
never test roles themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tenken.plans.models import Initiative, Plan

from .models import Department, Membership, Organization


class AccessDenied(PermissionDenied):
    """The user may not do this; the message is shown to the user."""

    def __init__(self, message: str = "この操作を行う権限がありません"):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Roles:
    """What one user holds in one organization."""

    admin: bool = False
    viewer_all: bool = False
    editor_of: frozenset[int] = field(default_factory=frozenset)
    approver_of: frozenset[int] = field(default_factory=frozenset)
    viewer_of: frozenset[int] = field(default_factory=frozenset)

    @property
    def any(self) -> bool:
        return self.admin or self.viewer_all or bool(self.editor_of or self.approver_of or self.viewer_of)


def roles_for(user, organization_id: int) -> Roles:
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles()
    if user.is_superuser:
        return Roles(admin=True)
    rows = list(
        Membership.objects.filter(user=user, organization_id=organization_id).values_list("role", "department_id")
    )
    R = Membership.Role
    return Roles(
        admin=any(role == R.ADMIN for role, _ in rows),
        viewer_all=any(role == R.VIEWER and dept is None for role, dept in rows),
        editor_of=frozenset(dept for role, dept in rows if role == R.EDITOR),
        approver_of=frozenset(dept for role, dept in rows if role == R.APPROVER),
        viewer_of=frozenset(dept for role, dept in rows if role == R.VIEWER and dept is not None),
    )


# -- yes/no questions -------------------------------------------------------------------------------

def can_manage_organization(user, organization: Organization) -> bool:
    """Open, generate, remind and watch survey rounds; assign departments to initiatives."""
    return roles_for(user, organization.pk).admin


def can_view_organization(user, organization: Organization) -> bool:
    return roles_for(user, organization.pk).any


def can_view_department(user, department: Department) -> bool:
    r = roles_for(user, department.organization_id)
    return r.admin or r.viewer_all or department.pk in (r.editor_of | r.approver_of | r.viewer_of)


def can_edit_department(user, department: Department) -> bool:
    """Answer the department's reviews (web form, workbook upload) and submit its response."""
    r = roles_for(user, department.organization_id)
    return r.admin or department.pk in r.editor_of


def can_approve_department(user, department: Department) -> bool:
    """Approve or return the department's submitted response."""
    r = roles_for(user, department.organization_id)
    return r.admin or department.pk in r.approver_of


def _initiative_departments(initiative: Initiative) -> set[int]:
    return set(initiative.departments.values_list("pk", flat=True))


def can_view_initiative(user, initiative: Initiative) -> bool:
    r = roles_for(user, initiative.plan.organization_id)
    if r.admin or r.viewer_all:
        return True
    return bool(_initiative_departments(initiative) & (r.editor_of | r.approver_of | r.viewer_of))


def can_edit_initiative(user, initiative: Initiative) -> bool:
    r = roles_for(user, initiative.plan.organization_id)
    return r.admin or bool(_initiative_departments(initiative) & r.editor_of)


def visible_departments(*, user, organization: Organization) -> QuerySet[Department]:
    r = roles_for(user, organization.pk)
    qs = Department.objects.filter(organization=organization)
    if r.admin or r.viewer_all:
        return qs
    return qs.filter(pk__in=r.editor_of | r.approver_of | r.viewer_of)


# -- gates: return the object or raise --------------------------------------------------------------

def _get(qs: QuerySet, pk: object, what: str):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"{what}が見つかりません") from exc


def plan_for_management(*, user, pk: object) -> Plan:
    plan = _get(Plan.objects.select_related("organization"), pk, "計画")
    if not can_manage_organization(user, plan.organization):
        raise AccessDenied("この計画の照会を管理する権限がありません（ICT所管課の管理者のみ）")
    return plan


def plan_for_view(*, user, pk: object) -> Plan:
    plan = _get(Plan.objects.select_related("organization"), pk, "計画")
    if not can_view_organization(user, plan.organization):
        raise AccessDenied("この計画を閲覧する権限がありません")
    return plan


def initiative_for_view(*, user, pk: object) -> Initiative:
    initiative = _get(Initiative.objects.select_related("plan", "section"), pk, "取組")
    if not can_view_initiative(user, initiative):
        raise AccessDenied("この取組を閲覧する権限がありません（担当所属ではありません）")
    return initiative


def initiative_for_update(*, user, pk: object) -> Initiative:
    initiative = _get(Initiative.objects.select_related("plan", "section"), pk, "取組")
    if not can_edit_initiative(user, initiative):
        raise AccessDenied("この取組の点検結果を入力する権限がありません（担当所属の入力者ではありません）")
    return initiative


def department_for_update(*, user, pk: object) -> Department:
    department = _get(Department.objects.all(), pk, "所属")
    if not can_edit_department(user, department):
        raise AccessDenied(f"「{department.name}」の回答を入力する権限がありません")
    return department


# Survey gates. Imported lazily: tenken.surveys depends on this module, not the other way round.

def _rounds():
    from tenken.surveys.models import SurveyRound

    return SurveyRound.objects.select_related("plan", "plan__organization", "inspection")


def _responses():
    from tenken.surveys.models import Response

    return Response.objects.select_related("round", "round__plan", "round__inspection", "department")


def round_for_management(*, user, pk: object):
    survey_round = _get(_rounds(), pk, "照会")
    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("この照会を管理する権限がありません（ICT所管課の管理者のみ）")
    return survey_round


def round_for_view(*, user, pk: object):
    survey_round = _get(_rounds(), pk, "照会")
    if not can_view_organization(user, survey_round.plan.organization):
        raise AccessDenied("この照会を閲覧する権限がありません")
    return survey_round


def response_for_view(*, user, pk: object):
    response = _get(_responses(), pk, "回答")
    if not can_view_department(user, response.department):
        raise AccessDenied(f"「{response.department.name}」の回答を閲覧する権限がありません")
    return response


def response_for_update(*, user, pk: object):
    response = _get(_responses(), pk, "回答")
    if not can_edit_department(user, response.department):
        raise AccessDenied(f"「{response.department.name}」の回答を入力する権限がありません")
    return response


def response_for_approval(*, user, pk: object):
    response = _get(_responses(), pk, "回答")
    if not can_approve_department(user, response.department):
        raise AccessDenied(f"「{response.department.name}」の回答を承認する権限がありません")
    return response


def visible_organizations(*, user) -> QuerySet[Organization]:
    """Organizations in which the user holds any role (all of them for a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.filter(plans__isnull=False).distinct()
    return Organization.objects.filter(memberships__user=user).distinct()


# -- governance data: 点検報告書, indicators, the information-system register -------------------------
# These show every department's figures, so they are for the ICT division: staff users (the admin
# site's flag), and within an organization its admins and organization-wide viewers.

def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _governance(user, organization: Organization | None) -> bool:
    if not _active(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if organization is None:
        return False
    r = roles_for(user, organization.pk)
    return r.admin or r.viewer_all


def can_view_reports(user, organization: Organization | None = None) -> bool:
    """点検報告書 before publication: also holders of the ``reviews.view_inspection`` permission."""
    return _governance(user, organization) or (_active(user) and user.has_perm("reviews.view_inspection"))


def can_view_indicators(user, organization: Organization | None = None) -> bool:
    return _governance(user, organization)


def can_view_register(user, organization: Organization | None = None) -> bool:
    """The information-system register (棚卸し) and the municipal follow-up of ``organization``."""
    return _governance(user, organization)


def organization_for_register(*, user, code: str) -> Organization:
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise Http404("団体が見つかりません")
    if not can_view_register(user, organization):
        raise AccessDenied("情報システム台帳を閲覧する権限がありません")
    return organization


def register_organizations(*, user) -> QuerySet[Organization]:
    """Organizations whose register ``user`` may open: for staff, those that have a register or goals."""
    if not _active(user):
        return Organization.objects.none()
    if user.is_staff or user.is_superuser:
        return Organization.objects.filter(information_systems__isnull=False).distinct().order_by("code")
    # the same roles _governance() accepts: admins and organization-wide viewers
    ids = Membership.objects.filter(
        user=user, department__isnull=True, role__in=[Membership.Role.ADMIN, Membership.Role.VIEWER]
    ).values("organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("code")


# -- editing a plan (sections, initiatives, goals, indicators, milestones, the successor plan) ---------

def can_edit_plan(user, plan: Plan) -> bool:
    """Edit the plan's structure and create its successor: the organization's ICT admin only."""
    return roles_for(user, plan.organization_id).admin


def plan_for_editing(*, user, pk: object) -> Plan:
    plan = _get(Plan.objects.select_related("organization"), pk, "計画")
    if not can_edit_plan(user, plan):
        raise AccessDenied("計画を編集できるのは、その団体の ICT 所管課の管理者だけです")
    return plan


def check_plan_editing(*, user, plan: Plan) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may edit ``plan`` (for services given the object)."""
    if not can_edit_plan(user, plan):
        raise AccessDenied("計画を編集できるのは、その団体の ICT 所管課の管理者だけです")


def milestone_departments(*, user, organization: Organization) -> tuple[bool, frozenset[int]]:
    """Whose overdue milestones ``user`` is shown: ``(every department?, department ids)``.

    The ICT admin and organization-wide viewers see all of the organization's; editors, approvers and
    department viewers see their departments' only.
    """
    r = roles_for(user, organization.pk)
    if r.admin or r.viewer_all:
        return True, frozenset()
    return False, r.editor_of | r.approver_of | r.viewer_of


def milestone_for_update(*, user, pk: object):
    """A milestone its initiative's editors (or the ICT admin) may mark done."""
    from tenken.plans.models import Milestone

    milestone = _get(Milestone.objects.select_related("initiative", "initiative__plan"), pk, "工程")
    if not can_edit_initiative(user, milestone.initiative):
        raise AccessDenied("この取組の工程を更新する権限がありません（担当所属の入力者ではありません）")
    return milestone
