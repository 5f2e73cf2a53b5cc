"""Template tags of the survey pages: the unread-notice badge of the navigation."""

from __future__ import annotations

from django import template

from tenken.surveys.selectors import unread_notification_count
from tenken.web.templatetags import wareki as wareki_filters

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_notification_count(getattr(request, "user", None))


# Dates are written the same way on every page: the survey pages reuse the one set of 和暦 filters
# (tenken.web.templatetags.wareki) under the names their templates already use.
register.filter("wareki_dt", wareki_filters.wareki_datetime)
register.filter("fiscal_year", wareki_filters.fiscal_year)
