"""Turning a :class:`~tenken.opendata.tables.Table` into file bytes: CSV (UTF-8, CP932), JSON, XLSX.

Every text cell is neutralised against formula injection (:func:`~tenken.opendata.sanitize.neutralize`)
in every format. CSV uses CRLF line ends (RFC 4180), one header row, ``None`` as an empty cell,
booleans as ``true``/``false``. XLSX: one sheet, one header row, no merged cells, no formulas, no
styles beyond a frozen header.
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook

from tenken.spreadsheets.neutralize import strip_control
from tenken.spreadsheets.printing import apply_print_setup

from .sanitize import neutralize, to_cp932
from .tables import Table


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return neutralize(value)


def csv_text(table: Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralize(h) for h in table.header])
    for values in table.values():
        writer.writerow([_cell(v) for v in values])
    return buf.getvalue()


def csv_utf8(table: Table) -> bytes:
    return csv_text(table).encode("utf-8")


def csv_cp932(table: Table) -> bytes:
    return to_cp932(csv_text(table))


def json_bytes(table: Table) -> bytes:
    """An array of objects keyed by the header names (the Frictionless "keyed" JSON layout)."""
    rows = [
        {name: neutralize(v) for name, v in zip(table.header, values, strict=True)} for values in table.values()
    ]
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.title[:31]
    ws.append(table.header)
    for values in table.values():
        row = []
        for v in values:
            v = neutralize(strip_control(v)) if isinstance(v, str) else v
            # openpyxl would store a string beginning with "=" as a formula; neutralize() prevents it,
            # and data_type is forced below as a second guard.
            row.append(v)
        ws.append(row)
    for r in ws.iter_rows():
        for c in r:
            if isinstance(c.value, str):
                c.data_type = "s"
    ws.freeze_panes = "A2"
    apply_print_setup(ws, title_rows="1:1", header_text=table.title)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
