"""Indicators (指標) on the public side — the only module that touches ``tenken.indicators``.

The indicators app (issue 4) is developed in parallel. Everything here is guarded by
:func:`indicators_available`; without the app every function returns nothing and the pages, the
open-data files and the API simply leave indicators out. When the app is merged, adapt this module
only. Expected interface (from DESIGN.md):

- ``tenken.indicators.models.Indicator``: ``plan`` (FK to Plan, ``related_name="indicators"``),
  ``name``, ``unit``, ``direction`` (``"higher"`` / ``"lower"`` is better), optionally ``sections``
  and ``initiatives`` (M2M) linking it to the plan tree.
- ``Observation``: ``indicator`` (FK, ``related_name="observations"``), ``kind``
  (``baseline`` / ``target`` / ``actual``), ``value`` (number), ``as_of`` (date), optionally ``source``.

Observations carry no approval state; the indicators app owns which of them are published, so if it
adds one, filter here (this is the single place to do it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps

from tenken.common.wareki import format_date

KIND_LABELS = {"baseline": "基準値", "target": "目標値", "actual": "実績値"}
KIND_ORDER = {"baseline": 0, "target": 1, "actual": 2}
DIRECTION_LABELS = {"higher": "高いほどよい", "lower": "低いほどよい"}


def indicators_available() -> bool:
    return apps.is_installed("tenken.indicators")


@dataclass
class PublicObservation:
    kind: str
    value: float | int | None
    as_of: date | None
    source: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class PublicIndicator:
    pk: int
    name: str
    unit: str
    direction: str
    observations: list[PublicObservation]

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS.get(self.direction, self.direction)


def _number(value: Any) -> float | int | None:
    """A stored value as a plain number; integral values stay integers (591, not 591.0)."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _models() -> tuple[Any, Any]:
    return apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "Observation")


def _as_public(indicators: Any) -> list[PublicIndicator]:
    out = []
    for ind in indicators.prefetch_related("observations").order_by("pk"):
        obs = sorted(ind.observations.all(), key=lambda o: (o.as_of or date.min, KIND_ORDER.get(o.kind, 9)))
        out.append(
            PublicIndicator(
                pk=ind.pk,
                name=ind.name,
                unit=getattr(ind, "unit", ""),
                direction=getattr(ind, "direction", ""),
                observations=[
                    PublicObservation(
                        kind=o.kind,
                        value=_number(o.value),
                        as_of=o.as_of,
                        source=getattr(o, "source", "") or "",
                    )
                    for o in obs
                ],
            )
        )
    return out


def indicators_for_plan(*, plan: Any) -> list[PublicIndicator]:
    if not indicators_available():
        return []
    indicator, _ = _models()
    return _as_public(indicator.objects.filter(plan=plan))


def plan_has_indicators(*, plan: Any) -> bool:
    if not indicators_available():
        return False
    _indicator, observation = _models()
    return observation.objects.filter(indicator__plan=plan).exists()


def indicators_for_initiative(*, initiative: Any) -> list[PublicIndicator]:
    if not indicators_available():
        return []
    indicator, _ = _models()
    field_names = {f.name for f in indicator._meta.get_fields()}
    if "initiatives" in field_names:
        return _as_public(indicator.objects.filter(initiatives=initiative))
    return []


def observation_rows(*, plan: Any) -> list[dict[str, object]]:
    """One row per observation, for the open-data ``indicators`` table (see opendata.tables)."""
    rows: list[dict[str, object]] = []
    for ind in indicators_for_plan(plan=plan):
        for o in ind.observations:
            rows.append(
                {
                    "indicator_id": ind.pk,
                    "name": ind.name,
                    "unit": ind.unit,
                    "direction": ind.direction_label,
                    "kind": o.kind_label,
                    "value": o.value,
                    "as_of": o.as_of.isoformat() if o.as_of else "",
                    "as_of_wareki": format_date(o.as_of) if o.as_of else "",
                    "source": o.source,
                }
            )
    return rows
