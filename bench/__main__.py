"""Run every benchmark, print a table and write it to bench/results.md."""

from __future__ import annotations

import importlib
import platform
import sys
from datetime import datetime
from pathlib import Path

from .harness import django_sqlite, peak_rss_mb

BENCHMARKS = [
    "bench.bench_import", "bench.bench_indicators", "bench.bench_public", "bench.bench_report", "bench.bench_survey",
    "bench.bench_national", "bench.bench_national_documents", "bench.bench_uploads",
]


def main(argv: list[str]) -> int:
    django_sqlite()
    names = [n for n in BENCHMARKS if not argv or any(a in n for a in argv)]
    lines = [
        f"# tenken benchmarks ({datetime.now():%Y-%m-%d %H:%M}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()})",
        "",
        "| benchmark | value | unit | baseline (same run) | ratio |",
        "|---|---:|---|---|---:|",
    ]
    for name in names:
        for fig in importlib.import_module(name).run():
            lines.append(
                f"| {fig.name} | {fig.value:,.2f} | {fig.unit} | {fig.baseline} | {fig.ratio} |"
            )
    lines += ["", f"peak RSS of the benchmark process: {peak_rss_mb():,.0f} MB"]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(__file__).with_name("results.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
