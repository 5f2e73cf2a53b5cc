"""Reads for indicators, including the stable rows the 点検報告書 embeds.

:func:`indicator_report_rows` is the contract with the report renderers (html, docx, pdf, xlsx): it
returns plain :class:`IndicatorReportRow` values, no model instances, and its fields only ever gain
new members. Which observations a row uses (documented in docs/indicators.md):

* **actual** — the latest actual with ``as_of`` on or before the cut-off (``as_of`` argument; no
  cut-off means all);
* **baseline** — the latest baseline on or before that actual (or the cut-off when there is no actual);
* **target** — the first target due on or after that actual; when every target is earlier, the last one.
  Without an actual the reference day is the cut-off; with neither, the last target.

Only current versions (no successor) are listed; their observations are the ones recorded under the
current definition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet

from tenken.common.wareki import format_month
from tenken.orgs.models import Organization
from tenken.plans.models import Plan

from .models import Indicator, Observation
from .rates import Direction, RateStatus, RatingScale, achievement_rate, format_rate, rate_rating
from .rating_config import configured_scale

_CHUNK = 5_000  # ids per observation query: well under SQLite's bound-parameter limit


def format_value(value: Decimal | None, decimals: int) -> str:
    """``Decimal("1200000")``, 0 → ``1,200,000``; ``None`` → ``""``."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal(1).scaleb(-decimals)):,f}"


def current_indicators(*, plan: Plan | None = None, organization: Organization | None = None) -> QuerySet[Indicator]:
    """Current versions of the indicators of ``plan`` (its own, or linked to its sections or initiatives)
    or of ``organization``; exactly one of them must be given."""
    if (plan is None) == (organization is None):
        raise TypeError("plan または organization のどちらか一つを指定してください")
    qs = Indicator.objects.filter(successor__isnull=True)
    if plan is not None:
        qs = qs.filter(Q(plan=plan) | Q(sections__plan=plan) | Q(initiatives__plan=plan)).distinct()
    else:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization", "plan", "department").order_by("order", "name", "pk")


def indicator_versions(indicator: Indicator) -> list[Indicator]:
    """Every version of ``indicator``'s definition, oldest first."""
    chain = [indicator]
    node = indicator
    while node.predecessor_id is not None:
        node = Indicator.objects.get(pk=node.predecessor_id)
        chain.insert(0, node)
    node = indicator
    while (nxt := Indicator.objects.filter(predecessor=node).first()) is not None:
        chain.append(nxt)
        node = nxt
    return chain


def version_in_force(versions: list[Indicator], fiscal_year: int) -> Indicator | None:
    """Of ``versions`` (oldest first, as :func:`indicator_versions` returns them), the one that applies in
    ``fiscal_year``: the last whose ``valid_from`` is empty or not after it."""
    found = None
    for v in versions:
        if v.valid_from is None or v.valid_from <= fiscal_year:
            found = v
    return found


@dataclass(frozen=True)
class IndicatorReportRow:
    """One indicator as the report shows it. Values are Decimals (``None`` when absent); ``*_display``
    are formatted with the indicator's decimal places; ``*_as_of`` are dates, ``*_label`` 和暦 months."""

    indicator_id: int
    name: str
    unit: str
    direction: str  # "higher" | "lower"
    direction_label: str  # 高いほど良い | 低いほど良い
    decimals: int
    baseline: Decimal | None
    baseline_as_of: date | None
    actual: Decimal | None  # the latest actual
    actual_as_of: date | None
    target: Decimal | None
    target_as_of: date | None
    rate: Decimal | None  # a fraction: 0.4 is 40 %
    rate_status: str  # RateStatus value, "ok" when ``rate`` is set
    rate_text: str  # "40.0%" or the reason there is none (目標値なし …)
    rating: str  # "A" … or "" when there is no rate
    rating_description: str

    @property
    def baseline_display(self) -> str:
        return format_value(self.baseline, self.decimals)

    @property
    def actual_display(self) -> str:
        return format_value(self.actual, self.decimals)

    @property
    def target_display(self) -> str:
        return format_value(self.target, self.decimals)

    @property
    def baseline_label(self) -> str:
        return format_month(self.baseline_as_of) if self.baseline_as_of else ""

    @property
    def actual_label(self) -> str:
        return format_month(self.actual_as_of) if self.actual_as_of else ""

    @property
    def target_label(self) -> str:
        return format_month(self.target_as_of) if self.target_as_of else ""


