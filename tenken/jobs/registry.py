"""Job kinds → handler functions. A handler takes ``(job, progress)`` and returns a result dict.

A handler must leave nothing half-written when it raises: it prepares its output first (files into a
temporary place, rows in memory) and writes it in one transaction at the end. ``progress(percent, step)``
records how far it is, outside any transaction, so the page can show it while the job runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[[int, str], None]
Handler = Callable[[Any, Progress], dict]

_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def handler_for(kind: str) -> Handler:
    import tenken.publications.tasks  # noqa: F401  (registers its handlers)

    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"処理の種類「{kind}」は登録されていません") from None
