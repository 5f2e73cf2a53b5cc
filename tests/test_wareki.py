from datetime import date

import pytest

from tenken.common.wareki import (
    WarekiError,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range_label,
    format_date,
    format_month,
    parse_date,
    parse_fiscal_year_range,
)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2019-03", date(2019, 3, 1), date(2019, 3, 31), "month"),
        ("R元.11", date(2019, 11, 1), date(2019, 11, 30), "month"),
        ("R1.7", date(2019, 7, 1), date(2019, 7, 31), "month"),
        ("H25.6", date(2013, 6, 1), date(2013, 6, 30), "month"),
        ("H30年度末", date(2019, 3, 31), date(2019, 3, 31), "fiscal_year_end"),
        ("R2年度末", date(2021, 3, 31), date(2021, 3, 31), "fiscal_year_end"),
        ("平成31年2月18日", date(2019, 2, 18), date(2019, 2, 18), "day"),
        ("平成30年度", date(2018, 4, 1), date(2019, 3, 31), "fiscal_year"),
        ("Ｈ３０．１２", date(2018, 12, 1), date(2018, 12, 31), "month"),
        ("㋿2.4", date(2020, 4, 1), date(2020, 4, 30), "month"),
        ("2019-02-18", date(2019, 2, 18), date(2019, 2, 18), "day"),
    ],
)
def test_parse_date(text, start, end, precision):
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision, parsed.original) == (start, end, precision, text)


def test_era_boundary():
    assert format_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert format_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert parse_date("H31.4.30").start == date(2019, 4, 30)
    assert parse_date("R1.5.1").start == date(2019, 5, 1)
    with pytest.raises(WarekiError, match="平成の期間外"):
        parse_date("平成31年5月1日")
    with pytest.raises(WarekiError, match="令和の期間外"):
        parse_date("R1.4")


def test_fiscal_years():
    assert fiscal_year_of(date(2019, 3, 31)) == 2018
    assert fiscal_year_of(date(2019, 4, 1)) == 2019
    assert fiscal_year_label(2018) == "平成30年度"
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_range_label(2014, 2018) == "平成26年度～30年度"
    assert fiscal_year_range_label(2019, 2022) == "令和元年度～4年度"
    assert fiscal_year_range_label(2017, 2020) == "平成29年度～令和2年度"
    assert format_month(date(2019, 3, 18)) == "平成31年3月"
    assert parse_fiscal_year_range("2014-2018") == (2014, 2018)
    assert parse_fiscal_year_range("H26-H30") == (2014, 2018)
    assert parse_fiscal_year_range("平成26年度～30年度") == (2014, 2018)


def test_unreadable_dates_name_the_input():
    with pytest.raises(WarekiError, match="「そのうち」を日付として解釈できません"):
        parse_date("そのうち")
    with pytest.raises(WarekiError, match="存在しない日付"):
        parse_date("2019-02-30")
