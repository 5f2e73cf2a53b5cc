"""Every permission decision of tenken, in one place (Zulip's ``access_*`` shape).

Roles come from :class:`~tenken.orgs.models.Membership`:

| role | sees | answers (edit, upload, submit) | approves / returns | runs rounds |
|---|---|---|---|---|
| 管理者 (admin) | every department of its organization | every department | every department | yes |
| 所属入力者 (editor) | its department | its department | no | no |
| 所属承認者 (approver) | its department | no | its department | no |
| 閲覧者 (viewer) | its organization (or its one department) | no | no | no |
| 台帳編集者 (registrar) | the register of its organization | no | no | no; uploads and edits the register |

The information-system register is written only by the organization's admin or a registrar.
A Django superuser counts as admin of every organization, and is the only one who writes national data
(the bulk load of every organization's plans, the national rollup, the organization master):
:func:`can_load_national_data`. The CLI acts as a named user (``--user``) and asks these same functions
through the same services as the web (docs/cli.md「利用者と権限」). A user with no membership sees nothing;
``is_staff`` (the admin-site flag) grants no data access of its own (issue #14).

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
    registrar: bool = False

    @property
    def any(self) -> bool:
        return self.admin or self.viewer_all or self.registrar or bool(
            self.editor_of or self.approver_of or self.viewer_of
        )


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
        registrar=any(role == R.REGISTRAR for role, _ in rows),
    )


# -- yes/no questions -------------------------------------------------------------------------------

def can_manage_organization(user, organization: Organization) -> bool:
    """Open, generate, remind and watch survey rounds; assign departments to initiatives."""
    return roles_for(user, organization.pk).admin


def can_import_plan(user, organization: Organization) -> bool:
    """Import a plan file, keep the organization's import mapping profile: its ICT admin only."""
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


def departments_for_editing(*, user, organization: Organization) -> QuerySet[Department]:
    """Departments whose answers ``user`` may enter (all of them for the admin)."""
    r = roles_for(user, organization.pk)
    qs = Department.objects.filter(organization=organization)
    return qs if r.admin else qs.filter(pk__in=r.editor_of)


def departments_for_approval(*, user, organization: Organization) -> QuerySet[Department]:
    """Departments whose submitted responses ``user`` may approve or return (all of them for the admin)."""
    r = roles_for(user, organization.pk)
    qs = Department.objects.filter(organization=organization)
    return qs if r.admin else qs.filter(pk__in=r.approver_of)


# -- report texts (narratives): the lead department of a 取組項目 writes its narrative, the ICT division
# writes and approves every narrative and the chapter texts (趣旨・考え方, 全体総括).

def can_edit_narrative(user, organization: Organization, lead_department_id: int | None) -> bool:
    r = roles_for(user, organization.pk)
    return r.admin or (lead_department_id is not None and lead_department_id in r.editor_of)


def narrative_editor(user, organization: Organization):
    """``lead_department_id -> bool`` for a list of items: :func:`can_edit_narrative` with the roles read once."""
    r = roles_for(user, organization.pk)
    return lambda lead: r.admin or (lead is not None and lead in r.editor_of)


def can_approve_narrative(user, organization: Organization, lead_department_id: int | None) -> bool:
    """The ICT division approves every narrative; the lead department's approver approves its own."""
    r = roles_for(user, organization.pk)
    return r.admin or (lead_department_id is not None and lead_department_id in r.approver_of)


def can_edit_report_texts(user, organization: Organization) -> bool:
    """趣旨・考え方 and 全体総括: the ICT division only."""
    return roles_for(user, organization.pk).admin


def report_texts_import_check(*, user, organization: Organization) -> None:
    """Raise unless ``user`` may load every narrative and the chapter texts at once (``tenken import-inspection``):
    the ICT division, as for the chapter texts."""
    if not can_edit_report_texts(user, organization):
        raise AccessDenied("点検報告書の記述をまとめて取り込めるのは団体の管理者（ICT担当）だけです")


