"""Reads for inspections: status counts rolled up the section tree."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import models

from tenken.plans.models import Section

from .models import InitiativeReview, Inspection, SectionNarrative


def status_counts_by_section(
    *, inspection: Inspection, approved_only: bool = False, reviews: models.QuerySet | None = None
) -> dict[int, Counter[str]]:
    """``{section_id: Counter({status_code: n})}`` for every section, including its descendants.

    Heading initiatives have no review and so are never counted; 再掲 rows are counted. Two queries,
    whatever the plan size. ``reviews`` replaces the inspection's live reviews (a publication passes its
    frozen copies, which have the same field names).
    """
    parents = dict(Section.objects.filter(plan_id=inspection.plan_id).values_list("id", "parent_id"))
    if reviews is not None:
        reviews = reviews.filter(initiative__is_heading=False)
    else:
        reviews = InitiativeReview.objects.filter(inspection=inspection, initiative__is_heading=False)
    if approved_only and reviews.model is InitiativeReview:
        reviews = reviews.filter(approval=InitiativeReview.Approval.APPROVED)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for section_id, code in reviews.values_list("initiative__section_id", "status__code"):
        node: int | None = section_id
        while node is not None:
            counts[node][code] += 1
            node = parents.get(node)
    return {sid: counts.get(sid, Counter()) for sid in parents}


def report_inspection(*, plan_id: int) -> Inspection | None:
    """The inspection a plan's 点検報告書 renders: the latest one — the latest fiscal year, the final
    inspection before the annual one of the same year, then the latest as-of date. A plan with yearly
    results only (as the synthetic national plans) reports its latest annual inspection."""
    return (
        Inspection.objects.filter(plan_id=plan_id)
        .order_by(
            "-fiscal_year",
            models.Case(models.When(kind=Inspection.Kind.FINAL, then=0), default=1),
            "-as_of",
            "-pk",
        )
        .first()
    )


# -- report texts written in the web -----------------------------------------------------------------

NARRATIVE_FIELDS = (
    ("main_initiatives", "主な取組"),
    ("results", "成果"),
    ("issues_and_plans", "課題・今後の予定等"),
    ("changed_initiatives", "変更した取組"),
)
CHAPTER_FIELDS = (("purpose", "趣旨・考え方"), ("conclusion", "全体総括"))
FIELD_LABELS = {**dict(NARRATIVE_FIELDS), **dict(CHAPTER_FIELDS), "state": "状態"}
STATE_LABELS = {"draft": "下書き", "approved": "承認"}


def _subtrees(plan_id: int) -> tuple[dict[int, Section], dict[int, int]]:
    """``(sections by id, {section_id: its 取組項目 (depth-1 ancestor) id})``."""
    sections = {s.pk: s for s in Section.objects.filter(plan_id=plan_id).order_by("order")}
    item_of: dict[int, int] = {}
    for sid, s in sections.items():
        node = s
        while node is not None and node.depth > 1:
            node = sections.get(node.parent_id)
        if node is not None and node.depth == 1:
            item_of[sid] = node.pk
    return sections, item_of


def lead_departments(*, plan) -> dict[int, int]:
    """``{取組項目 id: lead department id}``: the department answering most of the item's initiatives
    (ties: 表示順, 名称, id). Items without any answering department are absent."""
    from collections import Counter as _Counter

    from tenken.orgs.models import Department
    from tenken.plans.models import Initiative
    from tenken.surveys.selectors import answering_departments

    mapping = answering_departments(plan=plan)
    _, item_of = _subtrees(plan.pk)
    section_of = dict(Initiative.objects.filter(pk__in=list(mapping)).values_list("pk", "section_id"))
    counts: dict[int, _Counter] = {}
    for initiative_id, dept in mapping.items():
        item = item_of.get(section_of.get(initiative_id))
        if item is not None:
            counts.setdefault(item, _Counter())[dept] += 1
    keys = {d.pk: (d.order, d.name, d.pk) for d in Department.objects.filter(pk__in=set(mapping.values()))}
    return {item: min(c, key=lambda d: (-c[d], keys[d])) for item, c in counts.items()}


@dataclass
class NarrativeItem:
    """One 取組項目 of the narratives page: its text (or ``None``), state, lead department, approved answers."""

    section: Section
    policy: Section | None
    narrative: SectionNarrative | None
    lead_department: object | None
    approved: int
    total: int

    @property
    def state(self) -> str:
        return self.narrative.state if self.narrative is not None else ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "未作成")


def narrative_items(*, inspection: Inspection) -> list[NarrativeItem]:
    """Every 取組項目 of the plan with its narrative; a fixed number of queries whatever the plan size."""
    from tenken.orgs.models import Department

    sections, item_of = _subtrees(inspection.plan_id)
    narratives = {
        n.section_id: n for n in SectionNarrative.objects.filter(inspection=inspection).select_related("updated_by")
    }
    leads = lead_departments(plan=inspection.plan)
    departments = {d.pk: d for d in Department.objects.filter(pk__in=set(leads.values()))}
    approved: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for section_id, approval in InitiativeReview.objects.filter(
        inspection=inspection, initiative__is_heading=False
    ).values_list("initiative__section_id", "approval"):
        item = item_of.get(section_id)
        total[item] += 1
        if approval == InitiativeReview.Approval.APPROVED:
            approved[item] += 1
    return [
        NarrativeItem(
            section=s,
            policy=sections.get(s.parent_id),
            narrative=narratives.get(s.pk),
            lead_department=departments.get(leads.get(s.pk)),
            approved=approved[s.pk],
            total=total[s.pk],
        )
        for s in sections.values()
        if s.depth == 1
    ]


@dataclass
class NarrativeSource:
    """The approved answers of one 取組項目 a narrative is drafted from."""

    reviews: list[InitiativeReview]

    @property
    def changed(self) -> list[InitiativeReview]:
        return [r for r in self.reviews if r.status.requires_reason]

    def draft(self) -> dict[str, str]:
        """A first draft of the four texts: one statement per line; 変更 reasons gathered automatically
        (``取組 (理由) 理由``, the form ``tenken import-inspection`` reads)."""
        return {
            "main_initiatives": "\n".join(r.initiative.text.splitlines()[0] for r in self.reviews
                                          if not r.status.requires_reason and r.initiative.text),
            "results": "\n".join(r.outcome for r in self.reviews if r.outcome.strip()),
            "issues_and_plans": "\n".join(r.issues for r in self.reviews if r.issues.strip()),
            "changed_initiatives": "\n".join(
                f"{r.initiative.text.splitlines()[0] if r.initiative.text else r.initiative.number_label} (理由) "
                f"{r.change_reason}".strip()
                for r in self.changed
            ),
        }


def narrative_source(*, inspection: Inspection, section: Section) -> NarrativeSource:
    _, item_of = _subtrees(inspection.plan_id)
    inside = [sid for sid, item in item_of.items() if item == section.pk]
    reviews = list(
        InitiativeReview.objects.filter(
            inspection=inspection,
            initiative__section_id__in=inside,
            initiative__is_heading=False,
            approval=InitiativeReview.Approval.APPROVED,
        ).select_related("initiative", "status").order_by("initiative__order")
    )
    return NarrativeSource(reviews)


def narrative_history(*, inspection: Inspection, section: Section | None) -> list:
    """Changes of one 取組項目's narrative (or of the chapter texts when ``section`` is None), newest first."""
    from .models import NarrativeChange

    qs = NarrativeChange.objects.filter(inspection=inspection).select_related("changed_by")
    qs = qs.filter(section=section) if section is not None else qs.filter(section__isnull=True)
    return list(qs.order_by("-changed_at", "-id"))
