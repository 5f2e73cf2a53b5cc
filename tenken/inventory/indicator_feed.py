"""Feeding indicators from the register and the municipal follow-up, so KPIs need no retyping.

- 情報システム数 (システム, lower is better): systems in service on April 1 of each fiscal year.
- 情報システム運用経費 (億円/年, lower is better): the year's total operating cost, in 億円.
- For a municipal goal, the number of municipalities not yet 取組済 (団体, lower is better) at the end of
  each fiscal year, and the goal's target (0 at its target date).

The indicators are looked up by organization and name (the current version) and created when missing,
with the names and units of tenken/demo/data/kanagawa/indicators.csv. Values are recorded through
:func:`tenken.indicators.services.observation_record`, so a re-run records nothing new and a changed
figure for the same day is refused rather than overwritten. Feeding writes indicator values, so it takes
the acting ``user`` and asks the indicator rule (:func:`tenken.orgs.access.indicator_for_update_check`:
the organization's ICT admin), not the register's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from tenken.common.wareki import fiscal_year_bounds
from tenken.indicators.models import Indicator
from tenken.indicators.services import indicator_create, observation_record
from tenken.orgs.access import indicator_for_update_check
from tenken.orgs.models import Organization
from tenken.plans.models import Plan

from .models import MunicipalGoal
from .selectors import municipal_series, register_by_fiscal_year

SYSTEMS = ("情報システム数", "システム", 0)
COST = ("情報システム運用経費", "億円/年", 1)
SOURCE = "情報システム台帳（棚卸し）"


def _indicator(*, organization: Organization, plan: Plan | None, name: str, unit: str, decimals: int) -> Indicator:
    found = Indicator.objects.filter(organization=organization, name=name, successor__isnull=True).first()
    if found is not None:
        return found
    return indicator_create(organization=organization, plan=plan, name=name, unit=unit, direction="lower",
                            decimals=decimals)


@transaction.atomic
def register_feed_indicators(*, user, organization: Organization, plan: Plan | None = None) -> int:
    """Record each fiscal year of the register as actuals; returns how many observations were new."""
    indicator_for_update_check(user=user, organization=organization)
    systems = _indicator(organization=organization, plan=plan, name=SYSTEMS[0], unit=SYSTEMS[1], decimals=SYSTEMS[2])
    cost = _indicator(organization=organization, plan=plan, name=COST[0], unit=COST[1], decimals=COST[2])
    created = 0
    for year in register_by_fiscal_year(organization=organization):
        day = fiscal_year_bounds(year.fiscal_year)[0]
        _, new = observation_record(indicator=systems, kind="actual", value=Decimal(year.systems), as_of=day, source=SOURCE)
        created += new
        amount = (Decimal(year.cost_yen) / Decimal(100_000_000)).quantize(Decimal("0.1"))
        _, new = observation_record(indicator=cost, kind="actual", value=amount, as_of=day, source=SOURCE)
        created += new
    return created


@transaction.atomic
def municipal_feed_indicator(*, user, goal: MunicipalGoal, name: str, today: date) -> int:
    """Record the number of municipalities not yet 取組済 at each past fiscal-year end, and the goal's target."""
    indicator_for_update_check(user=user, organization=goal.prefecture)
    indicator = _indicator(organization=goal.prefecture, plan=goal.plan, name=name, unit="団体", decimals=0)
    created = 0
    first = min((p.achieved_on for p in goal.progress.exclude(achieved_on=None)), default=today)
    last_fy = today.year - (1 if today.month < 4 else 0) - 1  # the last fiscal year that has ended
    first_fy = first.year - (1 if first.month < 4 else 0)
    for rollup in municipal_series(goal=goal, fiscal_years=range(first_fy, last_fy + 1)):
        _, new = observation_record(indicator=indicator, kind="actual", value=Decimal(rollup.not_achieved),
                                    as_of=rollup.on, source=f"市町村の取組状況（{goal.name}）")
        created += new
    _, new = observation_record(indicator=indicator, kind="target", value=Decimal(0), as_of=goal.target_date,
                                source=f"目標: {goal.target_text or goal.target_date}")
    return created + new
