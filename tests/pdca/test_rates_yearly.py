"""Achievement per fiscal year of a lower-is-better and a higher-is-better indicator (seed facts)."""

from __future__ import annotations

from decimal import Decimal as D

from tenken.indicators.yearly import yearly_achievement

YEARS = range(2019, 2023)  # R1–R4


def test_lower_is_better_municipalities_without_open_data_7_to_0():
    # 7 of 33 municipalities without open data at R1.12末; all by R2年度末 (target 0).
    rows = yearly_achievement(years=YEARS, direction="lower", baseline=D(7), targets={2019: D(4), 2020: D(0)},
                              actuals={2019: D(5), 2020: D(0)})
    r1, r2, r3, _r4 = rows
    assert (r1.target, r1.actual, r1.rate, r1.rating) == (D(4), D(5), D("2") / D("3"), "C")  # (5-7)/(4-7)
    assert r1.rate_text == "66.7%" and r1.met is False
    assert (r2.target, r2.actual, r2.rate, r2.rating, r2.met) == (D(0), D(0), D(1), "A", True)
    assert (r3.actual, r3.rating, r3.rate_text) == (None, "", "")
    worse = yearly_achievement(years=[2019], direction="lower", baseline=D(7), targets={2020: D(0)},
                               actuals={2019: D(8)})[0]
    assert worse.target is None and worse.rate < 0 and worse.rating == "D"  # the later goal applies


def test_higher_is_better_rpa_2_to_5():
    # RPA: 2 業務 in the H30 pilot → 5 業務 in R1.
    rows = yearly_achievement(years=YEARS, direction="higher", baseline=D(2), targets={2019: D(5), 2020: D(8)},
                              actuals={2019: D(5), 2020: D(6)})
    assert (rows[0].rate, rows[0].rating, rows[0].met) == (D(1), "A", True)
    assert rows[1].rate == D("0.6666666666666666666666666667") and rows[1].rating == "C"  # (6-2)/(8-2)
    assert rows[1].rate_text == "66.7%"
    assert yearly_achievement(years=[2019], direction="higher", baseline=D(2), targets={2019: D(5)},
                              actuals={2019: D(4)})[0].rating == "C"  # (4-2)/(5-2) = 66.7 %
