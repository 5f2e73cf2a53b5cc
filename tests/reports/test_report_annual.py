"""The report of a plan whose latest inspection is an annual one (the synthetic national plans: one result
column per fiscal year, no final inspection), and the choice of the report's inspection."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import docx
import openpyxl
import pytest

from tenken.demo import load_kanagawa_indicators
from tenken.national.bulk import bulk_import
from tenken.national.synth import national_orgs, synth_plan, write_xlsx
from tenken.plans.models import Plan
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report
from tenken.reviews.models import InitiativeReview, Inspection
from tenken.reviews.selectors import report_inspection

from ..personas import operator


@pytest.fixture
def synthetic_plan(tmp_path):
    """Hokkaido's synthetic plan: 60 initiatives, results for FY2019–2021, loaded by the bulk importer."""
    org = national_orgs(1)[0]
    path = tmp_path / f"{org.code}.xlsx"
    write_xlsx(synth_plan(org, initiatives=60, years=3), path)
    assert bulk_import([path], user=operator(), workers=1).imported == 1
    return Plan.objects.get(organization__code=org.code)


@pytest.mark.django_db
def test_the_latest_annual_inspection_is_reported(synthetic_plan):
    inspection = report_inspection(plan_id=synthetic_plan.pk)
    assert (inspection.kind, inspection.fiscal_year) == ("annual", 2021)
    assert not synthetic_plan.inspections.filter(kind="final").exists()
    ctx = build_report_context(plan_id=synthetic_plan.pk)
    assert (ctx.inspection_id, ctx.inspection_kind, ctx.as_of_label) == (inspection.pk, "annual", "令和4年3月")
    expected = Counter(
        InitiativeReview.objects.filter(inspection=inspection, initiative__is_heading=False).values_list("status__code", flat=True)
    )
    assert ctx.totals.values == tuple(expected[c] for c in ctx.codes)
    assert ctx.totals.total == len(ctx.countable) == sum(expected.values()) > 0
    assert not ctx.reconciliation.rows and not ctx.purpose and not ctx.conclusion
    # every format renders the report of a plan without narratives, report text or indicators
    html = render_report(ctx, "html").decode()
    assert "指標は登録されていません。" in html and str(ctx.totals.total) in html
    document = docx.Document(io.BytesIO(render_report(ctx, "docx")))
    [achievement] = [t for t in document.tables if t.rows[0].cells[0].text == "方針" and t.rows[0].cells[-1].text == "計"]
    assert [c.text for c in achievement.rows[-1].cells] == ["計", *map(str, ctx.totals.values), str(ctx.totals.total)]
    workbook = openpyxl.load_workbook(io.BytesIO(render_report(ctx, "xlsx")))
    assert workbook["別紙"].max_row == 4 + len(ctx.appendix)
    assert render_report(ctx, "pdf").startswith(b"%PDF")


def test_latest_fiscal_year_wins_and_final_wins_a_tie(report_plan):
    final = report_inspection(plan_id=report_plan.pk)
    assert (final.kind, final.fiscal_year) == ("final", 2018)
    Inspection.objects.create(plan=report_plan, kind="annual", fiscal_year=2018, title="年度点検", as_of=date(2019, 3, 31))
    assert report_inspection(plan_id=report_plan.pk) == final  # same year: the final inspection
    later = Inspection.objects.create(
        plan=report_plan, kind="annual", fiscal_year=2019, title="令和元年度 年度点検", as_of=date(2019, 6, 30)
    )
    assert report_inspection(plan_id=report_plan.pk) == later


def test_annual_report_cuts_indicators_at_its_date(report_plan):
    load_kanagawa_indicators()
    Inspection.objects.create(
        plan=report_plan, kind="annual", fiscal_year=2019, title="令和元年度 年度点検", as_of=date(2019, 6, 30)
    )
    ctx = build_report_context(plan_id=report_plan.pk)
    # an inspection without any review yet: zero counts, every initiative still listed in the 別紙
    assert ctx.inspection_kind == "annual" and ctx.totals.total == 0
    assert ctx.achievement_text == "点検結果が登録された取組はまだありません。"
    assert len(ctx.countable) == 100 and {r.result for r in ctx.countable} == {"（未承認）"}
    assert ctx.indicators_as_of_label == "令和元年6月"
    rows = {r.name: r for r in ctx.indicators}
    assert rows["オープンデータ未取組の県内市町村数"].rate_text == "実績値なし"  # its actual is of 令和元年12月
    assert rows["RPA導入業務数"].rate_text == "40.0%"
    assert ctx.indicators_note.startswith("令和元年6月時点の状況です")
    assert "4 指標の状況" in render_report(ctx, "html").decode()
