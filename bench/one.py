"""``python -m bench.one MODULE``: run one benchmark module in this process and print its figures as JSON
(the last line of stdout), with this process's peak RSS. Used by ``python -m bench``."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import sys

from .harness import django_sqlite, peak_rss_mb, reset_peak_rss

# Benchmarks that only start other processes: this one stays small (a child's ru_maxrss starts from its
# parent's high-water mark).
WITHOUT_DJANGO = {"bench.bench_commands"}


def main(name: str) -> None:
    reset_peak_rss()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if name not in WITHOUT_DJANGO:
        django_sqlite()  # before the import: benchmark modules import models at the top
    figures = importlib.import_module(name).run()
    sys.stdout.flush()
    print(json.dumps({"figures": [dataclasses.asdict(f) for f in figures], "rss_mb": peak_rss_mb(), "load": load}))


if __name__ == "__main__":
    main(sys.argv[1])
