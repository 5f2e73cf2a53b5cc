"""Reconciliation: the counts a legacy report declared for each item against the counts computed here.

A difference is a finding to show, never to correct: the Kanagawa report prints 12 achieved for
教育のスマート化 where its own appendix lists 11 rows. Items that declared nothing (the report printed no
table) are not compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tenken.plans.models import Section, Status

from .aggregation import StatusCounts, counts_by_section, total_of
from .models import Inspection, SectionNarrative


@dataclass(frozen=True)
class ReconciliationRow:
    section_id: int
    policy: str
    code: str
    title: str
    declared: StatusCounts
    computed: StatusCounts

    @property
    def difference(self) -> StatusCounts:
        """computed − declared, per status."""
        return StatusCounts(self.declared.codes, tuple(c - d for c, d in zip(self.computed.values, self.declared.values, strict=True)))

    @property
    def matches(self) -> bool:
        return self.declared.values == self.computed.values

    @property
    def label(self) -> str:
        return f"{self.policy} {self.code} {self.title}".strip()


@dataclass(frozen=True)
class Reconciliation:
    codes: tuple[str, ...]
    labels: tuple[str, ...]  # status labels, same order as codes
    rows: tuple[ReconciliationRow, ...]

    @property
    def differences(self) -> list[ReconciliationRow]:
        return [r for r in self.rows if not r.matches]

    @property
    def declared_total(self) -> StatusCounts:
        return total_of((r.declared for r in self.rows), self.codes)

    @property
    def computed_total(self) -> StatusCounts:
        return total_of((r.computed for r in self.rows), self.codes)


def reconcile(
    *,
    codes: Sequence[str],
    labels: Sequence[str],
    items: Sequence[tuple[Section, str, dict[str, int]]],
    computed: dict[int, StatusCounts],
) -> Reconciliation:
    """Pure: ``items`` are ``(item section, policy title, declared counts)`` in report order."""
    rows = tuple(
        ReconciliationRow(
            section_id=section.pk,
            policy=policy,
            code=section.code,
            title=section.title,
            declared=StatusCounts.of(codes, declared),
            computed=computed.get(section.pk) or StatusCounts.of(codes, {}),
        )
        for section, policy, declared in items
        if declared
    )
    return Reconciliation(tuple(codes), tuple(labels), rows)


def inspection_reconciliation(*, inspection: Inspection) -> Reconciliation:
    """Declared vs computed counts for every item of ``inspection`` that declared counts."""
    statuses = list(Status.objects.filter(plan_id=inspection.plan_id).order_by("order"))
    codes = [s.code for s in statuses]
    sections = {s.pk: s for s in Section.objects.filter(plan_id=inspection.plan_id).order_by("order")}
    narratives = {
        n.section_id: n.declared_counts for n in SectionNarrative.objects.filter(inspection=inspection)
    }
    items = [
        (s, sections[s.parent_id].title if s.parent_id in sections else "", narratives[s.pk])
        for s in sections.values()
        if s.pk in narratives
    ]
    return reconcile(
        codes=codes,
        labels=[s.label for s in statuses],
        items=items,
        computed=counts_by_section(inspection=inspection, codes=codes),
    )
