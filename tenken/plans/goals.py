"""Reads for the logic model of a plan: goal (目指すべき姿) → 施策 (sections) → 取組 → 指標.

:func:`goal_tree` builds the whole tree in a fixed number of queries (goals, their section and initiative
links, sections, initiatives, the reviews given, and the indicators with their observations). An
initiative sits under a goal when it is linked to the goal itself or lies under a section linked to it.

Each initiative carries its latest result (from the ``reviews`` queryset the caller passes: the staff
side passes approved reviews, the public site :func:`tenken.public.visibility.public_reviews`) and its
indicators with their yearly achievement. It is *flagged* (``behind``) when one of its indicators is
rated C or D in its latest year, whatever its status says (a 実施中 initiative can be behind).

:func:`achievement_by_indicator` counts initiatives by indicator rating (A/B/C/D/指標なし) per policy:
the report's 達成状況 read the second way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from tenken.indicators.yearly import InitiativeIndicator, plan_initiative_indicators
from tenken.reviews.models import InitiativeReview, Inspection

from .models import Goal, Initiative, Plan, Section

_RANK = {Inspection.Kind.ANNUAL: 0, Inspection.Kind.FINAL: 1}
NO_INDICATOR = "指標なし"


@dataclass
class InitiativeNode:
    initiative_id: int
    number_label: str
    text: str
    status_label: str
    status_code: str
    indicators: list[InitiativeIndicator] = field(default_factory=list)
    first_status_code: str = ""

    @property
    def rating(self) -> str:
        """The worst latest rating among its indicators ("" without a rated indicator)."""
        from tenken.indicators.rating_config import configured_scale

        order = [b.label for b in configured_scale().bands]  # best first
        ratings = [i.rating for i in self.indicators if i.rating in order]
        return max(ratings, key=order.index) if ratings else ""

    @property
    def behind(self) -> bool:
        return any(i.behind for i in self.indicators)

    @property
    def flagged(self) -> bool:
        """Behind on its indicators although not marked as finished (e.g. 実施中)."""
        return self.behind and self.status_code != self.first_status_code


@dataclass
class SectionNode:
    section_id: int
    label: str
    depth: int
    initiatives: list[InitiativeNode] = field(default_factory=list)


@dataclass
class GoalNode:
    goal_id: int
    title: str
    description: str
    indicators: list[InitiativeIndicator]  # outcome indicators of the goal
    sections: list[SectionNode]
    initiatives: list[InitiativeNode]  # linked directly, outside the linked sections

    @property
    def all_initiatives(self) -> list[InitiativeNode]:
        return [i for s in self.sections for i in s.initiatives] + self.initiatives


@dataclass
class PlanLogic:
    goals: list[GoalNode]
    initiatives: dict[int, InitiativeNode]  # every countable, not retired initiative of the plan
    indicators: list[InitiativeIndicator]
    policies: list[tuple[int, str]]
    policy_of: dict[int, int]  # initiative id → policy section id

    @property
    def flagged(self) -> list[InitiativeNode]:
        return [n for n in self.initiatives.values() if n.flagged]


def _latest(reviews: QuerySet[InitiativeReview], plan: Plan) -> dict[int, tuple[str, str]]:
    best: dict[int, tuple[tuple, str, str]] = {}
    rows = reviews.filter(inspection__plan=plan).values_list(
        "initiative_id", "inspection__fiscal_year", "inspection__kind", "inspection__as_of", "status__label",
        "status__code",
    )
    for ini, fy, kind, as_of, label, code in rows:
        key = (fy, _RANK.get(kind, 0), as_of)
        if ini not in best or key > best[ini][0]:
            best[ini] = (key, label, code)
    return {i: (label, code) for i, (_k, label, code) in best.items()}


def plan_logic(
    *, plan: Plan, reviews: QuerySet[InitiativeReview] | None = None, sections: dict[int, Section] | None = None,
    first_status_code: str | None = None, as_of: date | None = None,
) -> PlanLogic:
    """The plan's logic model. A caller that has read the plan's sections (``{id: section}`` in tree order)
    and its first status code already passes them, saving two queries. ``as_of``: leave out actuals and
    baselines dated after that day (a report's cut-off)."""
    if reviews is None:
        reviews = InitiativeReview.objects.filter(approval=InitiativeReview.Approval.APPROVED)
    first = first_status_code
    if first is None:
        first = plan.statuses.order_by("order").values_list("code", flat=True).first() or ""
    if sections is None:
        sections = {s.pk: s for s in Section.objects.filter(plan=plan).order_by("order")}
    latest = _latest(reviews, plan)
    indicators = plan_initiative_indicators(plan=plan, as_of=as_of)
    by_initiative: dict[int, list[InitiativeIndicator]] = defaultdict(list)
    for ind in indicators:
        for i in ind.initiative_ids:
            by_initiative[i].append(ind)
    nodes: dict[int, InitiativeNode] = {}
    section_of: dict[int, int] = {}
    for pk, section_id, label, text in (
        Initiative.objects.filter(plan=plan, is_heading=False, retired=False).order_by("order")
        .values_list("pk", "section_id", "number_label", "text")
    ):
        status_label, status_code = latest.get(pk, ("", ""))
        nodes[pk] = InitiativeNode(pk, label, text, status_label, status_code, by_initiative.get(pk, []), first)
        section_of[pk] = section_id

    def root(sid: int) -> int:
        node = sections[sid]
        while node.parent_id is not None:
            node = sections[node.parent_id]
        return node.pk

    def ancestors(sid: int) -> list[int]:
        out, node = [], sections.get(sid)
        while node is not None:
            out.append(node.pk)
            node = sections.get(node.parent_id) if node.parent_id else None
        return out

    goals = list(Goal.objects.filter(plan=plan).order_by("order", "pk"))
    goal_sections: dict[int, list[int]] = defaultdict(list)
    for gid, sid in Goal.sections.through.objects.filter(goal__plan=plan).values_list("goal_id", "section_id"):
        goal_sections[gid].append(sid)
    goal_initiatives: dict[int, list[int]] = defaultdict(list)
    for gid, iid in Goal.initiatives.through.objects.filter(goal__plan=plan).values_list("goal_id", "initiative_id"):
        goal_initiatives[gid].append(iid)
    goal_indicators: dict[int, list[InitiativeIndicator]] = defaultdict(list)
    for ind in indicators:
        for gid in ind.goal_ids:
            goal_indicators[gid].append(ind)
    tree = []
    for g in goals:
        linked = sorted(set(goal_sections[g.pk]), key=lambda s: sections[s].order)
        linked_set = set(linked)
        snodes = []
        placed: set[int] = set()
        for sid in linked:
            if any(a in linked_set for a in ancestors(sid)[1:]):
                continue  # shown under its linked ancestor
            s = sections[sid]
            inis = [n for pk, n in nodes.items() if sid in ancestors(section_of[pk])]
            placed.update(n.initiative_id for n in inis)
            snodes.append(SectionNode(sid, s.label, s.depth, inis))
        direct = [nodes[i] for i in sorted(goal_initiatives[g.pk], key=lambda i: list(nodes).index(i) if i in nodes else 0)
                  if i in nodes and i not in placed]
        tree.append(GoalNode(g.pk, g.title, g.description, goal_indicators[g.pk], snodes, direct))
    policies = [(s.pk, s.title) for s in sections.values() if s.parent_id is None]
    return PlanLogic(tree, nodes, indicators, policies, {pk: root(sid) for pk, sid in section_of.items()})


def rating_labels() -> tuple[str, ...]:
    from tenken.indicators.rating_config import configured_scale

    return tuple(b.label for b in configured_scale().bands)


def achievement_by_indicator(logic: PlanLogic, labels: tuple[str, ...] | None = None) -> list[tuple[str, list[int], int]]:
    """``[(policy title, [count per label…, 指標なし], total)]`` plus a final ``("計", …)`` row."""
    labels = labels or rating_labels()
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for pk, node in logic.initiatives.items():
        counts[logic.policy_of[pk]][node.rating or NO_INDICATOR] += 1
    rows = []
    total: Counter[str] = Counter()
    for pid, title in logic.policies:
        c = counts[pid]
        total.update(c)
        rows.append((title, [c.get(x, 0) for x in (*labels, NO_INDICATOR)], sum(c.values())))
    rows.append(("計", [total.get(x, 0) for x in (*labels, NO_INDICATOR)], sum(total.values())))
    return rows
