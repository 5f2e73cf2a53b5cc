"""The next plan: a successor created from a finished plan, with a carry-over decision per initiative.

* :func:`plan_create_successor` creates the new plan (title, period), linked by ``predecessor``; it copies
  the status scale and level names and, unless told otherwise, the section tree (not retired sections).
* :func:`carry_over_candidates` lists the initiatives offered: every countable, not retired initiative of
  the old plan whose latest approved result is not the scale's first (達成・完了) status — for Kanagawa
  the 35 実施中 and 5 変更 ones. Achieved initiatives are listed apart (:func:`achieved_initiatives`)
  and may still be continued.
* :func:`carry_over_apply` records the decisions: 継続 creates the new initiative (text, number, departments)
  in the chosen section of the new plan; 統合 links the old initiative to the new initiative of another
  continued one; 終了 records the end. The old initiative's indicators come along as indicators of the new
  one, with the last actual as the baseline (``Indicator.carried_from`` keeps the link). Each decision is
  a :class:`~tenken.plans.models.CarryOver` row and a :class:`~tenken.plans.models.PlanChange`.

:func:`initiative_lineage` reads the history of an initiative across the plans it was carried through.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import normalize
from tenken.orgs.access import check_plan_editing
from tenken.reviews.models import InitiativeReview, Inspection

from .editing import _insert_order, record_change
from .models import CarryOver, Initiative, Plan, Section, SectionLevel, Status


@transaction.atomic
def plan_create_successor(
    *,
    user,
    predecessor: Plan,
    title: str,
    first_fiscal_year: int,
    last_fiscal_year: int,
    copy_structure: bool = True,
    description: str = "",
) -> Plan:
    check_plan_editing(user=user, plan=predecessor)
    problems = []
    title = (title or "").strip()
    if not title:
        problems.append(Problem("計画名", "計画名を入力してください"))
    if last_fiscal_year < first_fiscal_year:
        problems.append(Problem("計画期間", "終了年度は開始年度以降にしてください"))
    if first_fiscal_year <= predecessor.first_fiscal_year:
        problems.append(Problem("計画期間", f"後継計画は前計画（{predecessor.period_label}）より後に始まる必要があります"))
    if Plan.objects.filter(organization=predecessor.organization, title=title, first_fiscal_year=first_fiscal_year,
                           last_fiscal_year=last_fiscal_year).exists():
        problems.append(Problem("計画名", f"計画「{title}」（同じ期間）は既に登録されています"))
    if problems:
        raise InputRejected(problems)
    plan = Plan.objects.create(
        organization=predecessor.organization, title=title, first_fiscal_year=first_fiscal_year,
        last_fiscal_year=last_fiscal_year, predecessor=predecessor, description=description.strip(),
        source_name=f"前計画「{predecessor.title}」から作成",
    )
    SectionLevel.objects.bulk_create(
        SectionLevel(plan=plan, depth=lv.depth, name=lv.name, optional=lv.optional) for lv in predecessor.levels.all()
    )
    Status.objects.bulk_create(
        Status(plan=plan, code=s.code, label=s.label, long_label=s.long_label, column_label=s.column_label,
               order=s.order, requires_reason=s.requires_reason, color=s.color)
        for s in predecessor.statuses.all()
    )
    if copy_structure:
        mapping: dict[int, Section] = {}
        for s in Section.objects.filter(plan=predecessor, retired=False).order_by("order"):
            if s.parent_id is not None and s.parent_id not in mapping:
                continue  # under a retired section
            mapping[s.pk] = Section.objects.create(
                plan=plan, parent=mapping.get(s.parent_id), depth=s.depth, code=s.code, title=s.title, order=s.order
            )
    record_change(user=user, plan=plan, target="plan", obj=plan, action="create", field="前計画",
                  new=f"{predecessor}（構成を{'引き継いで' if copy_structure else '引き継がずに'}作成）")
    record_change(user=user, plan=predecessor, target="plan", obj=predecessor, action="link", field="後継計画",
                  new=str(plan))
    return plan


# -- what is offered ---------------------------------------------------------------------------------

def latest_results(*, plan: Plan) -> dict[int, Status]:
    """Each initiative's latest approved result (the latest inspection wins; final after annual)."""
    rank = {Inspection.Kind.ANNUAL: 0, Inspection.Kind.FINAL: 1}
    reviews = (
        InitiativeReview.objects.filter(inspection__plan=plan, approval=InitiativeReview.Approval.APPROVED)
        .select_related("status", "inspection")
    )
    best: dict[int, tuple[tuple, Status]] = {}
    for r in reviews:
        key = (r.inspection.fiscal_year, rank.get(r.inspection.kind, 0), r.inspection.as_of)
        if r.initiative_id not in best or key > best[r.initiative_id][0]:
            best[r.initiative_id] = (key, r.status)
    return {i: s for i, (_k, s) in best.items()}


@dataclass
class Candidate:
    initiative: Initiative
    status: Status | None
    decision: CarryOver | None
    section_path: str


def _finished_code(plan: Plan) -> str | None:
    first = plan.statuses.order_by("order").first()
    return first.code if first else None


