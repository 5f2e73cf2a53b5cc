"""The blank plan template (xlsx) for a government starting from nothing: an instructions sheet, the
取組一覧 with the scale as a drop-down (data validation) and print setup, and the legend."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from tenken.plans.statuses import CATEGORY_LABELS

COLUMNS = (("No.", 8), ("基本方針", 24), ("施策", 24), ("取組名", 48), ("担当課", 16), ("進捗状況", 12),
           ("変更・中止の理由", 36), ("備考", 20))
SCALE = (("完了", "done"), ("順調", "in_progress"), ("遅れ", "delayed"), ("未着手", "not_started"),
         ("変更", "changed"), ("中止", "cancelled"))
ROWS = 500
INSTRUCTIONS = (
    "計画取込テンプレートの使い方",
    "",
    "1. 「取組一覧」シートの 3 行目から、取組を 1 行に 1 件ずつ書きます（見出し行は変えないでください）。",
    "2. 基本方針・施策は、同じものが続くときは空欄のままで構いません（上の行の値を引き継ぎます）。",
    "3. 進捗状況は一覧から選びます（完了 / 順調 / 遅れ / 未着手 / 変更 / 中止）。変更・中止は理由を書きます。",
    "4. 取組No（例: 1-2）は文字列のセルです。Excel が日付に変えないよう、書式を変えないでください。",
    "5. 担当課が複数あるときは「、」で区切ります。",
    "6. 年度ごとの進捗を残すときは、進捗状況の右に「令和6年度 進捗」「令和7年度 進捗」のような列を加えます。",
    "7. セルの結合・数式・マクロは使わないでください（数式は取り込めません）。",
    "8. 保存した .xlsx を tenken の「計画の取込」でアップロードし、対応表と取込内容を確かめて取り込みます。",
)


def blank_template() -> bytes:
    wb = Workbook()
    guide = wb.active
    guide.title = "記入方法"
    for i, line in enumerate(INSTRUCTIONS, start=1):
        guide.cell(i, 1, line)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    guide.page_setup.orientation = "landscape"
    guide.page_setup.paperSize = guide.PAPERSIZE_A4

    ws = wb.create_sheet("取組一覧")
    ws.cell(1, 1, "計画の取組一覧（計画名: ）").font = Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor="DDE7F3")
    for c, (name, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(2, c, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = width
    for r in range(3, ROWS + 3):
        ws.cell(r, 1).number_format = "@"  # 取組No as text: 1-2 stays 1-2, 001 stays 001
        for c in (4, 7, 8):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    dv = DataValidation(type="list", formula1='"' + ",".join(v for v, _ in SCALE) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="進捗状況", error="一覧から選んでください",
                        promptTitle="進捗状況", prompt="完了 / 順調 / 遅れ / 未着手 / 変更 / 中止")
    dv.add(f"F3:F{ROWS + 2}")
    ws.add_data_validation(dv)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"

    legend = wb.create_sheet("凡例")
    legend.append(["凡例", "共通区分"])
    for value, cat in SCALE:
        legend.append([value, CATEGORY_LABELS[cat]])
    legend.column_dimensions["A"].width = 12
    legend.column_dimensions["B"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
