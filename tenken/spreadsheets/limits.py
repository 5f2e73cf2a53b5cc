"""Bounded work per workbook: rows, columns, cells and cell length, checked on the raw sheet XML
*before* a parser builds anything (issue #14: a 1.4 MB file once took 40 s and 583 MB in openpyxl).

:func:`check_sheet_limits` streams every worksheet part (and the shared strings) through in 1 MiB
chunks, counting ``<row``/``<c`` tags and looking for row numbers, column letters and text runs
beyond the limits; the first excess stops the scan with one located message. Byte counting is
about a gigabyte a second, so a refusal takes well under a second even at the 200 MB archive cap.
Limits are settings (``TENKEN_MAX_ROWS``, ``TENKEN_MAX_COLUMNS``, ``TENKEN_MAX_CELLS``,
``TENKEN_MAX_CELL_CHARS``) so that an operator can raise them for a known large workbook.
"""

from __future__ import annotations

import re
import zipfile
import zlib

from django.conf import settings

from tenken.common.errors import InputRejected, Problem

CHUNK = 1024 * 1024
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_WIDE_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{2,3})\d")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")  # <f>, <f t=…>, <f\t>, <f\n>, <f/>, <x:f>, <x2:f>


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str):
    """Decompressed chunks of one part, with an overlap so that no tag is split unseen."""
    tail = b""
    try:
        with zf.open(info) as fh:
            while True:
                block = fh.read(CHUNK)
                if not block:
                    break
                yield tail, block
                tail = block[-256:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputRejected(
            Problem(f"{name}:{info.filename}", f"圧縮データが壊れているため読み込めません（{type(exc).__name__}）")
        ) from exc


def is_sheet_part(filename: str) -> bool:
    low = filename.lower()
    return low.startswith("xl/worksheets/") and low.endswith(".xml")


def check_sheet_limits(zf: zipfile.ZipFile, name: str) -> bool:
    """Raise :class:`InputRejected` at the first excess; return whether any worksheet holds a formula."""
    max_rows, max_cols = _setting("TENKEN_MAX_ROWS", 20000), _setting("TENKEN_MAX_COLUMNS", 200)
    max_cells, max_chars = _setting("TENKEN_MAX_CELLS", 500000), _setting("TENKEN_MAX_CELL_CHARS", 32767)
    long_text = re.compile(rb"[^<]{%d,}" % (max_chars + 1))
    cells = 0
    formulas = False
    for info in zf.infolist():
        low = info.filename.lower()
        sheet = is_sheet_part(info.filename)
        if not (sheet or low == "xl/sharedstrings.xml"):
            continue
        where = f"{name}:{info.filename}"
        rows = 0
        for tail, block in _chunks(zf, info, name):
            joined = tail + block
            for m in long_text.finditer(joined):
                if len(m.group().decode("utf-8", "replace")) > max_chars:
                    raise InputRejected(Problem(where, f"{max_chars:,}文字を超えるセルがあります（1セルの上限）"))
            if not sheet:
                continue
            if not formulas and FORMULA_TAG.search(joined):
                formulas = True
            n_cells = len(_CELL_TAG.findall(block))
            cells += n_cells
            if cells > max_cells:
                raise InputRejected(
                    Problem(name, f"セルの数が上限（{max_cells:,}）を超えています。ファイルを分けてください")
                )
            rows += len(_ROW_TAG.findall(block))
            if rows > max_rows:
                raise InputRejected(Problem(where, f"行の数が上限（{max_rows:,}行）を超えています"))
            for m in _ROW_NUMBER.finditer(block):
                if int(m.group(1)) > max_rows:
                    raise InputRejected(
                        Problem(where, f"{int(m.group(1)):,}行目にデータがあります（上限 {max_rows:,}行）")
                    )
            for m in _WIDE_CELL.finditer(block):
                if column_index(m.group(1)) > max_cols:
                    raise InputRejected(
                        Problem(where, f"{m.group(1).decode()}列にデータがあります（上限 {max_cols}列）")
                    )
    return formulas
