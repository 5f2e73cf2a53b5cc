"""A large report's PDF printed in parts and joined, so memory stays bounded (issue #17).

WeasyPrint keeps the layout of every page until the whole PDF is written (about 2 MB a page: a 100×
plan's 1,200 pages peaked at 2.6 GB). Here the document is cut where it already starts a new page
(each chapter, the 別紙) and, within chapter 2 and the 別紙, into pieces of at most
``TENKEN_PDF_PART_ROWS`` rows (a 別紙 row counts 1, an item of chapter 2 counts 2); a piece that
continues chapter 2 or the 別紙 starts on a new page, with the 別紙's table head and its merged
大項目/中項目/小項目 cells repeated. Each part is printed on its own (in a short-lived child process when
the caller can fork, :func:`tenken.reports.renderers.pdf.print_part`), numbered from the page where the
previous one ended, and the parts are joined into one tagged PDF (:mod:`.pdf_join`).

The table of contents is printed last: its page numbers are those the parts reported for each anchor,
written as text (``data-page``) instead of WeasyPrint's ``target-counter()``, which cannot see other
parts. It is printed once before with stand-in numbers, to know how many pages it takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.template.loader import render_to_string

from tenken.reports.context import AppendixRow, PolicyReport, ReportContext, set_row_spans

from .pdf_join import PartResult, join_tagged

# What a page number takes in the table of contents before the real ones are known (four digits: wider
# than any real one, so the real ones never make a line, or the table of contents, longer).
STAND_IN_PAGE = 8888


@dataclass
class Piece:
    """A run of the document in one part: ``template`` with its policies (chapter 2) or rows (別紙)."""

    template: str
    weight: int = 0
    policies: list[PolicyReport] = field(default_factory=list)
    rows: list[AppendixRow] = field(default_factory=list)
    continued: bool = False


@dataclass
class Part:
    pieces: list[Piece]
    first_page: int = 1
    toc_pages: dict[str, int] | None = None  # the table of contents: anchor → printed page number


def split(ctx: ReportContext, budget: int) -> list[Part]:
    """The parts after the table of contents, each of about ``budget`` rows or fewer."""
    pieces = [Piece("reports/_chapter1.html", len(ctx.policies))]
    pieces += [replace(p, continued=i > 0) for i, p in enumerate(_chapter2_pieces(ctx.policies, budget))]
    pieces.append(Piece("reports/_chapters_rest.html", len(ctx.policies)))
    pieces += [Piece("reports/_appendix.html", len(rows), rows=rows, continued=i > 0)
               for i, rows in enumerate(appendix_pieces(ctx.appendix, budget))]
    pieces.append(Piece("reports/_end.html", len(ctx.reconciliation.rows)))
    parts: list[Part] = []
    weight = 0
    for piece in pieces:
        if parts and weight + piece.weight <= budget:
            parts[-1].pieces.append(piece)
            weight += piece.weight
        else:
            parts.append(Part([piece]))
            weight = piece.weight
    return parts


def _chapter2_pieces(policies: list[PolicyReport], budget: int) -> list[Piece]:
    pieces = [Piece("reports/_chapter2.html")]
    for p in policies:
        weight = 1 + 2 * len(p.items)
        if pieces[-1].policies and pieces[-1].weight + weight > budget:
            pieces.append(Piece("reports/_chapter2.html"))
        pieces[-1].policies.append(p)
        pieces[-1].weight += weight
    return pieces


def appendix_pieces(rows: list[AppendixRow], budget: int) -> list[list[AppendixRow]]:
    """The 別紙 rows in runs of at most ``budget``, cut at the start of a 大項目 where one falls in the
    last third of a run; each run's merged cells spanned again within it."""
    runs: list[list[AppendixRow]] = []
    start = 0
    while start < len(rows):
        end = min(start + budget, len(rows))
        if end < len(rows):
            for cut in range(end, start + (2 * budget) // 3, -1):
                if rows[cut].policy_span:
                    end = cut
                    break
        run = [replace(r) for r in rows[start:end]]
        set_row_spans(run)
        runs.append(run)
        start = end
    return runs


def part_html(ctx: ReportContext, base: dict[str, object], part: Part) -> str:
    """The whole HTML document of one part (the same head and print stylesheet as the whole report)."""
    context = dict(base)
    context["part"] = part
    if part.toc_pages is not None:
        context["toc_rows"] = [(e, part.toc_pages.get(e.anchor, STAND_IN_PAGE)) for e in ctx.toc]
    return render_to_string("reports/document.html", context)


def print_in_parts(ctx: ReportContext, budget: int, print_part: Callable[[str], PartResult],
                   join: Callable[[list[PartResult]], bytes] = join_tagged) -> bytes:
    """The report's PDF, printed part by part with ``print_part`` (HTML → :class:`PartResult`) and joined
    with ``join``."""
    from .html import template_context

    base = template_context(ctx, for_print=True)  # the charts are drawn once for every part
    parts = split(ctx, budget)
    front = Part([Piece("reports/_front.html")], toc_pages={})
    front_pages = print_part(part_html(ctx, base, front)).pages
    for _attempt in range(3):
        printed: list[PartResult] = []
        pages: dict[str, int] = {}
        offset = front_pages
        for part in parts:
            part.first_page = offset + 1
            result = print_part(part_html(ctx, base, part))
            for name, (index, _x, _y) in result.anchors.items():
                pages.setdefault(name, offset + index + 1)
            printed.append(result)
            offset += result.pages
        front.toc_pages = pages
        first = print_part(part_html(ctx, base, front))
        if first.pages == front_pages:
            return join([first, *printed])
        front_pages = first.pages  # the real numbers changed its length: number the parts again
    raise RuntimeError("目次のページ数が定まりません")
