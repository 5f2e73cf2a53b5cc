"""Who may see and download a plan's 点検報告書 — the only place these decisions are made.

A report shows every department's results before publication, so it is for staff: an active user who
is staff, or who holds the ``reviews.view_inspection`` permission. Views call these functions and never
decide themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tenken.orgs import access as orgs_access

from .context import ReportContext, ReportUnavailable, build_report_context


def can_view_reports(user, organization=None) -> bool:
    # The rule itself lives with every other permission decision, in tenken.orgs.access.
    return orgs_access.can_view_reports(user, organization)


def report_for_user(*, user, plan_id: int) -> ReportContext:
    """The report context of ``plan_id`` for ``user``; 403 without access, 404 without plan or inspection."""
    from tenken.plans.models import Plan

    plan = Plan.objects.select_related("organization").filter(pk=plan_id).first()
    if not can_view_reports(user, plan.organization if plan is not None else None):
        raise PermissionDenied("点検報告書を見る権限がありません")
    try:
        return build_report_context(plan_id=plan_id)
    except ReportUnavailable as exc:
        raise Http404(str(exc)) from exc

