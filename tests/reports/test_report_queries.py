"""Building the report context takes a constant number of queries, whatever the plan size."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenken.demo import load_kanagawa_indicators
from tenken.indicators.models import Indicator, Observation
from tenken.indicators.services import indicator_create, observation_record
from tenken.orgs.services import organization_for_code
from tenken.plans.draft import IROHA, DraftInitiative, DraftSection, PlanDraft
from tenken.plans.services import plan_import
from tenken.plans.statuses import KANAGAWA_STATUSES
from tenken.reports.context import build_report_context
from tenken.reviews.narratives import ItemNarrative
from tenken.reviews.selectors import report_inspection
from tenken.reviews.services import inspection_import_narratives

from ..personas import operator

MAX_QUERIES = 24  # 9 for the plan and its inspection, 2 for the indicator section, 13 for chapter 5 (goals, initiative indicators, carry-over)


def big_plan(*, scale: int = 10):
    """A plan ``scale``× Kanagawa's size (100 countable initiatives, 18 items), written by the services."""
    sections, initiatives = [], []
    codes = [s.code for s in KANAGAWA_STATUSES]
    for p in range(3):
        policy = (f"方針{p + 1}",)
        sections.append(DraftSection(policy, 0, str(p + 1), policy[0], len(sections)))
        for i in range(6):
            item = (*policy, f"取組項目{p + 1}-{i + 1}")
            sections.append(DraftSection(item, 1, IROHA[i], item[-1], len(sections)))
            sub = (*item, f"(1) 小項目{p}{i}")
            sections.append(DraftSection(sub, 2, "(1)", f"小項目{p}{i}", len(sections)))
            heading = len(initiatives)
            initiatives.append(DraftInitiative("-", sub, f"{p}{i}", f"見出し {p}-{i}", None, is_heading=True))
            for k in range(scale * 100 // 18 + 1):
                initiatives.append(
                    DraftInitiative("-", sub if k % 2 else item, f"{p}{i}①{k}", f"取組 {p}-{i}-{k}", codes[k % 3],
                                    parent=heading if k % 2 else None)
                )
    draft = PlanDraft(sections=sections, initiatives=initiatives, statuses=list(KANAGAWA_STATUSES))
    plan = plan_import(
        draft=draft, organization=organization_for_code(code="140007"), title=f"大きな計画×{scale}",
        first_fiscal_year=2014, last_fiscal_year=2018,
    )
    inspection = report_inspection(plan_id=plan.pk)
    inspection_import_narratives(user=operator(),
        inspection=inspection,
        items=[
            ItemNarrative("-", s.key[0], s.code, s.title, {"achieved": 1, "in_progress": 1, "changed": 1},
                          {"main_initiatives": "a\nb", "results": "c", "issues_and_plans": "d", "changed_initiatives": "なし"})
            for s in sections if s.depth == 1
        ],
    )
    # An indicator per item, linked to the item and to every initiative under it, with three values.
    org = plan.organization
    for n, item in enumerate(plan.sections.filter(depth=1).order_by("order")):
        indicator = indicator_create(
            organization=org, name=f"指標{n}", unit="件", direction="higher", plan=plan, sections=[item],
            initiatives=list(plan.initiatives.filter(section__parent=item)) + list(plan.initiatives.filter(section=item)),
        )
        for kind, value, day in (("baseline", 0, date(2014, 3, 31)), ("actual", n, date(2018, 3, 31)), ("target", 20, date(2019, 3, 31))):
            observation_record(indicator=indicator, kind=kind, value=Decimal(value), as_of=day)
    return plan


def count_queries(plan_id: int) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        ctx = build_report_context(plan_id=plan_id)
    return len(captured), ctx


def test_query_count_does_not_grow_with_the_plan(report_plan, django_assert_max_num_queries):
    load_kanagawa_indicators()
    small, small_ctx = count_queries(report_plan.pk)
    plan = big_plan(scale=10)
    big, big_ctx = count_queries(plan.pk)
    assert len(big_ctx.countable) >= 10 * len(small_ctx.countable)
    assert big_ctx.totals.total == len(big_ctx.countable)
    assert len(big_ctx.indicators) == 18 and Observation.objects.filter(indicator__plan_id=plan.pk).count() == 54
    assert Indicator.initiatives.through.objects.filter(indicator__plan_id=plan.pk).count() >= 1000
    assert len(small_ctx.indicators) == 15
    assert big == small
    with django_assert_max_num_queries(MAX_QUERIES):
        build_report_context(plan_id=plan.pk)
