"""Reads for the public site: a whole plan in a fixed number of queries, filtered in memory.

Contract: :func:`plan_overview` runs the same number of SQL queries whatever the plan size (plan,
statuses, sections, initiatives, their departments, the organization's departments, inspections and
the approved reviews — see ``tests/test_public_pages.py``). Reviews come only from
:func:`tenken.public.visibility.public_reviews`, so unapproved answers never reach a page.

"Latest status" of an initiative = its approved review in the most recent inspection (by fiscal year;
within one year the final inspection comes after the annual one).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.shortcuts import get_object_or_404

from tenken.common.text import normalize
from tenken.orgs.models import Department
from tenken.plans.models import Initiative, Plan, Section, Status
from tenken.reviews.models import Inspection

from .visibility import (
    downloadable_publications,
    public_initiatives,
    public_inspections,
    public_plans,
    public_reviews,
    public_sections,
    public_statuses,
)

_KIND_RANK = {Inspection.Kind.ANNUAL: 0, Inspection.Kind.FINAL: 1}


def search_key(text: str) -> str:
    """Key for Japanese partial matching: NFKC (全角 ``ＨＥＭＳ`` = ``HEMS``), no spaces, case-folded."""
    return normalize(text).casefold()


def inspection_rank(inspection: Inspection) -> tuple[int, int, date]:
    return (inspection.fiscal_year, _KIND_RANK.get(inspection.kind, 0), inspection.as_of)


@dataclass
class PublicReview:
    inspection: Inspection
    status: Status
    fiscal_year: int
    change_reason: str
    outcome: str
    issues: str


@dataclass
class PublicInitiative:
    pk: int
    number_label: str
    text: str
    is_heading: bool
    is_repost: bool
    section: Section
    parent_id: int | None
    order: int
    departments: list[Department] = field(default_factory=list)
    latest: PublicReview | None = None
    name: str = ""  # 取組名, when the plan keeps one beside the text


@dataclass
class SectionBlock:
    """A section with the (filtered) initiatives directly in it, for the grouped listing."""

    section: Section
    initiatives: list[PublicInitiative]
    counts: Counter[str]


@dataclass
class PlanOverview:
    plan: Plan
    statuses: list[Status]
    sections: list[Section]
    initiatives: list[PublicInitiative]
    departments: list[Department]
    inspections: list[Inspection]
    latest_counts: dict[int, Counter[str]]  # section id → latest status counts (descendants included)
    inspection_counts: dict[int, Counter[str]]  # inspection id → status counts of its approved reviews

    @property
    def policies(self) -> list[Section]:
        return [s for s in self.sections if s.depth == 0]

    @property
    def total_counts(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for policy in self.policies:
            total.update(self.latest_counts.get(policy.pk, Counter()))
        return total

    @property
    def countable(self) -> list[PublicInitiative]:
        return [i for i in self.initiatives if not i.is_heading]


def public_plan_list() -> list[Plan]:
    return list(public_plans().select_related("organization").order_by("organization__code", "-first_fiscal_year"))


def plan_overview(*, plan_id: int) -> PlanOverview:
    """The plan with every section, initiative and latest approved status (404 if no such plan)."""
    plan = get_object_or_404(public_plans().select_related("organization"), pk=plan_id)
    statuses = list(public_statuses().filter(plan=plan))
    by_status = {s.pk: s for s in statuses}
    sections = list(public_sections().filter(plan=plan).order_by("order"))
    by_section = {s.pk: s for s in sections}
    inspections = sorted(public_inspections().filter(plan=plan), key=inspection_rank)
    by_inspection = {i.pk: i for i in inspections}
    departments = list(Department.objects.filter(organization_id=plan.organization_id).order_by("order", "name"))
    by_department = {d.pk: d for d in departments}
    links = Initiative.departments.through.objects.filter(initiative__plan=plan).values_list(
        "initiative_id", "department_id"
    )
    departments_of: dict[int, list[Department]] = defaultdict(list)
    for initiative_id, department_id in links:
        if department_id in by_department:
            departments_of[initiative_id].append(by_department[department_id])

    # Plain tuples rather than model instances: this runs for every initiative on every page view.
    rows = list(
        public_initiatives()
        .filter(plan=plan)
        .order_by("order")
        .values_list("id", "number_label", "text", "is_heading", "is_repost", "section_id", "parent_id", "order", "name")
    )
    heading_ids = {r[0] for r in rows if r[3]}
    latest: dict[int, tuple] = {}
    inspection_counts: dict[int, Counter[str]] = {i.pk: Counter() for i in inspections}
    ranks = {pk: inspection_rank(i) for pk, i in by_inspection.items()}
    for review in public_reviews().filter(inspection__plan=plan).values_list(
        "inspection_id", "initiative_id", "status_id", "fiscal_year", "change_reason", "outcome", "issues"
    ):
        inspection_id, initiative_id, status_id = review[:3]
        if initiative_id in heading_ids:
            continue
        inspection_counts[inspection_id][by_status[status_id].code] += 1
        current = latest.get(initiative_id)
        if current is None or ranks[inspection_id] > ranks[current[0]]:
            latest[initiative_id] = review

    # An inspection is shown once it holds an approved review (one still being answered is not).
    inspections = [i for i in inspections if inspection_counts[i.pk]]
    inspection_counts = {i.pk: inspection_counts[i.pk] for i in inspections}

    initiatives = []
    for pk, number_label, text, is_heading, is_repost, section_id, parent_id, order, name in rows:
        review = latest.get(pk)
        initiatives.append(
            PublicInitiative(
                pk=pk,
                number_label=number_label,
                name=name,
                text=text,
                is_heading=is_heading,
                is_repost=is_repost,
                section=by_section[section_id],
                parent_id=parent_id,
                order=order,
                departments=departments_of.get(pk, []),
                latest=PublicReview(
                    inspection=by_inspection[review[0]],
                    status=by_status[review[2]],
                    fiscal_year=review[3],
                    change_reason=review[4],
                    outcome=review[5],
                    issues=review[6],
                )
                if review
                else None,
            )
        )

    latest_counts: dict[int, Counter[str]] = {s.pk: Counter() for s in sections}
    for i in initiatives:
        if i.latest is None or i.is_heading:
            continue
        node: Section | None = i.section
        while node is not None:
            latest_counts[node.pk][i.latest.status.code] += 1
            node = by_section.get(node.parent_id) if node.parent_id else None
    return PlanOverview(
        plan=plan,
        statuses=statuses,
        sections=sections,
        initiatives=initiatives,
        departments=departments,
        inspections=inspections,
        latest_counts=latest_counts,
        inspection_counts=inspection_counts,
    )


def policy_of(section: Section, by_id: dict[int, Section]) -> Section:
    while section.parent_id and section.parent_id in by_id:
        section = by_id[section.parent_id]
    return section


def filter_initiatives(
    overview: PlanOverview,
    *,
    policy_id: int | None = None,
    status_code: str | None = None,
    department_id: int | None = None,
    query: str = "",
) -> list[PublicInitiative]:
    """Initiatives matching every given filter (in source order); headings match through their rows.

    ``query`` is split on white space; each word must occur (after :func:`search_key`) in the
    initiative's text, number or the title of its section. A heading is kept when one of its rows
    matches, so grouped rows keep their context.
    """
    by_section = {s.pk: s for s in overview.sections}
    words = [search_key(w) for w in query.split()]
    words = [w for w in words if w]

    def matches(i: PublicInitiative) -> bool:
        if policy_id is not None and policy_of(i.section, by_section).pk != policy_id:
            return False
        if status_code and (i.latest is None or i.latest.status.code != status_code):
            return False
        if department_id is not None and all(d.pk != department_id for d in i.departments):
            return False
        if words:
            haystack = search_key(" ".join([i.number_label, i.name, i.text, i.section.title]))
            if not all(w in haystack for w in words):
                return False
        return True

    kept = [i for i in overview.initiatives if not i.is_heading and matches(i)]
    parents = {i.parent_id for i in kept if i.parent_id}
    keep_ids = {i.pk for i in kept} | parents
    return [i for i in overview.initiatives if i.pk in keep_ids]


def section_blocks(overview: PlanOverview, initiatives: list[PublicInitiative]) -> list[SectionBlock]:
    """Sections in tree order, each with its listed initiatives; sections with nothing listed are
    kept only when a descendant has something (so headings stay in context)."""
    direct: dict[int, list[PublicInitiative]] = defaultdict(list)
    for i in initiatives:
        direct[i.section.pk].append(i)
    by_section = {s.pk: s for s in overview.sections}
    nonempty: set[int] = set()
    for sid in direct:
        node: Section | None = by_section[sid]
        while node is not None:
            nonempty.add(node.pk)
            node = by_section.get(node.parent_id) if node.parent_id else None
    return [
        SectionBlock(section=s, initiatives=direct.get(s.pk, []), counts=overview.latest_counts.get(s.pk, Counter()))
        for s in _tree_order(overview.sections)
        if s.pk in nonempty
    ]


def _tree_order(sections: list[Section]) -> list[Section]:
    children: dict[int | None, list[Section]] = defaultdict(list)
    for s in sections:
        children[s.parent_id].append(s)
    out: list[Section] = []

    def walk(parent: int | None) -> None:
        for s in sorted(children.get(parent, []), key=lambda x: x.order):
            out.append(s)
            walk(s.pk)

    walk(None)
    return out


@dataclass
class InitiativeDetail:
    plan: Plan
    initiative: Initiative
    path: list[Section]
    departments: list[Department]
    history: list[PublicReview]
    children: list[Initiative]
    statuses: list[Status]
    indicators: list[object]

    @property
    def latest(self) -> PublicReview | None:
        return self.history[-1] if self.history else None


def initiative_detail(*, plan_id: int, initiative_id: int) -> InitiativeDetail:
    """One initiative with its section path and its approved results across inspections (oldest first)."""
    from . import indicators as public_indicators

    initiative = get_object_or_404(
        public_initiatives().select_related("plan__organization", "parent"), pk=initiative_id, plan_id=plan_id
    )
    plan = initiative.plan
    by_id = {s.pk: s for s in public_sections().filter(plan=plan)}
    path: list[Section] = []
    node: Section | None = by_id.get(initiative.section_id)
    while node is not None:
        path.insert(0, node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    reviews = list(public_reviews().filter(initiative=initiative).select_related("inspection", "status"))
    reviews.sort(key=lambda r: inspection_rank(r.inspection))
    history = [
        PublicReview(
            inspection=r.inspection,
            status=r.status,
            fiscal_year=r.fiscal_year,
            change_reason=r.change_reason,
            outcome=r.outcome,
            issues=r.issues,
        )
        for r in reviews
    ]
    return InitiativeDetail(
        plan=plan,
        initiative=initiative,
        path=path,
        departments=list(initiative.departments.order_by("order", "name")),
        history=history,
        children=list(initiative.children.order_by("order")),
        statuses=list(public_statuses().filter(plan=plan)),
        indicators=public_indicators.indicators_for_initiative(initiative=initiative),
    )


def plan_for_downloads(*, plan_id: int) -> Plan:
    return get_object_or_404(public_plans().select_related("organization"), pk=plan_id)


@dataclass
class PublishedReport:
    """One downloadable version (版) of an inspection's 点検報告書, with its stored files."""

    publication: object
    files: list[object]  # ReportArtefact rows, pdf/docx/xlsx/html

    @property
    def is_current(self) -> bool:
        return self.publication.state == "current"


