"""点検報告書 DOCX and PDF for many organizations (issue 8), one phase per child process.

Run by bench/bench.national_documents.py as ``python -m bench.national_documents PHASE`` with
``TENKEN_SQLITE_PATH`` pointing at one SQLite file shared by the phases; prints one JSON line.

- ``import``: migrate, write ``TENKEN_BENCH_REPORT_ORGS`` (default 100) synthetic plans with
  ``tenken.national.synth`` (200 initiatives, 5 fiscal years: yearly annual inspections, no final one) and
  load them with ``tenken.national.bulk.bulk_import``.
- ``docx`` / ``pdf``: the floor first (python-docx saving an empty document, or WeasyPrint printing a
  one-page Japanese document, once per organization), then every organization's report: build the
  context and render. Per-report times (median, max), total, and the process's peak RSS after the floor
  and after the reports (``ru_maxrss``: each format in its own process, so the peaks are its own).
"""

from __future__ import annotations

import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ORGS = int(os.environ.get("TENKEN_BENCH_REPORT_ORGS", "100"))
ONE_PAGE = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>@page{size:A4}'
    'html{font-family:"Noto Sans CJK JP",sans-serif;font-size:10pt}</style></head>'
    "<body><h1>点検報告書</h1><p>計画に位置付けられた取組の実施結果です。</p></body></html>"
)


def rss_mb() -> float:
    """Peak RSS of this process since :func:`reset_peak_rss` (VmHWM; ru_maxrss as a fallback)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    # Linux keeps the high-water mark across fork and exec: a child started by a big parent would
    # report the parent's peak. Writing 5 to clear_refs resets it (Linux ≥ 4.0).
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


def setup(*, migrate: bool) -> None:
    os.environ.setdefault("TENKEN_DB", "sqlite")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def phase_import() -> dict[str, float]:
    setup(migrate=True)
    from tenken.demo import setup_account
    from tenken.national.bulk import bulk_import
    from tenken.national.synth import national_orgs, synth_plan, write_xlsx

    folder = Path(tempfile.mkdtemp(prefix="tenken-report-national-"))
    paths = []
    for org in national_orgs(ORGS):
        path = folder / f"{org.code}.xlsx"
        write_xlsx(synth_plan(org, initiatives=200, years=5), path)
        paths.append(path)
    t = time.perf_counter()
    result = bulk_import(paths, user=setup_account())
    if result.refused:
        raise SystemExit(f"refused: {result.refused}")
    return {"orgs": result.imported, "reviews": result.reviews, "import_s": time.perf_counter() - t}


def _reports(fmt: str) -> dict[str, float]:
    setup(migrate=False)
    from tenken.plans.models import Plan
    from tenken.reports.context import build_report_context
    from tenken.reports.renderers import render_report

    plan_ids = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    if fmt == "docx":
        from docx import Document

        def floor() -> None:
            Document().save(io.BytesIO())
    else:
        from weasyprint import HTML

        from tenken.reports.renderers.pdf import font_config

        def floor() -> None:  # with the renderer's reused font configuration, as the reports
            HTML(string=ONE_PAGE).write_pdf(font_config=font_config())

    floor()  # imports and font caches, as the first report would pay them
    floor_times = []
    for _ in plan_ids:
        t = time.perf_counter()
        floor()
        floor_times.append(time.perf_counter() - t)
    rss_floor = rss_mb()
    times, pages_or_bytes = [], 0
    for pk in plan_ids:
        t = time.perf_counter()
        data = render_report(build_report_context(plan_id=pk), fmt)
        times.append(time.perf_counter() - t)
        pages_or_bytes += len(data)
    return {
        "reports": len(times),
        "median_s": statistics.median(times),
        "max_s": max(times),
        "total_s": sum(times),
        "floor_median_s": statistics.median(floor_times),
        "floor_total_s": sum(floor_times),
        "rss_floor_mb": rss_floor,
        "rss_peak_mb": rss_mb(),
        "mean_bytes": pages_or_bytes / len(times),
    }


def main(argv: list[str]) -> int:
    reset_peak_rss()
    phase = argv[0] if argv else ""
    if phase == "import":
        out = phase_import()
    elif phase in ("docx", "pdf"):
        out = _reports(phase)
    else:
        print("usage: python -m bench.national_documents import|docx|pdf", file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
