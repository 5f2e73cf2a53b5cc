"""Achievement rates and ratings (tenken.indicators.rates), with the Kanagawa figures as examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import assume, given
from hypothesis import strategies as st

from tenken.indicators.rates import (
    Direction,
    RateStatus,
    RatingError,
    RatingScale,
    achievement_rate,
    format_rate,
    rate_rating,
)
from tenken.indicators.rating_config import configured_scale

HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
SCALE = RatingScale.from_config([("A", "目標を達成", "1"), ("B", "概ね順調", "0.8"), ("C", "やや遅れ", "0.5"), ("D", "遅れ", None)])


# --- the figures of indicators.csv ---------------------------------------------------------------

def test_information_systems_162_to_110_lower_is_better():
    # indicators.csv has no target for 情報システム数; the plan's target here is the test's own: 100.
    rate = achievement_rate(actual=D(110), target=D(100), baseline=D(162), direction=LOWER)
    assert rate.status is RateStatus.OK and rate.method == "span"
    assert rate.value == D(52) / D(62)  # (110 − 162) / (100 − 162) = 0.8387…
    assert format_rate(rate) == "83.9%"
    assert rate_rating(rate, SCALE).label == "B"
    assert rate.met is False


def test_operating_cost_72_to_60_oku_yen_lower_is_better():
    # No target in the CSV either; test target 50 億円/年: (60 − 72) / (50 − 72) = 12/22.
    rate = achievement_rate(actual=D(60), target=D(50), baseline=D(72), direction=LOWER)
    assert rate.value == D(12) / D(22)
    assert format_rate(rate) == "54.5%"
    assert rate_rating(rate, SCALE).label == "C"
    # Beating the target gives more than 100 %: 45 億円 → 27/22.
    beaten = achievement_rate(actual=D(45), target=D(50), baseline=D(72), direction=LOWER)
    assert format_rate(beaten) == "122.7%" and rate_rating(beaten, SCALE).label == "A" and beaten.met


def test_without_a_target_there_is_no_rate():
    rate = achievement_rate(actual=D(110), target=None, baseline=D(162), direction=LOWER)
    assert (rate.value, rate.status, format_rate(rate)) == (None, RateStatus.MISSING_TARGET, "目標値なし")
    assert rate_rating(rate, SCALE) is None


def test_open_data_municipalities_7_towards_target_0():
    # The CSV holds the actual 7 (2019-12) and the target 0, no baseline: lower-is-better ratio t/a = 0/7.
    rate = achievement_rate(actual=D(7), target=D(0), direction=LOWER)
    assert (rate.value, rate.method, format_rate(rate)) == (D(0), "inverse_ratio", "0.0%")
    assert rate_rating(rate, SCALE).label == "D"
    # Taking 7 as the baseline, a later actual of 3 is (3 − 7)/(0 − 7) = 4/7; 0 reaches the target.
    assert achievement_rate(actual=D(3), target=D(0), baseline=D(7), direction=LOWER).value == D(4) / D(7)
    assert achievement_rate(actual=D(0), target=D(0), baseline=D(7), direction=LOWER).value == 1
    # Every municipality done while the baseline is unknown: 0/0 is no number, but the target is met.
    done = achievement_rate(actual=D(0), target=D(0), direction=LOWER)
    assert (done.value, done.status, done.met) == (None, RateStatus.ZERO_DENOMINATOR, True)


def test_rpa_2_of_target_5_higher_is_better():
    rate = achievement_rate(actual=D(2), target=D(5), direction=HIGHER)
    assert (rate.value, rate.method, format_rate(rate)) == (D("0.4"), "ratio", "40.0%")
    assert rate_rating(rate, SCALE).label == "D"


# --- explicit results -----------------------------------------------------------------------------

def test_missing_actual():
    rate = achievement_rate(actual=None, target=D(0), baseline=D(2220), direction=LOWER)
    assert (rate.value, rate.status, rate.met, format_rate(rate)) == (None, RateStatus.MISSING_ACTUAL, None, "実績値なし")


@pytest.mark.parametrize("direction", [HIGHER, LOWER])
def test_zero_span(direction):
    rate = achievement_rate(actual=D(5), target=D(5), baseline=D(5), direction=direction)
    assert (rate.value, rate.status, rate.met) == (None, RateStatus.ZERO_SPAN, True)
    assert format_rate(rate) == "目標値が基準値と同じ"


def test_target_already_met_at_baseline():
    # Higher is better but the baseline 10 already exceeds the target 8.
    rate = achievement_rate(actual=D(9), target=D(8), baseline=D(10), direction=HIGHER)
    assert (rate.value, rate.status, rate.met) == (None, RateStatus.MET_AT_BASELINE, True)
    rate = achievement_rate(actual=D(12), target=D(20), baseline=D(10), direction=LOWER)
    assert (rate.value, rate.status, rate.met) == (None, RateStatus.MET_AT_BASELINE, True)


def test_ratio_edge_cases():
    assert achievement_rate(actual=D(3), target=D(0), direction=HIGHER).status is RateStatus.ZERO_DENOMINATOR
    assert achievement_rate(actual=D(-3), target=D(5), direction=HIGHER).status is RateStatus.NOT_APPLICABLE
    assert achievement_rate(actual=D(3), target=D(-5), direction=LOWER).status is RateStatus.NOT_APPLICABLE


def test_moving_away_from_the_target_is_negative():
    rate = achievement_rate(actual=D(170), target=D(100), baseline=D(162), direction=LOWER)
    assert rate.value < 0 and rate_rating(rate, SCALE).label == "D"


# --- rating scale as configuration ----------------------------------------------------------------

def test_shipped_setting_is_the_a_to_d_scale():
    scale = configured_scale()
    assert [(b.label, b.min_rate) for b in scale.bands] == [("A", D(1)), ("B", D("0.8")), ("C", D("0.5")), ("D", None)]
    assert rate_rating(D("0.8"), scale).label == "B"  # bounds are inclusive
    assert rate_rating(D("0.7999"), scale).label == "C"


@override_settings(TENKEN_INDICATOR_RATING_BANDS=[
    {"label": "S", "description": "大きく上回る", "min_rate": "1.2"},
    {"label": "A", "description": "達成", "min_rate": "1.0"},
    {"label": "B", "description": "未達成", "min_rate": "0"},
])
def test_a_different_scale_comes_from_settings_not_code():
    scale = configured_scale()
    assert rate_rating(D("1.3"), scale).label == "S"
    assert rate_rating(D("0.4"), scale).label == "B"
    assert rate_rating(D("-0.1"), scale) is None  # below every band


@pytest.mark.parametrize("bands", [
    [],
    [{"label": "A", "min_rate": None}, {"label": "B", "min_rate": "0.5"}],
    [{"label": "A", "min_rate": "0.5"}, {"label": "B", "min_rate": "0.8"}],
    [{"label": "A", "min_rate": "1"}, {"label": "A", "min_rate": None}],
    [{"label": "A", "min_rate": "たくさん"}],
])
def test_malformed_scales_are_refused(bands):
    with override_settings(TENKEN_INDICATOR_RATING_BANDS=bands), pytest.raises(ImproperlyConfigured):
        configured_scale()
    with pytest.raises((RatingError, ArithmeticError)):
        RatingScale.from_config(bands)


# --- properties -----------------------------------------------------------------------------------

values = st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.001"), max_value=10**9, places=3, allow_nan=False, allow_infinity=False)
directions = st.sampled_from([HIGHER, LOWER])


def _good_span(direction, baseline, target):
    return target > baseline if direction is HIGHER else target < baseline


@given(direction=directions, baseline=values, target=values)
def test_span_rate_is_1_at_target_and_0_at_baseline(direction, baseline, target):
    assume(_good_span(direction, baseline, target))
    assert achievement_rate(actual=target, target=target, baseline=baseline, direction=direction).value == 1
    at_baseline = achievement_rate(actual=baseline, target=target, baseline=baseline, direction=direction)
    assert at_baseline.value == 0 and format_rate(at_baseline) == "0.0%"  # never "-0.0%"


@given(direction=directions, baseline=values, target=values, a1=values, a2=values)
def test_span_rate_is_monotonic_in_the_good_direction(direction, baseline, target, a1, a2):
    assume(_good_span(direction, baseline, target))
    worse, better = sorted([a1, a2]) if direction is HIGHER else sorted([a1, a2], reverse=True)
    r_worse = achievement_rate(actual=worse, target=target, baseline=baseline, direction=direction)
    r_better = achievement_rate(actual=better, target=target, baseline=baseline, direction=direction)
    assert r_worse.value <= r_better.value
    assert r_better.met or not r_worse.met  # meeting the target is monotonic too


@given(baseline=values, target=values, actual=values)
def test_directions_are_symmetric_under_negation(baseline, target, actual):
    up = achievement_rate(actual=actual, target=target, baseline=baseline, direction=HIGHER)
    down = achievement_rate(actual=-actual, target=-target, baseline=-baseline, direction=LOWER)
    assert (up.value, up.status, up.met) == (down.value, down.status, down.met)


@given(direction=directions, target=positive)
def test_ratio_rate_is_1_at_target(direction, target):
    assert achievement_rate(actual=target, target=target, direction=direction).value == 1


@given(direction=directions, target=positive, a1=positive, a2=positive)
def test_ratio_rate_is_monotonic_in_the_good_direction(direction, target, a1, a2):
    worse, better = sorted([a1, a2]) if direction is HIGHER else sorted([a1, a2], reverse=True)
    r_worse = achievement_rate(actual=worse, target=target, direction=direction).value
    r_better = achievement_rate(actual=better, target=target, direction=direction).value
    assert r_worse <= r_better


@given(a=positive, t=positive)
def test_lower_ratio_mirrors_higher_ratio(a, t):
    # Lower-is-better without a baseline is t / a: the higher-is-better ratio with the roles swapped.
    lower = achievement_rate(actual=a, target=t, direction=LOWER).value
    higher = achievement_rate(actual=t, target=a, direction=HIGHER).value
    assert lower == higher


@given(rate=st.decimals(min_value=-5, max_value=5, places=4, allow_nan=False))
def test_every_rate_gets_the_band_of_its_bound(rate):
    band = rate_rating(rate, SCALE)
    assert band is not None
    assert band.min_rate is None or rate >= band.min_rate
    better = [b for b in SCALE.bands[: SCALE.bands.index(band)]]
    assert all(rate < b.min_rate for b in better)
