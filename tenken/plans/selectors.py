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
