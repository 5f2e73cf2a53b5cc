"""Pagination of the public API with a hard cap (issue #14: ``?limit=1000000`` took 11–13 s and
+460 MB of worker memory). ``limit`` above ``TENKEN_API_MAX_LIMIT`` is served as the maximum (the
response's ``next`` link continues from there); ``offset`` beyond any real table is clamped so that
the database never sees an out-of-range integer."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class CappedLimitOffsetPagination(LimitOffsetPagination):
    @property
    def max_limit(self) -> int:  # read per request so tests and operators can change the setting
        return int(getattr(settings, "TENKEN_API_MAX_LIMIT", 500))

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
