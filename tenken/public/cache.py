"""Caching of the public surface, keyed on the publication version.

Publication and withdrawal are the only events that change what the public sees
(:mod:`tenken.public.visibility`), so every anonymous GET under ``/public/`` and ``/api/v1/`` is cached
under ``(public version, full path)``. The version comes from one small aggregate on the publication
table (:func:`tenken.publications.selectors.public_version`), read on every request: a publication or
a withdrawal changes it in every process and on every machine at once, whatever the cache backend (local
memory by default, Redis with ``TENKEN_REDIS_URL``). Old entries are simply never asked for again.

Responses carry ``ETag`` (sha256 of the body) and ``Last-Modified`` (the latest publication or
withdrawal) and answer conditional GETs with 304. ``X-Tenken-Cache: hit|miss`` tells which it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

PREFIXES = ("/public/", "/api/v1/")
KEY = "tenken:public:{version}:{path}"


def public_state() -> tuple[str, datetime | None]:
    """``(version, last modified)`` of the public content, in one query.

    The version changes on every publication (new highest id and date), every withdrawal (one more
    withdrawn row) and every recorded indicator value (indicators are shown as recorded; the indicators
    app only appends observations).
    """
    from django.apps import apps
    from django.db import connection
    from django.utils.dateparse import parse_datetime

    from tenken.publications.models import Publication

    pub = connection.ops.quote_name(Publication._meta.db_table)
    parts = [
        f"SELECT MAX(id) FROM {pub}",
        f"SELECT COUNT(withdrawn_at) FROM {pub}",
        f"SELECT MAX(published_at) FROM {pub}",
        f"SELECT MAX(withdrawn_at) FROM {pub}",
    ]
    if apps.is_installed("tenken.indicators"):
        obs = connection.ops.quote_name(apps.get_model("indicators", "Observation")._meta.db_table)
        parts += [f"SELECT MAX(id) FROM {obs}", f"SELECT COUNT(*) FROM {obs}"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({p})" for p in parts))
        row = cursor.fetchone()
    stamps = []
    for value in row[2:4]:
        if isinstance(value, str):  # SQLite returns text
            value = parse_datetime(value)
        if value is not None:
            if value.tzinfo is None:
                from datetime import UTC

                value = value.replace(tzinfo=UTC)
            stamps.append(value)
    version = ".".join("" if v is None else str(v) for v in row).replace(" ", "_")
    return hashlib.sha256(version.encode()).hexdigest()[:16], max(stamps) if stamps else None


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.TENKEN_PUBLIC_CACHE
        and request.method in ("GET", "HEAD")
        and request.path.startswith(PREFIXES)
        and not request.path.startswith("/api/v1/schema/")
        and "/report/" not in request.path  # stored report files: conditional GET in the view itself
    )


def _finish(request: HttpRequest, response: HttpResponse, etag: str, modified: datetime | None) -> HttpResponse:
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(modified.timestamp()) if modified else None, response=response
    )
    return conditional


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable(request):
            return self.get_response(request)
        version, modified = public_state()
        key = KEY.format(version=version, path=hashlib.sha256(request.get_full_path().encode()).hexdigest())
        entry = cache.get(key)
        if entry is not None:
            status, headers, body, etag = entry
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Tenken-Cache"] = "hit"
            return _finish(request, response, etag, modified)
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie"):
            return response
        body = response.content
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "vary", "x-tenken-cache")]
        cache.set(key, (response.status_code, headers, body, etag))
        response["X-Tenken-Cache"] = "miss"
        return _finish(request, response, etag, modified)
