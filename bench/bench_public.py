"""The public plan page under wrk (gunicorn, 2 sync workers, its own SQLite file, 127.0.0.1:18500+ or
``TENKEN_BENCH_PORT``+),
next to a bare JSON view served by the same server in the same run.

Figures (issue 13): the cached page (public cache keyed on the public version stamp) against the bare
JSON view at 32 connections — floor 0.7× the bare view's req/s and p99 ≤ 50 ms; the uncached page
(``TENKEN_PUBLIC_CACHE=0``, same workers) and the SQL queries per request of both beside it; the first
request after a publication (cache miss, new version) against an uncached request — floor ≤ 2×; and the
stored report's sha256 before and after a server restart (equal). SQL queries per page for the Kanagawa
plan and a plan ten times its size must be equal.

Each wrk run lasts 5 s (2 threads, 32 connections), loopback only. The server, wrk and this process
share the machine's cores, so absolute numbers are pessimistic; the ratio to the bare view is the
figure to watch.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .harness import Figure

ROOT = Path(__file__).resolve().parent.parent
WRK_SECONDS = 5
CONNECTIONS = 32
_PORT_BASE = int(os.environ.get("TENKEN_BENCH_PORT", "18500"))
PORT_RANGE = range(_PORT_BASE, _PORT_BASE + 50)


def _port() -> int:
    """A free port in this run's range (18500+, or ``TENKEN_BENCH_PORT``+), as COMMON.md asks."""
    for port in PORT_RANGE:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"{PORT_RANGE.start}–{PORT_RANGE.stop - 1} に空きポートがありません")


