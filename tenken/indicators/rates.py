"""Achievement rate (達成率) and rating (評価) of an indicator: pure functions, no database.

Achievement rate
----------------
:func:`achievement_rate` returns a :class:`Rate`; ``value`` is a :class:`~decimal.Decimal` fraction
(``Decimal("0.4")`` is 40 %) or ``None`` when no honest number exists, and ``status`` says why.

* With a baseline (基準値) ``b``, target ``t`` and actual ``a``, for **either** direction::

      rate = (a − b) / (t − b)

  It is 0 at the baseline and 1 at the target; it exceeds 1 when the target is beaten and is negative
  when the actual moved away from the target. For lower-is-better indicators ``t < b``, and the same
  formula works because numerator and denominator are both negative when things improve
  (情報システム数 162 → 110 with target 100: (110 − 162) / (100 − 162) = 0.8387…).

* Without a baseline, the ratio to the target::

      higher is better:  rate = a / t
      lower is better:   rate = t / a      (documented choice: 1 at the target, grows as a falls)

  Ratios are only meaningful for non-negative quantities: a negative actual or target gives
  ``status="not_applicable"``. A zero denominator (``t = 0`` for higher, ``a = 0`` for lower) gives
  ``value=None`` with ``status="zero_denominator"``. Note that lower-is-better with target 0 and no
  baseline yields 0 for every positive actual (0 / 7 = 0): record a baseline to measure progress
  towards zero.

* Explicit results instead of numbers:

  ``missing_actual`` / ``missing_target``
      no actual / no target to compare.
  ``zero_span``
      the target equals the baseline (t = b): there is no distance to cover.
  ``met_at_baseline``
      the baseline already satisfies the target in the good direction (higher: b > t, lower: b < t).

  In all four cases ``value`` is ``None``; ``met`` still tells whether the actual satisfies the target
  (``None`` when there is nothing to compare).

Rating
------
:func:`rate_rating` maps a rate onto a :class:`RatingScale`: ordered :class:`RatingBand` s, each with a
label (``A``), a description (``目標を達成``) and a lower bound ``min_rate`` (inclusive; the last band
has ``None`` and takes everything below). The scale is configuration — see
``tenken.indicators.rating_config`` and the ``TENKEN_INDICATOR_RATING_BANDS`` setting — never a
constant here. A rate without a value has no rating (``None``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise


class Direction(StrEnum):
    HIGHER = "higher"  # 高いほど良い
    LOWER = "lower"  # 低いほど良い

    @property
    def label(self) -> str:
        return "高いほど良い" if self is Direction.HIGHER else "低いほど良い"


class RateStatus(StrEnum):
    OK = "ok"
    MISSING_ACTUAL = "missing_actual"
    MISSING_TARGET = "missing_target"
    ZERO_SPAN = "zero_span"
    MET_AT_BASELINE = "met_at_baseline"
    ZERO_DENOMINATOR = "zero_denominator"
    NOT_APPLICABLE = "not_applicable"


STATUS_TEXT: dict[RateStatus, str] = {
    RateStatus.OK: "",
    RateStatus.MISSING_ACTUAL: "実績値なし",
    RateStatus.MISSING_TARGET: "目標値なし",
    RateStatus.ZERO_SPAN: "目標値が基準値と同じ",
    RateStatus.MET_AT_BASELINE: "基準値の時点で目標を満たしている",
    RateStatus.ZERO_DENOMINATOR: "0で割るため算出できない",
    RateStatus.NOT_APPLICABLE: "負の値のため比率を算出できない",
}


@dataclass(frozen=True)
class Rate:
    """The outcome of :func:`achievement_rate`.

    ``method`` is ``"span"`` ((a − b)/(t − b)), ``"ratio"`` (a/t), ``"inverse_ratio"`` (t/a) or ``""``
    when nothing was computed. ``met`` is whether the actual satisfies the target in the good direction.
    """

    value: Decimal | None
    status: RateStatus
    method: str = ""
    met: bool | None = None

    @property
    def text(self) -> str:
        """``40.0%`` or the Japanese reason there is no number."""
        return format_rate(self)


def _met(actual: Decimal, target: Decimal, direction: Direction) -> bool:
    return actual >= target if direction is Direction.HIGHER else actual <= target


def achievement_rate(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None = None,
    direction: Direction | str,
) -> Rate:
    """The achievement rate of ``actual`` against ``target`` (and ``baseline`` if known); see module doc."""
    direction = Direction(direction)
    if actual is None:
        return Rate(None, RateStatus.MISSING_ACTUAL)
    if target is None:
        return Rate(None, RateStatus.MISSING_TARGET)
    met = _met(actual, target, direction)
    if baseline is not None:
        span = target - baseline
        if span == 0:
            return Rate(None, RateStatus.ZERO_SPAN, met=met)
        # The target must lie on the good side of the baseline, else the baseline already meets it.
        if (direction is Direction.HIGHER and span < 0) or (direction is Direction.LOWER and span > 0):
            return Rate(None, RateStatus.MET_AT_BASELINE, met=met)
        value = (actual - baseline) / span
        # 0 / negative span is Decimal("-0"); the baseline itself is plain 0 % in either direction.
        return Rate(value if value != 0 else Decimal(0), RateStatus.OK, "span", met)
    if actual < 0 or target < 0:
        return Rate(None, RateStatus.NOT_APPLICABLE, met=met)
    if direction is Direction.HIGHER:
        if target == 0:
            return Rate(None, RateStatus.ZERO_DENOMINATOR, "ratio", met)
        return Rate(actual / target, RateStatus.OK, "ratio", met)
    if actual == 0:
        return Rate(None, RateStatus.ZERO_DENOMINATOR, "inverse_ratio", met)
    return Rate(target / actual, RateStatus.OK, "inverse_ratio", met)


def format_rate(rate: Rate, *, places: int = 1) -> str:
    """``Decimal("0.4")`` → ``40.0%``; a rate without value → its Japanese reason."""
    if rate.value is None:
        return STATUS_TEXT[rate.status]
    pct = (rate.value * 100).quantize(Decimal(1).scaleb(-places))
    return f"{pct}%"


@dataclass(frozen=True)
class RatingBand:
    """One grade: rates ``>= min_rate`` (``None``: any rate) get ``label``."""

    label: str
    description: str
    min_rate: Decimal | None


class RatingError(ValueError):
    """A rating scale that cannot be used (Japanese message)."""


@dataclass(frozen=True)
class RatingScale:
    """Bands from best to worst, with strictly decreasing ``min_rate``; only the last may be ``None``."""

    bands: tuple[RatingBand, ...]

    def __post_init__(self) -> None:
        if not self.bands:
            raise RatingError("評価の区分が一つもありません")
        bounds = [b.min_rate for b in self.bands]
        if any(m is None for m in bounds[:-1]):
            raise RatingError("下限のない区分は最後にだけ置けます")
        numeric = [m for m in bounds if m is not None]
        if any(a <= b for a, b in pairwise(numeric)):
            raise RatingError("評価の区分の下限は上から順に小さくしてください")
        if len({b.label for b in self.bands}) != len(self.bands):
            raise RatingError("評価の区分名が重複しています")

    @classmethod
    def from_config(cls, rows: Iterable[dict[str, object] | tuple[object, ...]]) -> RatingScale:
        """Build from ``[{"label": "A", "description": "...", "min_rate": "1.0"}, ...]`` or 3-tuples."""
        bands = []
        for row in rows:
            if isinstance(row, dict):
                label, description, min_rate = row["label"], row.get("description", ""), row.get("min_rate")
            else:
                label, description, min_rate = row
            bands.append(
                RatingBand(str(label), str(description), None if min_rate is None else Decimal(str(min_rate)))
            )
        return cls(tuple(bands))


def rate_rating(rate: Rate | Decimal | None, scale: RatingScale) -> RatingBand | None:
    """The band of ``rate`` in ``scale``; ``None`` when the rate has no value or falls below every band."""
    value = rate.value if isinstance(rate, Rate) else rate
    if value is None:
        return None
    for band in scale.bands:
        if band.min_rate is None or value >= band.min_rate:
            return band
    return None
