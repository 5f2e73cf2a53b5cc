"""HTML: one self-contained document (inline CSS, inline SVG charts, no remote asset), also the source
the PDF renderer prints. :func:`template_context` is shared with the staff page, which shows the same body.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string

from tenken.reports.charts import Chart, report_charts, vector_charts
from tenken.reports.context import ReportContext


@dataclass(frozen=True)
class ChartView:
    title: str
    svg: str
    data_uri: str


@dataclass(frozen=True)
class ReconView:
    policy: str
    item: str
    cells: list[tuple[int, int, int]]
    differs: bool


def template_context(
    ctx: ReportContext, *, charts: list[Chart] | None = None, inline_svg: bool = True, for_print: bool = False
) -> dict[str, object]:
    if charts is None:
        # Screen and print: the vector charts with real text (no matplotlib, no bitmap to draw, embed and
        # decode); a page that cannot take inline SVG gets matplotlib's PNG.
        charts = vector_charts(ctx) if for_print or inline_svg else report_charts(ctx, svg=False)
    recon = ctx.reconciliation
    rows = [
        ReconView(
            r.policy,
            f"{r.code} {r.title}".strip(),
            list(zip(r.declared.values, r.computed.values, r.difference.values, strict=True)),
            not r.matches,
        )
        for r in recon.rows
    ]
    d, c = recon.declared_total, recon.computed_total
    total = [*zip(d.values, c.values, (b - a for a, b in zip(d.values, c.values, strict=True)), strict=True)]
    return {
        "r": ctx,
        "charts": [
            ChartView(ch.title, ch.svg, "data:image/png;base64," + base64.b64encode(ch.png).decode("ascii") if ch.png else "")
            for ch in charts
        ],
        "inline_svg": inline_svg,
        "for_print": for_print,
        "recon_rows": rows,
        "recon_total": total,
        "toc_rows": [(e, None) for e in ctx.toc],  # (entry, printed page number: only a PDF printed in parts)
    }


def render_document(ctx: ReportContext, *, for_print: bool = False) -> str:
    return render_to_string("reports/document.html", template_context(ctx, for_print=for_print))


def render(ctx: ReportContext) -> bytes:
    return render_document(ctx).encode("utf-8")
