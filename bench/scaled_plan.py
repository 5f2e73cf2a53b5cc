"""A plan N times the Kanagawa plan, written through the normal import service (``plan_import``).

The Kanagawa draft (3 policies, 18 items, 105 initiatives) is read once and repeated ``factor`` times
with every policy renamed per copy, so the section tree, headings, reposts and results keep their
real shape. Used by the query-count test (tests/test_public_pages.py) and bench/bench_public.py.
"""

from __future__ import annotations

from dataclasses import replace

from tenken.demo import KANAGAWA_DIR as DATA
from tenken.orgs.services import organization_for_code
from tenken.plans.draft import PlanDraft, assemble
from tenken.plans.models import Plan
from tenken.plans.services import plan_import
from tenken.plans.source import read_plan_file, read_structure_csv
from tenken.plans.statuses import KANAGAWA_STATUSES


def kanagawa_draft() -> PlanDraft:
    return assemble(
        read_plan_file(DATA / "action-plan.xlsx"),
        statuses=KANAGAWA_STATUSES,
        structure=read_structure_csv(DATA / "items.csv"),
    )


def scaled_draft(draft: PlanDraft, factor: int) -> PlanDraft:
    sections = []
    initiatives = []
    for copy in range(factor):
        def key(k: tuple[str, ...], copy: int = copy) -> tuple[str, ...]:
            return (f"{k[0]}#{copy}", *k[1:])

        for s in draft.sections:
            title = s.title if s.depth or copy == 0 else f"{s.title}（{copy + 1}）"
            sections.append(replace(s, key=key(s.key), title=title, order=copy * 10_000 + s.order))
        base = len(initiatives)
        for i in draft.initiatives:
            initiatives.append(
                replace(i, section_key=key(i.section_key), parent=None if i.parent is None else base + i.parent,
                        departments=list(i.departments))
            )
    return PlanDraft(sections=sections, initiatives=initiatives, statuses=draft.statuses)


def import_scaled_plan(factor: int, *, title: str | None = None) -> Plan:
    """Import the Kanagawa plan ``factor`` times over as one plan (org 140007)."""
    return plan_import(
        draft=scaled_draft(kanagawa_draft(), factor),
        organization=organization_for_code(code="140007", location="bench"),
        title=title or f"電子化全開宣言行動計画（{factor}倍）",
        first_fiscal_year=2014,
        last_fiscal_year=2018,
    )
