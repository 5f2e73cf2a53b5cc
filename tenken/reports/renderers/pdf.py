"""PDF: the HTML document printed by WeasyPrint with the print stylesheet.

Japanese text needs ``lang="ja"`` and the Noto Sans CJK JP font installed (Debian ``fonts-noto-cjk``);
WeasyPrint subsets and embeds it (with ``libharfbuzz-subset0``). Tables use ``table-layout: fixed``,
which keeps layout time linear in the number of rows.

One :class:`weasyprint.text.fonts.FontConfiguration` per thread is reused for every document: without
it WeasyPrint builds a fresh fontconfig configuration and Pango font map per document, each holding the
Noto CJK faces (about 38 MB), freed only when the garbage collector gets to them — a batch of reports
grew to 930 MB; reused, the process stays at its single-report size (bench ``national_documents``).
"""

from __future__ import annotations

import threading

from tenken.reports.context import ReportContext

from .html import render_document

_local = threading.local()


def font_config():
    """This thread's WeasyPrint font configuration (Pango font maps are not shared across threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


# Tagged PDF (PDF/UA-1: structure tags, document language and title) so screen readers can read it.
PDF_VARIANT = "pdf/ua-1"


def render(ctx: ReportContext) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_document(ctx, for_print=True)).write_pdf(
        font_config=font_config(), pdf_variant=PDF_VARIANT, pdf_tags=True,
        custom_metadata=True,
    )
