"""Property tests of the 和暦 formatter/parser round trip, 1989..2100, across era boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tenken.common.wareki import (
    fiscal_year_label,
    fiscal_year_of,
    format_date,
    format_date_short,
    format_month,
    parse_date,
    parse_fiscal_year,
)

days = st.dates(min_value=date(1989, 1, 1), max_value=date(2100, 12, 31))


@given(days)
@example(date(2019, 4, 30))
@example(date(2019, 5, 1))
@example(date(1989, 1, 7))
@example(date(1989, 1, 8))
def test_format_date_round_trips(day):
    parsed = parse_date(format_date(day))
    assert (parsed.start, parsed.end, parsed.precision) == (day, day, "day")


@given(days)
@example(date(2019, 4, 30))
@example(date(2019, 5, 1))
def test_short_form_round_trips(day):
    assert parse_date(format_date_short(day)).start == day


@given(days)
def test_month_round_trips(day):
    parsed = parse_date(format_month(day))
    assert parsed.start == day.replace(day=1) and parsed.start <= day <= parsed.end


@given(st.integers(min_value=1989, max_value=2100))
def test_fiscal_year_label_round_trips(fy):
    assert parse_fiscal_year(fiscal_year_label(fy)) == fy
    parsed = parse_date(fiscal_year_label(fy))
    assert fiscal_year_of(parsed.start) == fiscal_year_of(parsed.end) == fy


def test_era_boundary_h31_4_30_is_followed_by_r1_5_1():
    last_heisei = parse_date("H31.4.30").start
    assert format_date_short(last_heisei + timedelta(days=1)) == "R元.5.1"
    assert format_date(last_heisei + timedelta(days=1)) == "令和元年5月1日"
    assert parse_date("R元.5.1").start == parse_date("R1.5.1").start == date(2019, 5, 1)
    assert format_date(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_date(date(1989, 1, 8)) == "平成元年1月8日"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("平成25年11月時点", date(2013, 11, 1), date(2013, 11, 30)),
        ("平成31年2月18日現在", date(2019, 2, 18), date(2019, 2, 18)),
        ("2019年3月末", date(2019, 3, 31), date(2019, 3, 31)),
    ],
)
def test_as_of_suffixes(text, start, end):
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.original) == (start, end, text)