def _candidates(plan: Plan, successor: Plan | None, *, finished: bool) -> list[Candidate]:
    results = latest_results(plan=plan)
    done = _finished_code(plan)
    decisions = {}
    if successor is not None:
        decisions = {c.old_initiative_id: c for c in CarryOver.objects.filter(successor=successor)
                     .select_related("new_initiative")}
    sections = {s.pk: s for s in Section.objects.filter(plan=plan)}

    def path(sid: int) -> str:
        out, node = [], sections.get(sid)
        while node is not None:
            out.insert(0, node.title)
            node = sections.get(node.parent_id) if node.parent_id else None
        return " ＞ ".join(out)

    out = []
    for i in Initiative.objects.filter(plan=plan, is_heading=False, retired=False).order_by("order"):
        status = results.get(i.pk)
        is_done = status is not None and status.code == done
        if is_done == finished:
            out.append(Candidate(i, status, decisions.get(i.pk), path(i.section_id)))
    return out


def carry_over_candidates(*, plan: Plan, successor: Plan | None = None) -> list[Candidate]:
    """Initiatives offered for carry-over (not achieved), with the decision already recorded, if any."""
    return _candidates(plan, successor, finished=False)


def achieved_initiatives(*, plan: Plan, successor: Plan | None = None) -> list[Candidate]:
    return _candidates(plan, successor, finished=True)


# -- deciding ----------------------------------------------------------------------------------------

@dataclass
class Decision:
    old_initiative_id: int
    choice: str  # CarryOver.Choice value: continue | merge | end
    section_id: int | None = None  # 継続: the new plan's section (default: the copied counterpart)
    merge_into: int | None = None  # 統合: the *old* initiative (continued) whose new initiative absorbs this one


def _counterpart(successor: Plan, old_section: Section, old_sections: dict[int, Section],
                 new_by_path: dict[tuple[str, ...], Section]) -> Section | None:
    path: list[str] = []
    node: Section | None = old_section
    while node is not None:
        path.insert(0, normalize(node.title))
        node = old_sections.get(node.parent_id) if node.parent_id else None
    while path:
        found = new_by_path.get(tuple(path))
        if found is not None:
            return found
        path.pop()
    return None


def _carry_indicators(*, old: Initiative, new: Initiative, successor: Plan) -> int:
    """Copy the current indicators of ``old`` to ``new``: last actual (else baseline) as the baseline."""
    from tenken.indicators.models import Indicator, Observation

    n = 0
    for ind in Indicator.objects.filter(initiatives=old, successor__isnull=True):
        copy = Indicator.objects.filter(carried_from=ind, plan=successor).first()
        if copy is None:
            copy = Indicator.objects.create(
                organization=ind.organization, plan=successor, department=ind.department, name=ind.name,
                unit=ind.unit, direction=ind.direction, decimals=ind.decimals, kind=ind.kind, order=ind.order,
                note=ind.note, carried_from=ind,
            )
            last = (
                ind.observations.filter(kind=Observation.Kind.ACTUAL).order_by("-as_of").first()
                or ind.observations.filter(kind=Observation.Kind.BASELINE).order_by("-as_of").first()
            )
            if last is not None:
                Observation.objects.create(
                    indicator=copy, kind=Observation.Kind.BASELINE, value=last.value, as_of=last.as_of,
                    as_of_text=last.as_of_text, fiscal_year=last.fiscal_year,
                    source=f"前計画「{old.plan.title}」の{last.get_kind_display()}",
                    note=f"前計画の指標（ID {ind.pk}）から引継ぎ",
                )
            n += 1
        copy.initiatives.add(new)
    return n


