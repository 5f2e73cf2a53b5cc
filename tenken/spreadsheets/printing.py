"""Print setup of every workbook tenken generates: A4, fit to page width, repeated header rows,
header with the organization and title, footer with page numbers (docs/install.md, 印刷).

Offices print what they are sent. Without a page setup Excel prints on the default paper of the
machine that wrote the file (US Letter for openpyxl), portrait, split by columns onto several pages.
One function per writing library, so the writers of 回答票, report, register and open data each
call a single line:

- :func:`apply_print_setup` for openpyxl worksheets;
- :func:`apply_print_setup_xlsxwriter` for xlsxwriter worksheets.

The openpyxl one also gives rows with wrapped text a height for their lines
(:func:`fit_wrapped_rows`): neither Excel's printout nor LibreOffice grows a row that has no height, so
a long 取組内容 would print as its first line only.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

A4 = 9  # the paperSize code of A4 in SpreadsheetML (and in xlsxwriter's set_paper)
PAGE_FOOTER = "&P / &N ページ"  # "3 / 12 ページ"
MARGINS_INCH = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6, "header": 0.3, "footer": 0.3}


def header_escape(text: str) -> str:
    """Header/footer text is a small language in which ``&`` starts a code: ``&&`` prints ``&``."""
    return (text or "").replace("&", "&&")


def apply_print_setup(ws: Any, *, title_rows: str | None = None, landscape: bool = True,
                      header_text: str = "", fit_width: bool = True, fit_height: bool = False) -> None:
    """Print setup of one openpyxl worksheet.

    ``title_rows``: rows repeated at the top of every page, e.g. ``"1:1"`` or ``"3:4"``.
    ``landscape``: for sheets wider than A4 portrait (tables with many columns).
    ``header_text``: printed at the top left of every page (organization, title); the top right
    carries the sheet name, the footer ``n / N ページ``.
    ``fit_width``: scale to one page wide (as many pages tall as needed);
    ``fit_height`` too: the whole sheet on one page (an instructions sheet).
    """
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width or fit_height:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1 if fit_width else 0
        ws.page_setup.fitToHeight = 1 if fit_height else 0
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins = PageMargins(**MARGINS_INCH)
    fit_wrapped_rows(ws)
    for header in (ws.oddHeader, ws.evenHeader):
        header.left.text = header_escape(header_text)
        header.right.text = "&A"  # the sheet name
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.center.text = PAGE_FOOTER


def apply_print_setup_xlsxwriter(ws: Any, *, title_rows: tuple[int, int] | None = None, landscape: bool = True,
                                 header_text: str = "", fit_width: bool = True, fit_height: bool = False) -> None:
    """The same print setup for an xlsxwriter worksheet; ``title_rows`` is (first, last), 0-based."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if fit_width or fit_height:
        ws.fit_to_pages(1 if fit_width else 0, 1 if fit_height else 0)
    if title_rows:
        ws.repeat_rows(*title_rows)
    ws.set_margins(left=MARGINS_INCH["left"], right=MARGINS_INCH["right"], top=MARGINS_INCH["top"],
                   bottom=MARGINS_INCH["bottom"])
    ws.set_header(f"&L{header_escape(header_text)}&R&A", {"margin": MARGINS_INCH["header"]})
    ws.set_footer(f"&C{PAGE_FOOTER}", {"margin": MARGINS_INCH["footer"]})


LINE_POINTS = 18.0  # one line of 11 pt text: Noto Sans CJK JP (LibreOffice) needs ~16.5 pt, MS P ゴシック less
DEFAULT_WIDTH = 8.43


def _text_units(text: str) -> float:
    """Width of *text* in column-width units (the width of "0"): CJK and full-width characters count ~2."""
    return sum(1.9 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def fit_wrapped_rows(ws: Any) -> None:
    """Give every row whose wrapped cells need more than one line a height for those lines.

    Rows with an explicit height, cells in merged ranges and cells without wrap_text are left alone.
    """
    from openpyxl.utils import get_column_letter

    merged = {(r, c) for rng in ws.merged_cells.ranges for r, c in
              ((r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1))}
    widths: dict[int, float] = {}
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text or (cell.row, cell.column) in merged:
                continue
            if cell.column not in widths:
                dim = ws.column_dimensions.get(get_column_letter(cell.column))
                widths[cell.column] = (dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
            per_line = max(widths[cell.column] - 1, 1)
            size = (cell.font.sz or 11) / 11
            needed = sum(max(1, math.ceil(_text_units(part) * size / per_line)) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1 and row and ws.row_dimensions[row[0].row].height is None:
            ws.row_dimensions[row[0].row].height = round(lines * LINE_POINTS, 1)
