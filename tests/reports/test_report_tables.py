"""The report's numbers against the seed report: equal everywhere except the 教育 discrepancy."""

from __future__ import annotations

from tenken.reports.context import build_report_context

from .seed import achievement_table, item_tables, items_without_table, same_table


def test_every_item_table_equals_the_seed_except_education(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    seed = item_tables()
    assert len(seed) == 16  # 18 items, two of them (chapter 3) without a table
    ours = {i.title: i.counts.values for i in ctx.items if i.has_table}
    assert set(ours) == set(seed)
    assert sum(len(v) < 3 for v in seed.values()) == 4  # rows where the PDF's text lost a cell
    differing = {title for title in seed if not same_table(ours[title], seed[title])}
    assert differing == {"教育のスマート化"}
    assert seed["教育のスマート化"] == (12, 0)  # a cell lost in the text; items.csv: 12, 0, 0
    assert ours["教育のスマート化"] == (11, 0, 0)


def test_seed_comparison_can_fail():
    assert not same_table((9, 0, 3), (9, 1))
    assert not same_table((3, 2, 0), (3, 2, 1))
    assert same_table((0, 1, 0), (0, 1))


def test_items_without_countable_initiatives_show_their_sentence_and_no_table(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    without = {i.title: i for i in ctx.items if not i.has_table}
    seed = items_without_table()
    assert set(without) == set(seed) == {"スマート県庁の取組", "ICTガバナンスの確立"}
    for title, item in without.items():
        assert item.summary == seed[title]
        assert dict(item.rows)["主な取組"]  # the narrative is still shown


def test_reconciliation_lists_exactly_education(report_plan):
    recon = build_report_context(plan_id=report_plan.pk).reconciliation
    assert len(recon.rows) == 16
    [diff] = recon.differences
    assert diff.title == "教育のスマート化"
    assert diff.declared.get("achieved") == 12
    assert diff.computed.get("achieved") == 11
    assert diff.difference.values == (-1, 0, 0)


def test_totals_computed_and_declared(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    recon = ctx.reconciliation
    assert (*ctx.totals.values, ctx.totals.total) == (60, 35, 5, 100)
    assert (*recon.computed_total.values, recon.computed_total.total) == (60, 35, 5, 100)
    assert (*recon.declared_total.values, recon.declared_total.total) == (61, 35, 5, 101)
    seed = achievement_table()
    assert seed["計"] == (61, 35, 5, 101)


def test_policy_rows_equal_the_seed_but_for_the_education_row(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    seed = achievement_table()
    ours = {p.title: (*p.counts.values, p.counts.total) for p in ctx.policies}
    assert ours["行政サービスのICT化の拡充"] == seed["行政サービスのICT化の拡充"]
    assert ours["スマート県庁の実現"] == seed["スマート県庁の実現"]
    assert seed["スマート神奈川の推進"] == (33, 23, 5, 61)
    assert ours["スマート神奈川の推進"] == (32, 23, 5, 60)  # the one achieved row 教育 lacks


def test_cover_and_dates_in_wareki(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    assert ctx.organization == "神奈川県"
    assert ctx.title == "電子化全開宣言行動計画 点検報告書"
    assert ctx.period_label == "平成26年度～30年度"
    assert ctx.as_of_label == "平成31年3月"


def test_appendix_lists_every_initiative_and_headings_without_result(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    assert len(ctx.countable) == 100
    headings = [a for a in ctx.appendix if a.is_heading]
    assert len(headings) == 5
    assert all(a.result == "" for a in headings)
    assert {a.label for a in headings} == {"38", "45", ""}
    assert ctx.appendix[0].policy == "第1章 スマート神奈川の推進"
    assert sum(a.policy_span for a in ctx.appendix) == len(ctx.appendix)


def test_declared_counts_are_the_seed_tables(report_plan):
    recon = build_report_context(plan_id=report_plan.pk).reconciliation
    seed = item_tables()
    assert {r.title for r in recon.rows} == set(seed)
    assert all(same_table(r.declared.values, seed[r.title]) for r in recon.rows)
