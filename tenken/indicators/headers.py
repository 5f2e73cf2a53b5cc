"""The headers of an indicator table: which column is which, and why a column is not read.

:func:`classify` knows a column by its header (:data:`HEADERS`, after NFKC, without spaces; a parenthetical is
dropped when the header is not known with it: 「指標名（KPI）」). A header with a fiscal year (``R4``,
``2022年度``, ``R4実績``, ``目標値（R7）``) is a value of that year, of the kind its word says (:data:`KIND_WORDS`;
a bare year: the row's 種別, else 実績値). 累計 / 単年度 / 年間 beside the year say how the value is counted, not
its kind: 「R4（累計）」 is the 2022 value as written.

A year column that is not read has a reason (:func:`unread`): a forecast (「R5実績見込」「R6見込」: not an actual),
the city's own calculation or remarks (「R5達成率」「R4備考」), or — any other word — a question asked at its
header, never a column dropped in silence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenken.common.text import normalize

from .models import Observation

Kind = Observation.Kind

KINDS = {
    "baseline": Kind.BASELINE, "基準値": Kind.BASELINE, "基準": Kind.BASELINE, "現状値": Kind.BASELINE,
    "target": Kind.TARGET, "目標値": Kind.TARGET, "目標": Kind.TARGET,
    "actual": Kind.ACTUAL, "実績値": Kind.ACTUAL, "実績": Kind.ACTUAL,
}
# The words beside a year in a header (「R4実績」「令和7年度目標」「H30基準値」「目標値（R7）」), longest first.
KIND_WORDS: tuple[tuple[str, Kind], ...] = (
    ("基準", Kind.BASELINE), ("現状", Kind.BASELINE), ("策定時", Kind.BASELINE),
    ("目標", Kind.TARGET), ("計画", Kind.TARGET), ("実績", Kind.ACTUAL),
)
# Words beside a year that say nothing of the kind: 「令和4年度の値」「R5年度末」 are bare years.
NEUTRAL_WORDS = ("年度末", "数値", "実数", "時点", "現在", "値", "末")
# How a value is counted: 「R4（累計）」「R4実績（単年度）」 are values of that year as written.
AGGREGATE_WORDS = ("累計", "単年度", "単年", "年間", "通年")
# A forecast or a plan of what the year will be: never stored as an actual.
FORECAST_WORDS = ("見込み", "見込", "見通し", "推計", "予測", "予定", "試算")
# Beside a year, the city's own calculation or remarks: not a value of the indicator.
OTHER_WORDS = (
    "達成率", "達成度", "達成状況", "進捗率", "進捗状況", "進捗", "評価", "備考", "注記", "説明", "要因", "分析",
    "コメント", "所見", "担当", "出典", "増減", "前年度比", "前年比", "対前年", "伸び率", "比較",
)
YEAR_HEADS = {Kind.BASELINE: "基準年度", Kind.TARGET: "目標年度", Kind.ACTUAL: "実績年度"}

NAME_HEADERS = (
    "指標", "指標名", "指標名称", "指標項目", "KPI", "KPI名", "KPI項目", "成果指標", "成果指標名", "評価指標",
    "活動指標", "業績指標", "目標指標", "重要業績評価指標", "数値目標", "管理指標", "進捗管理指標",
)
# The value column of a long table; 数値 / 実数 / 数量 only where no year columns beside them make it ambiguous.
VALUE_HEADERS = ("値", "数値", "実数", "数量")
HEADERS: dict[str, tuple[str, Kind | None]] = {
    **{h: ("name", None) for h in NAME_HEADERS},
    "単位": ("unit", None),
    **{h: ("value", None) for h in VALUE_HEADERS},
    "種別": ("kind", None), "値の種別": ("kind", None),
    "時点": ("as_of", None), "基準日": ("as_of", None), "調査時点": ("as_of", None),
    "年度": ("year", None), "対象年度": ("year", None), "年次": ("year", None),
    "出典": ("source", None), "出所": ("source", None), "データ出典": ("source", None), "データの出典": ("source", None),
    "note": ("note", None), "備考": ("note", None), "注記": ("note", None),
    "基準値": ("figure", Kind.BASELINE), "基準": ("figure", Kind.BASELINE), "現状値": ("figure", Kind.BASELINE),
    "現状": ("figure", Kind.BASELINE), "策定時": ("figure", Kind.BASELINE), "策定時の値": ("figure", Kind.BASELINE),
    "目標値": ("figure", Kind.TARGET), "目標": ("figure", Kind.TARGET), "最終目標値": ("figure", Kind.TARGET),
    "最終目標": ("figure", Kind.TARGET),
    "実績値": ("figure", Kind.ACTUAL), "実績": ("figure", Kind.ACTUAL), "最新値": ("figure", Kind.ACTUAL),
    "基準年度": ("figure_year", Kind.BASELINE), "基準年": ("figure_year", Kind.BASELINE),
    "基準時点": ("figure_year", Kind.BASELINE), "基準値の年度": ("figure_year", Kind.BASELINE),
    "基準値年度": ("figure_year", Kind.BASELINE), "基準値(年度)": ("figure_year", Kind.BASELINE),
    "現状値の年度": ("figure_year", Kind.BASELINE), "現状値年度": ("figure_year", Kind.BASELINE),
    "目標年度": ("figure_year", Kind.TARGET), "目標年": ("figure_year", Kind.TARGET),
    "目標時点": ("figure_year", Kind.TARGET), "目標値の年度": ("figure_year", Kind.TARGET),
    "目標値年度": ("figure_year", Kind.TARGET), "目標値(年度)": ("figure_year", Kind.TARGET),
    "達成年度": ("figure_year", Kind.TARGET), "目標達成年度": ("figure_year", Kind.TARGET),
    "実績年度": ("figure_year", Kind.ACTUAL), "実績値の年度": ("figure_year", Kind.ACTUAL),
    "実績時点": ("figure_year", Kind.ACTUAL),
}
_HEADERS = {normalize(k): v for k, v in HEADERS.items()}
_VALUE_HEADERS = frozenset(normalize(h) for h in VALUE_HEADERS)
_WESTERN_YEAR = re.compile(r"(19|20)\d\d年?度?")  # 「令和4年度（2022年度）」: the same year twice


@dataclass(frozen=True)
class Unread:
    """Why a year column is not read; ``ask``: the importer cannot tell, and the file is refused at the header."""

    reason: str
    ask: bool = False


Reading = tuple[str, Kind | None, int | None]


def is_value_header(head: str) -> bool:
    return normalize(head) in _VALUE_HEADERS or _bare(normalize(head)) in _VALUE_HEADERS


def header_role(head: str) -> tuple[str, Kind | None] | None:
    """The role of a header known as it is written (「目標」「実績」 under a year in a two-row header)."""
    return _HEADERS.get(normalize(head))


def _bare(key: str) -> str:
    return re.sub(r"\([^()]*\)", "", key)


def _kind_word(rest: str) -> Kind | None:
    for word, kind in KIND_WORDS:
        if word in rest:
            return kind
    return None


def _year_header(head: str) -> Reading | Unread | None:
    from tenken.imports.years import year_of_header

    found = year_of_header(head)
    if found is None:
        return None
    fy, rest = found
    key = normalize(head)
    if any(w in key for w in FORECAST_WORDS):
        return Unread("見込み・推計・予定の値（確定した基準値・目標値・実績値ではない）のため読みません")
    if any(w in rest for w in OTHER_WORDS):  # 「R5目標達成率」 is a rate, not a target
        return Unread("基準値・目標値・実績値ではない列（達成率・評価・備考など）のため読みません")
    kind = _kind_word(rest)
    rest = _WESTERN_YEAR.sub("", rest)
    for word in (*AGGREGATE_WORDS, *NEUTRAL_WORDS):
        rest = rest.replace(word, "")
    if rest == "間" and "年間" in key:  # 「R5年間」: the year took 「年」
        rest = ""
    rest = rest.strip("の・()（）[]【】 ")
    if not rest or kind is not None:
        return "figure", kind, fy
    return Unread(f"年度の付いた列ですが、「{rest}」が基準値・目標値・実績値のどれか、読まない列かわかりません。"
                  f"見出しを「R4実績」「R4目標」「R4（累計）」のように書くか、読まない列なら列を削除してください", ask=True)


def classify(head: str) -> Reading | None:
    """``(role, kind, year)`` of a header, or ``None`` for a column that is not read (No., 施策, R4備考 …)."""
    key = normalize(head)
    if not key:
        return None
    if key in _HEADERS:
        return (*_HEADERS[key], None)
    found = _year_header(head)
    if found is not None:
        return None if isinstance(found, Unread) else found
    bare = _bare(key)  # 「指標名（KPI）」「目標値（件）」
    if bare != key and bare in _HEADERS:
        return (*_HEADERS[bare], None)
    return None


def unread(head: str) -> Unread | None:
    """Why a column with a fiscal year in its header is not read; ``None`` for any other header."""
    key = normalize(head)
    if not key or key in _HEADERS:
        return None
    found = _year_header(head)
    return found if isinstance(found, Unread) else None
