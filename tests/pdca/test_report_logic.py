"""Chapter 5 of the report (goal tree, per-initiative indicators, 達成状況 by indicator, carry-over history):
in all four formats, and in a number of queries that does not grow with the plan."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from tenken.plans import editing
from tenken.plans.models import Section
from tenken.plans.succession import Decision, carry_over_apply
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report
from tests.personas import small_plan
from tests.reports.test_report_queries import MAX_QUERIES, big_plan


def with_logic(plan, predecessor, admin):
    """Goals on every policy, an indicator with yearly targets and actuals on every 10th initiative,
    and the predecessor's initiatives carried over."""
    from tenken.indicators.services import observation_record

    plan.predecessor = predecessor
    plan.save(update_fields=["predecessor"])
    for policy in Section.objects.filter(plan=plan, depth=0).order_by("order"):
        goal = editing.goal_create(user=admin, plan=plan, title=f"{policy.title}の目指すべき姿")
        editing.goal_link(user=admin, goal=goal, sections=[policy])
    for n, ini in enumerate(plan.initiatives.filter(is_heading=False).order_by("order")[::10]):
        ind = editing.initiative_indicator_create(
            user=admin, initiative=ini, name=f"取組指標{n}", unit="件", direction="higher" if n % 2 else "lower",
            baseline=Decimal(10), targets={2016: Decimal(12 if n % 2 else 8), 2018: Decimal(20 if n % 2 else 0)},
        )
        observation_record(indicator=ind, kind="actual", value=Decimal(11), as_of=date(2017, 3, 31))
    carry_over_apply(user=admin, successor=plan, decisions=[
        Decision(i.pk, "continue") for i in predecessor.initiatives.order_by("order")
    ])
    return plan


def count(plan_id):
    with CaptureQueriesContext(connection) as captured:
        ctx = build_report_context(plan_id=plan_id)
    return len(captured), ctx


def test_chapter_5_in_constant_queries_and_all_formats(db):
    admin = get_user_model().objects.create_superuser("sato", "", None)
    old = small_plan()
    small = with_logic(big_plan(scale=1), old, admin)
    n1, ctx1 = count(small.pk)
    large = with_logic(big_plan(scale=10), old, admin)
    n10, ctx10 = count(large.pk)
    assert len(ctx10.logic.lines) >= 9 * len(ctx1.logic.lines) > 0
    assert len(ctx1.logic.goals) == 3 and ctx1.logic.carried and ctx1.logic.by_indicator[-1][0] == "計"
    assert n1 == n10 <= MAX_QUERIES
    ctx = ctx1
    assert [e.label for e in ctx.toc if e.anchor == "chapter-5"] == ["5 目指すべき姿と指標"]
    # 10 → 11: lower-is-better against target 8 moves away (D), higher-is-better against 12 is half way (C);
    # the initiative is flagged whatever its status says, unless it is 達成
    ratings = {n.rating for n in ctx.logic.flagged}
    assert ratings == {"C", "D"}
    assert all(n.status_code != "achieved" for n in ctx.logic.flagged)
    nodes = [n for g in ctx.logic.goals for n in g.all_initiatives]
    achieved_behind = [n for n in nodes if n.behind and n.status_code == "achieved"]
    assert achieved_behind and not any(n.flagged for n in achieved_behind)

    html = render_report(ctx, "html").decode()
    chapter = html[html.index('id="chapter-5"'):html.index('id="appendix"')]
    for text in ("目指すべき姿（ゴール）の体系", "方針1の目指すべき姿", "取組ごとの指標", "取組指標0",
                 "達成状況（指標による評価）", "前計画からの取組の経過", "テスト計画", "継続"):
        assert text in chapter, text
    doc = Document(io.BytesIO(render_report(ctx, "docx")))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for text in ("5 目指すべき姿と指標", "方針1の目指すべき姿", "取組指標0", "(3) 達成状況（指標による評価）", "テスト計画"):
        assert text in body, text
    wb = load_workbook(io.BytesIO(render_report(ctx, "xlsx")))
    ws = wb["目指すべき姿と指標"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "(3) 達成状況（指標による評価）" in cells and any("取組指標0" in c for c in cells)
    pdf = render_report(ctx, "pdf")
    assert pdf.startswith(b"%PDF")
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "目指すべき姿と指標" in text and "取組指標0" in text
