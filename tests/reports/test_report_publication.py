"""The published version of the 点検報告書: A4 Word with page numbers and the organization as author, a
tagged PDF (PDF/UA), a 奥付 from the organization's settings, and no internal reconciliation appendix."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from django.contrib.auth import get_user_model
from docx import Document
from docx.shared import Cm
from openpyxl import load_workbook

from tenken.publications.services import inspection_publish
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report
from tenken.reviews.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_ctx(report_plan):
    org = report_plan.organization
    org.publisher_department = "政策局デジタル戦略本部室"
    org.publisher_address = "横浜市中区日本大通1"
    org.publisher_phone = "045-210-0000"
    org.save()
    admin = get_user_model().objects.create_user("ict", is_superuser=True)
    final = report_plan.inspections.get(kind=Inspection.Kind.FINAL)
    publication = inspection_publish(user=admin, inspection_id=final.pk)
    return build_report_context(plan_id=report_plan.pk, publication=publication)


def test_docx_is_a4_with_page_numbers_and_the_organization_as_author(published_ctx):
    data = render_report(published_ctx, "docx")
    doc = Document(io.BytesIO(data))
    for section in doc.sections:
        size = sorted([section.page_width, section.page_height])
        assert abs(size[0] - Cm(21.0)) < Cm(0.05) and abs(size[1] - Cm(29.7)) < Cm(0.05)
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer
    assert doc.sections[-1].footer.is_linked_to_previous  # the landscape 別紙 keeps numbering
    props = doc.core_properties
    assert props.author == "神奈川県" and props.last_modified_by == "神奈川県"
    assert "python-docx" not in (props.author + props.comments + props.last_modified_by)
    assert props.title == published_ctx.title and props.language == "ja-JP"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "奥付" in text and "政策局デジタル戦略本部室" in text and "045-210-0000" in text
    assert "報告書記載の取組数との照合" not in text  # internal appendix, not published


def test_pdf_is_tagged(published_ctx, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report(published_ctx, "pdf"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Author:\s+神奈川県$", info, re.M), info


def test_published_html_and_xlsx_leave_the_reconciliation_out(published_ctx, report_plan):
    html = render_report(published_ctx, "html").decode()
    assert 'id="reconciliation"' not in html and 'id="colophon"' in html and "第1版" in html
    assert load_workbook(io.BytesIO(render_report(published_ctx, "xlsx"))).sheetnames.count("照合") == 0
    staff = build_report_context(plan_id=report_plan.pk)  # the staff report keeps it
    assert 'id="reconciliation"' in render_report(staff, "html").decode()
    assert zipfile.is_zipfile(io.BytesIO(render_report(published_ctx, "docx")))


def test_declared_figures_with_the_seeds_wording(report_plan, client):
    from tenken.publications.services import inspection_set_figures

    admin = get_user_model().objects.create_user("ict2", is_superuser=True)
    final = report_plan.inspections.get(kind=Inspection.Kind.FINAL)
    counted = build_report_context(plan_id=report_plan.pk)
    assert (*counted.totals.values, counted.totals.total) == (60, 35, 5, 100)
    client.force_login(admin)
    client.post(f"/inspections/{final.pk}/figures/", {"figures": "declared"})
    final.refresh_from_db()
    assert final.figures == "declared"
    publication = inspection_publish(user=admin, inspection_id=final.pk)
    ctx = build_report_context(plan_id=report_plan.pk, publication=publication)
    assert (*ctx.totals.values, ctx.totals.total) == (61, 35, 5, 101)
    assert ctx.achievement_text == "行動計画に位置付けられた101の取組のうち、達成が61、実施中が35、変更が5となっています。"
    seed = {p.title: (*p.counts.values, p.counts.total) for p in ctx.policies}
    assert seed["スマート神奈川の推進"] == (33, 23, 5, 61)
    with pytest.raises(Exception, match="選べません"):
        inspection_set_figures(user=admin, inspection_id=final.pk, figures="guess")


def test_published_indicators_stop_at_the_report_date(published_ctx, report_plan):
    from tenken.demo import load_kanagawa_indicators

    load_kanagawa_indicators()
    final = report_plan.inspections.get(kind=Inspection.Kind.FINAL)
    ctx = build_report_context(plan_id=report_plan.pk, publication=final.publications.get())
    assert ctx.indicators, "the demo has indicators"
    dates = [r.actual_as_of for r in ctx.indicators if r.actual_as_of]
    assert (final.as_of.year, final.as_of.month) == (2019, 3) and dates
    assert all(d.year < 2019 or (d.year == 2019 and d.month <= 3) for d in dates), dates
    staff = build_report_context(plan_id=report_plan.pk)  # the staff report: the same cut-off, the same values
    assert [(r.name, r.actual, r.actual_as_of) for r in staff.indicators] == [
        (r.name, r.actual, r.actual_as_of) for r in ctx.indicators
    ]
    assert staff.indicators_note == ctx.indicators_note
