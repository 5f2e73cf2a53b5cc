"""The header of a register kept by hand: one to three rows, under a title block, found by the システム名 column.

A merged parent names what its sub-columns hold (「運用経費（千円）」 over 「R4」「R5」, 「契約期間」 over 「開始」「終了」);
a group row over the header (「基本情報」「経費」) is part of it too. Title and 作成日 lines above are not. A parent
written once over its first sub-column without merging (as in a CSV) covers the sub-columns to its right.
Each column's header is given as its parts, top to bottom (:func:`column_parts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tenken.common.text import normalize
from tenken.imports.years import year_of_header
from tenken.spreadsheets.grid import Grid

MAX_SCAN = 20  # a title block above the header is a few rows; a header lower than this is not looked for
MAX_ROWS = 3
COST_WORDS = ("運用経費", "運用費", "維持管理費", "保守運用費", "運用・保守経費", "年間経費")
# The fees an operating cost is made of, as asset systems head them (「R5年度保守委託料（円）」).
FEE_WORDS = ("保守委託料", "保守料", "保守費", "保守経費", "使用料", "利用料", "委託料", "賃借料", "借上料", "リース料",
             "ライセンス料")
# Beside the years under a cost parent: a sum of the row, not a year.
TOTAL_HEADS = ("合計", "小計", "計", "総計", "増減", "差額", "前年比", "前年度比")
UNIT_WORDS = ("千円", "万円", "百万円", "円")
START_WORDS = ("開始", "開始日", "自", "始期", "から", "契約開始日", "開始年月日")
END_WORDS = ("終了", "終了日", "至", "終期", "まで", "満了", "満了日", "契約終了日", "終了年月日")
_TITLE_WORDS = ("台帳", "一覧", "作成", "現在", "時点", "更新日", "調査", "様式")
_DATE_LIKE = re.compile(r"\d{1,4}\s*[年./\-]\s*\d{1,2}")

KeyOf = Callable[[str], "str | None"]


def _is_title(text: str) -> bool:
    """A title, a 作成日 line or a note over the table (「※R5年度は予算額」「○:接続あり」), not a group label."""
    t = normalize(text)
    return (len(t) > 20 or any(w in t for w in _TITLE_WORDS) or bool(_DATE_LIKE.search(t)) or ":" in t
            or t.startswith(("※", "注", "(注", "*", "凡例")))


def _is_year(text: str) -> bool:
    return len(normalize(text)) <= 12 and year_of_header(text) is not None


def is_sub_header(text: str, key_of: KeyOf) -> bool:
    """A cell of a header row under a parent: a year, a unit, 開始/終了, or a column name of its own."""
    t = normalize(text).strip("()（）")
    return (_is_year(text) or t in UNIT_WORDS or t in START_WORDS or t in END_WORDS or t in TOTAL_HEADS
            or key_of(text) is not None or any(w in t for w in (*COST_WORDS, *FEE_WORDS)))


def find_header_rows(grid: Grid, key_of: KeyOf) -> list[int]:
    """The header rows (top to bottom) of ``grid``: the first row naming the システム名 column, the sub-header
    rows under it and the group rows over it (three at most); ``[]`` when no row names システム名."""
    anchor = next((r for r in range(1, min(grid.max_row, MAX_SCAN) + 1)
                   if any(key_of(t) == "name" for t in grid.row_texts(r).values())), None)
    if anchor is None:
        return []
    rows = [anchor]
    r = anchor + 1
    while len(rows) < MAX_ROWS and r <= grid.max_row and _is_sub_row(grid, r, rows, key_of):
        rows.append(r)
        r += 1
    r = anchor - 1
    while len(rows) < MAX_ROWS and r >= 1 and _is_group_row(grid, r, rows, key_of):
        rows.insert(0, r)
        r -= 1
    return rows


def _is_sub_row(grid: Grid, r: int, rows: list[int], key_of: KeyOf) -> bool:
    """Texts only, none under the システム名 column; each a sub-header word (a year, a unit, 開始/終了, a column
    name, 合計) or, under a group over several columns (「契約情報」 over 「業者名」), any word; one known at least."""
    raw = grid.row_texts(r, fill_merged=False)
    if not raw:
        return False
    known = 0
    for c, t in raw.items():
        if not isinstance(grid.value(r, c, fill_merged=False), str):
            return False  # a number or a date: a data row
        above = [grid.text(h, c) for h in rows]
        if any(key_of(a) == "name" for a in above):
            return False  # the システム名 column has a value: a system
        if is_sub_header(t, key_of):
            if _is_year(t) and any(a and year_of_header(a) for a in above):
                return False  # a year under a header that has its year already: an amount
            known += 1
        elif not _under_a_group(grid, rows[-1], r, c):
            return False  # a value under a column of its own: a data row
    return known > 0


def _under_a_group(grid: Grid, h: int, r: int, c: int) -> bool:
    """Whether header cell (h, c) is a group over several columns: merged across, blank (a parent on the left), or
    written once over its first sub-column with the next one blank (a CSV)."""
    origin = grid.merged.get((h, c))
    if origin is not None and (grid.merged.get((h, c - 1)) == origin or grid.merged.get((h, c + 1)) == origin):
        return True
    if not grid.text(h, c):
        return True
    return not grid.text(h, c + 1) and bool(grid.text(r, c + 1, fill_merged=False))


def _is_group_row(grid: Grid, r: int, rows: list[int], key_of: KeyOf) -> bool:
    raw = grid.row_texts(r, fill_merged=False)
    if not raw or any(_is_title(t) for t in raw.values()):
        return False  # a blank line, a title or a 作成日 line ends the header
    first = min(grid.row_texts(rows[0]), default=1)
    last = max(grid.row_texts(rows[0]), default=1)
    if len(set(raw.values())) >= 2:
        return True
    (c, t), = raw.items()
    span = [col for col in range(first, last + 1) if grid.merged.get((r, col)) == (r, c)]
    if len(span) >= last - first + 1 and last > first:
        return False  # one text over the whole table: its title
    return len(span) >= 2 or key_of(t) is not None or any(w in normalize(t) for w in (*COST_WORDS, *FEE_WORDS))


_UNIT_NOTE = re.compile(r"単位[:：]?(百万円|千円|万円|円)")


def unit_note(grid: Grid, rows: list[int]) -> str | None:
    """The unit a line over the table gives its amounts (「（単位：千円）」), or ``None``."""
    for r in range(1, rows[0]):
        for t in grid.row_texts(r, fill_merged=False).values():
            if m := _UNIT_NOTE.search(normalize(t)):
                return m.group(1)
    return None


def column_parts(grid: Grid, rows: list[int], c: int, key_of: KeyOf) -> list[str]:
    """The header texts of column ``c``, top to bottom, a merged parent once (「運用経費（千円）」, 「R4」)."""
    bottom = rows[-1]
    parts: list[str] = []
    for r in rows:
        t = grid.text(r, c)
        if not t and r != bottom:
            t = _parent_on_the_left(grid, r, c, bottom, key_of)
        if t and (not parts or parts[-1] != t):
            parts.append(t)
    return parts


def _parent_on_the_left(grid: Grid, r: int, c: int, bottom: int, key_of: KeyOf) -> str:
    """A parent written once over its first sub-column, not merged: 「運用経費（千円）|（空）」 over 「R4|R5」."""
    for left in range(c, 0, -1):
        under = grid.text(bottom, left)
        if not under or not is_sub_header(under, key_of) or key_of(under) is not None:
            return ""
        label = grid.text(r, left) if left != c else ""
        if label:
            return label
    return ""
