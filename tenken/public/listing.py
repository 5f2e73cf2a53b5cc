"""The grouped initiative listing of the plan page, rendered in Python.

Why not a template loop: the listing is one table row per initiative (1,000 rows on a ten-fold plan)
and Django's template engine costs tens of microseconds per variable; plain f-strings with
``html.escape`` on every database value do the same escaping at a fraction of the cost (see
bench/bench_public.py; a test checks that markup in the data comes out escaped). The markup is the same a template
would produce: headings h3/h4/h5 by depth, one table per section, status as text in a badge.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as esc

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tenken.plans.models import Status

from .selectors import PublicInitiative, SectionBlock

PAGE_SIZE = 100  # initiatives per page of the listing: the page stays small on a plan of any size


@dataclass(frozen=True)
class ListingPage:
    """One page of the filtered listing: ``items`` are the page's initiatives with their headings."""

    items: list[PublicInitiative]
    number: int
    pages: int
    total: int  # matching initiatives (headings not counted)
    first: int  # 1-based position of the page's first initiative (0 when nothing matches)
    last: int


def paginate(listed: list[PublicInitiative], page: object, *, per_page: int | None = None) -> ListingPage:
    """The ``page``-th (1-based; a bad or out-of-range value gives the first or last) slice of ``per_page``
    countable initiatives of ``listed`` (as :func:`~.selectors.filter_initiatives` returns it), each page
    keeping the headings of its rows, in source order."""
    per_page = per_page or PAGE_SIZE
    countable = [i for i in listed if not i.is_heading]
    pages = max(1, -(-len(countable) // per_page))
    try:
        number = min(max(1, int(str(page))), pages)
    except ValueError:
        number = 1
    chunk = countable[(number - 1) * per_page : number * per_page]
    keep = {i.pk for i in chunk} | {i.parent_id for i in chunk if i.parent_id}
    first = (number - 1) * per_page + 1 if chunk else 0
    return ListingPage([i for i in listed if i.pk in keep], number, pages, len(countable), first,
                       first + len(chunk) - 1 if chunk else 0)


def render_pager(page: ListingPage, query: dict[str, str]) -> SafeString:
    """Links to the other pages of the listing (the filters kept in the query), or nothing for one page.

    A ``nav`` with its own label; the current page is text with ``aria-current="page"``; at most the
    first, last and two pages either side of the current one are linked, gaps shown as「…」."""
    if page.pages <= 1:
        return mark_safe("")
    from urllib.parse import urlencode

    def href(n: int) -> str:
        return esc("?" + urlencode({**{k: v for k, v in query.items() if v and k != "page"}, "page": n})
                   + "#initiatives")

    shown = sorted({1, page.pages, *range(max(1, page.number - 2), min(page.pages, page.number + 2) + 1)})
    items = []
    if page.number > 1:
        items.append(f'<li><a href="{href(page.number - 1)}" rel="prev">前へ</a></li>')
    previous = 0
    for n in shown:
        if n > previous + 1:
            items.append('<li aria-hidden="true">…</li>')
        if n == page.number:
            items.append(f'<li><span aria-current="page">{n:d}</span></li>')
        else:
            items.append(f'<li><a href="{href(n)}" aria-label="{n:d}ページ目">{n:d}</a></li>')
        previous = n
    if page.number < page.pages:
        items.append(f'<li><a href="{href(page.number + 1)}" rel="next">次へ</a></li>')
    return mark_safe(
        f'<nav class="pager" aria-label="取組一覧のページ（全{page.pages:d}ページ）"><ul>' + "".join(items) + "</ul></nav>"
    )

_HEAD = (
    '<table class="initiatives"><thead><tr><th scope="col">取組番号</th><th scope="col">取組内容</th>'
    '<th scope="col">最新の実施結果</th><th scope="col">担当所属</th></tr></thead><tbody>'
)
_MUTED_DASH = '<span class="muted">—</span>'


def _status(i: PublicInitiative) -> str:
    if i.is_heading:
        return '<span class="muted">見出し</span>'
    if i.latest is None:
        return '<span class="muted">未公開</span>'
    return (
        f'<span class="badge" style="--c:{esc(i.latest.status.color)}">{esc(i.latest.status.label)}</span> '
        f'<span class="muted">{i.latest.inspection.fiscal_year:d}年度</span>'
    )


def _truncate(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(i: PublicInitiative, prefix: str) -> str:
    """One row; every value from the database passes through ``esc`` (html.escape, quotes included)."""
    departments = "、".join(esc(d.name) for d in i.departments) if i.departments else _MUTED_DASH
    return (
        f"<tr><td>{esc(i.number_label or '—')}</td><td>"
        + ('<span class="muted" aria-hidden="true">└ </span>' if i.parent_id else "")
        + f'<a href="{esc(prefix)}{i.pk:d}/">' + (f"<strong>{esc(i.name)}</strong> " if i.name else "")
        + f"{esc(_truncate(i.text))}</a>"
        + (' <span class="muted">（再掲）</span>' if i.is_repost else "")
        + f"</td><td>{_status(i)}</td><td>{departments}</td></tr>"
    )


def render_listing(*, plan_id: int, blocks: list[SectionBlock], statuses: list[Status] | None = None) -> SafeString:
    if not blocks:
        return mark_safe("<p>条件に一致する取組はありません。</p>")
    prefix = reverse("public:plan", args=[plan_id]) + "initiatives/"
    parts = []
    for block in blocks:
        level = 3 + min(block.section.depth, 2)
        parts.append(format_html("<h{}>{}</h{}>", level, str(block.section), level))
        if statuses and block.section.depth > 0:
            counts = "、".join(f"{esc(s.label)} {block.counts.get(s.code, 0)}件" for s in statuses)
            parts.append(f'<p class="muted section-counts">最新の実施結果: {counts}</p>')
        if block.initiatives:
            parts.append(mark_safe(_HEAD))
            parts.append("".join(_row(i, prefix) for i in block.initiatives))
            parts.append(mark_safe("</tbody></table>"))
    return mark_safe("\n".join(parts))
