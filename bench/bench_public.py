"""The public plan page under wrk (gunicorn, 2 sync workers, SQLite, 127.0.0.1), next to a bare JSON
view served by the same server in the same run; and SQL queries per page for the Kanagawa plan and a
plan ten times its size (they must be equal).

Each wrk run lasts 5 s (2 threads, 8 connections), loopback only. The server, wrk and this process
share the machine's cores, so absolute numbers are pessimistic; the ratio to the bare view is the
figure to watch.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent
WRK_SECONDS = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str) -> tuple[float, float]:
    """(requests per second, p99 latency in ms) of a ``WRK_SECONDS`` wrk run against ``url``."""
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{WRK_SECONDS}s", "--timeout", "10s", "--latency", url],
        check=True, capture_output=True, text=True, timeout=WRK_SECONDS + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        raise RuntimeError(f"wrk: {non2xx.group(1)} error responses from {url}")
    return rps, _ms(m.group(1), m.group(2))


def queries_per_page(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def page_kb(path: str) -> float:
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200
    return len(response.content) / 1024


def run() -> list[Figure]:
    from tenken.demo import kanagawa_plan

    from .scaled_plan import import_scaled_plan

    kanagawa = kanagawa_plan()
    big = import_scaled_plan(10)
    huge = import_scaled_plan(100)
    q_small = queries_per_page(f"/public/plans/{kanagawa.pk}/")
    q_big = queries_per_page(f"/public/plans/{big.pk}/")
    kb_small = page_kb(f"/public/plans/{kanagawa.pk}/")
    figures = [
        Figure("public plan page: SQL queries (Kanagawa, 100 initiatives)", q_small, "queries"),
        Figure("public plan page: SQL queries (10× plan, 1,000 initiatives)", q_big, "queries",
               "Kanagawa plan", q_small),
        Figure("public plan page: size (Kanagawa)", kb_small, "KB"),
        Figure("public plan page: size (100× plan, 10,500 rows, 300 policies; listing in pages)",
               page_kb(f"/public/plans/{huge.pk}/"), "KB", "Kanagawa plan page", kb_small, limit=300),
        Figure("public plan page: size (100× plan, search 「HEMS」)", page_kb(f"/public/plans/{huge.pk}/?q=HEMS"),
               "KB", "Kanagawa plan page", kb_small, limit=300),
    ]
    if shutil.which("wrk") is None:
        print("wrk がないため、負荷測定を省略しました", file=sys.stderr)
        return figures

    port = _free_port()
    env = dict(os.environ, TENKEN_DEBUG="0", TENKEN_BENCH_VIEWS="1", TENKEN_ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tenken.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(ROOT)],
        env=env, cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        bare_url, page_url, big_url = (
            f"{base}/bench/ping.json", f"{base}/public/plans/{kanagawa.pk}/", f"{base}/public/plans/{big.pk}/"
        )
        _wait(bare_url)
        _wait(page_url)
        bare_rps, bare_p99 = wrk(bare_url)
        page_rps, page_p99 = wrk(page_url)
        big_rps, big_p99 = wrk(big_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return [
        *figures,
        Figure("bare Django JSON view (gunicorn 2 sync workers)", bare_rps, "req/s"),
        Figure("public plan page, Kanagawa (gunicorn 2 sync workers)", page_rps, "req/s",
               "bare JSON view", bare_rps),
        Figure("public plan page, 10× plan", big_rps, "req/s", "Kanagawa plan page", page_rps),
        Figure("bare Django JSON view p99", bare_p99, "ms"),
        Figure("public plan page, Kanagawa p99", page_p99, "ms", "bare JSON view p99", bare_p99),
        Figure("public plan page, 10× plan p99", big_p99, "ms", "Kanagawa plan page p99", page_p99),
    ]