def inspection_for_narratives(*, user, pk: object):
    """An inspection whose narratives ``user`` may read: the ICT division, organization-wide viewers, and any
    department member of its organization (each edits only its own 取組項目)."""
    from tenken.reviews.models import Inspection

    inspection = _get(Inspection.objects.select_related("plan", "plan__organization"), pk, "点検")
    if not can_view_organization(user, inspection.plan.organization):
        raise AccessDenied("この点検の報告書の文章を閲覧する権限がありません")
    return inspection


# -- gates: return the object or raise --------------------------------------------------------------

def _get(qs: QuerySet, pk: object, what: str):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"{what}が見つかりません") from exc


def import_organizations(*, user) -> QuerySet[Organization]:
    """Organizations whose plans ``user`` may import (their ICT admin; a superuser: every one)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.order_by("code")
    ids = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list("organization_id", flat=True)
    return Organization.objects.filter(pk__in=ids).order_by("code")


def plan_import_check(*, user, organization: Organization) -> None:
    """Raise unless ``user`` may import a plan of ``organization`` (web wizard, ``tenken import-plan``)."""
    if not can_import_plan(user, organization):
        raise AccessDenied(f"「{organization.name}」の計画を取り込めるのは団体の管理者（ICT担当）だけです")


def organization_for_import(*, user, pk: object) -> Organization:
    organization = _get(Organization.objects.all(), pk, "団体")
    if not can_import_plan(user, organization):
        raise AccessDenied("計画を取り込めるのは団体の管理者（ICT担当）だけです")
    return organization


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


# Publication (公表): only the organization's ICT admin decides what residents see.

def _inspections():
    from tenken.reviews.models import Inspection

    return Inspection.objects.select_related("plan", "plan__organization")


def can_publish(user, organization: Organization) -> bool:
    """Publish, re-publish or withdraw an inspection of the organization's plans (管理者のみ)."""
    return can_manage_organization(user, organization)


def inspection_for_publication(*, user, pk: object):
    """The inspection, for its preview, publication, withdrawal and history (ICT admin only)."""
    inspection = _get(_inspections(), pk, "点検")
    if not can_publish(user, inspection.plan.organization):
        raise AccessDenied("この点検を公表・取り下げる権限がありません（ICT所管課の管理者のみ）")
    return inspection


def publication_for_withdrawal(*, user, pk: object):
    from tenken.publications.models import Publication

    publication = _get(
        Publication.objects.select_related("inspection", "inspection__plan", "inspection__plan__organization"),
        pk,
        "公表",
    )
    if not can_publish(user, publication.inspection.plan.organization):
        raise AccessDenied("この公表を取り下げる権限がありません（ICT所管課の管理者のみ）")
    return publication


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
# These show every department's figures, so they are for the ICT division: within an organization its
# admins and organization-wide viewers (and superusers). ``is_staff`` alone grants nothing here.

def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _governance(user, organization: Organization | None) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if organization is None:  # "anywhere": may the user open the governance pages at all?
        return governance_organizations(user=user).exists()
    r = roles_for(user, organization.pk)
    return r.admin or r.viewer_all


def governance_organizations(*, user) -> QuerySet[Organization]:
    """Organizations whose governance data (reports, indicators, register) ``user`` reads."""
    if not _active(user):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    ids = Membership.objects.filter(
        user=user, department__isnull=True, role__in=[Membership.Role.ADMIN, Membership.Role.VIEWER]
    ).values("organization_id")
    return Organization.objects.filter(pk__in=ids)


def can_view_reports(user, organization: Organization | None = None) -> bool:
    """点検報告書 before publication: also holders of the ``reviews.view_inspection`` permission."""
    return _governance(user, organization) or (_active(user) and user.has_perm("reviews.view_inspection"))


def can_view_indicators(user, organization: Organization | None = None) -> bool:
    return _governance(user, organization)


def can_view_register(user, organization: Organization | None = None) -> bool:
    """The information-system register (棚卸し) and the municipal follow-up of ``organization``."""
    if organization is not None and _active(user) and roles_for(user, organization.pk).registrar:
        return True
    return _governance(user, organization)


