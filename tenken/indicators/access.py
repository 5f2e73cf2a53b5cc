"""Who may see indicators: the one place that decides (views never filter or check on their own).

The decision is :func:`tenken.orgs.access.can_view_indicators` (an organization's admins and
organization-wide viewers read its indicators, superusers every indicator; ``is_staff`` alone grants
nothing); these gates apply it. Anyone else is refused with :class:`~django.core.exceptions.PermissionDenied`.
Anonymous users never reach these functions — the views are ``login_required``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tenken.orgs import access as orgs_access

from .models import Indicator


def can_view_indicators(user: AbstractBaseUser | AnonymousUser) -> bool:
    # The rule itself lives with every other permission decision, in tenken.orgs.access.
    return orgs_access.can_view_indicators(user)


def indicators_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Indicator]:
    """Current versions of the indicators ``user`` may see, in display order."""
    if not can_view_indicators(user):
        raise PermissionDenied("指標を閲覧する権限がありません")
    return (
        Indicator.objects.filter(successor__isnull=True, organization__in=orgs_access.governance_organizations(user=user))
        .select_related("organization", "plan", "department")
        .order_by("organization__code", "plan_id", "order", "name", "pk")
    )


def indicator_for_view(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Indicator:
    """One indicator version (old versions too) that ``user`` may see; 404 when it does not exist."""
    if not can_view_indicators(user):
        raise PermissionDenied("指標を閲覧する権限がありません")
    indicator = Indicator.objects.select_related("organization", "plan", "department", "predecessor").filter(pk=pk).first()
    if indicator is None:
        raise Http404("指標が見つかりません")
    if not orgs_access.can_view_indicators(user, indicator.organization):
        raise PermissionDenied("この団体の指標を閲覧する権限がありません")
    return indicator
