"""Template tags of the survey pages: the unread-notice badge of the navigation."""

from __future__ import annotations

from django import template

from tenken.surveys.selectors import unread_notification_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_notification_count(getattr(request, "user", None))


@register.filter
def wareki_dt(value) -> str:
    """An aware datetime as people write it, in Asia/Tokyo: ``R8.12.2 10:42``; ``—`` when empty."""
    if not value:
        return "—"
    from django.utils import timezone

    from tenken.common.wareki import format_date_short

    local = timezone.localtime(value)
    return f"{format_date_short(local.date())} {local:%H:%M}"


@register.filter
def fiscal_year(value) -> str:
    """``2018`` → ``平成30年度``."""
    from tenken.common.wareki import fiscal_year_label

    return fiscal_year_label(int(value)) if value else ""
