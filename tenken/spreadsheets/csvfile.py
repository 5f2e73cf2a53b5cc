"""CSV files as people save them: UTF-8 with or without BOM, or CP932 (Excel's Shift_JIS)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tenken.common.errors import InputRejected, Problem

from .safety import check_upload_size


def decode_csv_bytes(data: bytes, *, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise InputRejected(
            Problem(name, "文字コードを判定できません。UTF-8 または Shift_JIS（CP932）で保存してください")
        ) from exc


def read_csv(path: Path | str, *, name: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``(header, [(line_number, cells), ...])``; blank lines are skipped."""
    path = Path(path)
    name = name or path.name
    check_upload_size(size=path.stat().st_size, name=name)
    text = decode_csv_bytes(path.read_bytes(), name=name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputRejected(Problem(name, "ファイルが空です")) from exc
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((reader.line_num, cells))
    return [h.strip() for h in header], rows
