"""The Kanagawa successor plan (かながわICT・データ利活用推進計画, R1.7–R5.3) for the demo.

Built from ``tenken/demo/data/kanagawa/successor.toml`` entirely through the services a user would call:
the successor is created from the finished plan, the unfinished initiatives are carried over, the new
sections, initiatives, goals, indicators (with yearly targets) and milestones are added, and the 令和元年度
survey round is answered (with the indicators' actuals) and approved. What the seeds state is marked
``source = "seed"`` in the data file; the rest is ``illustrative`` and the plan's description says so.
Idempotent: nothing is done when the successor exists.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal

from django.db import transaction

from tenken.common.wareki import parse_date
from tenken.orgs.services import department_get_or_create
from tenken.plans import editing
from tenken.plans.models import Plan, Section
from tenken.plans.succession import Decision, carry_over_apply, carry_over_candidates, plan_create_successor

from . import KANAGAWA_DIR, KANAGAWA_TITLE

SUCCESSOR_FILE = KANAGAWA_DIR / "successor.toml"
ROUND_YEAR = 2019  # 令和元年度


def _data() -> dict:
    with open(SUCCESSOR_FILE, "rb") as fh:
        return tomllib.load(fh)


def kanagawa_successor() -> Plan | None:
    data = _data()
    return Plan.objects.filter(organization__code="140007", title=data["plan"]["title"]).first()


@transaction.atomic
def load_kanagawa_successor(*, user) -> Plan:
    """Create the successor of the Kanagawa plan (``user``: the ICT admin or a superuser)."""
    from tenken.plans.assignments import plan_assign_departments_from_csv
    from tenken.surveys.selectors import unassigned_initiatives

    found = kanagawa_successor()
    if found is not None:
        return found
    data = _data()
    old = Plan.objects.get(organization__code="140007", title=KANAGAWA_TITLE)
    if unassigned_initiatives(plan=old):
        plan_assign_departments_from_csv(plan=old, path=KANAGAWA_DIR / "departments.csv")
    p = data["plan"]
    plan = plan_create_successor(user=user, predecessor=old, title=p["title"], first_fiscal_year=p["first_fiscal_year"],
                                 last_fiscal_year=p["last_fiscal_year"], description=p["description"])

    def section(title: str) -> Section:
        # a title can repeat at a lower level (a 小項目 named like its 取組項目): take the highest one
        return Section.objects.filter(plan=plan, title=title).order_by("depth", "order").first()

    for s in data["sections"]:
        editing.section_create(user=user, plan=plan, title=s["title"], parent=section(s["parent"]))

    rule = data["carry_over"]
    by_code = {"in_progress": rule["in_progress"], "changed": rule["changed"]}
    carry_over_apply(user=user, successor=plan, decisions=[
        Decision(c.initiative.pk, by_code.get(c.status.code if c.status else "", "end"))
        for c in carry_over_candidates(plan=old, successor=plan)
    ])

    initiatives = {}
    for i in data["initiatives"]:
        dept = department_get_or_create(organization=plan.organization, name=i["department"])
        initiatives[i["key"]] = editing.initiative_create(
            user=user, plan=plan, section=section(i["section"]), text=i["text"], number_label=i["number"],
            departments=[dept], note="デモ（資料の記載から作成）" if i.get("source") == "seed" else "デモ（例示）",
        )
    goals = {}
    for g in data["goals"]:
        goal = editing.goal_create(user=user, plan=plan, title=g["title"],
                                   description=g["description"] + ("（例示）" if g.get("illustrative") else ""))
        editing.goal_link(user=user, goal=goal, sections=[section(t) for t in g["sections"]])
        goals[g["title"]] = goal
    indicators = {}
    for ind in data["indicators"]:
        created = editing.initiative_indicator_create(
            user=user, initiative=initiatives[ind["initiative"]], name=ind["name"], unit=ind["unit"],
            direction=ind["direction"], kind=ind["kind"],
            baseline=Decimal(str(ind["baseline"])) if "baseline" in ind else None,
            baseline_as_of=parse_date(ind["baseline_as_of"]).as_of if "baseline_as_of" in ind else None,
            targets={int(fy): Decimal(str(v)) for fy, v in ind["targets"].items()},
            goals=[goals[ind["goal"]]] if "goal" in ind else [],
        )
        created.note = ind["source"]
        created.save(update_fields=["note"])
        indicators[ind["initiative"]] = (created, ind)
    for m in data["milestones"]:
        milestone = editing.milestone_create(user=user, initiative=initiatives[m["initiative"]], title=m["title"],
                                             due=m["due"])
        if m.get("done"):
            editing.milestone_set_done(user=user, milestone=milestone, done=True, on=milestone.due_date)
    _answer_round(user=user, plan=plan, initiatives=initiatives, indicators=indicators, data=data)
    return plan


def _answer_round(*, user, plan: Plan, initiatives: dict, indicators: dict, data: dict) -> None:
    """The 令和元年度 round: every department answers (illustrative results), with the indicators' actuals."""
    from tenken.surveys.indicator_answers import IndicatorEntry
    from tenken.surveys.models import ReviewChange
    from tenken.surveys.selectors import response_initiatives
    from tenken.surveys.services import Answer, response_answer_all, response_approve, round_open

    survey_round = round_open(user=user, plan=plan, fiscal_year=ROUND_YEAR, deadline=date(2020, 5, 29))
    status_of = {initiatives[i["key"]].pk: i["status_r1"] for i in data["initiatives"]}
    entries_of: dict[int, list[IndicatorEntry]] = {}
    for key, (indicator, spec) in indicators.items():
        entries_of.setdefault(initiatives[key].pk, []).append(
            IndicatorEntry(indicator.pk, str(spec["actual_r1"]), spec.get("actual_r1_as_of", ""))
        )
    for response in survey_round.responses.select_related("round", "round__plan", "round__inspection", "department"):
        mine = response_initiatives(response=response)
        answers = [
            Answer(initiative_id=i.pk, status=status_of.get(i.pk, "実施中"),
                   outcome="（デモ・例示）前計画から継続して取り組んだ。" if i.pk not in status_of else "（デモ・例示）")
            for i in mine
        ]
        entries = [e for i in mine for e in entries_of.get(i.pk, [])]
        response_answer_all(user=user, response=response, answers=answers, via=ReviewChange.Via.WEB,
                            location="デモデータ", indicator_entries=entries)
        response_approve(user=user, response=response)
