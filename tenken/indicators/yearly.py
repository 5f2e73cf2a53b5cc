"""Per-year achievement of an indicator over a plan period, and per-initiative indicator tables.

:func:`yearly_achievement` is pure: for each fiscal year it compares that year's actual with that year's
target (a year without its own target uses the next later one: the end-of-plan goal), from the
baseline, with :func:`tenken.indicators.rates.achievement_rate` in the indicator's direction, and rates
it on the configured scale (A/B/C/D). Lower-is-better works the same way: 未取組市町村数 7 → target 3
with actual 5 is (5 − 7) / (3 − 7) = 50 %.

:func:`plan_initiative_indicators` reads every indicator of a plan's initiatives with its observations
in a fixed number of queries (the report and the staff pages use it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tenken.common.wareki import fiscal_year_label, fiscal_year_of, format_month

from .models import Indicator, Observation
from .rates import Direction, RatingScale, achievement_rate, format_rate, rate_rating
from .rating_config import configured_scale
from .selectors import format_value

BEHIND_FROM = 2  # bands from the third on (C, D of A/B/C/D) flag an initiative as falling behind


@dataclass(frozen=True)
class YearResult:
    fiscal_year: int
    target: Decimal | None
    actual: Decimal | None
    rate: Decimal | None
    rate_text: str
    rating: str
    met: bool | None

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def target_text(self) -> str:
        return "－" if self.target is None else f"{self.target.normalize():,f}"

    @property
    def actual_text(self) -> str:
        return "－" if self.actual is None else f"{self.actual.normalize():,f}"


def yearly_achievement(
    *,
    years: range | list[int],
    direction: Direction | str,
    baseline: Decimal | None,
    targets: dict[int, Decimal],
    actuals: dict[int, Decimal],
    scale: RatingScale | None = None,
) -> list[YearResult]:
    scale = scale or configured_scale()
    out = []
    for fy in years:
        target = targets.get(fy)
        if target is None:
            later = [y for y in targets if y > fy]
            target = targets[min(later)] if later else None
        actual = actuals.get(fy)
        rate = achievement_rate(actual=actual, target=target, baseline=baseline, direction=direction)
        band = rate_rating(rate, scale)
        out.append(YearResult(fy, targets.get(fy), actual, rate.value, format_rate(rate) if actual is not None else "",
                              band.label if band else "", rate.met))
    return out


@dataclass
class InitiativeIndicator:
    """One indicator of an initiative as the report and pages show it."""

    indicator_id: int
    initiative_ids: list[int]
    name: str
    unit: str
    kind: str
    kind_label: str
    direction_label: str
    decimals: int
    baseline: Decimal | None
    baseline_as_of: date | None
    years: list[YearResult] = field(default_factory=list)
    goal_ids: list[int] = field(default_factory=list)
    carried_from_id: int | None = None

    @property
    def latest(self) -> YearResult | None:
        """The latest year with an actual."""
        found = [y for y in self.years if y.actual is not None]
        return found[-1] if found else None

    @property
    def rating(self) -> str:
        return self.latest.rating if self.latest else ""

    @property
    def behind(self) -> bool:
        labels = [b.label for b in configured_scale().bands]
        return self.rating in labels[BEHIND_FROM:]

    @property
    def baseline_display(self) -> str:
        return format_value(self.baseline, self.decimals)

    @property
    def baseline_label(self) -> str:
        return format_month(self.baseline_as_of) if self.baseline_as_of else ""

    def display(self, value: Decimal | None) -> str:
        return format_value(value, self.decimals)


def plan_initiative_indicators(*, plan, years: range | None = None, as_of: date | None = None
                               ) -> list[InitiativeIndicator]:
    """Current indicators linked to ``plan``'s initiatives or goals, with yearly target/actual/rating.

    ``as_of``: only actuals and baselines dated on or before that day count (targets are plans and stay).

    Four queries whatever the plan size (indicators, their initiative links, goal links, observations).
    """
    years = years if years is not None else plan.fiscal_years
    indicators = list(
        Indicator.objects.filter(successor__isnull=True, plan=plan).order_by("order", "pk")
    )
    ids = [i.pk for i in indicators]
    links: dict[int, list[int]] = defaultdict(list)
    for ind_id, ini_id in Indicator.initiatives.through.objects.filter(indicator_id__in=ids).values_list(
        "indicator_id", "initiative_id"
    ):
        links[ind_id].append(ini_id)
    goal_links: dict[int, list[int]] = defaultdict(list)
    for ind_id, goal_id in Indicator.goals.through.objects.filter(indicator_id__in=ids).values_list(
        "indicator_id", "goal_id"
    ):
        goal_links[ind_id].append(goal_id)
    obs: dict[int, list[tuple[str, Decimal, date]]] = defaultdict(list)
    for ind_id, kind, value, day in (
        Observation.objects.filter(indicator_id__in=ids).order_by("as_of", "pk")
        .values_list("indicator_id", "kind", "value", "as_of")
    ):
        obs[ind_id].append((kind, value, day))
    scale = configured_scale()
    out = []
    kinds = dict(Indicator.KindChoice.choices)
    for ind in indicators:
        if not links.get(ind.pk) and not goal_links.get(ind.pk):
            continue
        baseline = baseline_as_of = None
        targets: dict[int, Decimal] = {}
        actuals: dict[int, Decimal] = {}
        for kind, value, day in obs[ind.pk]:
            if as_of is not None and day > as_of and kind != Observation.Kind.TARGET:
                continue
            fy = fiscal_year_of(day)
            if kind == Observation.Kind.BASELINE and (baseline_as_of is None or day >= baseline_as_of):
                baseline, baseline_as_of = value, day
            elif kind == Observation.Kind.TARGET:
                targets[fy] = value
            elif kind == Observation.Kind.ACTUAL:
                actuals[fy] = value  # the latest of the year
        out.append(
            InitiativeIndicator(
                indicator_id=ind.pk,
                initiative_ids=sorted(links.get(ind.pk, [])),
                name=ind.name,
                unit=ind.unit,
                kind=ind.kind,
                kind_label=kinds.get(ind.kind, ind.kind),
                direction_label=Direction(ind.direction).label,
                decimals=ind.decimals,
                baseline=baseline,
                baseline_as_of=baseline_as_of,
                years=yearly_achievement(years=years, direction=ind.direction, baseline=baseline, targets=targets,
                                         actuals=actuals, scale=scale),
                goal_ids=sorted(goal_links.get(ind.pk, [])),
                carried_from_id=ind.carried_from_id,
            )
        )
    return out
