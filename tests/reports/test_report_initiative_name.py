"""The optional 取組名 in the inspection report: in bold before the text in the 別紙 of the HTML (and so the
PDF) and DOCX, only when set (the Kanagawa plan has none: its report is as before)."""

from __future__ import annotations

import io

import docx
import pytest

from tenken.plans import editing
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report

from ..personas import cast_for

pytestmark = pytest.mark.django_db


def test_the_name_is_in_bold_before_the_text_when_set(report_plan):
    ini = report_plan.initiatives.filter(is_heading=False).order_by("order").first()
    before = render_report(build_report_context(plan_id=report_plan.pk), "html").decode()
    assert 'class="initiative-name"' not in before
    editing.initiative_update(user=cast_for(report_plan).sato, initiative=ini, name="電子申請の拡充")
    ctx = build_report_context(plan_id=report_plan.pk)
    html = render_report(ctx, "html").decode()
    assert f'<td class="text"><strong class="initiative-name">電子申請の拡充</strong><br>{ini.text}</td>' in html
    assert html.count('class="initiative-name"') == 1
    doc = docx.Document(io.BytesIO(render_report(ctx, "docx")))
    cells = [c for t in doc.tables for row in t.rows for c in row.cells if c.text.startswith("電子申請の拡充")]
    assert cells, "the name is not in the 別紙 of the DOCX"
    runs = cells[0].paragraphs[0].runs
    assert runs[0].text == "電子申請の拡充" and runs[0].bold
    assert cells[0].text == f"電子申請の拡充\n{ini.text}"
