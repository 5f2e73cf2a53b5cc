"""Writes for plans. Every interface (CLI, web, API, Excel import) calls these functions.

``plan_import`` writes a validated :class:`~tenken.plans.draft.PlanDraft` in one transaction: the plan,
its level names and status scale, its sections and initiatives, and the final inspection holding the
results the source recorded. Either all of it is written or none.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.orgs.models import Organization
from tenken.orgs.services import department_get_or_create
from tenken.reviews.models import InitiativeReview, Inspection

from .draft import PlanDraft
from .models import Initiative, Plan, Section, SectionLevel, Status

DEFAULT_LEVELS: tuple[tuple[str, bool], ...] = (("方針", False), ("取組項目", False), ("小項目", True))


def plan_find_duplicate(*, organization: Organization, title: str, first_fiscal_year: int, last_fiscal_year: int) -> Plan | None:
    return Plan.objects.filter(
        organization=organization, title=title, first_fiscal_year=first_fiscal_year, last_fiscal_year=last_fiscal_year
    ).first()


@transaction.atomic
def plan_import(
    *,
    draft: PlanDraft,
    organization: Organization,
    title: str,
    first_fiscal_year: int,
    last_fiscal_year: int,
    source_name: str = "",
    inspection_title: str | None = None,
    as_of: date | None = None,
    levels: tuple[tuple[str, bool], ...] = DEFAULT_LEVELS,
    user=None,
) -> Plan:
    """Create the plan described by ``draft``. Raises :class:`InputRejected` for a duplicate plan.

    The writer behind the checked imports (:func:`tenken.plans.importing.import_plan_file`,
    :func:`tenken.imports.services.plan_import_mapped`), which ask the access rules first; with ``user``
    the import is recorded in the plan's history (who, when, which file)."""
    existing = plan_find_duplicate(
        organization=organization, title=title, first_fiscal_year=first_fiscal_year, last_fiscal_year=last_fiscal_year
    )
    if existing is not None:
        raise InputRejected(
            Problem("計画", f"計画「{existing}」は既に登録されています（ID {existing.pk}）。二重に取り込むことはできません")
        )
    plan = Plan.objects.create(
        organization=organization,
        title=title,
        first_fiscal_year=first_fiscal_year,
        last_fiscal_year=last_fiscal_year,
        source_name=source_name,
    )
    SectionLevel.objects.bulk_create(
        SectionLevel(plan=plan, depth=d, name=n, optional=o) for d, (n, o) in enumerate(levels)
    )
    statuses = {
        s.code: Status.objects.create(
            plan=plan,
            code=s.code,
            label=s.label,
            long_label=s.long_label,
            column_label=s.column_label,
            order=s.order,
            requires_reason=s.requires_reason,
            color=s.color,
            category=s.category,
        )
        for s in draft.statuses
    }
    sections: dict[tuple[str, ...], Section] = {}
    for ds in sorted(draft.sections, key=lambda s: len(s.key)):
        sections[ds.key] = Section.objects.create(
            plan=plan, parent=sections.get(ds.key[:-1]), depth=ds.depth, code=ds.code, title=ds.title, order=ds.order
        )
    created = Initiative.objects.bulk_create(
        Initiative(
            plan=plan,
            section=sections[di.section_key],
            number_label=di.label,
            text=di.text,
            is_heading=di.is_heading,
            is_repost=di.is_repost,
            order=i,
            source_ref=di.where[:100],
            note=di.note,
        )
        for i, di in enumerate(draft.initiatives)
    )
    with_parent = []
    for obj, di in zip(created, draft.initiatives, strict=True):
        if di.parent is not None:
            obj.parent = created[di.parent]
            with_parent.append(obj)
    Initiative.objects.bulk_update(with_parent, ["parent"])
    # Each department is looked up (or created) once, the links written in one statement.
    names = {n.strip() for di in draft.initiatives for n in di.departments if n.strip()}
    depts = {n: department_get_or_create(organization=organization, name=n) for n in sorted(names)}
    through = Initiative.departments.through
    through.objects.bulk_create(
        through(initiative_id=obj.pk, department_id=depts[n].pk)
        for obj, di in zip(created, draft.initiatives, strict=True)
        for n in dict.fromkeys(d.strip() for d in di.departments if d.strip())
    )
    pairs = [(obj, di) for obj, di in zip(created, draft.initiatives, strict=True) if not di.is_heading]
    years = sorted({fy for _obj, di in pairs for fy in di.yearly})
    for fy in years:
        # A result column per year (e.g. 「2019年度実施結果」) becomes that year's annual inspection.
        annual = Inspection.objects.create(
            plan=plan, kind=Inspection.Kind.ANNUAL, fiscal_year=fy, title=f"{title} 年度点検", as_of=date(fy + 1, 3, 31)
        )
        InitiativeReview.objects.bulk_create(
            InitiativeReview(
                inspection=annual, initiative=obj, fiscal_year=fy, status=statuses[di.yearly[fy]],
                change_reason=di.reason if statuses[di.yearly[fy]].requires_reason else "",
                outcome=di.outcomes.get(fy, ""), issues=di.issues if fy == years[-1] else "",
                approval=InitiativeReview.Approval.APPROVED, source_ref=di.where[:100],
            )
            for obj, di in pairs
            if fy in di.yearly
        )
    if any(di.status is not None for _obj, di in pairs):
        inspection = Inspection.objects.create(
            plan=plan,
            kind=Inspection.Kind.FINAL,
            fiscal_year=last_fiscal_year,
            title=inspection_title or f"{title} 点検報告書",
            as_of=as_of or date(last_fiscal_year + 1, 3, 31),
        )
        InitiativeReview.objects.bulk_create(
            InitiativeReview(
                inspection=inspection,
                initiative=obj,
                fiscal_year=last_fiscal_year,
                status=statuses[di.status],
                change_reason=di.reason,
                outcome=di.outcomes.get(None, ""),
                issues=di.issues,
                approval=InitiativeReview.Approval.APPROVED,
                source_ref=di.where[:100],
            )
            for obj, di in pairs
            if di.status is not None
        )
    if user is not None:
        from .editing import record_change

        record_change(user=user, plan=plan, target="plan", obj=plan, action="import", field="取込", new=source_name)
    return plan
