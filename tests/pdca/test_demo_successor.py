"""The demo successor plan: built from the seed facts through the services, linked to the first plan."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from tenken.demo.successor import load_kanagawa_successor
from tenken.indicators.models import Indicator, Observation
from tenken.plans.models import CarryOver
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report


def test_demo_successor_from_seed_facts(kanagawa_plan):
    admin = get_user_model().objects.create_superuser("admin", "", None)
    plan = load_kanagawa_successor(user=admin)
    assert load_kanagawa_successor(user=admin) == plan  # idempotent
    assert plan.predecessor == kanagawa_plan and plan.period_label == "令和元年度～4年度"
    assert "例示" in plan.description
    choices = Counter(CarryOver.objects.filter(successor=plan).values_list("choice", flat=True))
    assert choices == {"continue": 35, "end": 5}
    assert plan.initiatives.count() == 35 + 4 and plan.goals.count() == 2
    rpa = Indicator.objects.get(plan=plan, name="RPAを導入した業務数")
    values = {(o.kind, o.fiscal_year): o.value for o in rpa.observations.all()}
    assert values[("baseline", 2018)] == 2 and values[("target", 2019)] == 5 and values[("actual", 2019)] == 5
    opendata = Indicator.objects.get(plan=plan, name="県保有データのオープンデータ公開件数")
    actual = opendata.observations.get(kind=Observation.Kind.ACTUAL)
    assert (actual.value, actual.as_of, actual.as_of_text) == (Decimal(121), date(2019, 11, 30), "R元.11")
    ctx = build_report_context(plan_id=plan.pk)
    assert ctx.totals.total == 39 and ctx.logic.present
    assert {g.title for g in ctx.logic.goals} >= {"新たなICTで、職員が働きやすく効率的なスマート県庁"}
    flagged = {n.number_label for n in ctx.logic.flagged}
    assert "R1-4" in flagged  # 未取組市町村数 7 → 6 against 4: 実施中 but behind
    assert "R1-1" not in flagged  # RPA 2 → 5 met its target
    assert len(ctx.logic.carried) == 35
    assert "かながわICT・データ利活用推進計画" in render_report(ctx, "html").decode()
