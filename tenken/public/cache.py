"""Caching of the public surface, keyed on the public version stamp.

Every anonymous GET under ``/public/`` and ``/api/v1/`` is cached under ``(stamp, full path)``. The stamp
(:mod:`tenken.public.stamp`) is a small shared token — a file under ``TENKEN_STATE_DIR`` with the default
local-memory cache, a key in Redis with ``TENKEN_REDIS_URL`` — that every committed write to a table the
public surface reads replaces (publication, withdrawal, a plan edit, an indicator value, a stored report
file…), in every process and on every machine at once. Reading it costs no SQL, so a cache hit opens no
database connection: this middleware sits before the session, CSRF and authentication middlewares and
answers a hit before any of them runs. Old entries are simply never asked for again.

Only anonymous requests are cached: a request carrying a session cookie (staff, logged in) goes through
the whole stack, since the page shows their name and menu. Responses carry ``ETag`` (sha256 of the body)
and ``Last-Modified`` (when the stamp was last replaced) and answer conditional GETs with 304.
``X-Tenken-Cache: hit|miss`` tells which it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from . import stamp

PREFIXES = ("/public/", "/api/v1/")
KEY = "tenken:public:{version}:{path}"


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.TENKEN_PUBLIC_CACHE
        and request.method in ("GET", "HEAD")
        and request.path.startswith(PREFIXES)
        and not request.path.startswith("/api/v1/schema/")
        and "/report/" not in request.path  # stored report files: conditional GET in the view itself
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff: their own header and menu
    )


def _finish(request: HttpRequest, response: HttpResponse, etag: str, modified: datetime | None) -> HttpResponse:
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    patch_vary_headers(response, ["Cookie"])  # a logged-in request gets another page (its own header)
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
        version, modified = stamp.read()
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
        stamp.note_filled()
        response["X-Tenken-Cache"] = "miss"
        return _finish(request, response, etag, modified)
