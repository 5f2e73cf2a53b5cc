"""Charts: stacked bars drawn offline with the Japanese font."""

from __future__ import annotations

import pytest

from tenken.reports.charts import FONT_FILES, japanese_font, report_charts
from tenken.reports.context import build_report_context


@pytest.mark.skipif(not any(p.exists() for p in FONT_FILES), reason="fonts-noto-cjk is not installed")
def test_japanese_font_is_noto_cjk():
    assert japanese_font() == "Noto Sans CJK JP"


def test_charts_per_policy_and_item(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    charts = report_charts(ctx)
    assert [c.key for c in charts] == ["policies", "items"]
    for c in charts:
        assert c.png.startswith(b"\x89PNG")
        assert c.svg.lstrip().startswith("<?xml") and "<svg" in c.svg
        assert 'href="http' not in c.svg and "<text" not in c.svg  # glyphs as paths: no font needed to view
    assert report_charts(ctx, svg=False)[0].svg == ""


def test_vector_charts_for_print(report_plan):
    """The PDF's charts: SVG with real text, no bitmap, no link; bars proportional to the counts."""
    import re

    from tenken.reports.charts import vector_charts

    ctx = build_report_context(plan_id=report_plan.pk)
    policies, items = vector_charts(ctx)
    assert (policies.key, items.key) == ("policies", "items") and policies.png == b""
    for c in (policies, items):
        assert c.svg.startswith("<svg") and "href" not in c.svg and "<image" not in c.svg
        assert ">取組内容を達成</text>" in c.svg and ">取組数</text>" in c.svg
    assert ">スマート神奈川の推進</text>" in policies.svg and ">1キ 教育のスマート化</text>" in items.svg
    # スマート神奈川の推進: 32 / 23 / 5 → the three segments' widths are in that ratio
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="47" width="([\d.]+)"', policies.svg)]
    assert len(widths) == 3
    assert widths[0] / widths[1] == pytest.approx(32 / 23, rel=1e-3) and widths[1] / widths[2] == pytest.approx(23 / 5, rel=1e-3)
