"""The PDF of a plan 100 times the Kanagawa plan (10,500 別紙 rows, about 1,200 pages; issue #17).

Target: peak RSS of the processes printing it under 600 MB. The report is printed as the defaults print
it: in parts of ``TENKEN_PDF_PART_ROWS`` (1,000) 別紙 rows, each in a short-lived child process, joined by
the asking process (tenken.reports.renderers.pdf_parts). For comparison it is then printed whole, in one
child (what tenken did before): its time and peak. ``TENKEN_BENCH_PDF_FACTOR`` changes the size (default
100).
"""

from __future__ import annotations

import gc
import os
import re
import resource
import subprocess
import tempfile
import time

from .harness import Figure, peak_rss_mb

FACTOR = int(os.environ.get("TENKEN_BENCH_PDF_FACTOR", "100"))


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pages(data: bytes) -> int:
    """pdfinfo's page count (Debian poppler-utils, installed by scripts/system-deps.sh); 0 without it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        try:
            info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return 0
    m = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    return int(m.group(1)) if m else 0


def run() -> list[Figure]:
    from django.conf import settings
    from weasyprint import HTML

    from tenken.reports.context import build_report_context
    from tenken.reports.renderers.pdf import font_config, render

    from .scaled_plan import import_scaled_plan

    one_page = '<html lang="ja"><body><p>点検報告書</p></body></html>'
    HTML(string=one_page).write_pdf(font_config=font_config())
    t = time.perf_counter()
    HTML(string=one_page).write_pdf(font_config=font_config())
    floor = time.perf_counter() - t
    ctx = build_report_context(plan_id=import_scaled_plan(FACTOR).pk)
    settings_rows = f"{settings.TENKEN_PDF_PART_ROWS:,}"
    gc.collect()
    before = rss_mb()

    t = time.perf_counter()
    data = render(ctx)  # the defaults: printed in parts of 1,000 rows, each in a child, and joined
    parts_s = time.perf_counter() - t
    parts_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    gc.collect()
    after_parts = rss_mb()
    asking_peak = peak_rss_mb()
    pages = _pages(data)

    settings.TENKEN_PDF_PART_ROWS = 10**9  # for comparison: the whole document at once, in one child
    t = time.perf_counter()
    whole = render(ctx)
    whole_s = time.perf_counter() - t
    whole_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    whole_pages = _pages(whole)
    return [
        Figure("WeasyPrint: a one-page Japanese document (floor)", floor * 1000, "ms"),
        Figure(f"PDF of the {FACTOR}× plan ({len(ctx.appendix):,} 別紙 rows, {len(data) / 1e6:.1f} MB), in parts "
               f"of {settings_rows} rows joined", parts_s, "s", "one-page WeasyPrint", floor),
        Figure(f"PDF of the {FACTOR}× plan in parts: peak RSS of the child processes (printing the parts, joining them)", parts_peak,
               "MB", limit=600, peak_rss=parts_peak),
        Figure("RSS of the asking process before printing", before, "MB"),
        Figure("RSS of the asking process after printing in parts", after_parts, "MB", "before printing", before),
        Figure("peak RSS of the asking process", asking_peak, "MB", "", None, limit=600),
        Figure(f"for comparison: the {FACTOR}× PDF printed whole in one child ({len(whole) / 1e6:.1f} MB)", whole_s,
               "s", "in parts", parts_s),
        Figure("for comparison: peak RSS of the child printing it whole", whole_peak, "MB", "in parts", parts_peak,
               peak_rss=whole_peak),
    ] + ([Figure(f"pages of the {FACTOR}× PDF in parts / whole", pages, "pages", "whole", whole_pages)]
         if pages and whole_pages else [])
