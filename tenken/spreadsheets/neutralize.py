"""Formula neutralisation and control characters: one rule for every file tenken writes.

Formula injection (CSV/DDE injection): a cell beginning with ``=``, ``+``, ``-``, ``@``, tab or
carriage return may be run as a formula when the file is opened in Excel or LibreOffice — and
openpyxl itself stores a string beginning with ``=`` as a live formula. One rule decides which text
is dangerous (``FORMULA_PREFIXES``), for every generated file:

- open data (CSV, JSON, XLSX): :func:`neutralize` prefixes such a value with ``'`` (the OWASP
  recommendation; visible in the data, documented in docs/opendata.md); numbers stay numbers.
- workbooks people work in (回答票, report XLSX, register export): :func:`neutralize_workbook`, called
  just before saving so that no writer can forget a cell, stores every such cell as a *text* cell
  with Excel's quote prefix (``quotePrefix``: exactly what Excel stores when someone types
  ``'=…``). The value is kept as written, so the report keeps its number label ``-`` and a 回答票
  reads back as the answers it was made from, yet nothing is ever a formula.

Readers undo a literal ``'`` prefix with :func:`restore` (``tenken.spreadsheets.grid``), so open data
read back gives the values it was made from.

Control characters (U+0000–U+001F except tab, line feed and carriage return, and U+007F) cannot be
stored in an XLSX cell at all (openpyxl raises ``IllegalCharacterError``, which was a 500 on
``reviews.xlsx``). Typed input is refused with a located message (:func:`control_problem`); imported
cells are cleaned with :func:`strip_control`; writers strip whatever older data still holds.
"""

from __future__ import annotations

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EXCEL_CELL_MAX = 32767


def neutralize(value: object) -> object:
    """Prefix ``'`` to a string that a spreadsheet would treat as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore(value: object) -> object:
    """Undo :func:`neutralize` on a value read back from a workbook."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def strip_control(text: str) -> str:
    return _CONTROL.sub("", text)


def control_problem(text: str) -> str | None:
    """A Japanese message naming the first control character of ``text``, or ``None``."""
    m = _CONTROL.search(text or "")
    if m is None:
        return None
    return f"制御文字（U+{ord(m.group()):04X}、{m.start() + 1}文字目）は入力できません。削除してから保存してください"


def cell_value(value: object) -> object:
    """A value ready for an openpyxl cell: control characters (which openpyxl refuses) removed.
    Formulas are dealt with for the whole workbook by :func:`neutralize_workbook`."""
    if isinstance(value, str):
        return strip_control(value)
    return value


def neutralize_workbook(wb) -> int:
    """Make every text cell of every worksheet that a spreadsheet would run as a formula a quoted
    text cell (in place). Returns how many cells were neutralised."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, str) and v.startswith(FORMULA_PREFIXES):
                    c.data_type = "s"
                    c.quotePrefix = True
                    n += 1
    return n
