"""A worksheet read into a plain grid of values, with merged cells resolved.

Readers return :class:`Grid` objects: 1-based ``value(row, col)``, the top-left value of a merged
range visible in every cell of it (``fill_merged=True``), and the coordinates of every formula cell so
callers can refuse formulas instead of trusting cached results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import cell_text

from .neutralize import restore
from .safety import check_xlsx

_EMPTY: dict[int, str] = {}


def cell_ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], object]
    merged: dict[tuple[int, int], tuple[int, int]]  # every cell of a merged range → its top-left
    max_row: int
    max_col: int
    formulas: list[tuple[int, int]] = field(default_factory=list)
    # Built on first use by row_texts()/text(): each row's display texts, and the merged cells per row.
    _row_texts: dict[int, dict[int, str]] | None = field(default=None, init=False, repr=False, compare=False)
    _merged_by_row: dict[int, list[tuple[int, tuple[int, int]]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _filled: dict[int, dict[int, str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    # What readers derive from the (unchanging) grid, kept for the next reader: e.g. its header rows.
    memo: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _index(self) -> dict[int, dict[int, str]]:
        rows: dict[int, dict[int, str]] = {}
        for (r, c), v in self.cells.items():
            t = cell_text(v)
            if t:
                rows.setdefault(r, {})[c] = t
        self._row_texts = {r: {c: d[c] for c in sorted(d)} for r, d in rows.items()}
        for (r, c), origin in self.merged.items():
            self._merged_by_row.setdefault(r, []).append((c, origin))
        return self._row_texts

    def row_texts(self, row: int, *, fill_merged: bool = True) -> dict[int, str]:
        """``cell_text`` of every cell of ``row`` that has text, by column in column order; with
        ``fill_merged`` a merged range's text in every cell of it. Shared and cached: do not modify."""
        rows = self._row_texts if self._row_texts is not None else self._index()
        own = rows.get(row, _EMPTY)
        merged = self._merged_by_row.get(row)
        if not fill_merged or not merged:
            return own
        filled = self._filled.get(row)
        if filled is None:
            out = dict(own)
            for c, (r0, c0) in merged:
                t = rows.get(r0, _EMPTY).get(c0) if c <= self.max_col else None
                if t:
                    out[c] = t
                else:
                    out.pop(c, None)
            filled = self._filled[row] = {c: out[c] for c in sorted(out)}
        return filled

    def text(self, row: int, col: int, *, fill_merged: bool = True) -> str:
        """``cell_text(self.value(row, col, fill_merged=...))``, from the cached row texts."""
        return self.row_texts(row, fill_merged=fill_merged).get(col, "")

    def value(self, row: int, col: int, *, fill_merged: bool = True) -> object:
        if fill_merged:
            row, col = self.merged.get((row, col), (row, col))
        return self.cells.get((row, col))

    def is_merged_continuation(self, row: int, col: int) -> bool:
        origin = self.merged.get((row, col))
        return origin is not None and origin != (row, col)

    def ref(self, row: int, col: int) -> str:
        return f"{self.name}!{cell_ref(row, col)}"


def read_xlsx(path: Path | str, *, name: str | None = None) -> list[Grid]:
    """All visible worksheets of a workbook, after :func:`check_xlsx`. Raises :class:`InputRejected`."""
    path = Path(path)
    name = name or path.name
    check_xlsx(path, name=name)
    try:
        wb = load_workbook(path, read_only=False, data_only=False, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputRejected(Problem(name, f"Excelブックとして読み込めません（{type(exc).__name__}）")) from exc
    grids = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        cells: dict[tuple[int, int], object] = {}
        formulas: list[tuple[int, int]] = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if c.data_type == "f":
                    formulas.append((c.row, c.column))
                    cells[(c.row, c.column)] = c.value
                else:
                    cells[(c.row, c.column)] = restore(c.value)
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    merged[(r, col)] = (rng.min_row, rng.min_col)
        grids.append(Grid(ws.title, cells, merged, ws.max_row, ws.max_column, formulas))
    wb.close()
    return grids


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet holds a formula element, in any spelling (``<f>``, ``<f\t>``, ``<f\n>``,
    ``<x2:f>`` …: issue #14 found the fixed markers missed these), case-insensitive part names."""
    import zipfile

    from .limits import has_formula_tag, is_sheet_part

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if is_sheet_part(info.filename) and has_formula_tag(zf.read(info)):
                return True
    return False


def read_xlsx_fast(path: Path | str, *, name: str | None = None) -> list[Grid]:
    """Like :func:`read_xlsx`, read with python-calamine (about 40× faster than openpyxl).

    Calamine reports values only, so a workbook whose sheets contain formulas is handed to
    :func:`read_xlsx`, which names every formula cell: the errors are the same either way.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    name = name or path.name
    if check_xlsx(path, name=name):  # the limits scan also looks for formula elements (_has_formulas)
        return read_xlsx(path, name=name)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types on damaged files
        raise InputRejected(Problem(name, f"Excelブックとして読み込めません（{type(exc).__name__}）")) from exc
    grids = []
    for meta in wb.sheets_metadata:
        if "hidden" in str(meta.visible).lower() or "worksheet" not in str(meta.typ).lower():
            continue  # same as openpyxl's worksheets: hidden sheets and chart sheets are not read
        sheet = wb.get_sheet_by_name(meta.name)
        cells: dict[tuple[int, int], object] = {}
        max_col = 0
        data = sheet.to_python(skip_empty_area=False)
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row, start=1):
                if value != "" and value is not None:
                    cells[(r, c)] = restore(value)
            max_col = max(max_col, len(row))
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            for r in range(r0 + 1, r1 + 2):
                for c in range(c0 + 1, c1 + 2):
                    merged[(r, c)] = (r0 + 1, c0 + 1)
        grids.append(Grid(meta.name, cells, merged, len(data), max_col, []))
    wb.close()
    return grids
