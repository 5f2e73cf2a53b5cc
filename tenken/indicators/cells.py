"""Cells of an indicator table as people type them: numbers with their unit, 「未集計」, years.

``parse_value`` (the value form, and any cell) refuses anything but a number; :func:`cell_number` also
reads 「85%」 / 「1,200件」 when the unit is the row's, and returns ``None`` for a year not yet counted
(「未集計」「集計中」「ー」「-」, blank). :func:`cell_fiscal_when` reads a 年度 cell (``R4``, ``令和4年度``,
``2022``) as that fiscal year's end.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from tenken.common.novalue import NO_VALUE, is_no_value  # noqa: F401 (NO_VALUE: re-exported, documented here)
from tenken.common.text import cell_text, normalize
from tenken.common.wareki import ParsedDate, WarekiError, parse_date, parse_fiscal_year

_PAREN = re.compile(r"\([^()]*\)")
_NUMBER = re.compile(r"(?P<sign>[-+−▲△]?)(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d()]*)")
_TRAILING_YEAR = re.compile(r"^(?P<value>.*?)\((?P<year>[^()]+)\)$")
# Marks a sheet adds beside a value: a trend (前年度から増えた) is no part of it; a forecast (見込) is no settled value.
_ARROWS = ("↑", "↓", "→", "↗", "↘", "⇧", "⇩", "⤴", "⤵")
_FORECAST_WORDS = ("見込", "見通し", "推計", "予測")
_NOT_A_NUMBER = "は数値ではありません（数字だけを書き、単位や「約」は単位列・note 列へ）"


def parse_value(text: str) -> Decimal:
    """``1,200,000`` / ``１２００`` / ``72.5`` → Decimal; anything else (``約56万``) raises ValueError."""
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", s):
        raise ValueError(f"「{text}」{_NOT_A_NUMBER}")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already guarantees a number
        raise ValueError(f"「{text}」は数値ではありません") from exc


def cell_number(value: object, unit: str) -> tuple[Decimal | None, str]:
    """``(number, unit written in the cell)``; ``(None, "")`` for no value this year.

    A number cell as it is; text 「1,200」「85%」「１，５００件」「▲5」「−5」 (▲/△ are minus). A unit written in the
    cell must be ``unit`` (or its part before ``/`` or a bracket: 「件」 under 「件/年」 or 「件（累計）」); without ``unit``
    it is returned so the caller can take it as the row's unit. A trend arrow (「1,520↑」) or a forecast
    (「1,600（見込）」) is refused with its own reason. Raises :class:`ValueError` with the Japanese message."""
    if isinstance(value, bool) or isinstance(value, date | datetime):
        raise ValueError(f"「{cell_text(value)}」{_NOT_A_NUMBER}")
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"「{value}」{_NOT_A_NUMBER}")
        return Decimal(str(int(value) if isinstance(value, float) and value.is_integer() else value)), ""
    text = cell_text(value)
    if is_no_value(text):
        return None, ""
    s = normalize(text).replace(",", "")
    if any(a in s for a in _ARROWS):
        raise ValueError(f"「{text}」: 矢印（{'・'.join(a for a in _ARROWS if a in s)}）は値ではありません。数値だけを記入し、"
                         "増減の傾向は note 列へ（目標が「増加」「維持」の意味なら、数値の目標値を記入してください）")
    if any(w in s for w in _FORECAST_WORDS):
        raise ValueError(f"「{text}」は見込みの値で、確定した値ではないため登録しません。確定した値を記入するか、"
                         "まだなければ空欄か「集計中」にしてください")
    m = _NUMBER.fullmatch(s)
    if m is None:
        raise ValueError(f"「{text}」{_NOT_A_NUMBER}")
    number = Decimal(m["num"]) * (-1 if m["sign"] in ("-", "−", "▲", "△") else 1)
    written = m["unit"]
    if written and unit:
        expected = normalize(unit)
        bare = _PAREN.sub("", expected)  # 「件（累計）」: the unit is 件, the bracket says how it is counted
        if written not in (expected, expected.split("/")[0], bare, bare.split("/")[0]):
            raise ValueError(f"「{text}」の単位「{written}」が単位列の「{unit}」と異なります（{unit}で書くか、単位列を直してください）")
    return number, written


def percent_text(number: int | float) -> str:
    """A number cell formatted as a percentage as Excel shows it: 0.865 → 「86.5%」 (Excel stores 85% as 0.85)."""
    text = f"{Decimal(str(number)) * 100:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def split_year(value: object) -> tuple[object, str]:
    """``("1,200", "R2")`` from 「1,200（R2）」: a value with its year in trailing parentheses; else ``(value, "")``."""
    if not isinstance(value, str):
        return value, ""
    m = _TRAILING_YEAR.match(normalize(value))
    if m is None:
        return value, ""
    try:
        cell_fiscal_when(m["year"])
    except WarekiError:
        return value, ""
    return m["value"], m["year"]


def fiscal_end(fy: int) -> ParsedDate:
    return parse_date(f"{fy}年度末")


def cell_fiscal_when(value: object) -> ParsedDate:
    """A 年度 / 基準年度 / 目標年度 cell: ``R4``, ``令和4年度``, ``2022``, ``令和4年度（2022年度）`` → that
    fiscal year's end; a date (``R5.3``, ``2023-03-31``, an Excel date) → that day. Raises :class:`WarekiError`."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return ParsedDate(value.isoformat(), value, value, "day")
    text = cell_text(value)
    for candidate in (text, _PAREN.sub("", normalize(text))):
        if not candidate:
            continue
        ad = re.fullmatch(r"(\d{4})年度?", candidate)
        try:
            return fiscal_end(int(ad[1]) if ad else parse_fiscal_year(candidate))
        except WarekiError:
            pass
        try:
            return parse_date(candidate)
        except WarekiError:
            pass
    raise WarekiError(f"「{text}」を年度として解釈できません（例: R4, 令和4年度, 2022）")


def cell_date(value: object) -> ParsedDate:
    """A 時点 cell: text through :func:`parse_date` (its original kept), or an Excel date."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return ParsedDate(value.isoformat(), value, value, "day")
    return parse_date(cell_text(value))
