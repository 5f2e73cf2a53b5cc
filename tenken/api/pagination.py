"""Every API list is paginated (``limit`` / ``offset``), 50 by default and at most 200 per page."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 200


class PublicPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE
