"""和暦 (Japanese era) dates and 年度 (fiscal years), parsed and formatted in one place.

Fiscal year (年度) ``N`` runs from April 1 of year N to March 31 of N+1 (地方自治法 第208条).
Eras switch on their first day: 平成 ends 2019-04-30 and 令和 starts 2019-05-01; year 1 of an era is
written 元年. Inputs are NFKC-normalised first, so full-width digits and the ligatures ㍻ and ㋿ work.

Accepted by :func:`parse_date` (the original string is kept on the result):
``2019-03``, ``2019/3/18``, ``2019年3月``, ``H25.6``, ``R1.7``, ``R元.11``, ``平成31年2月18日``,
``平成30年度``, ``H30年度末``, ``R2年度末``, ``2018年度``, ``2019年3月末``; a trailing ``時点`` or ``現在``
(``平成25年11月時点``, ``平成31年2月18日現在``) is ignored.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date
    end: date | None  # last day, inclusive


ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23), date(1912, 7, 29)),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", date(2019, 5, 1), None),
)
_BY_KEY = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS} | {e.letter.lower(): e for e in ERAS}


class WarekiError(ValueError):
    """A date string that cannot be read; the message is Japanese and quotes the input."""


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: ``start``..``end`` is the span the text denotes; ``precision`` names it.

    ``as_of`` is the day a figure "as of" this text refers to: the end of the span.
    """

    original: str
    start: date
    end: date
    precision: str  # "day" | "month" | "year" | "fiscal_year" | "fiscal_year_end"

    @property
    def as_of(self) -> date:
        return self.end


def era_of(day: date) -> Era:
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise WarekiError(f"{day.isoformat()} は明治より前のため和暦に変換できません")


def era_year(day: date) -> tuple[Era, int]:
    era = era_of(day)
    return era, day.year - era.start.year + 1


def _year_text(n: int) -> str:
    return "元" if n == 1 else str(n)


def format_date(day: date) -> str:
    """``2019-03-18`` → ``平成31年3月18日``."""
    era, n = era_year(day)
    return f"{era.name}{_year_text(n)}年{day.month}月{day.day}日"


def format_datetime(value: datetime, *, seconds: bool = False) -> str:
    """An aware time in Japan's 和暦: ``令和8年12月4日 01:05`` (``…01:05:52`` with ``seconds``)."""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date())} {local:{'%H:%M:%S' if seconds else '%H:%M'}}"


def format_date_short(day: date) -> str:
    """``2019-04-30`` → ``H31.4.30``; ``2019-05-01`` → ``R元.5.1`` (the form tables and notes use)."""
    era, n = era_year(day)
    return f"{era.letter}{_year_text(n)}.{day.month}.{day.day}"


def format_month_short(day: date) -> str:
    """``2019-01-01`` → ``H31.1``; ``2020-01-01`` → ``R2.1`` (a chart's time axis)."""
    era, n = era_year(day)
    return f"{era.letter}{_year_text(n)}.{day.month}"


def format_month(day: date) -> str:
    """``2019-03-18`` → ``平成31年3月``."""
    era, n = era_year(day)
    return f"{era.name}{_year_text(n)}年{day.month}月"