def can_edit_register(user, organization: Organization) -> bool:
    """Upload over and edit the register of ``organization``: its admin or a registrar (台帳編集者)."""
    if not _active(user):
        return False
    r = roles_for(user, organization.pk)
    return r.admin or r.registrar


def register_update_check(*, user, organization: Organization) -> None:
    """Raise unless ``user`` may write the register or the municipal follow-up of ``organization``."""
    if not can_edit_register(user, organization):
        raise AccessDenied(f"「{organization.name}」の情報システム台帳・市町村の取組状況を更新する権限がありません"
                           "（団体の管理者・台帳編集者のみ）")


def organization_for_register_update(*, user, code: str) -> Organization:
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise Http404("団体が見つかりません")
    if not can_edit_register(user, organization):
        raise AccessDenied("情報システム台帳を更新する権限がありません（団体の管理者・台帳編集者のみ）")
    return organization


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
    if user.is_superuser:
        return Organization.objects.filter(information_systems__isnull=False).distinct().order_by("code")
    # the same roles can_view_register() accepts: admins, organization-wide viewers, registrars
    ids = Membership.objects.filter(
        user=user, department__isnull=True,
        role__in=[Membership.Role.ADMIN, Membership.Role.VIEWER, Membership.Role.REGISTRAR],
    ).values("organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("code")


def can_view_governance_somewhere(user) -> bool:
    """For the menu: may ``user`` open the indicator and register pages at all?"""
    if not _active(user):
        return False
    return user.is_superuser or governance_organizations(user=user).exists()


def can_use_surveys(user) -> bool:
    """For the menu: does ``user`` take part in any survey (any role in any organization)?"""
    if not _active(user):
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def plan_for_report(*, user, pk: object) -> Plan:
    """The plan whose 点検報告書 ``user`` wants, checked against the plan's organization (404, then 403)."""
    plan = _get(Plan.objects.select_related("organization"), pk, "計画")
    if not can_view_reports(user, plan.organization):
        raise AccessDenied("この計画の点検報告書を見る権限がありません")
    return plan


def indicator_organization_check(*, user, organization: Organization) -> None:
    """Raise unless ``user`` may read the indicators of ``organization``."""
    if not can_view_indicators(user, organization):
        raise AccessDenied("この団体の指標を閲覧する権限がありません")


def indicator_for_update_check(*, user, organization: Organization) -> None:
    """Raise unless ``user`` may record indicator values of ``organization``: its admins (and superusers)."""
    if not _active(user):
        raise AccessDenied("指標を入力する権限がありません")
    if user.is_superuser or roles_for(user, organization.pk).admin:
        return
    raise AccessDenied("この団体の指標を入力する権限がありません（ICT所管課の管理者のみ）")


def can_update_register(user, organization: Organization) -> bool:
    """Edit the register and the municipal follow-up of ``organization`` (see :func:`can_edit_register`)."""
    return can_edit_register(user, organization)


def indicator_update_organizations(*, user) -> list[Organization]:
    """Organizations whose indicators ``user`` may record or import: admins' own; all for superusers."""
    if not _active(user):
        return []
    if user.is_superuser:
        return list(Organization.objects.filter(plans__isnull=False).distinct().order_by("code"))
    ids = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("organization_id")
    return list(Organization.objects.filter(pk__in=ids).order_by("code"))


def indicator_update_organization(*, user, code: str) -> Organization:
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise Http404("団体が見つかりません")
    indicator_for_update_check(user=user, organization=organization)
    return organization


def plans_of_organizations(*, organizations: list[Organization]) -> list[Plan]:
    return list(Plan.objects.filter(organization__in=organizations).select_related("organization")
                .order_by("organization__code", "-first_fiscal_year"))


def plan_in_organization(*, pk: object, organization: Organization) -> Plan:
    plan = _get(Plan.objects.filter(organization=organization), pk, "計画")
    return plan


def _systems():
    from tenken.inventory.models import InformationSystem

    return InformationSystem.objects.select_related("organization", "department", "successor")


def system_for_view(*, user, code: str, pk: object):
    """One system of ``code``'s register (404 when it is another organization's)."""
    organization = organization_for_register(user=user, code=code)
    return _get(_systems().filter(organization=organization), pk, "情報システム")


def system_for_update(*, user, code: str, pk: object):
    organization = organization_for_register_update(user=user, code=code)
    return _get(_systems().filter(organization=organization), pk, "情報システム")


def municipal_goal_for_view(*, user, pk: object):
    from tenken.inventory.models import MunicipalGoal

    goal = _get(MunicipalGoal.objects.select_related("prefecture"), pk, "目標")
    organization_for_register(user=user, code=goal.prefecture.code)
    return goal


def municipal_goal_for_update(*, user, pk: object):
    goal = municipal_goal_for_view(user=user, pk=pk)
    organization_for_register_update(user=user, code=goal.prefecture.code)
    return goal


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


# Background jobs (tenken.jobs): a job's page shows its creator's data and result. Imported lazily.

def can_view_job(user, job) -> bool:
    """The job's page: whoever started it (while still a member of its organization), the organization's
    admin, a superuser. A job without an organization is its creator's alone."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if job.organization_id is None:
        return job.created_by_id == user.pk
    roles = roles_for(user, job.organization_id)
    return roles.admin or (job.created_by_id == user.pk and roles.any)


def job_for_view(*, user, pk: object):
    from tenken.jobs.models import Job

    job = _get(Job.objects.select_related("created_by", "organization"), pk, "処理")
    if not can_view_job(user, job):
        raise AccessDenied("この処理を見る権限がありません（処理を開始した者と団体の管理者のみ）")
    return job


def job_for_retry(*, user, pk: object):
    """A job whose worker died, to run again: whoever may see its page (the new job runs as ``user``, and
    its handler checks that user's rights again when it runs)."""
    job = job_for_view(user=user, pk=pk)
    if not job.lost:
        raise AccessDenied("再実行できるのは、処理していたプロセスが止まって中断した処理だけです")
    return job


def job_for_download(*, user, pk: object):
    """A file a job produced (e.g. every department's workbooks as one ZIP): organization-wide data, so
    besides seeing the job the user must still be the organization's admin (a superuser: always)."""
    job = job_for_view(user=user, pk=pk)
    if job.organization_id is not None and not user.is_superuser and not roles_for(user, job.organization_id).admin:
        raise AccessDenied("この処理のファイルをダウンロードする権限がありません（団体の管理者のみ）")
    return job


def visible_jobs(*, user) -> QuerySet:
    """The jobs whose pages ``user`` may open (see :func:`can_view_job`), newest first."""
    from django.db.models import Q

    from tenken.jobs.models import Job

    if not _active(user):
        return Job.objects.none()
    jobs = Job.objects.select_related("created_by", "organization").order_by("-created_at", "-pk")
    if user.is_superuser:
        return jobs
    member_of = Membership.objects.filter(user=user).values("organization_id")
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("organization_id")
    return jobs.filter(
        Q(organization_id__in=admin_of)
        | Q(created_by=user, organization_id__in=member_of)
        | Q(created_by=user, organization__isnull=True)
    )


# -- national data: the bulk load of every organization's plans, the national rollup, the organization master

def can_load_national_data(user) -> bool:
    """Write data of every organization at once (``import-national``, ``rollup-refresh``, ``load-orgs``):
    a superuser only. The national operator is made a superuser; no organization role suffices."""
    return _active(user) and user.is_superuser


def national_data_check(*, user) -> None:
    if not can_load_national_data(user):
        raise AccessDenied("全国のデータ（一括取込・全国集計・団体マスタ）を更新できるのはシステム管理者（スーパーユーザー）だけです")


# -- two-step login (TOTP) ---------------------------------------------------------------------------

def must_use_totp(user) -> bool:
    """With ``TENKEN_REQUIRE_TOTP_FOR_ADMINS`` on: organization admins (管理者) and superusers must enrol an
    authenticator app before they open any page (tenken/web/totp.py). Off (the default): nobody must."""
    from django.conf import settings

    if not getattr(settings, "TENKEN_REQUIRE_TOTP_FOR_ADMINS", False) or not _active(user):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists()
