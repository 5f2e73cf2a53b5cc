"""Whole processes: `tenken import-plan` of the Kanagawa workbook against a bare script that starts Django and
reads the same workbook with openpyxl (the floor), and `tenken report --format html|docx|pdf` against
Django start. CPU seconds (user + system of the child, the figure that does not depend on what else runs
on the shared cores) and wall seconds, min/median/max over ``TENKEN_BENCH_RUNS`` (default 5) runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent
KANAGAWA_DIR = ROOT / "tenken" / "demo" / "data" / "kanagawa"
RUNS = max(3, int(os.environ.get("TENKEN_BENCH_RUNS", "5")))
FLOOR = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
import django
django.setup()
from openpyxl import load_workbook
load_workbook(sys.argv[1]).close()
"""
DJANGO_ONLY = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
import django
django.setup()
"""


def _child(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(cpu s, wall s, peak RSS MB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr and proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args}: {err[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def _stats(runs: list[tuple[float, float, float]]) -> dict[str, float]:
    cpu = sorted(r[0] for r in runs)
    wall = sorted(r[1] for r in runs)
    return {"cpu": statistics.median(cpu), "cpu_min": cpu[0], "cpu_max": cpu[-1], "wall": statistics.median(wall),
            "wall_min": wall[0], "wall_max": wall[-1], "rss": max(r[2] for r in runs)}


def _series(*commands, env: dict[str, str]) -> list[dict[str, float]]:
    """min/median/max of each command (a list, or a callable of the run number giving one), the commands
    run interleaved so that load from other work falls on all of them alike."""
    def args(c, i: int) -> list[str]:
        return c(i) if callable(c) else c

    for c in commands:
        _child(args(c, -1), env)  # warm-up: writes the bytecode cache, fills the page cache
    runs: list[list[tuple[float, float, float]]] = [[] for _ in commands]
    for i in range(RUNS):
        for k, c in enumerate(commands):
            runs[k].append(_child(args(c, i), env))
    return [_stats(r) for r in runs]


def _spread(s: dict[str, float], key: str) -> str:
    return f"min {s[key + '_min']:.2f} / max {s[key + '_max']:.2f}"


def run() -> list[Figure]:
    state = tempfile.mkdtemp(prefix="tenken-bench-cmd-")
    env = os.environ | {"TENKEN_DB": "sqlite", "TENKEN_STATE_DIR": state, "TENKEN_SQLITE_PATH": f"{state}/db.sqlite3",
                        "DJANGO_SETTINGS_MODULE": "tenken.settings",
                        # production mode needs a key (as bench/harness.py sets for in-process benchmarks)
                        "TENKEN_SECRET_KEY": os.environ.get("TENKEN_SECRET_KEY", "tenken-bench-only-key-" + "x" * 40),
                        "TENKEN_HTTPS": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules load from their bytecode cache
    tenken = [sys.executable, "-m", "tenken.cli"]
    subprocess.run([*tenken, "setup-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    path = str(KANAGAWA_DIR / "action-plan.xlsx")
    plan_args = [path, "--org", "140007", "--fiscal-years", "2014-2018", "--user", "tenken-setup"]  # setup-demo's account
    floor, start, dry, full = _series(
        [sys.executable, "-c", FLOOR, path], [sys.executable, "-c", DJANGO_ONLY],
        [*tenken, "import-plan", *plan_args, "--title", "bench", "--dry-run"],
        lambda i: [*tenken, "import-plan", *plan_args, "--title", f"bench {i}", "--structure",
                   str(KANAGAWA_DIR / "items.csv")],
        env=env,
    )
    base = "Django start + openpyxl read"
    figures = [
        Figure(f"process: {base} of action-plan.xlsx (floor, CPU; {_spread(floor, 'cpu')})", floor["cpu"], "s",
               peak_rss=floor["rss"]),
        Figure(f"process: tenken import-plan, Kanagawa, writes SQLite (CPU; {_spread(full, 'cpu')})", full["cpu"],
               "s", base, floor["cpu"], target=1.3, peak_rss=full["rss"]),
        Figure(f"process: tenken import-plan --dry-run, Kanagawa (CPU; {_spread(dry, 'cpu')})", dry["cpu"], "s",
               base, floor["cpu"], target=1.3, peak_rss=dry["rss"]),
        Figure(f"process: tenken import-plan, Kanagawa (wall; {_spread(full, 'wall')})", full["wall"], "s",
               f"{base}, wall ({_spread(floor, 'wall')})", floor["wall"], target=1.3),
    ]
    out = Path(state) / "out"
    out.mkdir()
    formats = ("html", "docx", "pdf")
    reports = _series(*([*tenken, "report", "--plan", "1", "--format", f, "-o", str(out / f"r.{f}")] for f in formats),
                      env=env)
    for fmt, s in zip(formats, reports, strict=True):
        figures.append(Figure(f"process: tenken report --format {fmt} (CPU; {_spread(s, 'cpu')})", s["cpu"], "s",
                              "Django start", start["cpu"], peak_rss=s["rss"]))
    return figures
