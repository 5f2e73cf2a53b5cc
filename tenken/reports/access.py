"""Who may see and download a plan's 点検報告書 — the only place these decisions are made.

A report shows every department's results before publication, so it is for the ICT division of the
plan's organization (its admins and organization-wide viewers), superusers, or a holder of the
``reviews.view_inspection`` permission; ``is_staff`` alone grants nothing. Views call these functions and never
decide themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tenken.orgs import access as orgs_access

from .context import ReportContext, ReportUnavailable, build_report_context


def can_view_reports(user) -> bool:
    # The rule itself lives with every other permission decision, in tenken.orgs.access.
    return orgs_access.can_view_reports(user)


def report_for_user(*, user, plan_id: int) -> ReportContext:
    """The report context of ``plan_id`` for ``user``; 403 without access, 404 without plan or inspection."""
    if not can_view_reports(user):
        raise PermissionDenied("点検報告書を見る権限がありません")
    from tenken.plans.models import Plan

    plan = Plan.objects.select_related("organization").filter(pk=plan_id).first()
    if plan is not None and not orgs_access.can_view_reports(user, plan.organization):
        raise PermissionDenied("この団体の点検報告書を見る権限がありません")
    try:
        return build_report_context(plan_id=plan_id)
    except ReportUnavailable as exc:
        raise Http404(str(exc)) from exc

