"""Which sheets of a plan file are no part of the plan though they look like a table, and what a sheet's
title says about the 方針 of its rows.

- a sheet of instructions (「記入上の注意」: one row per column, 「No. | 通し番号を記入してください」);
- a sheet of counts (「集計」: 基本方針 | 取組数 | 完了 | 順調 | 遅れ, numbers under the status words);
- a cover, a table of contents, a revision history (「表紙」「目次」「改訂履歴」, by name);
- a sheet per 施策 named in a title above the table (「施策1　行政手続のオンライン化」 on sheet 「施策1」).
"""

from __future__ import annotations

import re

from tenken.common.text import nfkc, normalize

from .fields import _EXACT
from .scale import CATEGORY_WORDS
from .workbook import Grid

# Words in a sheet name that say it tells how to fill the file in.
INSTRUCTION_SHEET_WORDS = ("注意", "留意", "記入上", "入力上", "手引", "書き方", "記入のしかた", "記入の仕方", "入力のしかた",
                           "マニュアル", "操作方法", "はじめに", "お読みください")
# A cell telling what to write: 「通し番号を記入してください」「…から選択」.
_INSTRUCTION = re.compile(r"してください|して下さい|記入|入力|選択|記載|書いて|ご注意")
_STATUS_WORDS = {normalize(w) for w, _cat in CATEGORY_WORDS}
_COUNT_SUFFIX = re.compile(r"(の?件数|件|数|[(（]件[)）])$")
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?%?")


# Sheets that go with the plan's report but list no initiatives: its cover, its table of contents, the history
# of the file's revisions. Their name says so (「表紙」「目次」「改訂履歴」).
FRONT_SHEET_WORDS = ("表紙", "目次", "もくじ", "索引", "改訂履歴", "改版履歴", "更新履歴", "変更履歴")
FRONT_SHEET_NAMES = ("cover", "contents", "index", "toc")


def front_sheet(name: str) -> str:
    """Why a sheet named so is no part of the plan (a cover, a table of contents, a revision history), or ``""``."""
    key = normalize(name).lower()
    if key in FRONT_SHEET_NAMES or any(w in key for w in FRONT_SHEET_WORDS):
        return f"表紙・目次などのシート（シート名「{name}」。計画の取組の一覧ではありません）"
    return ""


def is_instruction_sheet_name(name: str) -> bool:
    key = normalize(name)
    return any(w in key for w in INSTRUCTION_SHEET_WORDS)


def describes_columns(grid: Grid) -> bool:
    """Whether the sheet lists the columns one per row with how to fill each in (the column names run down
    its first column, an instruction beside each): two such rows or more."""
    hits = 0
    for r in range(1, min(grid.max_row, 60) + 1):
        texts = list(grid.row_texts(r, fill_merged=False).values())
        names = [_is_column_name(t) for t in texts]
        if len(texts) < 2 or not names[0] or any(names[1:]):
            continue  # not a column name first, or a header row (「No. | 取組名 | 記入者」)
        if any(len(t) >= 5 and _INSTRUCTION.search(t) for t in texts[1:]):
            hits += 1
    return hits >= 2


def _is_column_name(text: str) -> bool:
    return normalize(text).lower().rstrip(".") in _EXACT


def is_count_sheet(grid: Grid, header: list[int]) -> bool:
    """Whether the table counts initiatives by status (two columns or more headed by a status word, 「完了」
    「順調件数」, with only numbers under them) rather than listing them."""
    bottom = header[-1]
    counted = 0
    for c in range(1, grid.max_col + 1):
        head = _COUNT_SUFFIX.sub("", normalize(grid.text(bottom, c)))
        if head not in _STATUS_WORDS:
            continue
        values = [t for r in range(bottom + 1, min(grid.max_row, bottom + 200) + 1) if (t := grid.text(r, c))]
        if values and all(_NUMBER.fullmatch(normalize(v)) for v in values):
            counted += 1
    return counted >= 2


def not_plan_sheet(grid: Grid, header: list[int]) -> str:
    """Why the sheet is not read as plan rows, or ``""``."""
    if why := front_sheet(grid.name):
        return why
    if is_instruction_sheet_name(grid.name) or describes_columns(grid):
        return "記入上の注意・説明のシート（列の書き方の説明で、計画の取組ではありません）"
    if header and is_count_sheet(grid, header):
        return "集計のシート（実施結果ごとの件数の表で、計画の取組ではありません）"
    return ""


_TITLE_END = re.compile(r"(計画|管理表|一覧|一覧表|調査票|報告書?|状況表|進捗表|シート|評価表)$")
_SEPARATOR = " :：.．、・-－―"
_BRACKETED = re.compile(r"^[【［\[〔]\s*(.+?)\s*[】］\]〕]\s*")


def title_policy(grid: Grid, header: list[int]) -> tuple[int, str] | None:
    """The row and the 方針 that a title line above the table gives the sheet's rows: 「施策1　行政手続の
    オンライン化」 on sheet 「施策1」 (the sheet name, then the name it stands for) → 「1 行政手続のオンライン化」.

    A title of the plan or the table (「施策1 進捗管理表」) names no 方針."""
    name = nfkc(grid.name)
    if not name or not header:
        return None
    for r in range(1, header[0]):
        texts = list(grid.row_texts(r, fill_merged=False).values())
        if len(texts) != 1:
            continue
        t = _BRACKETED.sub(r"\1 ", nfkc(texts[0]))
        if not t.startswith(name) or len(t) == len(name) or t[len(name)] not in _SEPARATOR:
            continue
        rest = t[len(name):].lstrip(_SEPARATOR).strip()
        if len(rest) < 2 or len(rest) > 40 or _TITLE_END.search(normalize(rest)):
            continue
        number = re.search(r"(\d{1,2})$", name)
        return r, (f"{number.group(1)} {rest}" if number else t)
    return None
