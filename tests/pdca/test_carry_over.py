"""The next plan: created from Kanagawa's finished plan, every unfinished initiative offered for carry-over."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from tenken.common.errors import InputRejected
from tenken.indicators.models import Indicator, Observation
from tenken.indicators.services import indicator_create, observation_record
from tenken.orgs.access import AccessDenied
from tenken.plans.models import CarryOver, Initiative, PlanChange
from tenken.plans.succession import (
    Decision,
    achieved_initiatives,
    carry_over_apply,
    carry_over_candidates,
    initiative_lineage,
    plan_create_successor,
)

TITLE = "かながわICT・データ利活用推進計画"


def successor(cast):
    return plan_create_successor(user=cast.sato, predecessor=cast.plan, title=TITLE, first_fiscal_year=2019,
                                 last_fiscal_year=2022)


def test_the_35_in_progress_and_5_changed_are_offered(cast):
    new = successor(cast)
    offered = carry_over_candidates(plan=cast.plan, successor=new)
    assert Counter(c.status.label for c in offered) == {"実施中": 35, "変更": 5}
    assert all(c.decision is None for c in offered)
    achieved = achieved_initiatives(plan=cast.plan)
    assert {c.status.label for c in achieved} == {"達成"}
    assert len(achieved) + len(offered) == Initiative.objects.filter(plan=cast.plan, is_heading=False).count()
    # period, scale and structure of the new plan; the link to the old one both ways
    assert new.predecessor == cast.plan and list(cast.plan.successors.all()) == [new]
    assert new.period_label == "令和元年度～4年度"
    assert [s.label for s in new.statuses.order_by("order")] == ["達成", "実施中", "変更"]
    assert new.sections.count() == cast.plan.sections.count() and new.initiatives.count() == 0


def test_choices_are_recorded_and_links_navigable_both_ways(cast):
    new = successor(cast)
    offered = carry_over_candidates(plan=cast.plan, successor=new)
    a, b, c, d = (x.initiative for x in offered[:4])
    # an indicator of ``a`` with a baseline and two actuals: the last actual becomes the new baseline
    ind = indicator_create(organization=cast.org, name="RPA導入業務数", unit="業務", direction="higher",
                           plan=cast.plan, initiatives=[a])
    observation_record(indicator=ind, kind="baseline", value=Decimal(0), as_of=date(2017, 3, 31))
    observation_record(indicator=ind, kind="actual", value=Decimal(2), as_of=date(2019, 3, 31))
    decisions = [
        Decision(a.pk, "continue"),
        Decision(b.pk, "merge", merge_into=a.pk),
        Decision(c.pk, "end"),
        Decision(d.pk, "continue"),
    ]
    rows = carry_over_apply(user=cast.sato, successor=new, decisions=decisions)
    assert [r.get_choice_display() for r in rows] == ["継続", "継続", "統合", "終了"]
    by_old = {co.old_initiative_id: co for co in CarryOver.objects.filter(successor=new)}
    new_a = by_old[a.pk].new_initiative
    assert new_a.plan == new and new_a.text == a.text and new_a.number_label == a.number_label
    assert set(new_a.departments.all()) == set(a.departments.all())
    assert by_old[b.pk].new_initiative == new_a and by_old[c.pk].new_initiative is None
    assert by_old[a.pk].decided_by == cast.sato
    # old → new and new → old
    assert [co.new_initiative for co in a.carried_to.all()] == [new_a]
    assert {co.old_initiative for co in new_a.carried_from.all()} == {a, b}
    # the indicator came along with its last actual as the baseline
    copy = Indicator.objects.get(plan=new, carried_from=ind)
    assert list(copy.initiatives.all()) == [new_a]
    base = copy.observations.get(kind=Observation.Kind.BASELINE)
    assert (base.value, base.as_of) == (Decimal(2), date(2019, 3, 31))
    # history across both plans: the old results, then the new initiative
    steps = initiative_lineage(initiative=new_a)
    assert [s.plan for s in steps] == [cast.plan, cast.plan, new]
    assert steps[0].results and steps[0].results[-1].status.label in ("実施中", "変更")
    assert [s.plan for s in initiative_lineage(initiative=a)][-1] == new
    assert PlanChange.objects.filter(plan=new, action="carry", changed_by=cast.sato).count() == 4
    # decisions are final; the offer shows them
    with pytest.raises(InputRejected, match="決定済み"):
        carry_over_apply(user=cast.sato, successor=new, decisions=[Decision(c.pk, "continue")])
    shown = {x.initiative.pk: x.decision for x in carry_over_candidates(plan=cast.plan, successor=new)}
    assert shown[c.pk].choice == "end" and shown[offered[5].initiative.pk] is None


def test_bad_decisions_write_nothing(cast):
    new = successor(cast)
    a, b = (x.initiative for x in carry_over_candidates(plan=cast.plan)[:2])
    with pytest.raises(InputRejected) as exc:
        carry_over_apply(user=cast.sato, successor=new, decisions=[Decision(a.pk, "merge", merge_into=b.pk),
                                                                    Decision(b.pk, "keep")])
    assert any("統合先" in m for m in exc.value.messages) and any("keep" in m for m in exc.value.messages)
    assert not CarryOver.objects.filter(successor=new).exists() and new.initiatives.count() == 0


@pytest.mark.parametrize("who", ["suzuki", "ito", "nakamura", "watanabe"])
def test_only_the_ict_admin_creates_the_successor(cast, who):
    with pytest.raises(AccessDenied):
        plan_create_successor(user=getattr(cast, who), predecessor=cast.plan, title=TITLE, first_fiscal_year=2019,
                              last_fiscal_year=2022)


def test_a_carried_over_initiatives_first_answer_shows_the_previous_plans_last_result(cast):
    from django.test import Client
    from django.urls import reverse

    from tenken.reviews.models import InitiativeReview
    from tenken.surveys import selectors, services

    new = successor(cast)
    offered = carry_over_candidates(plan=cast.plan, successor=new)
    old = next(c.initiative for c in offered if c.status.label == "変更")
    last = (InitiativeReview.objects.filter(initiative=old, approval="approved")
            .select_related("status").order_by("fiscal_year").last())
    assert last is not None
    (carried,) = carry_over_apply(user=cast.sato, successor=new, decisions=[Decision(old.pk, "continue")])
    successor_initiative = carried.new_initiative
    survey_round = services.round_open(user=cast.sato, plan=new, fiscal_year=2019, deadline=date(2020, 5, 31))
    response = survey_round.responses.get(department__in=successor_initiative.departments.all())
    row = selectors.answer_row(response=response, initiative=successor_initiative)
    assert row.previous == last
    client = Client()
    client.force_login(cast.sato)
    page = client.get(reverse("surveys:answer", args=[response.pk, successor_initiative.pk])).content.decode()
    assert f"前年度の実施結果: {last.status.long_label or last.status.label}" in page
    assert "前年度の実施結果: （なし）" not in page
