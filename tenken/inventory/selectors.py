"""Governance views over the register, and the municipal rollup.

The number of systems in a fiscal year is the number in service on April 1 of that year (the 棚卸し is
taken at the start of the year); the operating cost of a year is the sum of that year's costs.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from tenken.common.wareki import fiscal_year_bounds, fiscal_year_of
from tenken.orgs.models import Organization

from .models import InformationSystem, MunicipalGoal, SystemCost


@dataclass(frozen=True)
class YearFigure:
    fiscal_year: int
    systems: int
    cost_yen: int


def in_service(*, organization: Organization, on: date):
    return InformationSystem.objects.filter(organization=organization, in_service_on__lte=on).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=on)
    )


def register_by_fiscal_year(*, organization: Organization, years: list[int] | range | None = None) -> list[YearFigure]:
    """Systems in service on April 1 and total operating cost, per fiscal year (one query per year + one)."""
    costs = dict(
        SystemCost.objects.filter(system__organization=organization)
        .values("fiscal_year")
        .annotate(total=Sum("amount_yen"))
        .values_list("fiscal_year", "total")
    )
    if years is None:
        years = sorted(costs) or []
    out = []
    for fy in years:
        start, _end = fiscal_year_bounds(fy)
        out.append(YearFigure(fy, in_service(organization=organization, on=start).count(), int(costs.get(fy) or 0)))
    return out


def systems_by_segment_and_hosting(*, organization: Organization, on: date) -> dict[tuple[str, str], int]:
    rows = in_service(organization=organization, on=on).values("segment", "hosting").annotate(n=Count("id"))
    return {(r["segment"], r["hosting"]): r["n"] for r in rows}


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contracts_ending(*, organization: Organization, today: date, months: int) -> list[InformationSystem]:
    """Systems still in service whose contract or lease ends between ``today`` and ``today`` + ``months``."""
    until = _add_months(today, months)
    return list(
        in_service(organization=organization, on=today)
        .filter(contract_end__gte=today, contract_end__lte=until)
        .select_related("department")
        .order_by("contract_end", "name")
    )


def contracts_ending_by_fiscal_year(*, organization: Organization, today: date, months: int) -> dict[int, int]:
    return dict(Counter(fiscal_year_of(s.contract_end) for s in contracts_ending(organization=organization, today=today, months=months)))


def consolidations(*, organization: Organization) -> list[InformationSystem]:
    return list(
        InformationSystem.objects.filter(organization=organization, successor__isnull=False)
        .select_related("successor")
        .order_by("retired_on", "name")
    )


@dataclass(frozen=True)
class MunicipalRollup:
    goal: MunicipalGoal
    on: date
    total: int
    achieved: int
    pending_names: list[str]

    @property
    def not_achieved(self) -> int:
        return self.total - self.achieved

    @property
    def percent(self) -> float:
        return 100.0 * self.achieved / self.total if self.total else 0.0

    @property
    def target_met(self) -> bool:
        return self.not_achieved == 0


def municipal_rollup(*, goal: MunicipalGoal, on: date) -> MunicipalRollup:
    rows = list(goal.progress.select_related("municipality").order_by("municipality__code"))
    achieved = [r for r in rows if r.achieved_on is not None and r.achieved_on <= on]
    done = {r.pk for r in achieved}
    return MunicipalRollup(
        goal=goal, on=on, total=len(rows), achieved=len(achieved),
        pending_names=[r.municipality.name for r in rows if r.pk not in done],
    )


def municipal_series(*, goal: MunicipalGoal, fiscal_years: list[int] | range) -> list[MunicipalRollup]:
    """The rollup at the end of each fiscal year (March 31), for the progress table and chart."""
    return [municipal_rollup(goal=goal, on=fiscal_year_bounds(fy)[1]) for fy in fiscal_years]


def register_records(*, organization: Organization) -> tuple[list[dict[str, object]], list[int]]:
    """The register as plain records for :func:`register_format.register_workbook_bytes` (3 queries)."""
    systems = (
        InformationSystem.objects.filter(organization=organization)
        .select_related("department", "successor")
        .prefetch_related("costs")
        .order_by("name")
    )
    records, years = [], set()
    for s in systems:
        costs = {c.fiscal_year: c.amount_yen for c in s.costs.all()}
        years |= set(costs)
        records.append({
            "name": s.name, "department": s.department.name if s.department else "", "purpose": s.purpose,
            "segment": s.get_segment_display(), "hosting": s.get_hosting_display(),
            "internet_facing": s.internet_facing, "in_service_on": s.in_service_on, "retired_on": s.retired_on,
            "contract_end": s.contract_end, "state": s.get_state_display(),
            "successor": s.successor.name if s.successor else "", "note": s.note, "costs": costs,
        })
    return records, sorted(years)


def systems_search(*, organization: Organization, q: str = "", segment: str = "", state: str = "") -> list[InformationSystem]:
    """The register's systems matching a keyword (name, department, purpose, note; NFKC), segment and state."""
    from tenken.common.text import normalize

    qs = InformationSystem.objects.filter(organization=organization).select_related("department")
    for word in normalize(q).split():
        qs = qs.filter(Q(name__icontains=word) | Q(department__name__icontains=word) | Q(purpose__icontains=word)
                       | Q(note__icontains=word))
    if segment:
        qs = qs.filter(segment=segment)
    if state:
        qs = qs.filter(state=state)
    return list(qs.order_by("department__order", "department__name", "name"))


def system_costs(*, system: InformationSystem) -> list[SystemCost]:
    return list(system.costs.order_by("fiscal_year"))


def register_departments(*, organization: Organization):
    from tenken.orgs.models import Department

    return list(Department.objects.filter(organization=organization).order_by("order", "name"))


def register_systems(*, organization: Organization, exclude: InformationSystem | None = None) -> list[InformationSystem]:
    qs = InformationSystem.objects.filter(organization=organization)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.order_by("name"))


def municipal_goals(*, organization: Organization) -> list[MunicipalGoal]:
    return list(MunicipalGoal.objects.filter(prefecture=organization).order_by("target_date", "name"))


def municipal_rows(*, goal: MunicipalGoal):
    return list(goal.progress.select_related("municipality").order_by("municipality__code"))


def goal_municipalities(*, goal: MunicipalGoal) -> list[Organization]:
    return list(goal.prefecture.municipalities.exclude(kind=Organization.Kind.WARD).order_by("code"))
