"""Any accepted file as a list of :class:`~tenken.spreadsheets.grid.Grid` (a CSV is one sheet)."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import OrderedDict
from pathlib import Path

from tenken.common.errors import InputRejected, Problem
from tenken.spreadsheets.csvfile import decode_csv_bytes
from tenken.spreadsheets.grid import Grid, read_xlsx, read_xlsx_fast
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
    check_upload_size(size=path.stat().st_size, name=name)
    text = decode_csv_bytes(path.read_bytes(), name=name)
    cells: dict[tuple[int, int], object] = {}
    max_col = 0
    r = 0
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for row in reader:
        # Rows are numbered by the line they start on, so a message names the line an editor shows
        # even after a multi-line cell.
        r, start = start, reader.line_num + 1
        for c, value in enumerate(row, start=1):
            if value.strip():
                # A quoted cell of several lines keeps the file's line ends (\r\n from Windows): one \n,
                # as in a workbook cell, so the text compares and displays the same.
                cells[(r, c)] = _LINE_ENDS.sub("\n", value)
        max_col = max(max_col, len(row))
    # A CSV has no sheet name: its problems are located as 「file.csv!B12」 (column B, line 12).
    return Grid(name, cells, {}, r, max_col, [])
