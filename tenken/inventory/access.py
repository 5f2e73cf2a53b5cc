"""Who may see an organization's register: staff users, and members of that organization.

Membership roles arrive with the survey workflow; until then the register is visible to staff.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tenken.orgs.models import Organization


def organization_for_register(*, user, code: str) -> Organization:
    organization = get_object_or_404(Organization, code=code)
    if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
        raise PermissionDenied("情報システム台帳を閲覧する権限がありません")
    return organization
