"""The fast paths of #17 produce what the slow ones produce (the reference is computed in the same test).

- DOCX: ``word/document.xml`` and every part of the package byte-identical to a render with python-docx's
  own style look-up and ``add_run``, and freshly drawn charts (no in-process or disk cache);
- HTML: identical to the document with matplotlib charts, apart from the chart markup inside
  ``<figure class="chart">``.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tenken.reports import charts as chart_module
from tenken.reports.charts import report_charts
from tenken.reports.context import build_report_context
from tenken.reports.renderers import docx as docx_renderer
from tenken.reports.renderers import render_report
from tenken.reports.renderers.html import render_document, template_context

pytestmark = pytest.mark.django_db


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def strip_created(xml: bytes) -> bytes:
    """docProps/core.xml holds the save time; nothing else in the package depends on the clock."""
    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", xml)


def test_docx_is_byte_identical_to_the_uncached_render(report_plan, monkeypatch, tmp_path, settings):
    settings.STATE_DIR = tmp_path
    ctx = build_report_context(plan_id=report_plan.pk)
    fast = parts(render_report(ctx, "docx"))
    again = parts(render_report(ctx, "docx"))  # charts now come from the cache
    with monkeypatch.context() as m:
        m.setattr(docx_renderer, "fast_style_lookup", lambda doc: None)
        m.setattr(docx_renderer, "_add_run", lambda p, text: p.add_run(text))
        chart_module.clear_chart_cache()
        m.setattr(chart_module, "CHART_CACHE", False)
        slow = parts(render_report(ctx, "docx"))
    assert b"<w:tbl>" in slow["word/document.xml"]
    for got in (fast, again):
        assert got.keys() == slow.keys()
        assert got["word/document.xml"] == slow["word/document.xml"]
        for name in slow:
            if name != "docProps/core.xml":
                assert got[name] == slow[name], name
        assert strip_created(got["docProps/core.xml"]) == strip_created(slow["docProps/core.xml"])


CHART = re.compile(r'<figure class="chart">.*?</figure>', re.S)


def test_html_is_identical_apart_from_chart_markup(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    fast = render_document(ctx)
    from django.template.loader import render_to_string

    slow = render_to_string("reports/document.html", template_context(ctx, charts=report_charts(ctx, svg=True)))
    assert len(CHART.findall(fast)) == len(CHART.findall(slow)) == 2
    assert CHART.sub("<figure/>", fast) == CHART.sub("<figure/>", slow)
    for title in ("方針ごとの実施結果", "取組項目ごとの実施結果"):
        assert title in "".join(CHART.findall(fast))
