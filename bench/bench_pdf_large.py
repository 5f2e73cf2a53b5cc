"""The PDF of a plan 100 times the Kanagawa plan (10,500 別紙 rows, about 1,200 pages; issue #17).

Target: peak RSS of the process printing it under 600 MB. The report is printed in a child process
(tenken.reports.renderers.pdf, above ``TENKEN_PDF_CHILD_PROCESS_ROWS``), then once more in this process
for comparison: the figure that the child changes is what the asking process (the worker, a web
process) keeps afterwards. ``TENKEN_BENCH_PDF_FACTOR`` changes the size (default 100).
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
    gc.collect()
    before = rss_mb()

    settings.TENKEN_PDF_CHILD_PROCESS_ROWS = 1_000  # the default: this report is far above it
    t = time.perf_counter()
    data = render(ctx)
    child_s = time.perf_counter() - t
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    gc.collect()
    after_child = rss_mb()
    pages = _pages(data)

    settings.TENKEN_PDF_CHILD_PROCESS_ROWS = 10**9  # the same report printed in this process
    t = time.perf_counter()
    render(ctx)
    here_s = time.perf_counter() - t
    gc.collect()
    after_here = rss_mb()
    return [
        Figure("WeasyPrint: a one-page Japanese document (floor)", floor * 1000, "ms"),
        Figure(f"PDF of the {FACTOR}× plan ({len(ctx.appendix):,} 別紙 rows, {len(data) / 1e6:.1f} MB), in a child "
               "process", child_s, "s", "one-page WeasyPrint", floor),
        Figure(f"PDF of the {FACTOR}× plan: peak RSS of the printing process (the child)", child_peak, "MB",
               limit=600, peak_rss=child_peak),
        Figure(f"PDF of the {FACTOR}× plan printed in the asking process (for comparison)", here_s, "s",
               "one-page WeasyPrint", floor),
        Figure("RSS of the asking process before printing", before, "MB"),
        Figure("RSS of the asking process after printing in a child", after_child, "MB", "before printing", before),
        Figure("RSS of the asking process after printing in itself", after_here, "MB", "before printing", before),
        Figure("peak RSS of the asking process, printing in itself", peak_rss_mb(), "MB", "", None, limit=600),
    ] + ([Figure(f"pages of the {FACTOR}× PDF", pages, "pages")] if pages else [])
