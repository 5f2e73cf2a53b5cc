"""Template tags of the survey pages: the unread-notice badge of the navigation."""

from __future__ import annotations

from django import template

from tenken.surveys.selectors import unread_notification_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_notification_count(getattr(request, "user", None))