def fiscal_year_of(day: date) -> int:
    """The fiscal year (西暦) containing ``day``: 2019-03-31 → 2018, 2019-04-01 → 2019."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_year_label(fy: int) -> str:
    """``2018`` → ``平成30年度``; ``2019`` → ``令和元年度``.

    A fiscal year is named by the era of its first day, except that a year in which a new era begins
    takes the new era's name (2019 starts in 平成 but is conventionally 令和元年度).
    """
    day = date(fy, 4, 1)
    era, n = era_year(day)
    nxt = next((e for e in ERAS if e.start.year == fy and e.start > day), None)
    if nxt is not None:
        era, n = nxt, 1
    return f"{era.name}{_year_text(n)}年度"


def fiscal_year_range_label(first: int, last: int) -> str:
    """``2014, 2018`` → ``平成26年度～30年度``; across eras both names are written."""
    a, b = fiscal_year_label(first), fiscal_year_label(last)
    if first == last:
        return a
    if a[:2] == b[:2]:
        return f"{a}～{b[2:]}"
    return f"{a}～{b}"


_ERA_RE = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?\s*(?P<ey>元|\d{1,2})"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso_day", re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$")),
    ("iso_month", re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$")),
    ("ja_day", re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")),
    ("ja_month", re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<edge>末)?$")),
    ("ad_fy", re.compile(r"^(?P<y>\d{4})年度(?P<edge>末|当初|初)?$")),
    ("era_fy", re.compile(r"^" + _ERA_RE + r"年度(?P<edge>末|当初|初)?$")),
    ("era_day", re.compile(r"^" + _ERA_RE + r"(?:年|[.\-/])(?P<m>\d{1,2})(?:月|[.\-/])(?P<d>\d{1,2})日?$")),
    ("era_month", re.compile(r"^" + _ERA_RE + r"(?:年|[.\-/])(?P<m>\d{1,2})月?(?P<edge>末)?$")),
    ("era_year", re.compile(r"^" + _ERA_RE + r"年?$")),
]


def _to_ad(era_key: str, ey: str, original: str) -> tuple[Era, int]:
    era = _BY_KEY[era_key]
    n = 1 if ey == "元" else int(ey)
    if n < 1:
        raise WarekiError(f"「{original}」: 和暦の年は1（元年）以上です")
    return era, era.start.year + n - 1


def _check_in_era(era: Era, start: date, end: date, original: str) -> None:
    # A month or day must overlap the era; 平成31年5月 does not exist (令和元年5月).
    if end < era.start or (era.end is not None and start > era.end):
        raise WarekiError(f"「{original}」: {era.name}の期間外の日付です")


def parse_date(text: str) -> ParsedDate:
    """Parse a 西暦 / 和暦 date, month or fiscal-year expression. Raises :class:`WarekiError`."""
    original = text
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    # "平成25年11月時点", "平成31年2月18日現在": the suffix only says "as of".
    s = re.sub(r"(時点|現在)$", "", s) if len(s) > 2 else s
    if not s:
        raise WarekiError("日付が空欄です")
    for kind, pattern in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        g = m.groupdict()
        try:
            if kind.startswith("era"):
                era, year = _to_ad(g["era"], g["ey"], original)
            else:
                era, year = None, int(g["y"])
            if kind.endswith("fy"):
                start, end = fiscal_year_bounds(year)
                if g.get("edge") == "末":
                    return ParsedDate(original, end, end, "fiscal_year_end")
                if g.get("edge") in ("当初", "初"):
                    return ParsedDate(original, start, start, "day")
                return ParsedDate(original, start, end, "fiscal_year")
            if kind.endswith("day"):
                start = end = date(year, int(g["m"]), int(g["d"]))
                precision = "day"
            elif kind.endswith("month"):
                month = int(g["m"])
                start = date(year, month, 1)
                end = date(year, month, calendar.monthrange(year, month)[1])
                precision = "month"
                if g.get("edge") == "末":
                    start, precision = end, "day"
            else:
                start, end, precision = date(year, 1, 1), date(year, 12, 31), "year"
        except ValueError as exc:
            if isinstance(exc, WarekiError):
                raise
            raise WarekiError(f"「{original}」: 存在しない日付です") from exc
        if era is not None:
            _check_in_era(era, start, end, original)
        return ParsedDate(original, start, end, precision)
    raise WarekiError(f"「{original}」を日付として解釈できません（例: 2019-03, R元.11, H30年度末, 平成31年2月18日）")


def parse_fiscal_year(text: str) -> int:
    """``2018`` / ``H30`` / ``平成30年度`` / ``R元年度`` → 西暦の年度."""
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if re.fullmatch(r"\d{4}", s):
        return int(s)
    m = re.fullmatch(_ERA_RE + r"(?:年度?)?", s)
    if m:
        return _to_ad(m["era"], m["ey"], text)[1]
    raise WarekiError(f"「{text}」を年度として解釈できません（例: 2018, H30, 平成30年度）")


def parse_fiscal_year_range(text: str) -> tuple[int, int]:
    """``2014-2018`` / ``H26-H30`` / ``平成26年度～30年度`` → ``(2014, 2018)``."""
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    # the dashes people type: 「R4ーR8」 (the IME's 長音), 「R4−R8」 (minus), 「R4―R8」, and 「令和4年度から令和8年度」
    parts = re.split(r"から|[-~〜～–—ー−―‐]", s)
    if len(parts) != 2 or not all(parts):
        raise WarekiError(f"「{text}」を年度の範囲として解釈できません（例: 2014-2018, H26-H30）")
    try:
        return _fiscal_year_range(text, parts)
    except WarekiError as exc:
        if str(exc).startswith(f"「{text}」"):
            raise
        raise WarekiError(f"「{text}」を年度の範囲として解釈できません（{exc}）") from exc


def _fiscal_year_range(text: str, parts: list[str]) -> tuple[int, int]:
    first = parse_fiscal_year(parts[0])
    second_text = parts[1]
    if re.fullmatch(r"(元|\d{1,2})(年度)?", second_text):
        # 平成26年度～30年度: the second year inherits the first one's era.
        era_m = re.match(_ERA_RE, parts[0])
        if era_m is None:
            raise WarekiError(f"「{text}」: 終わりの年度の元号がわかりません")
        second_text = era_m["era"] + second_text
    last = parse_fiscal_year(second_text)
    if last < first:
        raise WarekiError(f"「{text}」: 終わりの年度が始まりより前です")
    return first, last
