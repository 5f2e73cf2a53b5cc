"""Rows of a register table that are no system, told from the cells as written (not the fill of a merged cell).

- a 合計/小計 row: its first cells say 合計, 小計, 計 (「総務部 小計」「小計（総務部）」「総務部計」) and the rest is amounts
  or dashes (「―」 in the 区分 and 稼働開始 columns of a 合計 row);
- a note: 「※…」「注）…」 first, nothing else but amounts (or a second cell of text: 「※1 | 税込み」), even when the note
  is merged across the table (the merge shows its text in every column; only its first cell holds it);
- a heading: one cell alone on its row, in brackets (「【総務部】」「［市民部］」).

A heading is the 所管所属 of the rows under it only in a register without a 所管 column and when it names a unit of
the organization (ends in 部, 課, 局 …, :func:`names_a_department`); otherwise it is skipped with a note.
"""

from __future__ import annotations

from tenken.common.novalue import is_no_value
from tenken.common.rowkinds import bracketed_heading, is_note, is_total_label
from tenken.common.text import cell_text, normalize
from tenken.spreadsheets.grid import Grid

_DEPARTMENT_ENDS = ("部", "課", "局", "室", "係", "所", "センター", "委員会", "事務局", "庁", "館", "署", "部局")


def names_a_department(text: str) -> bool:
    """Whether a sheet name or a heading names a unit of the organization: 「総務部」「市民課」「教育委員会」."""
    key = normalize(text)
    return len(key) >= 2 and key.endswith(_DEPARTMENT_ENDS)


def row_kind(grid: Grid, r: int, *, costs: set[int]) -> tuple[str, str]:
    """``(kind, text)`` of row ``r``: ``("total", label)``, ``("note", text)``, ``("heading", words)`` or
    ``("data", "")``. ``costs`` are the cost columns (amounts on a total row)."""
    raw = grid.row_texts(r, fill_merged=False)
    if not raw:
        return "data", ""
    cols = list(raw)
    first = raw[cols[0]]
    rest = cols[1:]
    if is_note(first) and (len(rest) <= 1 or all(c in costs for c in rest)):
        return "note", first
    for i, c in enumerate(cols[:2]):
        if is_total_label(raw[c]) and all(c2 in costs or _is_number(grid.value(r, c2, fill_merged=False))
                                          or is_no_value(raw[c2]) for c2 in cols[i + 1:]):
            return "total", raw[c]
    if len(cols) == 1 and (words := bracketed_heading(first)) is not None:
        return "heading", words
    return "data", ""


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    text = normalize(cell_text(value)).replace(",", "").removesuffix("円")
    try:
        float(text)
    except ValueError:
        return False
    return True
