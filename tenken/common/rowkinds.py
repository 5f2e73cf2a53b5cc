"""Rows of a hand-kept table that are no record: a 合計/小計 row, a ※ note, a heading in brackets.

Shared by the plan inspector (:mod:`tenken.imports.inspect`) and the register (:mod:`tenken.inventory.register_rows`).
"""

from __future__ import annotations

import re

from .text import nfkc, normalize

TOTAL_WORDS = ("合計", "小計", "総計", "累計", "計", "集計")  # 集計: the label of the 集計行 of an Excel テーブル
NOTE_START = re.compile(r"^(※|＊|\*|注[:：)）\d]|\(注|（注|注記|備考[:：]|出典|資料[:：])")
BRACKET_HEADING = re.compile(r"^[【〔\[]\s*([^】〕\]]{1,30}?)\s*[】〕\]]\s*(.{0,40})$")
_TOTAL_PREFIXES = ("合計", "小計", "総計", "累計", "総合計")
# 「総務部計」「市民課計」: a unit of the organization and 計 (not 「会計」「統計」「設計」).
_UNIT_TOTAL = re.compile(r"(部|課|局|室|係|所)計$")


def is_note(text: str) -> bool:
    """「※金額は税込み」「注）…」「(注)…」「出典：…」."""
    return bool(NOTE_START.match(text.strip()))


def is_total_label(text: str) -> bool:
    """A label of a total: 「合計」「計」「総務部 小計」「小計（総務部）」「総務部計」「合計額」, not 「財務会計」."""
    key = normalize(text).strip("()（）【】[]〔〕")
    if key in TOTAL_WORDS or key == "総合計":
        return True
    if key.startswith(_TOTAL_PREFIXES) or key.endswith(_TOTAL_PREFIXES[:-1]) or bool(_UNIT_TOTAL.search(key)):
        return True
    return any(token.strip("()（）") in TOTAL_WORDS for token in re.split(r"[\s()（）]+", nfkc(text)))


def bracketed_heading(text: str) -> str | None:
    """The words of a heading written alone in brackets (「【総務部】」「［市民部］」「〔福祉部〕」), or ``None``."""
    m = BRACKET_HEADING.match(nfkc(text))
    if m is None or m.group(2):
        return None
    return m.group(1)
