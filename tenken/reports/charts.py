"""Charts of the report: stacked bars of initiatives by status, per policy and per item.

matplotlib with the Agg backend (no display), Japanese text in Noto Sans CJK JP loaded from the Debian
package's file (``fonts-noto-cjk``), so nothing is fetched. PNG goes into DOCX, PDF and XLSX; SVG (text
drawn as paths, so no font is needed to view it) goes inline into the HTML page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

from .context import ReportContext

FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc"),
)


@dataclass(frozen=True)
class Chart:
    key: str  # "policies" | "items"
    title: str
    png: bytes
    svg: str


@lru_cache(maxsize=1)
def japanese_font() -> str:
    """Register the Noto CJK font with matplotlib and return its family name."""
    for path in FONT_FILES:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return "sans-serif"


@lru_cache(maxsize=32)
def _stacked_bar(
    statuses: tuple[tuple[str, str], ...], rows: tuple[tuple[str, tuple[int, ...]], ...], title: str, *, svg: bool
) -> tuple[bytes, str]:
    """PNG bytes and SVG text of one chart. Cached on its data: the staff page and a download that
    follows it draw the same charts, and drawing Japanese text is most of a render's time."""
    family = japanese_font()
    height = 1.4 + 0.3 * len(rows)
    width = 7.2
    with plt.rc_context({"font.family": family, "svg.fonttype": "path", "font.size": 9}):
        fig, ax = plt.subplots(figsize=(width, height))
        # Fixed margins from the longest label: tight_layout would lay every text out twice (half the time).
        label_inches = max((len(r[0]) for r in rows), default=4) * 9 / 72 + 0.25
        fig.subplots_adjust(left=min(0.55, label_inches / width), right=0.97, bottom=0.5 / height, top=1 - 0.8 / height)
        labels = [r[0] for r in rows][::-1]
        left = [0] * len(rows)
        for i, (label, color) in enumerate(statuses):
            values = [r[1][i] for r in rows][::-1]
            ax.barh(labels, values, left=left, color=color, label=label, height=0.6)
            for y, (x0, v) in enumerate(zip(left, values, strict=True)):
                if v:
                    ax.text(x0 + v / 2, y, str(v), ha="center", va="center", color="white", fontsize=8)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_xlabel("取組数")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(statuses), frameon=False)
        ax.set_title(title, pad=22)
        png_out, svg_out = io.BytesIO(), io.StringIO()
        fig.savefig(png_out, format="png", dpi=120)
        if svg:
            fig.savefig(svg_out, format="svg")
        plt.close(fig)
    return png_out.getvalue(), svg_out.getvalue()


def clear_chart_cache() -> None:
    _stacked_bar.cache_clear()


def report_charts(ctx: ReportContext, *, svg: bool = True) -> list[Chart]:
    """The stacked bar per policy and the one per item (items with no countable initiative omitted).

    ``svg=False`` skips the SVG (only the HTML page uses it).
    """
    per_policy = [(p.title, p.counts.values) for p in ctx.policies]
    per_item = [(f"{p.code}{i.code} {i.title}", i.counts.values) for p in ctx.policies for i in p.items if i.counts.total]
    out = []
    for key, rows, title in (
        ("policies", per_policy, "方針ごとの実施結果"),
        ("items", per_item, "取組項目ごとの実施結果"),
    ):
        statuses = tuple((s.column_label, s.color) for s in ctx.statuses)
        png, svg_text = _stacked_bar(statuses, tuple(rows), title, svg=svg)
        out.append(Chart(key, title, png, svg_text))
    return out
