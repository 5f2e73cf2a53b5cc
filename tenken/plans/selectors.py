"""Reads for plans."""

from __future__ import annotations

from tenken.reviews.models import InitiativeReview

from .models import Initiative, Plan, Section


def plan_sections(*, plan: Plan) -> list[Section]:
    return list(Section.objects.filter(plan=plan).order_by("order"))


def plan_fingerprint(*, plan: Plan) -> dict[str, object]:
    """A plain structure describing a plan's content, for comparing two imports of the same plan.

    Covers the section tree (codes, titles), every initiative (label, text, heading/repost flags, its
    heading's text, section) and the results of its final inspection; not ids, sources or notes.
    """
    sections = {s.pk: s for s in plan_sections(plan=plan)}

    def path(section_id: int) -> tuple[str, ...]:
        out: list[str] = []
        s: Section | None = sections[section_id]
        while s is not None:
            out.insert(0, f"{s.code}|{s.title}")
            s = sections.get(s.parent_id) if s.parent_id else None
        return tuple(out)

    final = plan.inspections.filter(kind="final").first()
    results = (
        dict(final.reviews.values_list("initiative_id", "status__code")) if final is not None else {}
    )
    yearly = sorted(
        InitiativeReview.objects.filter(inspection__plan=plan, inspection__kind="annual").values_list(
            "fiscal_year", "initiative__order", "status__code", "change_reason", "approval"
        )
    )
    initiatives = list(Initiative.objects.filter(plan=plan).select_related("parent").order_by("order"))
    return {
        "sections": [path(pk) for pk in sections],
        "initiatives": [
            (
                path(i.section_id),
                i.number_label,
                i.text,
                i.is_heading,
                i.is_repost,
                i.parent.text if i.parent else None,
                results.get(i.pk),
            )
            for i in initiatives
        ],
        "yearly": yearly,
    }


# -- the edit pages ---------------------------------------------------------------------------------

def plan_edit_outline(*, plan: Plan) -> list[tuple[Section, list[Initiative]]]:
    """Every section in tree order with the initiatives directly in it (departments prefetched)."""
    sections = plan_sections(plan=plan)
    by_section: dict[int, list[Initiative]] = {s.pk: [] for s in sections}
    for i in Initiative.objects.filter(plan=plan).prefetch_related("departments").order_by("order"):
        by_section.setdefault(i.section_id, []).append(i)
    return [(s, by_section[s.pk]) for s in sections]


def plan_history(*, plan: Plan, limit: int = 100):
    from .models import PlanChange

    return list(PlanChange.objects.filter(plan=plan).select_related("changed_by").order_by("-changed_at", "-id")[:limit])


def organization_departments(*, plan: Plan):
    from tenken.orgs.models import Department

    return list(Department.objects.filter(organization_id=plan.organization_id).order_by("order", "name"))


def plan_goals(*, plan: Plan):
    from .models import Goal

    return list(Goal.objects.filter(plan=plan).prefetch_related("sections", "initiatives", "indicators").order_by("order", "pk"))


def plan_section(*, plan: Plan, pk: object) -> Section:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Section.objects.select_related("plan", "parent"), plan=plan, pk=pk)


def plan_initiative(*, plan: Plan, pk: object) -> Initiative:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Initiative.objects.select_related("plan", "section"), plan=plan, pk=pk)


def plan_goal(*, plan: Plan, pk: object):
    from django.shortcuts import get_object_or_404

    from .models import Goal

    return get_object_or_404(Goal.objects.select_related("plan"), plan=plan, pk=pk)


def initiative_milestones(*, initiative: Initiative):
    return list(initiative.milestones.order_by("due_date", "order"))


def initiative_indicator_table(*, initiative: Initiative):
    from tenken.indicators.yearly import plan_initiative_indicators

    return [i for i in plan_initiative_indicators(plan=initiative.plan) if initiative.pk in i.initiative_ids]


def plan_indicators(*, plan: Plan):
    from tenken.indicators.models import Indicator

    return list(Indicator.objects.filter(plan=plan, successor__isnull=True).order_by("order", "pk"))


def plan_links(*, plan: Plan) -> dict[str, object]:
    """Predecessor and successors of ``plan`` (for the plan page)."""
    return {"predecessor": plan.predecessor, "successors": list(plan.successors.order_by("first_fiscal_year"))}


def initiative_department_ids(*, initiative: Initiative) -> set[int]:
    return set(initiative.departments.values_list("pk", flat=True))
