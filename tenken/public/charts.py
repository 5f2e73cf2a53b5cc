"""Status charts for public pages as inline SVG: no JavaScript, no external asset.

A chart is decoration next to the numbers, never instead of them: every chart carries a text
alternative (``role="img"`` with ``aria-label``) and the page shows the same counts in a table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tenken.plans.models import Status


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    color: str


def segments(statuses: Iterable[Status], counts: Counter[str]) -> list[Segment]:
    return [Segment(s.label, counts.get(s.code, 0), s.color) for s in statuses]


def describe(parts: list[Segment]) -> str:
    """``達成 60件、実施中 35件、変更 5件（計100件）``"""
    total = sum(p.count for p in parts)
    return "、".join(f"{p.label} {p.count}件" for p in parts) + f"（計{total}件）"


def stacked_bar(parts: list[Segment], *, title: str, width: int = 480, height: int = 22) -> SafeString:
    """A horizontal stacked bar, each segment proportional to its count and titled for hover."""
    total = sum(p.count for p in parts)
    label = f"{title}: {describe(parts)}"
    if total == 0:
        return format_html(
            '<svg class="bar" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
            '<rect x="0" y="0" width="{}" height="{}" fill="#f2f2f2" stroke="#767676"/></svg>',
            f"{title}: 公開された結果はありません", width, height, width, height, width, height,
        )
    rects = []
    x = 0.0
    for p in parts:
        if not p.count:
            continue
        w = width * p.count / total
        rects.append((f"{x:.2f}", f"{w:.2f}", height, p.color, f"{p.label} {p.count}件"))
        x += w
    body = format_html_join(
        "", '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}</title></rect>', rects
    )
    return format_html(
        '<svg class="bar" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">{}</svg>',
        label, width, height, width, height, body,
    )
