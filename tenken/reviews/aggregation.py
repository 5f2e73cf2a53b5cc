"""Counts of initiatives by status (実施結果) for any section level, a policy, or the whole plan.

Built on :func:`tenken.reviews.selectors.status_counts_by_section` (each section's counts include its
descendants). Counting rules: heading rows have no review and are not counted; 再掲 rows are counted.
By default only approved reviews count, as a published report shows only approved results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .models import Inspection
from .selectors import status_counts_by_section


@dataclass(frozen=True)
class StatusCounts:
    """Counts per status code in the plan's status order, plus the total."""

    codes: tuple[str, ...]
    values: tuple[int, ...]

    @classmethod
    def of(cls, codes: Sequence[str], counts: Mapping[str, int]) -> StatusCounts:
        return cls(tuple(codes), tuple(int(counts.get(c, 0)) for c in codes))

    @property
    def total(self) -> int:
        return sum(self.values)

    def get(self, code: str) -> int:
        return self.values[self.codes.index(code)]

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.codes, self.values, strict=True))

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(self.codes, tuple(a + b for a, b in zip(self.values, other.values, strict=True)))


def zero(codes: Sequence[str]) -> StatusCounts:
    return StatusCounts.of(codes, {})


def total_of(counts: Iterable[StatusCounts], codes: Sequence[str]) -> StatusCounts:
    out = zero(codes)
    for c in counts:
        out = out + c
    return out


def counts_by_section(
    *, inspection: Inspection, codes: Sequence[str], approved_only: bool = True, reviews=None
) -> dict[int, StatusCounts]:
    """``{section_id: StatusCounts}`` for every section of the plan, at every depth (two queries)."""
    raw = status_counts_by_section(inspection=inspection, approved_only=approved_only, reviews=reviews)
    return {sid: StatusCounts.of(codes, counter) for sid, counter in raw.items()}


def plan_total(counts: Mapping[int, StatusCounts], *, root_ids: Iterable[int], codes: Sequence[str]) -> StatusCounts:
    """The whole plan: the sum over its top-level sections (方針)."""
    return total_of((counts[r] for r in root_ids), codes)
