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
    """One measured figure, next to its floor measured in the same run.

    A target is either a ratio to the floor (``target``: at most, or at least with ``at_least=True``) or an
    absolute bound on the value (``limit``: at most, in the figure's unit); :attr:`verdict` is PASS/FAIL
    against it, empty without one. ``peak_rss`` (MB) is the peak RSS of the process that produced it,
    where that is not the benchmark's own process.
    """

    name: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    target: float | None = None
    at_least: bool = False
    limit: float | None = None
    peak_rss: float | None = None

    @property
    def ratio(self) -> str:
        if not self.baseline_value:
            return ""
        return f"{self.value / self.baseline_value:.2f}×"

    @property
    def target_text(self) -> str:
        if self.target is not None:
            return f"{'≥' if self.at_least else '≤'} {self.target:g}×"
        if self.limit is not None:
            return f"≤ {self.limit:g} {self.unit}"
        return ""

    @property
    def verdict(self) -> str:
        if self.target is not None and self.baseline_value:
            r = self.value / self.baseline_value
            return "PASS" if (r >= self.target if self.at_least else r <= self.target) else "FAIL"
        if self.limit is not None:
            return "PASS" if self.value <= self.limit else "FAIL"
        return ""


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


def cpu_timed(fn: Callable[[], object], *, repeat: int = 5, setup: Callable[[], object] | None = None) -> float:
    """Median CPU seconds of this process (``time.process_time``) over ``repeat`` runs: on cores shared with
    other work the wall time measures the neighbours as much as the code."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """This process's peak RSS in MB (VmHWM, which :func:`reset_peak_rss` can reset; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Linux keeps the parent's high-water mark across fork and exec; writing 5 to clear_refs resets it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


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
