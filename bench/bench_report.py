"""The Kanagawa 点検報告書 (with its 15 indicators) in each format, against building its context (same
run); Word against python-docx saving an empty document, PDF also against WeasyPrint printing a one-page
Japanese document. Wall time (median), and CPU time of this process for the targets of #17 (HTML ≤ 0.1 s,
DOCX ≤ 0.3 s): DOCX with its chart PNGs cached (the usual case: drawn once per set of counts) and cold."""

from __future__ import annotations

import io

from .harness import Figure, cpu_timed, timed


def run() -> list[Figure]:
    from docx import Document
    from weasyprint import HTML

    from tenken.demo import kanagawa_plan, load_kanagawa_indicators
    from tenken.demo.narratives import load_kanagawa_narratives
    from tenken.reports.charts import clear_chart_cache, report_charts
    from tenken.reports.context import build_report_context
    from tenken.reports.renderers import render_report
    from tenken.reports.renderers.pdf import font_config

    from .national_documents import ONE_PAGE

    plan = kanagawa_plan()
    load_kanagawa_narratives(plan=plan)
    load_kanagawa_indicators()
    context = timed(lambda: build_report_context(plan_id=plan.pk), repeat=7)
    ctx = build_report_context(plan_id=plan.pk)

    def empty_docx() -> None:
        Document().save(io.BytesIO())

    floor = timed(empty_docx, repeat=7)
    HTML(string=ONE_PAGE).write_pdf(font_config=font_config())
    pdf_floor = timed(lambda: HTML(string=ONE_PAGE).write_pdf(font_config=font_config()), repeat=7)
    # Charts are cached on their data; every figure below is measured with an empty cache.
    charts = timed(lambda: report_charts(ctx, svg=False), repeat=3, setup=clear_chart_cache)
    base = ("context build", context * 1000)
    figures = [
        Figure("report: build context (11 queries, SQLite)", context * 1000, "ms"),
        Figure("python-docx: save an empty document (floor)", floor * 1000, "ms"),
        Figure("WeasyPrint: a one-page Japanese document (floor)", pdf_floor * 1000, "ms"),
        Figure("report: two charts, PNG (matplotlib Agg)", charts * 1000, "ms", *base),
    ]
    for fmt in ("html", "docx", "pdf", "xlsx"):
        t = timed(lambda fmt=fmt: render_report(ctx, fmt), repeat=3, setup=clear_chart_cache)
        if fmt == "docx":
            figures.append(Figure("report: render docx, charts drawn (wall)", t * 1000, "ms", "empty python-docx",
                                  floor * 1000))
        elif fmt == "pdf":
            figures.append(Figure("report: render pdf (29 pages)", t * 1000, "ms", "one-page WeasyPrint", pdf_floor * 1000))
        else:
            figures.append(Figure(f"report: render {fmt} (wall)", t * 1000, "ms", *base))
    render_report(ctx, "docx")  # charts into the cache
    cpu_floor = cpu_timed(empty_docx, repeat=7) * 1000
    ctx_cpu = cpu_timed(lambda: build_report_context(plan_id=plan.pk), repeat=7) * 1000
    html_cpu = cpu_timed(lambda: render_report(ctx, "html"), repeat=7) * 1000
    docx_cpu = cpu_timed(lambda: render_report(ctx, "docx"), repeat=5) * 1000
    docx_cold = cpu_timed(lambda: render_report(ctx, "docx"), repeat=3, setup=clear_chart_cache) * 1000
    figures += [
        Figure("report: render html (CPU)", html_cpu, "ms", "context build (CPU)", ctx_cpu, limit=100),
        Figure("report: render docx, chart PNGs cached (CPU)", docx_cpu, "ms", "empty python-docx (CPU)", cpu_floor,
               limit=300),
        Figure("report: render docx, charts drawn (CPU)", docx_cold, "ms", "empty python-docx (CPU)", cpu_floor),
    ]
    return figures