def _wait(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
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
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{WRK_SECONDS}s", "--timeout", "10s", "--latency", url],
        check=True, capture_output=True, text=True, timeout=WRK_SECONDS + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        raise RuntimeError(f"wrk: {non2xx.group(1)} error responses from {url}")
    return rps, _ms(m.group(1), m.group(2))


def _get_ms(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
    return (time.perf_counter() - t0) * 1000


def _sha(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return hashlib.sha256(r.read()).hexdigest()


def queries_per_page(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


class Server:
    def __init__(self, port: int, **env: str):
        self.port = port
        self.env = dict(os.environ, TENKEN_DEBUG="0", TENKEN_BENCH_VIEWS="1", TENKEN_ALLOWED_HOSTS="127.0.0.1",
                        **env)
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tenken.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "--chdir", str(ROOT)],
            env=self.env, cwd=ROOT,
        )
        _wait(f"http://127.0.0.1:{self.port}/bench/ping.json")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _setup():
    """The Kanagawa plan and a 10× plan, their inspections published, the Kanagawa report rendered."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from tenken.demo import kanagawa_plan, publish_kanagawa_final
    from tenken.publications.models import Publication
    from tenken.publications.services import inspection_publish

    from .scaled_plan import import_scaled_plan

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user = get_user_model().objects.get_or_create(username="bench-ict", defaults={"is_superuser": True})[0]
    kanagawa = kanagawa_plan()
    publish_kanagawa_final(user=user)
    big = import_scaled_plan(10)
    for inspection in big.inspections.all():
        if not Publication.objects.filter(inspection=inspection, state="current").exists():
            inspection_publish(user=user, inspection_id=inspection.pk)
    return user, kanagawa, big


def _republish(user, plan, n: int) -> None:
    """A new version of the plan's final inspection (one outcome changed), as the ICT admin would."""
    from tenken.publications.services import inspection_publish
    from tenken.reviews.models import InitiativeReview, Inspection

    final = Inspection.objects.get(plan=plan, kind=Inspection.Kind.FINAL)
    review = InitiativeReview.objects.filter(inspection=final, approval="approved").order_by("pk").first()
    InitiativeReview.objects.filter(pk=review.pk).update(outcome=f"ベンチマークの改訂 {n}")
    from django.db import transaction

    with transaction.atomic():
        inspection_publish(user=user, inspection_id=final.pk, note=f"ベンチマークの改訂 {n}")


def run() -> list[Figure]:
    os.environ.setdefault("TENKEN_STATE_DIR", os.path.dirname(os.environ.get("TENKEN_SQLITE_PATH", "var/x")))
    user, kanagawa, big = _setup()
    from django.conf import settings
    from django.core.cache import cache

    from tenken.publications.models import ReportArtefact

    page_path = f"/public/plans/{kanagawa.pk}/"
    settings.TENKEN_PUBLIC_CACHE = False
    q_small = queries_per_page(page_path)
    q_big = queries_per_page(f"/public/plans/{big.pk}/")
    settings.TENKEN_PUBLIC_CACHE = True
    cache.clear()
    queries_per_page(page_path)  # fill
    q_cached = queries_per_page(page_path)
    figures = [
        Figure("public plan page uncached: SQL queries (Kanagawa, 100 initiatives)", q_small, "queries"),
        Figure("public plan page uncached: SQL queries (10× plan, 1,000 initiatives)", q_big, "queries",
               "Kanagawa plan", q_small),
        Figure("public plan page cached: SQL queries (stamp file, no connection)", q_cached, "queries",
               "uncached page", q_small, limit=0),
    ]
    if shutil.which("wrk") is None:
        print("wrk がないため、負荷測定を省略しました", file=sys.stderr)
        return figures

    port = _port()
    base = f"http://127.0.0.1:{port}"
    media = {"TENKEN_STATE_DIR": str(Path(settings.MEDIA_ROOT).parent)}
    pdf = ReportArtefact.objects.filter(publication__inspection__plan=kanagawa, format="pdf").order_by("-pk").first()
    pdf_url = (f"{base}/public/plans/{kanagawa.pk}/report/{pdf.publication.inspection_id}/"
               f"{pdf.publication.version}/report.pdf")
    with Server(port, TENKEN_PUBLIC_CACHE="0", **media):
        _wait(base + page_path)
        uncached_rps, uncached_p99 = wrk(base + page_path)
        uncached_ms = statistics.median(_get_ms(base + page_path) for _ in range(15))
        sha_before = _sha(pdf_url)
    with Server(port, TENKEN_PUBLIC_CACHE="1", **media):  # a restart: the same stored file
        sha_after = _sha(pdf_url)
        _wait(base + page_path)
        bare_rps, bare_p99 = wrk(f"{base}/bench/ping.json")
        page_rps, page_p99 = wrk(base + page_path)
        big_rps, big_p99 = wrk(f"{base}/public/plans/{big.pk}/")
        first = []
        for n in range(5):
            _get_ms(base + page_path)  # cached
            _republish(user, kanagawa, n)
            first.append(_get_ms(base + page_path))  # the first request after the publication
        first_ms = statistics.median(first)
    return [
        *figures,
        Figure(f"bare Django JSON view (gunicorn 2 sync workers, {CONNECTIONS} connections)", bare_rps, "req/s"),
        Figure("public plan page cached, Kanagawa", page_rps, "req/s", "bare JSON view", bare_rps,
               target=0.7, at_least=True),
        Figure("public plan page uncached, Kanagawa", uncached_rps, "req/s", "bare JSON view", bare_rps),
        Figure("public plan page cached, 10× plan", big_rps, "req/s", "Kanagawa cached page", page_rps),
        Figure("bare Django JSON view p99", bare_p99, "ms"),
        Figure("public plan page cached p99", page_p99, "ms", "bare JSON view p99", bare_p99, limit=50),
        Figure("public plan page uncached p99", uncached_p99, "ms", "bare JSON view p99", bare_p99),
        Figure("public plan page cached, 10× plan p99", big_p99, "ms", "Kanagawa cached page p99", page_p99),
        Figure("first request after a publication (median of 5)", first_ms, "ms",
               "uncached request (median of 15)", uncached_ms, target=2.0),
        Figure("stored report.pdf sha256 equal across a server restart (1 = yes)",
               float(sha_before == sha_after == pdf.sha256), "bool", "stored sha256 (1)", 1.0, target=1.0, at_least=True),
    ]
