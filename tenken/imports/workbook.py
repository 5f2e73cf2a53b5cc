"""Any accepted file as a list of :class:`~tenken.spreadsheets.grid.Grid` (a CSV is one sheet)."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import OrderedDict
from pathlib import Path

from tenken.common.errors import InputRejected, Problem
from tenken.spreadsheets.csvfile import csv_delimiter, decode_csv_bytes
from tenken.spreadsheets.grid import Grid, cell_ref, read_xlsx, read_xlsx_fast
from tenken.spreadsheets.limits import _setting
from tenken.spreadsheets.safety import check_upload_size

_LINE_ENDS = re.compile(r"\r\n?")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltm", ".xlam", ".xlsb", ".xls")


# The last files read, so that inspect → preview → import of one upload parse it once (a file that changed
# on disk has another size or mtime and is read again). Grids are not modified once read.
_CACHE: OrderedDict[tuple, list[Grid]] = OrderedDict()
_CACHE_SIZE = 2
_LOCK = threading.Lock()


def read_grids(path: Path | str, *, name: str | None = None, fast: bool = True) -> list[Grid]:
    """Every visible sheet of a workbook, or the one sheet of a CSV (UTF-8, BOM, CP932).

    Workbooks are read with python-calamine when they hold no formulas (formulas go through openpyxl
    so every formula cell can be named and refused). The result is shared with the next caller reading
    the same unchanged file: do not modify it.
    """
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise InputRejected(Problem(name, "ファイルがありません"))
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino, name, fast)
    with _LOCK:
        grids = _CACHE.get(key)
    if grids is None:
        grids = _read(path, name=name, fast=fast)
        with _LOCK:
            _CACHE[key] = grids
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return grids


def _read(path: Path, *, name: str, fast: bool) -> list[Grid]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [read_csv_grid(path, name=name)]
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_fast(path, name=name) if fast else read_xlsx(path, name=name)
    raise InputRejected(Problem(name, f"対応していない形式（{suffix or '拡張子なし'}）です。.xlsx または .csv を指定してください"))


def read_csv_grid(path: Path, *, name: str) -> Grid:
    """A CSV as one sheet, bounded like a workbook (``TENKEN_MAX_ROWS`` / ``_COLUMNS`` / ``_CELLS`` /
    ``_CELL_CHARS``): the first excess stops the read with one located message, before the grid grows."""
    check_upload_size(size=path.stat().st_size, name=name)
    text = decode_csv_bytes(path.read_bytes(), name=name)
    max_rows, max_cols = _setting("TENKEN_MAX_ROWS", 10000), _setting("TENKEN_MAX_COLUMNS", 200)
    max_cells, max_chars = _setting("TENKEN_MAX_CELLS", 200000), _setting("TENKEN_MAX_CELL_CHARS", 32767)
    # The csv module's own field limit (131,072) would end in an uncaught csv.Error; ours is checked below.
    csv.field_size_limit(max(len(text) + 1, 131072))
    cells: dict[tuple[int, int], object] = {}
    max_col = 0
    r = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    start = 1
    try:
        for row in reader:
            # Rows are numbered by the line they start on, so a message names the line an editor shows
            # even after a multi-line cell.
            r, start = start, reader.line_num + 1
            if r > max_rows:
                raise InputRejected(Problem(f"{name}!{r}行目", f"行の数が上限（{max_rows:,}行）を超えています"))
            if len(row) > max_cols:
                raise InputRejected(Problem(f"{name}!{r}行目", f"列の数が上限（{max_cols:,}列）を超えています"))
            for c, value in enumerate(row, start=1):
                if len(value) > max_chars:
                    raise InputRejected(Problem(f"{name}!{cell_ref(r, c)}", f"{max_chars:,}文字を超える欄があります（1欄の上限）"))
                if value.strip():
                    # A quoted cell of several lines keeps the file's line ends (\r\n from Windows): one \n,
                    # as in a workbook cell, so the text compares and displays the same.
                    cells[(r, c)] = _LINE_ENDS.sub("\n", value)
            if len(cells) > max_cells:
                raise InputRejected(Problem(f"{name}!{r}行目", f"セルの数が上限（{max_cells:,}個）を超えています"))
            max_col = max(max_col, len(row))
    except csv.Error as exc:
        raise InputRejected(Problem(f"{name}!{reader.line_num}行目", f"CSVとして読み込めません（{exc}）")) from exc
    # A CSV has no sheet name: its problems are located as 「file.csv!B12」 (column B, line 12).
    return Grid(name, cells, {}, r, max_col, [])
