"""Year columns: 令和4年度の実績, R4進捗, 2022年度, H30実施結果, 平成30年度 取組の実施結果 …"""

from __future__ import annotations

import re

from tenken.common.text import normalize
from tenken.common.wareki import WarekiError, parse_fiscal_year

_YEAR = re.compile(r"(?P<fy>(?:19|20)\d{2}|(?:令和|平成|R|H|r|h)(?:元|\d{1,2}))(?:年度|年)?")
# What the rest of the header says the column holds.
STATUS_WORDS = ("実施結果", "点検結果", "進捗", "評価", "達成状況", "状況", "結果")
OUTCOME_WORDS = ("実績", "取組実績", "成果", "実施内容", "取組内容")
# What was planned for the year (「R5 | 計画 | 実績 | 評価」, 「令和5年度の取組予定」): neither its result nor its actuals.
# A schedule drawn over the years (「実施スケジュール」「工程」「年次計画」「ロードマップ」 over R4 R5 R6 holding
# ● / → / 検討) is the plan too.
PLAN_WORDS = ("計画", "予定", "スケジュール", "工程", "日程", "行程", "ロードマップ")
# A schedule's marks: arrows and bars drawn across the years (「→」「⇒」「――→」「━━━」). No result is written so.
_SCHEDULE_MARK = re.compile(r"[→⇒⇨➡➔➜➝➞⟶⟹▶►▷⇢↗↘←↔⇔]|[-‐－ー―─━—]+[>＞〉]|[‐ー―─━—]{3,}")


def is_schedule_mark(value: str) -> bool:
    """Whether a cell is an arrow or bar of a schedule (「→」「――▶」「━━━」), not a year's result."""
    return bool(_SCHEDULE_MARK.search(normalize(value)))
INDICATOR_WORDS = ("目標値", "実績値", "目標", "指標", "値", "基準値")
# An indicator's value whatever stands beside it (「R1実績値」 is no 実績; 「R1 | KPI」 no result).
_STRONG_INDICATOR = re.compile(r"目標値|実績値|KPI", re.IGNORECASE)


# 「令５」「令6年度」「平30」: the era written by its first character, as 「R5」 is by its letter.
_ERA_ABBREV = re.compile(r"(令|平)(?![和成])(?=\s*(?:元|\d))")


def expand_era(text: str) -> str:
    """「令５進捗」 → 「令和5進捗」, 「平30」 → 「平成30」 (after NFKC); other text unchanged."""
    return _ERA_ABBREV.sub(lambda m: {"令": "令和", "平": "平成"}[m.group(1)], normalize(text))


def year_of_header(text: str) -> tuple[int, str] | None:
    """``(fiscal_year, rest)`` when the header names a fiscal year, e.g. ``R4進捗`` → ``(2022, "進捗")``,
    ``令５進捗`` → ``(2023, "進捗")``."""
    key = expand_era(text)
    m = _YEAR.search(key)
    if not m:
        return None
    # 「2022年度」 or a year followed by a word; a bare 4-digit number inside a longer word is not a year.
    before = key[: m.start()]
    if before and not before.endswith(("の", "・", "(", "（")) and not re.fullmatch(r"[\W_]*", before):
        if not re.search(r"(年度|年)$", key[: m.end()]):
            return None
    try:
        fy = parse_fiscal_year(m.group("fy"))
    except WarekiError:
        return None
    if not 1989 <= fy <= 2100:
        return None
    rest = (before + key[m.end():]).strip("の・()（） ")
    return fy, rest


def year_column_kind(rest: str) -> str | None:
    """``status`` / ``outcome`` / ``plan`` / ``indicator`` from the words beside the year; ``None`` when only
    the year. A result or actuals word wins over a plan word (「計画の進捗」 is a result, 「計画実績」 actuals)."""
    if _STRONG_INDICATOR.search(rest):
        return "indicator"
    for w in STATUS_WORDS:
        if w in rest:
            return "status"
    for w in OUTCOME_WORDS:
        if w in rest:
            return "outcome"
    for w in PLAN_WORDS:
        if w in rest:
            return "plan"
    for w in INDICATOR_WORDS[2:]:
        if w in rest:
            return "indicator"
    return None


def year_kind_of_parts(parts: list[str], rest: str) -> str | None:
    """What a yearly column holds, from its header cells top to bottom (``parts``) and the words beside its
    year (``rest``): the heading nearest the data decides. Under 「進捗状況」 over 「令和4年度」 over 「評価 | 実績」
    the 実績 column holds the year's actuals, not its result; the outer group word names the whole block.
    An indicator's value (「目標値」「実績値」) anywhere in the header stays an indicator."""
    if _STRONG_INDICATOR.search(rest):
        return "indicator"
    for part in reversed(parts):
        yh = year_of_header(part)
        if (kind := year_column_kind(yh[1] if yh else normalize(part))) is not None:
            return kind
    return year_column_kind(rest)
