"""HTTP hardening that Django 5.2 does not ship: a Content-Security-Policy header and request ids.

- :class:`ContentSecurityPolicyMiddleware` sets ``settings.TENKEN_CSP`` (no inline script is allowed:
  tenken's pages have none) unless a view already set one; empty setting = no header.
- :class:`RequestIdMiddleware` gives every request an id (the proxy's ``X-Request-ID`` when it is a
  plain token, a new random one otherwise), returns it as ``X-Request-ID`` and makes it available to
  logging: :class:`RequestIdLogFilter` puts it on every record as ``request_id``, so a logged 500 can
  be found from what the user reports. It also keeps the request at hand for the duration of the call
  (:func:`current_request_base`), so a notice e-mailed during a request can link back to the host it came
  through when ``TENKEN_BASE_URL`` is not set.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import DisallowedHost

_current = contextvars.ContextVar("tenken_request_id", default="-")
_request = contextvars.ContextVar("tenken_request", default=None)
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _current.get()


@contextlib.contextmanager
def bound_request_id(request_id: str) -> Iterator[None]:
    """Log records inside carry ``request_id`` (a background job logs the id of the request that started it)."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


def current_request_base() -> str:
    """``scheme://host`` of the request being answered, or "" outside a request (jobs, commands) or when the
    host is not one of ``ALLOWED_HOSTS``."""
    request = _request.get()
    if request is None:
        return ""
    try:
        return request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:
        return ""


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _TOKEN.match(given) else uuid.uuid4().hex
        token = _current.set(request.request_id)
        held = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(held)
            _current.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _current.get()
        return True


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "TENKEN_CSP", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
