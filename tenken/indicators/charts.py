"""Trend chart of one indicator: actuals against targets (and the baseline), as SVG or PNG bytes.

matplotlib with the Agg backend and Noto Sans CJK JP from the system (Debian ``fonts-noto-cjk``).
SVG text is drawn as paths (``svg.fonttype = "path"``), so the browser needs no font and no remote asset.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from tenken.common.wareki import format_month_short

from .models import Indicator, Observation
from .selectors import indicator_observations

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILE = FONT_DIR / "NotoSansCJK-Regular.ttc"
COLORS = {"actual": "#183b6b", "target": "#c0392b", "baseline": "#7f8c8d"}


@lru_cache(maxsize=1)
def _font_family() -> str:
    if FONT_FILE.exists():
        font_manager.fontManager.addfont(str(FONT_FILE))
        return "Noto Sans CJK JP"
    return "sans-serif"  # pragma: no cover - the font is a documented system dependency


def _figure(indicator: Indicator, observations: list[Observation]) -> Figure:
    family = _font_family()
    fig = Figure(figsize=(6.4, 3.4), dpi=100)
    ax = fig.add_subplot()
    by_kind: dict[str, list[Observation]] = {}
    for o in observations:
        by_kind.setdefault(o.kind, []).append(o)
    actuals = by_kind.get(Observation.Kind.ACTUAL, [])
    targets = by_kind.get(Observation.Kind.TARGET, [])
    baselines = by_kind.get(Observation.Kind.BASELINE, [])
    if baselines:
        ax.plot([o.as_of for o in baselines], [float(o.value) for o in baselines], "s", color=COLORS["baseline"],
                label="基準値", markersize=7)
    if actuals:
        ax.plot([o.as_of for o in actuals], [float(o.value) for o in actuals], "o-", color=COLORS["actual"],
                label="実績値", linewidth=2, gid="actuals")  # <g id="actuals">: one marker per 実績値 in the SVG
    if targets:
        ax.plot([o.as_of for o in targets], [float(o.value) for o in targets], "D--", color=COLORS["target"],
                label="目標値", markersize=7)
        # Draw the path from the latest baseline or actual to the first target as the intended trend.
        start = max(baselines + actuals, key=lambda o: o.as_of, default=None)
        if start is not None and start.as_of < targets[-1].as_of:
            ax.plot([start.as_of, targets[-1].as_of], [float(start.value), float(targets[-1].value)], ":",
                    color=COLORS["target"], linewidth=1)
    if not observations:
        ax.text(0.5, 0.5, "データがありません", ha="center", va="center", transform=ax.transAxes, family=family)
    ax.set_title(f"{indicator.name}（{indicator.unit}）", family=family, fontsize=11)
    ax.set_ylabel(indicator.unit, family=family)
    ax.grid(True, alpha=0.3)
    ax.margins(x=0.06, y=0.12)
    if all(o.value >= 0 for o in observations):
        ax.set_ylim(bottom=0)
    if observations:
        ax.legend(prop={"family": family, "size": 9}, loc="best")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_month_short(mdates.num2date(x).date())))
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def indicator_chart_svg(indicator: Indicator) -> str:
    """The chart as an ``<svg>`` element (no XML prolog), ready to inline in a page."""
    buf = io.StringIO()
    rc = {"svg.fonttype": "path", "svg.hashsalt": f"indicator-{indicator.pk}", "font.family": _font_family()}
    with matplotlib.rc_context(rc):
        fig = _figure(indicator, indicator_observations(indicator))
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def indicator_chart_png(indicator: Indicator, *, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context({"font.family": _font_family()}):
        fig = _figure(indicator, indicator_observations(indicator))
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