def plan_reports(*, plan: Plan) -> list[PublishedReport]:
    """The plan's published reports, newest inspection and newest version first (two queries)."""
    pubs = (
        downloadable_publications()
        .filter(inspection__plan=plan)
        .select_related("inspection")
        .prefetch_related("artefacts")
    )
    out = [PublishedReport(p, sorted(p.artefacts.all(), key=lambda a: REPORT_FORMATS.index(a.format)
                                     if a.format in REPORT_FORMATS else 9)) for p in pubs]
    out.sort(key=lambda r: (inspection_rank(r.publication.inspection), r.publication.version), reverse=True)
    return out


REPORT_FORMATS = ["pdf", "docx", "xlsx", "html"]


def report_artefact(*, plan_id: int, inspection_id: int, version: int, fmt: str):
    """The stored file of one published report version (404 unless downloadable)."""
    from tenken.publications.models import ReportArtefact

    return get_object_or_404(
        ReportArtefact.objects.select_related("publication", "publication__inspection"),
        publication__in=downloadable_publications(),
        publication__inspection__plan_id=plan_id,
        publication__inspection_id=inspection_id,
        publication__version=version,
        format=fmt,
    )


def public_logic(*, plan: Plan):
    """The plan's goal tree with each initiative's latest *public* result (the visibility rule decides)."""
    from tenken.plans.goals import plan_logic

    return plan_logic(plan=plan, reviews=public_reviews())


def public_lineage(*, initiative: Initiative):
    """An initiative across the plans it was carried through, with public results only."""
    from tenken.plans.succession import initiative_lineage

    return initiative_lineage(initiative=initiative, reviews=public_reviews())
