"""Job kinds → handler functions. A handler takes ``(job, progress)`` and returns a result dict.

A handler must leave nothing half-written when it raises: it prepares its output first (files into a
temporary place, rows in memory) and writes it in one transaction at the end. ``progress(percent, step)``
records how far it is, outside any transaction, so the page can show it while the job runs.

Handlers live in each app's ``tasks`` module (``tenken/<app>/tasks.py``), imported once when the apps
are ready (:func:`discover`), so a worker knows every kind whichever module queued the job. A kind may
name a ``result_template``: it is included in the one job page (``jobs/detail.html``) with ``job`` and
``result``, to show the outcome exactly as the synchronous page of the same action does.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

Progress = Callable[[int, str], None]
Handler = Callable[[Any, Progress], dict]

_HANDLERS: dict[str, Handler] = {}
_TEMPLATES: dict[str, str] = {}
_discovered = False


def job_handler(kind: str, *, result_template: str | None = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        if result_template:
            _TEMPLATES[kind] = result_template
        return fn

    return register


def discover() -> None:
    """Import ``tasks`` of every tenken app (registering their handlers); once per process."""
    global _discovered
    if _discovered:
        return
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if config.name.startswith("tenken.") and module_has_submodule(config.module, "tasks"):
            import_module(f"{config.name}.tasks")
    _discovered = True


def handler_for(kind: str) -> Handler:
    discover()
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"処理の種類「{kind}」は登録されていません") from None


def result_template_for(kind: str) -> str | None:
    discover()
    return _TEMPLATES.get(kind)
