"""Chapter 5 of the report: 目指すべき姿と指標 — the goal tree, the per-initiative indicator table, the
達成状況 read by indicator achievement (A/B/C/D), initiatives flagged as behind, and the history of
initiatives carried over from the predecessor plan.

:func:`build_logic` reads it in a fixed number of queries and returns plain values (no model instances),
so the renderers stay database-free. The chapter is shown only when the plan has goals, initiative
indicators or carried-over initiatives (:attr:`LogicChapter.present`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tenken.common.wareki import format_month
from tenken.indicators.yearly import InitiativeIndicator
from tenken.plans.goals import GoalNode, InitiativeNode, achievement_by_indicator, plan_logic, rating_labels
from tenken.plans.models import CarryOver, Plan
from tenken.reviews.models import InitiativeReview

CHAPTER_TITLE = "目指すべき姿と指標"


@dataclass(frozen=True)
class IndicatorLine:
    """One row of the per-initiative indicator table."""

    initiative_label: str
    initiative_text: str
    indicator: InitiativeIndicator
    flagged: bool


@dataclass(frozen=True)
class CarriedLine:
    """An initiative of this plan and what it continues from the predecessor."""

    new_label: str
    new_text: str
    old_plan: str
    old_label: str
    old_text: str
    choice: str
    old_results: str  # "H30年度 実施中、H30年度（最終）実施中"


@dataclass
class LogicChapter:
    goals: list[GoalNode] = field(default_factory=list)
    lines: list[IndicatorLine] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    rating_labels: tuple[str, ...] = ()
    by_indicator: list[tuple[str, list[int], int]] = field(default_factory=list)
    flagged: list[InitiativeNode] = field(default_factory=list)
    carried: list[CarriedLine] = field(default_factory=list)
    predecessor: str = ""
    successors: list[str] = field(default_factory=list)
    as_of_label: str = ""  # 和暦 month of the report's indicator cut-off

    @property
    def cut_off_note(self) -> str:
        """The sentence stating the cut-off of the yearly actuals ("" without indicators or cut-off)."""
        if not self.lines or not self.as_of_label:
            return ""
        return f"実績値と基準値は{self.as_of_label}までに記録された値です（それより後の値は載せていません）。"

    @property
    def present(self) -> bool:
        return bool(self.goals or self.lines or self.carried)

    @property
    def indicator_headers(self) -> list[str]:
        return [*self.rating_labels, "指標なし"]


def build_logic(*, plan: Plan, approved_only: bool = True, sections=None, first_status_code: str | None = None,
                as_of: date | None = None, publication=None) -> LogicChapter:
    """Chapter 5; ``as_of``: the report's indicator cut-off (no actual dated after it). With ``publication``
    (a published version), the results are those the public may see as of that version
    (:func:`tenken.public.visibility.reviews_of_published_report`), never the live reviews."""
    if publication is not None:
        from tenken.public.visibility import reviews_of_published_report

        reviews = reviews_of_published_report(publication)
    else:
        reviews = InitiativeReview.objects.all()
        if approved_only:
            reviews = reviews.filter(approval=InitiativeReview.Approval.APPROVED)
    logic = plan_logic(plan=plan, reviews=reviews, sections=sections, first_status_code=first_status_code,
                       as_of=as_of)
    lines = [
        IndicatorLine(node.number_label, node.text, ind, node.flagged)
        for node in logic.initiatives.values()
        for ind in node.indicators
    ]
    carried = _carried(plan, reviews)
    chapter = LogicChapter(
        goals=logic.goals,
        lines=lines,
        years=[y.label for y in (logic.indicators[0].years if logic.indicators else [])],
        rating_labels=rating_labels(),
        by_indicator=achievement_by_indicator(logic),
        flagged=logic.flagged,
        carried=carried,
        predecessor=str(plan.predecessor) if plan.predecessor_id else "",
        successors=[str(p) for p in plan.successors.order_by("first_fiscal_year")],
        as_of_label=format_month(as_of) if as_of else "",
    )
    return chapter


def _carried(plan: Plan, reviews) -> list[CarriedLine]:
    rows = list(
        CarryOver.objects.filter(successor=plan, new_initiative__isnull=False)
        .select_related("old_initiative__plan", "new_initiative")
        .order_by("new_initiative__order", "old_initiative__order")
    )
    old_ids = [r.old_initiative_id for r in rows]
    results: dict[int, list[str]] = {}
    for ini, fy, kind, label in (
        reviews.filter(initiative_id__in=old_ids)
        .order_by("fiscal_year", "inspection__kind")
        .values_list("initiative_id", "fiscal_year", "inspection__kind", "status__label")
    ):
        from tenken.common.wareki import fiscal_year_label

        results.setdefault(ini, []).append(f"{fiscal_year_label(fy)}{'（最終）' if kind == 'final' else ''} {label}")
    return [
        CarriedLine(
            new_label=r.new_initiative.number_label,
            new_text=r.new_initiative.text,
            old_plan=r.old_initiative.plan.title,
            old_label=r.old_initiative.number_label,
            old_text=r.old_initiative.text,
            choice=r.get_choice_display(),
            old_results="、".join(results.get(r.old_initiative_id, [])) or "－",
        )
        for r in rows
    ]


def _num(value) -> str:
    return "－" if value is None else f"{value.normalize():f}"


def goal_tree_lines(chapter: LogicChapter) -> list[tuple[int, str]]:
    """The goal tree as ``(level, text)`` lines: 0 goal, 1 施策 / outcome indicators, 2 取組."""
    out: list[tuple[int, str]] = []
    for n, g in enumerate(chapter.goals, start=1):
        out.append((0, f"目指すべき姿{n}: {g.title}"))
        if g.description:
            out.append((1, g.description))
        for i in g.indicators:
            latest = f" {i.latest.label} 実績 {_num(i.latest.actual)}・評価 {i.latest.rating or '－'}" if i.latest else ""
            out.append((1, f"成果指標: {i.name}（{i.unit}）{latest}"))
        for s in g.sections:
            out.append((1, f"施策: {s.label}"))
            for ini in s.initiatives:
                out.append((2, _initiative_line(ini)))
        for ini in g.initiatives:
            out.append((1, _initiative_line(ini)))
    return out


def _initiative_line(n: InitiativeNode) -> str:
    rating = f"・指標 {n.rating}" if n.rating else ""
    flag = " ※指標が遅れています" if n.flagged else ""
    return f"取組{n.number_label} {n.text[:60]}（{n.status_label or '未点検'}{rating}）{flag}"


def logic_tables(chapter: LogicChapter) -> list[tuple[str, list[str], list[list[str]]]]:
    """Chapter 5's tables as plain text cells, for the Word and Excel renderers."""
    indicator_rows = [
        [
            line.initiative_label or "－",
            f"{line.indicator.name}（{line.indicator.kind_label}・{line.indicator.direction_label}）",
            line.indicator.unit,
            (line.indicator.baseline_display or "－") + (f"\n{line.indicator.baseline_label}" if line.indicator.baseline_label else ""),
            *[f"{_num(y.target)}／{_num(y.actual)}" + (f"（{y.rating}）" if y.rating else "") for y in line.indicator.years],
        ]
        for line in chapter.lines
    ]
    tables = [
        ("(2) 取組ごとの指標", ["取組No", "指標", "単位", "基準値", *[f"{y} 目標／実績（評価）" for y in chapter.years]],
         indicator_rows),
        ("(3) 達成状況（指標による評価）", ["方針", *chapter.indicator_headers, "計"],
         [[title, *map(str, counts), str(total)] for title, counts, total in chapter.by_indicator]),
    ]
    if chapter.flagged:
        tables.append(("指標が遅れている取組（実施結果は達成以外）", ["取組No", "取組内容", "実施結果", "指標の評価"],
                       [[n.number_label, n.text[:60], n.status_label or "未点検", n.rating] for n in chapter.flagged]))
    tables.append(("(4) 前計画からの取組の経過", ["取組No", "取組内容", "前計画", "前計画の取組", "引継ぎ", "前計画での実施結果"],
                   [[c.new_label, c.new_text[:60], c.old_plan, f"{c.old_label} {c.old_text[:40]}", c.choice, c.old_results]
                    for c in chapter.carried]))
    return tables
