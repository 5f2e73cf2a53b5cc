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
