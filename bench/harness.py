"""Tiny timing helpers shared by the benchmarks."""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None

    @property
    def ratio(self) -> str:
        if not self.baseline_value:
            return ""
        return f"{self.value / self.baseline_value:.2f}×"


def timed(fn: Callable[[], object], *, repeat: int = 5, setup: Callable[[], object] | None = None) -> float:
    """Median wall time in seconds over ``repeat`` runs (``setup`` runs untimed before each)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_sqlite() -> None:
    """Point Django at a fresh SQLite file and migrate it."""
    path = os.path.join(tempfile.mkdtemp(prefix="tenken-bench-"), "bench.sqlite3")
    os.environ["TENKEN_SQLITE_PATH"] = path
    os.environ.setdefault("TENKEN_DB", "sqlite")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
    # Settings refuse to start without a key outside DEBUG; benchmarks run in production mode over
    # plain HTTP on loopback (bench_public's server inherits these).
    os.environ.setdefault("TENKEN_SECRET_KEY", "tenken-bench-only-key-" + "x" * 40)
    os.environ.setdefault("TENKEN_HTTPS", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