@transaction.atomic
def carry_over_apply(*, user, successor: Plan, decisions: list[Decision]) -> list[CarryOver]:
    """Record carry-over decisions for initiatives of ``successor.predecessor``; all or nothing.

    A decision already recorded for an initiative is not changed (a problem is reported instead).
    """
    predecessor = successor.predecessor
    if predecessor is None:
        raise InputRejected(Problem("前計画", f"計画「{successor}」には前計画がありません"))
    check_plan_editing(user=user, plan=successor)
    old_by_id = {
        i.pk: i for i in Initiative.objects.filter(plan=predecessor, is_heading=False)
        .select_related("plan", "section")
    }
    done = {c.old_initiative_id: c for c in CarryOver.objects.filter(successor=successor)}
    new_sections = {s.pk: s for s in Section.objects.filter(plan=successor)}
    old_sections = {s.pk: s for s in Section.objects.filter(plan=predecessor)}
    by_path: dict[tuple[str, ...], Section] = {}
    for s in new_sections.values():
        path, node = [], s
        while node is not None:
            path.insert(0, normalize(node.title))
            node = new_sections.get(node.parent_id) if node.parent_id else None
        by_path[tuple(path)] = s
    valid_choices = {c.value for c in CarryOver.Choice}
    continuing = {d.old_initiative_id for d in decisions if d.choice == CarryOver.Choice.CONTINUE}
    continuing |= {k for k, c in done.items() if c.choice == CarryOver.Choice.CONTINUE}
    problems: list[Problem] = []
    seen: set[int] = set()
    for d in decisions:
        old = old_by_id.get(d.old_initiative_id)
        where = f"取組{old.number_label or '（番号なし）'}" if old else f"取組ID {d.old_initiative_id}"
        if old is None:
            problems.append(Problem(where, "前計画の取組ではありません"))
            continue
        if d.old_initiative_id in seen:
            problems.append(Problem(where, "同じ取組が二度指定されています"))
        seen.add(d.old_initiative_id)
        if d.choice not in valid_choices:
            problems.append(Problem(where, f"引継ぎ「{d.choice}」は選択肢（継続・統合・終了）にありません"))
            continue
        if d.old_initiative_id in done:
            problems.append(Problem(where, f"既に「{done[d.old_initiative_id].get_choice_display()}」と決定済みです"))
            continue
        if d.choice == CarryOver.Choice.CONTINUE:
            section = new_sections.get(d.section_id) if d.section_id else _counterpart(
                successor, old.section, old_sections, by_path)
            if section is None:
                problems.append(Problem(where, "継続先の方針・取組項目を選んでください（後継計画に項目がありません）"))
        if d.choice == CarryOver.Choice.MERGE:
            if d.merge_into is None or d.merge_into not in continuing or d.merge_into == d.old_initiative_id:
                problems.append(Problem(where, "統合先には「継続」とする前計画の取組を選んでください"))
    if problems:
        raise InputRejected(problems)

    created: list[CarryOver] = []
    new_of: dict[int, Initiative] = {k: c.new_initiative for k, c in done.items()
                                     if c.choice == CarryOver.Choice.CONTINUE and c.new_initiative_id}
    for d in sorted(decisions, key=lambda d: d.choice != CarryOver.Choice.CONTINUE):  # continue first
        old = old_by_id[d.old_initiative_id]
        new = None
        if d.choice == CarryOver.Choice.CONTINUE:
            section = new_sections.get(d.section_id) if d.section_id else _counterpart(
                successor, old.section, old_sections, by_path)
            new = Initiative.objects.create(
                plan=successor, section=section, number_label=old.number_label, name=old.name, text=old.text,
                order=_insert_order(successor, section), note=f"前計画「{predecessor.title}」の取組{old.number_label}を継続",
            )
            new.departments.set(old.departments.all())
            new_of[old.pk] = new
        elif d.choice == CarryOver.Choice.MERGE:
            new = new_of[d.merge_into]
        if new is not None:
            _carry_indicators(old=old, new=new, successor=successor)
        co = CarryOver.objects.create(successor=successor, old_initiative=old, new_initiative=new, choice=d.choice,
                                      decided_by=user if getattr(user, "is_authenticated", False) else None)
        created.append(co)
        record_change(user=user, plan=successor, target="initiative", obj=new or old, action="carry",
                      field=f"前計画の取組{old.number_label}", new=co.get_choice_display())
    return created


# -- reading the lineage -----------------------------------------------------------------------------

@dataclass
class LineageStep:
    plan: Plan
    initiative: Initiative
    choice: str  # how this step was reached from the previous one ("" for the first)
    results: list[InitiativeReview]


def initiative_lineage(*, initiative: Initiative, reviews=None) -> list[LineageStep]:
    """The initiative and what it continues (and continued as) across plans, oldest plan first.

    Each step carries that plan's approved results. Only carry-overs with a new initiative (継続・統合)
    link steps; an initiative merged into this one appears as an earlier step too. ``reviews`` is the
    queryset results are read from (the public site passes ``tenken.public.visibility.public_reviews()``);
    by default approved reviews.
    """
    if reviews is None:
        reviews = InitiativeReview.objects.filter(approval=InitiativeReview.Approval.APPROVED)
    chain: list[tuple[Initiative, str]] = []
    seen: set[int] = set()

    def back(i: Initiative) -> None:
        for co in CarryOver.objects.filter(new_initiative=i).select_related("old_initiative__plan"):
            if co.old_initiative_id not in seen:
                seen.add(co.old_initiative_id)
                back(co.old_initiative)
                chain.append((co.old_initiative, ""))

    seen.add(initiative.pk)
    back(initiative)
    incoming = {co.old_initiative_id: co.get_choice_display()
                for co in CarryOver.objects.filter(new_initiative=initiative)}
    chain.append((initiative, ""))
    node = initiative
    while True:
        co = CarryOver.objects.filter(old_initiative=node, new_initiative__isnull=False).select_related(
            "new_initiative__plan").first()
        if co is None or co.new_initiative_id in seen:
            break
        seen.add(co.new_initiative_id)
        chain.append((co.new_initiative, co.get_choice_display()))
        node = co.new_initiative
    steps = []
    for i, how in chain:
        rows = reviews.filter(initiative=i).select_related("status", "inspection")
        steps.append(LineageStep(i.plan, i, how or incoming.get(i.pk, ""),
                                 sorted(rows, key=lambda r: (r.fiscal_year, r.inspection.kind != "annual"))))
    return steps
