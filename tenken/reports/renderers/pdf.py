"""PDF: the HTML document printed by WeasyPrint with the print stylesheet.

Japanese text needs ``lang="ja"`` and the Noto Sans CJK JP font installed (Debian ``fonts-noto-cjk``);
WeasyPrint subsets and embeds it (with ``libharfbuzz-subset0``). Tables use ``table-layout: fixed``,
which keeps layout time linear in the number of rows.
"""

from __future__ import annotations

from tenken.reports.context import ReportContext

from .html import render_document


def render(ctx: ReportContext) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_document(ctx, for_print=True)).write_pdf()
