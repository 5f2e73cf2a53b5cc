"""Context for web/base.html: the service name, the organization, and the global navigation by role.

The menu shows only what the person can use; every decision comes from :mod:`tenken.orgs.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tenken.orgs import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


class Site:
    """Evaluated lazily: pages that never render the header pay no queries."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.name = settings.TENKEN_SITE_NAME
        self.contact = settings.TENKEN_SITE_CONTACT

    @cached_property
    def user_organizations(self) -> list[str]:
        return list(access.visible_organizations(user=self.request.user).values_list("name", flat=True)[:3])

    @cached_property
    def organization(self) -> str:
        if settings.TENKEN_SITE_ORGANIZATION:
            return settings.TENKEN_SITE_ORGANIZATION
        return "・".join(self.user_organizations)

    @cached_property
    def nav(self) -> list[NavItem]:
        user = self.request.user
        path = self.request.path
        items: list[tuple[str, str]] = []
        if user.is_authenticated:
            items.append(("ホーム", reverse("web:home")))
            if access.can_use_surveys(user):
                items.append(("照会・回答", reverse("surveys:index")))
            if access.can_view_governance_somewhere(user):
                items.append(("指標", reverse("indicators:list")))
                items.append(("情報システム台帳", reverse("inventory:index")))
            if access.import_organizations(user=user).exists():
                items.append(("計画の取込", reverse("imports:index")))
        items.append(("公開情報", reverse("public:plans")))
        if user.is_authenticated and user.is_staff:
            items.append(("管理サイト", reverse("admin:index")))

        def current(url: str) -> bool:
            return path == url if url == "/" else path.startswith(url)

        return [NavItem(label, url, current(url)) for label, url in items]


def site(request: HttpRequest) -> dict[str, Site]:
    # not "site": Django's auth views put their own (the current Site) in the context
    return {"tenken": Site(request)}
