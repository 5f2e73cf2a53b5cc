"""An indicator table's file read into sheets of rows: a CSV as one sheet, a workbook's visible sheets.

A workbook passes :func:`~tenken.spreadsheets.safety.check_xlsx` first (macros, OLE, external links …
refused). Merged cells show their top-left value in every cell; the cells covered by a merge, the formula cells
and the number cells shown as a percentage are kept beside the rows so the reader can refuse or convert them.
Hidden sheets are not read; their names are kept so the import can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import cell_text, normalize
from tenken.spreadsheets.csvfile import read_csv
from tenken.spreadsheets.grid import cell_ref

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltm", ".xlam", ".xlsb", ".xls", ".xltx")


@dataclass
class Sheet:
    file: str
    sheet: str | None  # None for a CSV
    rows: list[tuple[int, list[object]]]  # (line or row number, cells), blank rows left out
    formulas: frozenset[tuple[int, int]] = frozenset()  # (row, 0-based column)
    continuation: frozenset[tuple[int, int]] = frozenset()  # merged cells but their top-left
    percent: frozenset[tuple[int, int]] = frozenset()  # number cells shown as a percentage (0.85 as 85%)

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f"{self.file} {self.sheet}"

    def loc(self, row: int, col: int | None = None, head: str | None = None) -> str:
        if self.sheet is None:
            base = f"{self.file}:{row}"
        elif col is None:
            base = f"{self.file} {self.sheet}!{row}行目"
        else:
            base = f"{self.file} {self.sheet}!{cell_ref(row, col + 1)}"
        return f"{base}「{head}」" if head else base


@dataclass
class Book:
    sheets: list[Sheet]
    hidden: list[str] = field(default_factory=list)  # the workbook's hidden sheets: not read


def read_sheets(path: Path, *, sheet: str | None = None) -> list[Sheet]:
    """The CSV as one sheet, or a workbook's visible sheets (``sheet``: only that one)."""
    return read_book(path, sheet=sheet).sheets


def read_book(path: Path, *, sheet: str | None = None) -> Book:
    """:func:`read_sheets`, with the names of the hidden sheets (none when ``sheet`` is named)."""
    name = path.name
    if path.suffix.lower() not in XLSX_SUFFIXES:
        header, rows = read_csv(path, name=name)
        return Book([Sheet(name, None, ([(1, list(header))] if any(header) else []) + [(n, list(c)) for n, c in rows])])
    from tenken.spreadsheets.grid import read_xlsx_fast

    grids = read_xlsx_fast(path, name=name)  # check_xlsx first; a workbook with formulas is read by openpyxl
    if sheet:
        chosen = [g for g in grids if normalize(g.name) == normalize(sheet)]
        if not chosen:
            raise InputRejected(Problem(name, f"シート「{sheet}」がありません（シート: {'、'.join(g.name for g in grids)}）"))
        grids = chosen
    percent, hidden = _percent_cells(path, [g.name for g in grids])
    out = []
    for g in grids:
        rows = []
        for r in range(1, g.max_row + 1):
            cells = [g.value(r, c) for c in range(1, g.max_col + 1)]
            if any(cell_text(v) for v in cells):
                rows.append((r, cells))
        continuation = frozenset((r, c - 1) for (r, c), origin in g.merged.items() if origin != (r, c))
        out.append(Sheet(name, g.name, rows, frozenset((r, c - 1) for r, c in g.formulas), continuation,
                         percent.get(g.name, frozenset())))
    return Book(out, [] if sheet else hidden)


def _shows_percent(number_format: str) -> bool:
    """Whether a number format multiplies by 100 (``0%``, ``0.0%``); a quoted or escaped % (``0"%"``) does not."""
    import re

    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format or "")


def _percent_cells(path: Path, sheets: list[str]) -> tuple[dict[str, frozenset[tuple[int, int]]], list[str]]:
    """The number cells of ``sheets`` formatted as a percentage (Excel stores 「85%」 typed in a cell as 0.85), and
    the hidden sheets. Read with openpyxl (read-only) after the workbook passed check_xlsx; calamine gives no formats."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        out = {}
        for title in sheets:
            found = set()
            for row in wb[title].iter_rows():
                for c in row:
                    if isinstance(c.value, int | float) and not isinstance(c.value, bool) and _shows_percent(c.number_format):
                        found.add((c.row, c.column - 1))
            out[title] = frozenset(found)
        hidden = [t for t in wb.sheetnames if t not in sheets and getattr(wb[t], "sheet_state", "visible") != "visible"]
        return out, hidden
    finally:
        wb.close()
