"""CSV files as people save them: UTF-8 with or without BOM, UTF-16 with its BOM, or CP932 (Excel's Shift_JIS)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings

from tenken.common.errors import InputRejected, Problem

from .neutralize import strip_control
from .safety import check_upload_size

_UNKNOWN_ENCODING = "文字コードを判定できません。UTF-8 または Shift_JIS（CP932）で保存してください"


def decode_csv_bytes(data: bytes, *, name: str, refusal: str = _UNKNOWN_ENCODING) -> str:
    """The text of a file saved as people save them on Windows (a CSV from Excel, a TOML from Notepad): UTF-8
    with or without its BOM, UTF-16 with its BOM (「Unicode テキスト」), or CP932 (Shift_JIS, Notepad's 「ANSI」).
    Raises :class:`InputRejected` with ``refusal`` otherwise."""
    encodings = ["utf-16"] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "cp932"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputRejected(Problem(name, refusal))


def csv_delimiter(text: str) -> str:
    """``"\t"`` for tab-separated text saved under a .csv name (Excel's 「テキスト（タブ区切り）」「Unicode テキスト」
    renamed), else ``","``: more of the first lines hold a tab than a comma."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    tabs = sum(1 for line in lines if "\t" in line)
    return "\t" if tabs > sum(1 for line in lines if "," in line) else ","


def read_csv(path: Path | str, *, name: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """``(header, [(line_number, cells), ...])``; blank lines are skipped."""
    path = Path(path)
    name = name or path.name
    check_upload_size(size=path.stat().st_size, name=name)
    text = decode_csv_bytes(path.read_bytes(), name=name)
    max_rows = int(getattr(settings, "TENKEN_MAX_ROWS", 10000))
    max_chars = int(getattr(settings, "TENKEN_MAX_CELL_CHARS", 32767))
    # The csv module's own field limit (131,072) raised an uncaught csv.Error; ours is checked first.
    csv.field_size_limit(max(path.stat().st_size + 1, 131072))
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    header: list[str] | None = None
    try:
        for cells in reader:
            for c in cells:
                if len(c) > max_chars:
                    raise InputRejected(
                        Problem(f"{name}:{reader.line_num}行目", f"{max_chars:,}文字を超える欄があります（1欄の上限）")
                    )
            cells = [strip_control(c) for c in cells]  # NUL and other control characters: removed
            if header is None:
                header = cells
            elif any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
                if len(rows) > max_rows:
                    raise InputRejected(Problem(f"{name}:{reader.line_num}行目", f"行の数が上限（{max_rows:,}行）を超えています"))
    except csv.Error as exc:
        raise InputRejected(
            Problem(f"{name}:{reader.line_num}行目", f"CSVとして読み込めません（{exc}）")
        ) from exc
    if header is None:
        raise InputRejected(Problem(name, "ファイルが空です"))
    return [h.strip() for h in header], rows
