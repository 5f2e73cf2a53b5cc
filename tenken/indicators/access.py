"""Who may see and record indicators: the one place that applies the rule (views never filter or check).

The decision is :func:`tenken.orgs.access.can_view_indicators` (an organization's admins and
organization-wide viewers read its indicators, superusers every indicator; ``is_staff`` alone grants
nothing); these gates apply it. Anyone else is refused with :class:`~tenken.orgs.access.AccessDenied` (403).
Anonymous users never reach these functions — the views are ``login_required``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from tenken.orgs import access as orgs_access

from .models import Indicator


def can_view_indicators(user: AbstractBaseUser | AnonymousUser, organization=None) -> bool:
    if organization is None:
        return orgs_access.can_view_governance_somewhere(user)
    return orgs_access.can_view_indicators(user, organization)


def indicators_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Indicator]:
    """Current versions of the indicators ``user`` may see, in display order."""
    if not orgs_access.can_view_governance_somewhere(user):
        raise orgs_access.AccessDenied("指標を閲覧する権限がありません")
    return (
        Indicator.objects.filter(successor__isnull=True,
                                 organization__in=orgs_access.governance_organizations(user=user))
        .select_related("organization", "plan", "department")
        .order_by("organization__code", "plan_id", "order", "name", "pk")
    )


def _indicator(pk: int) -> Indicator:
    indicator = Indicator.objects.select_related("organization", "plan", "department", "predecessor").filter(pk=pk).first()
    if indicator is None:
        raise Http404("指標が見つかりません")
    return indicator


def indicator_for_view(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Indicator:
    """One indicator version (old versions too) that ``user`` may see; 404 when it does not exist."""
    indicator = _indicator(pk)
    orgs_access.indicator_organization_check(user=user, organization=indicator.organization)
    return indicator


def indicator_for_update(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Indicator:
    """The indicator ``user`` records values of: the organization's admins (and superusers)."""
    indicator = _indicator(pk)
    orgs_access.indicator_organization_check(user=user, organization=indicator.organization)
    orgs_access.indicator_for_update_check(user=user, organization=indicator.organization)
    return indicator


def can_update_indicator(user: AbstractBaseUser | AnonymousUser, indicator: Indicator) -> bool:
    try:
        orgs_access.indicator_for_update_check(user=user, organization=indicator.organization)
    except orgs_access.AccessDenied:
        return False
    return True