class _Obs(NamedTuple):
    kind: str
    value: Decimal
    as_of: date


def _pick(observations: Sequence[_Obs | Observation], as_of: date | None) -> tuple[_Obs | Observation | None, ...]:
    # ``observations`` are ordered by ``as_of``.
    actual = baseline = None
    targets = []
    for o in observations:
        if o.kind == Observation.Kind.ACTUAL and (as_of is None or o.as_of <= as_of):
            actual = o
        elif o.kind == Observation.Kind.TARGET:
            targets.append(o)
    ref = actual.as_of if actual else as_of
    for o in observations:
        if o.kind == Observation.Kind.BASELINE and (ref is None or o.as_of <= ref):
            baseline = o
    upcoming = [o for o in targets if ref is not None and o.as_of >= ref]
    target = upcoming[0] if upcoming else (targets[-1] if targets else None)
    return baseline, actual, target


def indicator_row(indicator: Indicator, *, as_of: date | None = None, scale: RatingScale | None = None) -> IndicatorReportRow:
    """The report row of one indicator (for many, use :func:`indicator_rows`)."""
    return _row(indicator, list(indicator.observations.order_by("as_of")), as_of, scale or configured_scale())


def _row(indicator: Indicator, observations: Sequence[_Obs | Observation], as_of: date | None,
         scale: RatingScale) -> IndicatorReportRow:
    baseline, actual, target = _pick(observations, as_of)
    direction = Direction(indicator.direction)
    rate = achievement_rate(
        actual=actual.value if actual else None,
        target=target.value if target else None,
        baseline=baseline.value if baseline else None,
        direction=direction,
    )
    band = rate_rating(rate, scale)
    return IndicatorReportRow(
        indicator_id=indicator.pk,
        name=indicator.name,
        unit=indicator.unit,
        direction=direction.value,
        direction_label=direction.label,
        decimals=indicator.decimals,
        baseline=baseline.value if baseline else None,
        baseline_as_of=baseline.as_of if baseline else None,
        actual=actual.value if actual else None,
        actual_as_of=actual.as_of if actual else None,
        target=target.value if target else None,
        target_as_of=target.as_of if target else None,
        rate=rate.value,
        rate_status=RateStatus(rate.status).value,
        rate_text=format_rate(rate),
        rating=band.label if band else "",
        rating_description=band.description if band else "",
    )


def indicator_report_rows(
    *, plan: Plan | None = None, organization: Organization | None = None, as_of: date | None = None
) -> list[IndicatorReportRow]:
    """Rows for the 点検報告書's indicator section, in display order (two queries up to 5,000 indicators)."""
    return indicator_rows(current_indicators(plan=plan, organization=organization), as_of=as_of)


def indicator_rows(indicators: QuerySet[Indicator], *, as_of: date | None = None) -> list[IndicatorReportRow]:
    """Report rows for any queryset of indicators (e.g. the ones a user may see), in its order.

    One query for the indicators and one per 5,000 of them for their observations, read as tuples.
    """
    scale = configured_scale()
    items = list(indicators)
    by_indicator: dict[int, list[_Obs]] = defaultdict(list)
    for i in range(0, len(items), _CHUNK):
        ids = [ind.pk for ind in items[i : i + _CHUNK]]
        values = (Observation.objects.filter(indicator_id__in=ids).order_by("as_of", "pk")
                  .values_list("indicator_id", "kind", "value", "as_of"))
        for indicator_id, kind, value, day in values:
            by_indicator[indicator_id].append(_Obs(kind, value, day))
    return [_row(ind, by_indicator.get(ind.pk, []), as_of, scale) for ind in items]


def indicator_observations(indicator: Indicator) -> list[Observation]:
    """Observations of this version, oldest first (for the detail page and the chart)."""
    return list(indicator.observations.order_by("as_of", "kind"))
