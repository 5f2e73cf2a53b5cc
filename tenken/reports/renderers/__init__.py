"""Renderers: each turns a :class:`~tenken.reports.context.ReportContext` into the bytes of one format.

pretix's exporter shape: a renderer has an identifier, a file extension, a media type and a
``render(ctx) -> bytes``; it reads nothing from the database. :func:`render_report` dispatches by format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from tenken.reports.context import ReportContext


@dataclass(frozen=True)
class Renderer:
    identifier: str
    verbose_name: str
    extension: str
    media_type: str
    module: str

    def render(self, ctx: ReportContext) -> bytes:
        import importlib

        fn: Callable[[ReportContext], bytes] = importlib.import_module(self.module).render
        return fn(ctx)


RENDERERS: dict[str, Renderer] = {
    r.identifier: r
    for r in (
        Renderer("html", "HTML", "html", "text/html; charset=utf-8", "tenken.reports.renderers.html"),
        Renderer(
            "docx", "Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "tenken.reports.renderers.docx",
        ),
        Renderer("pdf", "PDF", "pdf", "application/pdf", "tenken.reports.renderers.pdf"),
        Renderer(
            "xlsx", "Excel（別紙）", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "tenken.reports.renderers.xlsx",
        ),
    )
}


def render_report(ctx: ReportContext, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"形式「{fmt}」には対応していません（{', '.join(RENDERERS)}）") from None
    return renderer.render(ctx)


def report_filename(ctx: ReportContext, fmt: str) -> str:
    return f"{ctx.plan_title}_点検報告書.{RENDERERS[fmt].extension}"
