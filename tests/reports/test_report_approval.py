"""Only approved results count in the report; a plan without narratives still renders."""

from __future__ import annotations

from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report
from tenken.reviews.models import InitiativeReview


def test_a_returned_review_is_not_counted_and_is_marked_in_the_appendix(report_plan):
    review = InitiativeReview.objects.get(
        inspection__plan=report_plan, initiative__number_label="14", initiative__text__startswith="携帯する"
    )
    review.approval = InitiativeReview.Approval.RETURNED
    review.save()
    ctx = build_report_context(plan_id=report_plan.pk)
    assert (*ctx.totals.values, ctx.totals.total) == (59, 35, 5, 99)
    farming = next(i for i in ctx.items if i.title == "農林水産業のスマート化")
    assert farming.counts.values == (1, 5, 2)
    row = next(a for a in ctx.appendix if a.label == "14")
    assert row.result == "（未承認）"
    assert {r.title for r in ctx.reconciliation.differences} == {"教育のスマート化", "農林水産業のスマート化"}


def test_a_plan_without_narratives_renders_with_computed_tables_only(kanagawa_plan):
    ctx = build_report_context(plan_id=kanagawa_plan.pk)
    assert ctx.reconciliation.rows == ()
    assert [i.title for i in ctx.items if not i.has_table] == ["スマート県庁の取組", "ICTガバナンスの確立"]
    html = render_report(ctx, "html").decode()
    assert "集計の対象となる取組はありません。" in html
    assert "報告書記載の取組数は登録されていません" in html
