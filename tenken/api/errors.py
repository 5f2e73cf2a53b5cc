"""One JSON error format for every error of the API, in Japanese (drf-standardized-errors' shape)::

    {"type": "validation_error", "errors": [{"code": "invalid", "detail": "有効な整数を入力してください。", "attr": "plan"}]}

``type`` is ``validation_error`` (400), ``client_error`` (other 4xx) or ``server_error`` (5xx); each error
names its ``code``, a Japanese ``detail`` and the query parameter or field in ``attr`` (``null`` when the
error is about the request as a whole). DRF's own errors pass through :func:`exception_handler`; URL-level
404s under ``/api/`` (no route matched) come from :func:`not_found`, so even those are JSON.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger(__name__)

MESSAGES = {
    404: "該当するデータがありません（公表されていない点検結果も該当なしになります）",
    405: "この API は読み取り専用です（GET のみ）",
    406: "JSON 以外の形式には対応していません",
    500: "サーバーで誤りが起きました。時間をおいて再度お試しください",
}


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="誤りの種類（invalid、not_found、unknown_parameter など）")
    detail = serializers.CharField(help_text="誤りの内容（日本語）")
    attr = serializers.CharField(allow_null=True, help_text="誤りのある検索条件・項目名。全体の誤りは null")


class ErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["validation_error", "client_error", "server_error"])
    errors = ErrorSerializer(many=True)


def _flatten(detail: object, attr: str | None = None) -> list[dict[str, object]]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else (f"{attr}.{key}" if attr else str(key))
            out += _flatten(value, name if name is not None else attr)
        return out
    if isinstance(detail, list):
        return [e for item in detail for e in _flatten(item, attr)]
    code = getattr(detail, "code", "error") or "error"
    return [{"code": str(code), "detail": str(detail), "attr": attr}]


def error_body(status: int, errors: list[dict[str, object]]) -> dict[str, object]:
    kind = "validation_error" if status == 400 else "server_error" if status >= 500 else "client_error"
    return {"type": kind, "errors": errors}


def exception_handler(exc: Exception, context: dict) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(MESSAGES[404])
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:  # not an API exception: a bug
        log.exception("API error", exc_info=exc)
        return Response(error_body(500, [{"code": "error", "detail": MESSAGES[500], "attr": None}]), status=500)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        detail = MESSAGES.get(response.status_code) or str(getattr(exc, "detail", "")) or "誤りがあります"
        errors = [{"code": str(getattr(exc, "default_code", "error")), "detail": detail, "attr": None}]
    response.data = error_body(response.status_code, errors)
    return response


def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """No API route matched: the same JSON error as any other 404."""
    body = error_body(404, [{"code": "not_found", "detail": f"「{request.path}」という API はありません", "attr": None}])
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
