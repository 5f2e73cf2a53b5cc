"""Writes for plans. Every interface (CLI, web, API, Excel import) calls these functions.

``plan_import`` writes a validated :class:`~tenken.plans.draft.PlanDraft` in one transaction: the plan,
its level names and status scale, its sections and initiatives, and the final inspection holding the
results the source recorded. Either all of it is written or none.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from tenken.common.errors import InputRejected, Problem
from tenken.orgs.models import Organization
from tenken.orgs.services import departments_get_or_create
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
    statuses = dict(zip(
        (s.code for s in draft.statuses),
        Status.objects.bulk_create(
            Status(plan=plan, code=s.code, label=s.label, long_label=s.long_label, column_label=s.column_label,
                   order=s.order, requires_reason=s.requires_reason, color=s.color, category=s.category)
            for s in draft.statuses
        ),
        strict=True,
    ))
    # Sections one statement per depth (a parent is always one level up).
    sections: dict[tuple[str, ...], Section] = {}
    for length in sorted({len(ds.key) for ds in draft.sections}):
        level = [ds for ds in draft.sections if len(ds.key) == length]
        made = Section.objects.bulk_create(
            Section(plan=plan, parent=sections.get(ds.key[:-1]), depth=ds.depth, code=ds.code, title=ds.title,
                    order=ds.order)
            for ds in level
        )
        sections.update(zip((ds.key for ds in level), made, strict=True))
    # Initiatives, their links and reviews are plain rows: one INSERT … executemany per table, the keys
    # read back by the initiatives' order (unique in a new plan), not one ORM object per row.
    _insert_rows(Initiative, ("section_id", "number_label", "name", "text", "is_heading", "is_repost", "order",
                              "source_ref", "note"),
                 [(sections[di.section_key].pk, di.label, di.name, di.text, di.is_heading, di.is_repost, i,
                   di.where[:100], di.note) for i, di in enumerate(draft.initiatives)], plan=plan)
    id_of = dict(Initiative.objects.filter(plan=plan).values_list("order", "pk"))
    ids = [id_of[i] for i in range(len(draft.initiatives))]
    with_parent = [(ids[di.parent], ids[i]) for i, di in enumerate(draft.initiatives) if di.parent is not None]
    if with_parent:
        qn = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {qn(Initiative._meta.db_table)} SET {qn('parent_id')} = %s WHERE {qn('id')} = %s",
                            with_parent)
    # Each department is looked up (or created) once, the links written in one statement.
    depts = departments_get_or_create(organization=organization,
                                      names=[n for di in draft.initiatives for n in di.departments])
    _insert_rows(Initiative.departments.through, ("initiative_id", "department_id"), [
        (ids[i], depts[n].pk)
        for i, di in enumerate(draft.initiatives)
        for n in dict.fromkeys(d.strip() for d in di.departments if d.strip())
    ])
    pairs = [(ids[i], di) for i, di in enumerate(draft.initiatives) if not di.is_heading]
    years = sorted({fy for _id, di in pairs for fy in di.yearly})
    review_fields = ("inspection_id", "initiative_id", "fiscal_year", "status_id", "change_reason", "outcome",
                     "issues", "source_ref")
    approved = InitiativeReview.Approval.APPROVED.value
    for fy in years:
        # A result column per year (e.g. 「2019年度実施結果」) becomes that year's annual inspection.
        annual = Inspection.objects.create(
            plan=plan, kind=Inspection.Kind.ANNUAL, fiscal_year=fy, title=f"{title} 年度点検", as_of=date(fy + 1, 3, 31)
        )
        _insert_rows(InitiativeReview, review_fields, [
            (annual.pk, pk, fy, statuses[di.yearly[fy]].pk,
             di.reason if statuses[di.yearly[fy]].requires_reason else "", di.outcomes.get(fy, ""),
             di.issues if fy == years[-1] else "", di.where[:100])
            for pk, di in pairs
            if fy in di.yearly
        ], approval=approved)
    if any(di.status is not None for _id, di in pairs):
        inspection = Inspection.objects.create(
            plan=plan,
            kind=Inspection.Kind.FINAL,
            fiscal_year=last_fiscal_year,
            title=inspection_title or f"{title} 点検報告書",
            as_of=as_of or date(last_fiscal_year + 1, 3, 31),
        )
        _insert_rows(InitiativeReview, review_fields, [
            (inspection.pk, pk, last_fiscal_year, statuses[di.status].pk, di.reason, di.outcomes.get(None, ""),
             di.issues, di.where[:100])
            for pk, di in pairs
            if di.status is not None
        ], approval=approved)
    if user is not None:
        from .editing import record_change

        record_change(user=user, plan=plan, target="plan", obj=plan, action="import", field="取込", new=source_name)
    return plan


def _insert_rows(model, varying: tuple[str, ...], rows: list[tuple], **template: object) -> None:
    """INSERT ``rows`` of ``model`` in one ``executemany``: each row gives the ``varying`` fields (by attname,
    as database values: str, int, bool, ids); every other field gets the value a new ``model(**template)``
    gets on save (its default, its ``auto_now`` time), prepared once. The rows ``bulk_create`` would write,
    without a model instance per row and every value of every row prepared through its field."""
    if not rows:
        return
    obj = model(**template)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    const = [f for f in fields if f.attname not in varying]
    by_attname = {f.attname: f for f in fields}
    values = tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in const)
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in [by_attname[a].column for a in varying] + [f.column for f in const])
    marks = ", ".join(["%s"] * (len(varying) + len(const)))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks})",
                        [row + values for row in rows])
