"""How dates, times and fiscal years are shown on every page — the one place that decides.

``{% load wareki %}`` then:

| filter | input | shown |
|---|---|---|
| ``wareki`` | date / datetime | 令和元年5月31日 |
| ``wareki_short`` | date / datetime | R元.5.31 |
| ``wareki_both`` | date | 令和元年5月31日（2019年5月31日） — 和暦 with 西暦 beside it |
| ``wareki_datetime`` | datetime | 令和元年5月31日 14:05 (Asia/Tokyo) |
| ``fiscal_year`` | int (西暦の年度) | 平成30年度 |
| ``fiscal_year_both`` | int | 平成30年度（2018年度） |

Empty values give "—". No ISO timestamps reach people.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from tenken.common import wareki as w

register = template.Library()
EMPTY = "—"


def _day(value: date | datetime | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


@register.filter
def wareki(value: date | datetime | None) -> str:
    day = _day(value)
    return w.format_date(day) if day else EMPTY


@register.filter
def wareki_short(value: date | datetime | None) -> str:
    day = _day(value)
    return w.format_date_short(day) if day else EMPTY


@register.filter
def wareki_both(value: date | datetime | None) -> str:
    day = _day(value)
    return f"{w.format_date(day)}（{day.year}年{day.month}月{day.day}日）" if day else EMPTY


@register.filter
def wareki_datetime(value: datetime | None) -> str:
    if not value:
        return EMPTY
    return w.format_datetime(value)


@register.filter
def fiscal_year(value: int | None) -> str:
    if value is None or value == "":
        return EMPTY
    return w.fiscal_year_label(int(value))


@register.filter
def fiscal_year_both(value: int | None) -> str:
    if value is None or value == "":
        return EMPTY
    return f"{w.fiscal_year_label(int(value))}（{int(value)}年度）"
