"""Every API list is paginated (``limit`` / ``offset``), 50 by default and at most 200 per page.

Issue #14 measured ``?limit=1000000`` at 11–13 s and +460 MB of worker memory: ``limit`` above the cap is
served as the cap (the response's ``next`` link continues from there). Operators may lower the cap with
``TENKEN_API_MAX_LIMIT``; ``offset`` beyond any real table is clamped so that the database never sees an
out-of-range integer.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 200
MAX_OFFSET = 2**31 - 1


class PublicPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request) -> int | None:  # the setting is read per request (tests, operators)
        limit = super().get_limit(request)
        cap = int(getattr(settings, "TENKEN_API_MAX_LIMIT", MAX_PAGE_SIZE))
        return None if limit is None else min(limit, cap)

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
