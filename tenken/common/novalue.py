"""What a cell says when there is no value for it: blank, a dash, 「未集計」「未定」…

Shared by the indicator tables (a year not counted yet) and the register (no 運用経費 that year).
"""

from __future__ import annotations

import re

from .text import cell_text, normalize

# Compared after NFKC (「－」 becomes 「-」), without spaces and without a parenthetical (「未集計（R6.9公表予定）」).
NO_VALUE = frozenset({
    "-", "ー", "―", "—", "‐", "−", "─", "…", "・", "/",
    "未集計", "集計中", "調査中", "未調査", "未公表", "公表前", "未確定", "算出中", "未定", "空欄", "n/a", "na",
})
_PAREN = re.compile(r"\([^()]*\)")


def is_no_value(value: object) -> bool:
    """Blank, a dash or 「未集計」「集計中」…: no value."""
    key = normalize(cell_text(value)).lower()
    return key == "" or key in NO_VALUE or _PAREN.sub("", key) in NO_VALUE
