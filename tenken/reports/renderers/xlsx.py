"""Excel: the 別紙 (every initiative with its result) in the layout of ``tenken/demo/data/kanagawa/action-plan.xlsx``.

Sheet 「別紙」: title row, a blank row, the two-row header (``計画上の位置づけ`` over 大項目 / 中項目 /
小項目; 取組No, 取組内容, 取組の実施結果 merged over both rows), merged 大項目/中項目/小項目 cells, heading
rows without a result. ``tenken import-plan`` reads it back to the same plan (see the round-trip test).
Sheet 「集計」: the 達成状況 table per policy and item, and the two charts as PNG pictures. Sheet 「照合」:
declared against computed counts. Sheet 「指標」: the indicator section (values as numbers, 時点 in 和暦,
rate with a data bar). Values only:
no formula, macro or external link, so the file passes ``tenken.spreadsheets.safety``.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tenken.reports.charts import report_charts
from tenken.reports.context import ReportContext
from tenken.spreadsheets.neutralize import neutralize_workbook
from tenken.spreadsheets.printing import apply_print_setup

WIDTHS = {"A": 14, "B": 18, "C": 22, "D": 8, "E": 70, "F": 22}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FIRST_DATA_ROW = 5


def _header(ws, cell: str, value: str) -> None:
    c = ws[cell]
    c.value = value
    c.font = Font(bold=True)
    c.fill = HEADER_FILL
    c.alignment = CENTER


def _appendix_sheet(ws, ctx: ReportContext) -> None:
    ws.title = "別紙"
    ws["A1"] = "【別紙】行動計画の取組実施結果一覧"
    ws["A1"].font = Font(bold=True, size=12)
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    _header(ws, "A3", "計画上の位置づけ")
    ws.merge_cells("A3:C3")
    for col, label in (("D", "取組No"), ("E", "取組内容"), ("F", "取組の実施結果")):
        _header(ws, f"{col}3", label)
        ws.merge_cells(f"{col}3:{col}4")
    for col, label in (("A", "大項目"), ("B", "中項目"), ("C", "小項目")):
        _header(ws, f"{col}4", label)
    for row in ws.iter_rows(min_row=3, max_row=4, max_col=6):
        for c in row:
            c.border = BORDER
    r = FIRST_DATA_ROW
    for a in ctx.appendix:
        for col, (span, value) in enumerate(
            ((a.policy_span, a.policy), (a.item_span, a.item), (a.subitem_span, a.subitem)), start=1
        ):
            if span:
                ws.cell(r, col, value or None)
                if span > 1 and value:  # the source merges filled cells only
                    ws.merge_cells(start_row=r, start_column=col, end_row=r + span - 1, end_column=col)
        ws.cell(r, 4, a.label or None).number_format = "@"
        ws.cell(r, 5, a.text)
        ws.cell(r, 6, a.result or None)
        for col in range(1, 7):
            c = ws.cell(r, col)
            c.border = BORDER
            c.alignment = WRAP_TOP
        r += 1
    ws.freeze_panes = "A5"


def _summary_sheet(ws, ctx: ReportContext) -> None:
    ws.title = "集計"
    ws["A1"] = f"{ctx.title}（{ctx.period_label}）達成状況"
    ws["A1"].font = Font(bold=True, size=12)
    header = ["方針", "取組項目", *(s.column_label for s in ctx.statuses), "計"]
    for col, label in enumerate(header, start=1):
        c = ws.cell(3, col, label)
        c.font, c.fill, c.alignment, c.border = Font(bold=True), HEADER_FILL, CENTER, BORDER
    r = 4
    rows = []
    for p in ctx.policies:
        rows += [(p.title, i.label, i.counts) for i in p.items if i.has_table]
        rows.append((p.title, "計", p.counts))
    rows.append(("計", "", ctx.totals))
    for policy, item, counts in rows:
        for col, value in enumerate((policy, item, *counts.values, counts.total), start=1):
            c = ws.cell(r, col, value)
            c.border = BORDER
            if item == "計" or policy == "計":
                c.font = Font(bold=True)
        r += 1
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40
    for col in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    anchor_row = r + 2
    for chart in report_charts(ctx, svg=False):
        img = Image(io.BytesIO(chart.png))
        img.width, img.height = img.width * 0.75, img.height * 0.75  # 120 dpi PNG → about 96 dpi on screen
        ws.add_image(img, f"A{anchor_row}")
        anchor_row += int(img.height / 20) + 2


def _reconciliation_sheet(ws, ctx: ReportContext) -> None:
    """One row per item that declared counts: declared, computed and difference (computed − declared)."""
    ws.title = "照合"
    ws["A1"] = "報告書記載の取組数（記載）と別紙から集計した取組数（集計）の照合（差 = 集計 − 記載）"
    ws["A1"].font = Font(bold=True, size=12)
    recon = ctx.reconciliation
    header = ["方針", "取組項目"] + [f"{label}（{kind}）" for label in recon.labels for kind in ("記載", "集計", "差")]
    for col, label in enumerate(header, start=1):
        c = ws.cell(3, col, label)
        c.font, c.fill, c.alignment, c.border = Font(bold=True), HEADER_FILL, CENTER, BORDER
    lines = [(r.policy, f"{r.code} {r.title}".strip(), r.declared, r.computed) for r in recon.rows]
    lines.append(("計", "", recon.declared_total, recon.computed_total))
    for r, (policy, item, declared, computed) in enumerate(lines, start=4):
        values = [policy, item]
        for d, c in zip(declared.values, computed.values, strict=True):
            values += [d, c, c - d]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.border = BORDER
            if isinstance(value, int) and col % 3 == 2 and value:  # a non-zero difference
                cell.font = Font(bold=True, color="B71C1C")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40
    for col in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12


INDICATOR_HEADER = ("指標", "向き", "単位", "基準値", "基準値の時点", "実績値（最新）", "実績値の時点", "目標値",
                    "目標値の時点", "達成率", "評価", "評価の説明")


def _number(value):
    """Decimal → int or float (a cell holds a number, not text)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _indicator_sheet(ws, ctx: ReportContext) -> None:
    """One row per indicator: values as numbers, 時点 in 和暦, the rate as a percentage with a data bar."""
    from openpyxl.formatting.rule import DataBarRule

    ws.title = "指標"
    ws["A1"] = f"4 指標の状況（{ctx.title}）"
    ws["A1"].font = Font(bold=True, size=12)
    if ctx.indicators_note:
        ws["A2"] = ctx.indicators_note
    for col, label in enumerate(INDICATOR_HEADER, start=1):
        c = ws.cell(3, col, label)
        c.font, c.fill, c.alignment, c.border = Font(bold=True), HEADER_FILL, CENTER, BORDER
    r = 4
    for row in ctx.indicators:
        values = (
            row.name, row.direction_label, row.unit,
            _number(row.baseline), row.baseline_label or None,
            _number(row.actual), row.actual_label or None,
            _number(row.target), row.target_label or None,
            float(row.rate) if row.rate is not None else row.rate_text or None,
            row.rating or None, row.rating_description or None,
        )
        for col, value in enumerate(values, start=1):
            c = ws.cell(r, col, value)
            c.border = BORDER
            if col in (4, 6, 8) and value is not None:
                c.number_format = "#,##0" if row.decimals == 0 else "#,##0." + "0" * row.decimals
            if col == 10 and row.rate is not None:
                c.number_format = "0.0%"
        r += 1
    if not ctx.indicators:
        ws.cell(4, 1, "指標は登録されていません。")
    else:
        # An Excel data bar on the rate column: a bar per indicator without a picture.
        ws.conditional_formatting.add(
            f"J4:J{r - 1}", DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1, color="183B6B")
        )
    ws.column_dimensions["A"].width = 40
    for col, width in zip("BCDEFGHIJKL", (12, 10, 10, 14, 12, 14, 10, 14, 10, 6, 20), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B4"


def _logic_sheet(ws, ctx: ReportContext) -> None:
    """Chapter 5: the goal tree (one line per row, indented by column), then its tables."""
    from tenken.reports.logic import CHAPTER_TITLE, goal_tree_lines, logic_tables

    ws.title = "目指すべき姿と指標"
    ws["A1"] = f"5 {CHAPTER_TITLE}（{ctx.plan_title}）"
    ws["A1"].font = Font(bold=True, size=12)
    if ctx.logic.cut_off_note:
        ws["A2"] = ctx.logic.cut_off_note
    r = 3
    ws.cell(r, 1, "(1) 目指すべき姿（ゴール）の体系").font = Font(bold=True)
    r += 1
    for level, text in goal_tree_lines(ctx.logic):
        c = ws.cell(r, 1 + level, text)
        if level == 0:
            c.font = Font(bold=True)
        r += 1
    for title, header, rows in logic_tables(ctx.logic):
        r += 1
        ws.cell(r, 1, title).font = Font(bold=True)
        r += 1
        for col, label in enumerate(header, start=1):
            c = ws.cell(r, col, label)
            c.font, c.fill, c.alignment, c.border = Font(bold=True), HEADER_FILL, CENTER, BORDER
        r += 1
        for row in rows:
            for col, value in enumerate(row, start=1):
                c = ws.cell(r, col, int(value) if value.isdecimal() else value)
                c.border = BORDER
                c.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 40
    for col in "CDEFGHIJ":
        ws.column_dimensions[col].width = 18


def render(ctx: ReportContext) -> bytes:
    wb = Workbook()
    _appendix_sheet(wb.active, ctx)
    _summary_sheet(wb.create_sheet(), ctx)
    if not ctx.published:  # the reconciliation is internal: not in a published version
        _reconciliation_sheet(wb.create_sheet(), ctx)
    _indicator_sheet(wb.create_sheet(), ctx)
    if ctx.logic.present:
        _logic_sheet(wb.create_sheet(), ctx)
    for ws in wb.worksheets:  # A4, fit to width, header rows repeated (row 3 and 4 on 別紙)
        apply_print_setup(ws, title_rows="3:4" if ws.title == "別紙" else "3:3", landscape=ws.title != "集計",
                          header_text=f"{ctx.organization}　{ctx.title}")
    neutralize_workbook(wb)  # plan text such as "=HYPERLINK(…)" stays text (issue #14)
    wb.properties.creator = ctx.organization
    wb.properties.title = ctx.title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
