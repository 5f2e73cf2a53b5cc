"""Run benchmarks: ``python -m bench [NAME ...]`` (NAME is a benchmark's whole name, e.g. ``bench_national``, or part of
module names, e.g. ``report``).

Each benchmark runs alone in its own child process (``python -m bench.one MODULE``) with its own database
(a fresh SQLite file; PostgreSQL benches use ``TENKEN_PG_NAME``, default ``tenken_bench``) and its own
port, so its peak RSS is its own. The table (with a PASS/FAIL column against the targets of issue #17)
is printed, and bench/results.md is updated per benchmark: a partial run replaces only the sections
of the benchmarks it ran.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results.md")
BENCHMARKS = [
    "bench.bench_commands", "bench.bench_import", "bench.bench_import_wizard", "bench.bench_indicators",
    "bench.bench_public", "bench.bench_public_size", "bench.bench_report", "bench.bench_survey", "bench.bench_national",
    "bench.bench_national_documents", "bench.bench_uploads", "bench.bench_register", "bench.bench_pdf_large",
]
HEADER = "| benchmark | value | unit | floor (same run) | ratio | target | result | peak RSS MB |"
SECTION = re.compile(r"^## (bench\.\S+)\n(.*?)(?=^## |\Z)", re.M | re.S)


def run_one(name: str) -> tuple[list[Figure], float, str]:
    """The figures of one benchmark module, its process's peak RSS (MB) and a line saying when it ran."""
    started = datetime.now(UTC)
    proc = subprocess.run([sys.executable, "-m", "bench.one", name], cwd=ROOT, env=os.environ.copy(),
                          stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed (exit {proc.returncode})")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    figures = [Figure(**f) for f in result["figures"]]
    when = (f"{started:%Y-%m-%d %H:%M}–{datetime.now(UTC):%H:%M} UTC, {platform.machine()}, "
            f"Python {platform.python_version()}, load average at start {result['load']}")
    return figures, result["rss_mb"], when


def table(figures: list[Figure], rss: float) -> list[str]:
    lines = [HEADER, "|---|---:|---|---|---:|---|---|---:|"]
    for f in figures:
        peak = "" if f.peak_rss is None else f"{f.peak_rss:,.0f}"
        lines.append(f"| {f.name} | {f.value:,.2f} | {f.unit} | {f.baseline} | {f.ratio} | {f.target_text} | "
                     f"{f.verdict} | {peak} |")
    lines.append(f"| peak RSS of the benchmark process | {rss:,.0f} | MB |  |  |  |  | {rss:,.0f} |")
    return lines


def write_sections(sections: dict[str, str]) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = {m.group(1): m.group(2).strip() for m in SECTION.finditer(old)}
    kept.update(sections)
    order = [n for n in BENCHMARKS if n in kept] + [n for n in kept if n not in BENCHMARKS]
    text = ["# tenken benchmarks", "",
            "`make bench` (or `python -m bench NAME`) rewrites the section of each benchmark it runs; every figure",
            "stands beside its floor measured in the same run, and the result column checks it against its",
            "target. The machine has 2 cores shared with other work: see each section's load average.", ""]
    for name in order:
        text += [f"## {name}", "", kept[name], ""]
    RESULTS.write_text("\n".join(text), encoding="utf-8")


def main(argv: list[str]) -> int:
    # a NAME that is a benchmark's whole name (``bench_national``) runs that one only; otherwise part of a name
    exact = [n for n in BENCHMARKS if any(n == a or n.endswith("." + a) for a in argv)]
    names = exact or [n for n in BENCHMARKS if not argv or any(a in n for a in argv)]
    sections: dict[str, str] = {}
    failed = 0
    for name in names:
        figures, rss, when = run_one(name)
        lines = table(figures, rss)
        failed += sum(f.verdict == "FAIL" for f in figures)
        body = "\n".join([when, "", *lines])
        sections[name] = body
        print(f"## {name}\n{body}\n", flush=True)
        write_sections({name: body})
    print(f"{failed} FAIL" if failed else "all targets PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
