"""Who may see and download a plan's 点検報告書 — the only place these decisions are made.

A report shows every department's results before publication, so it is for the ICT division: in the
plan's own organization its admins and organization-wide viewers, superusers, and holders of the
``reviews.view_inspection`` permission; ``is_staff`` alone grants nothing. The rule lives in :mod:`tenken.orgs.access`; views call
these functions and never decide themselves.
"""

from __future__ import annotations

from django.http import Http404

from tenken.orgs import access as orgs_access

from .context import ReportContext, ReportUnavailable, build_report_context


def can_view_reports(user, organization=None) -> bool:
    return orgs_access.can_view_reports(user, organization)


def report_for_user(*, user, plan_id: int) -> ReportContext:
    """The report context of ``plan_id`` for ``user``; 404 without plan or inspection, 403 without access."""
    orgs_access.plan_for_report(user=user, pk=plan_id)
    try:
        return build_report_context(plan_id=plan_id)
    except ReportUnavailable as exc:
        raise Http404(str(exc)) from exc
