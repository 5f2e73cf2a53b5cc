"""Charts of the report: stacked bars of initiatives by status, per policy and per item.

HTML and PDF do not use matplotlib: :func:`vector_charts` writes the stacked bars as a small SVG with
``<text>`` in Noto Sans CJK JP, inline in the HTML page (16 ms instead of 400 ms of matplotlib drawing)
and drawn by WeasyPrint as vectors with the document's embedded font subset (labels selectable and
searchable in the PDF).

DOCX and XLSX get PNG from matplotlib (Agg backend, Noto Sans CJK JP loaded from the Debian package's
file ``fonts-noto-cjk``, nothing fetched; imported only when a PNG is drawn). The PNGs are cached on
their data: in the process (``lru_cache``) and on disk under ``STATE_DIR/cache/charts/<sha256 of the
data>.png`` (:func:`cached_png`), so a report whose counts did not change does not draw again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

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
    from matplotlib import font_manager

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
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

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


CHART_CACHE = True  # False: draw every chart afresh (the reference the same-output tests compare with)
CACHE_VERSION = "1"  # bump when the drawing changes: cached PNGs of the old look are then not used


def _cache_dir() -> Path | None:
    from django.conf import settings

    state = getattr(settings, "STATE_DIR", None)
    return None if state is None else Path(state) / "cache" / "charts"


def cached_png(
    statuses: tuple[tuple[str, str], ...], rows: tuple[tuple[str, tuple[int, ...]], ...], title: str
) -> bytes:
    """The PNG of one chart, from the disk cache when the same data was drawn before (any process)."""
    if not CHART_CACHE:
        return _stacked_bar.__wrapped__(statuses, rows, title, svg=False)[0]
    key = hashlib.sha256(json.dumps([CACHE_VERSION, statuses, rows, title], ensure_ascii=False).encode()).hexdigest()
    folder = _cache_dir()
    path = folder / f"{key}.png" if folder is not None else None
    if path is not None:
        try:
            return path.read_bytes()
        except OSError:
            pass
    png = _stacked_bar(statuses, rows, title, svg=False)[0]
    if path is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(png)
            tmp.replace(path)  # atomic: a concurrent reader sees the whole file or none
        except OSError:
            pass  # a read-only state directory only costs the drawing
    return png


def clear_chart_cache() -> None:
    """Forget every cached chart (in the process and on disk)."""
    _stacked_bar.cache_clear()
    folder = _cache_dir()
    if folder is not None and folder.is_dir():
        for p in folder.glob("*.png"):
            p.unlink(missing_ok=True)


def report_charts(ctx: ReportContext, *, svg: bool = True) -> list[Chart]:
    """The stacked bar per policy and the one per item (items with no countable initiative omitted), drawn
    by matplotlib.

    ``svg=False`` skips matplotlib's SVG (glyphs as paths) and takes the PNG from :func:`cached_png`.
    """
    out = []
    statuses = tuple((s.column_label, s.color) for s in ctx.statuses)
    for key, rows, title in _chart_rows(ctx):
        if svg:
            draw = _stacked_bar if CHART_CACHE else _stacked_bar.__wrapped__
            png, svg_text = draw(statuses, tuple(rows), title, svg=True)
        else:
            png, svg_text = cached_png(statuses, tuple(rows), title), ""
        out.append(Chart(key, title, png, svg_text))
    return out


def _nice_step(top: int) -> int:
    """A tick step giving at most about six ticks (1, 2, 5 × 10ⁿ)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if top / (step * m) <= 6:
                return step * m
        step *= 10


def stacked_bar_svg(statuses: tuple[tuple[str, str], ...], rows: tuple[tuple[str, tuple[int, ...]], ...], title: str) -> str:
    """One stacked bar chart as an ``<svg>`` element with real text (for print): the title, a legend,
    one bar per row with its label and segment counts, and the x axis 「取組数」. Units are points."""
    font = 9
    label_w = min(260, max((len(r[0]) for r in rows), default=4) * font + 8)
    width = 510
    plot_x, plot_w = label_w + 4, width - label_w - 14
    top, row_h = 44, 20
    height = top + row_h * len(rows) + 34
    peak = max((sum(v) for _label, v in rows), default=0) or 1
    step = _nice_step(peak)
    scale_top = -(-peak // step) * step
    unit = plot_w / scale_top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vector-chart" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK JP, sans-serif" font-size="{font}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="{width / 2:.1f}" y="13" text-anchor="middle" font-size="11">{escape(title)}</text>',
    ]
    x = plot_x
    for label, color in statuses:  # legend
        out.append(f'<rect x="{x:.1f}" y="21" width="14" height="9" fill="{color}"/>')
        out.append(f'<text x="{x + 18:.1f}" y="29">{escape(label)}</text>')
        x += 18 + len(label) * font + 14
    bottom = top + row_h * len(rows)
    for k in range(0, scale_top + 1, step):  # grid and ticks
        gx = plot_x + k * unit
        out.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{bottom}" stroke="#ddd" stroke-width="0.5"/>')
        out.append(f'<text x="{gx:.1f}" y="{bottom + 12}" text-anchor="middle" font-size="8">{k}</text>')
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h
        out.append(f'<text x="{label_w:.1f}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        x = plot_x
        for (_name, color), v in zip(statuses, values, strict=True):
            if not v:
                continue
            w = v * unit
            out.append(f'<rect x="{x:.2f}" y="{y + 3}" width="{w:.2f}" height="{row_h - 6}" fill="{color}"/>')
            if w >= 10:
                out.append(f'<text x="{x + w / 2:.2f}" y="{y + 13}" text-anchor="middle" fill="#fff" font-size="8">{v}</text>')
            x += w
    out.append(f'<line x1="{plot_x}" y1="{top - 4}" x2="{plot_x}" y2="{bottom}" stroke="#333" stroke-width="0.8"/>')
    out.append(f'<text x="{plot_x + plot_w / 2:.1f}" y="{bottom + 26}" text-anchor="middle">取組数</text>')
    out.append("</svg>")
    return "".join(out)


def vector_charts(ctx: ReportContext) -> list[Chart]:
    """The two charts of :func:`report_charts` as print SVG (``svg``; ``png`` is empty), no matplotlib."""
    statuses = tuple((s.column_label, s.color) for s in ctx.statuses)
    return [Chart(key, title, b"", stacked_bar_svg(statuses, tuple(rows), title)) for key, rows, title in _chart_rows(ctx)]


def _chart_rows(ctx: ReportContext) -> list[tuple[str, list[tuple[str, tuple[int, ...]]], str]]:
    per_policy = [(p.title, p.counts.values) for p in ctx.policies]
    per_item = [(f"{p.code}{i.code} {i.title}", i.counts.values) for p in ctx.policies for i in p.items if i.counts.total]
    return [("policies", per_policy, "方針ごとの実施結果"), ("items", per_item, "取組項目ごとの実施結果")]
