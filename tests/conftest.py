"""Shared fixtures: the Kanagawa data as shipped in tenken/demo/data/kanagawa, and a database snapshot helper."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from django.apps import apps

from tenken.demo import KANAGAWA_DIR as DATA


@pytest.fixture
def kanagawa_dir(tmp_path: Path) -> Path:
    """A private copy of tenken/demo/data/kanagawa that a test may break."""
    target = tmp_path / "kanagawa"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def kanagawa_plan(db):
    from tenken.demo import load_kanagawa

    return load_kanagawa()


@pytest.fixture(autouse=True)
def _tenken_runtime(settings, tmp_path_factory):
    """Jobs run at once (django-tasks ImmediateBackend); stored files, working files and the public version stamp
    are private to the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.STATE_DIR = tmp_path_factory.mktemp("state")  # job and wizard working files (tenken.jobs.files)
    # the public version stamp of this test alone (tenken.public.stamp), not the one of ./var
    settings.TENKEN_PUBLIC_STAMP_PATH = settings.STATE_DIR / "public-version"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _signal_handlers():
    """A test that runs ``db_worker`` in-process leaves its SIGINT/SIGTERM handlers installed; they are put back,
    so that later tests (and the processes they fork) see the default ones."""
    names = [n for n in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, n)]
    saved = {n: signal.getsignal(getattr(signal, n)) for n in names}
    yield
    for n, handler in saved.items():
        if handler is not None:
            signal.signal(getattr(signal, n), handler)


def db_snapshot() -> dict[str, int]:
    """Row counts of every tenken model: equal snapshots before and after mean nothing was written."""
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"orgs", "plans", "reviews", "indicators", "surveys", "inventory", "national", "publications", "jobs"}
    }
