"""Word (python-docx): the same chapters and tables as the HTML, with the charts as PNG pictures.

East Asian text is set in Noto Sans CJK JP through the ``w:eastAsia`` font attribute of the styles
(python-docx only sets the Latin font); Word substitutes a Japanese font if it is not installed.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.run import Run

from tenken.reports.charts import report_charts
from tenken.reports.context import CHAPTERS, ReportContext
from tenken.reports.prose import Block

FONT = "Noto Sans CJK JP"
HEADER_FILL = "E8EEF6"


def _set_font(style, size: float | None = None) -> None:
    style.font.name = FONT
    if size:
        style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the named one (headings use them)


def _shade(cell, fill: str = HEADER_FILL) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _add_run(p, text: str) -> Run:
    """``p.add_run(text)`` without python-docx's character-by-character scan when ``text`` holds no tab
    or line break (most cells): the same ``<w:r><w:t>`` with the same ``xml:space``."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return p.add_run(text)
    r = p._p.add_r()
    r.add_t(text)
    return Run(r, p)


def _cell(cell, text: str, *, header: bool = False, right: bool = False) -> None:
    p = cell.paragraphs[0]
    run = _add_run(p, text)
    if header:
        run.bold = True
        _shade(cell)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


class Grid:
    """A table addressed by (row, column) as created, with merges done on the XML directly.

    python-docx's ``table.cell()`` rebuilds the whole cell grid on every call (quadratic in rows: 10 s for
    the 別紙); here the cells are captured once and merges set ``w:gridSpan`` / ``w:vMerge`` themselves.
    """

    def __init__(self, doc, rows: int, cols: int, widths: list[float] | None = None):
        self.table = t = doc.add_table(rows=rows, cols=cols)
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        self.cells = [[_Cell(tc, t) for tc in tr.tc_lst] for tr in t._tbl.tr_lst]
        if widths:
            for row in self.cells:
                for cell, w in zip(row, widths, strict=False):
                    cell.width = Cm(w)

    def cell(self, r: int, c: int):
        return self.cells[r][c]

    def hmerge(self, r: int, c0: int, c1: int):
        first = self.cells[r][c0]
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(c1 - c0 + 1))
        tc_pr = first._tc.get_or_add_tcPr()
        tc_pr.insert(1 if tc_pr.find(qn("w:tcW")) is not None else 0, span)  # schema order: tcW, gridSpan
        for c in range(c0 + 1, c1 + 1):
            tc = self.cells[r][c]._tc
            tc.getparent().remove(tc)
        return first

    def vmerge(self, c: int, r0: int, r1: int):
        for r in range(r0, r1 + 1):
            merge = OxmlElement("w:vMerge")
            if r == r0:
                merge.set(qn("w:val"), "restart")
            self.cells[r][c]._tc.get_or_add_tcPr().append(merge)
        return self.cells[r0][c]

    def repeat_header(self, rows: int) -> None:
        for tr in self.table._tbl.tr_lst[:rows]:
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _prose(doc, blocks: list[Block]) -> None:
    for b in blocks:
        if b.kind == "heading":
            doc.add_heading(b.label, level=2)
        elif b.kind == "subheading":
            doc.add_heading(b.label, level=3)
        elif b.kind == "bullet":
            doc.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "subbullet":
            doc.add_paragraph(b.text, style="List Bullet 2")
        else:
            doc.add_paragraph(b.text)


INDICATOR_HEADER = ("指標", "単位", "基準値", "実績値（最新）", "目標値", "達成率", "評価")
BAR_CELLS = 10  # the achievement-rate bar: 10 shaded cells of 10% each


def _value(display: str, label: str) -> str:
    return f"{display or '－'}\n{label}" if label else (display or "－")


def _indicators(doc, ctx: ReportContext) -> None:
    """The indicator table (each value with its 時点 in 和暦) and a bar of each achievement rate."""
    doc.add_heading(f"4 {CHAPTERS[3]}", level=1)
    if not ctx.indicators:
        doc.add_paragraph("指標は登録されていません。")
        return
    t = Grid(doc, 1 + len(ctx.indicators), len(INDICATOR_HEADER), [4.6, 1.8, 2.2, 2.2, 2.2, 2.2, 1.8])
    for c, label in enumerate(INDICATOR_HEADER):
        _cell(t.cell(0, c), label, header=True)
    t.repeat_header(1)
    for r, row in enumerate(ctx.indicators, start=1):
        _cell(t.cell(r, 0), f"{row.name}\n（{row.direction_label}）", header=True)
        _cell(t.cell(r, 1), row.unit)
        _cell(t.cell(r, 2), _value(row.baseline_display, row.baseline_label), right=True)
        _cell(t.cell(r, 3), _value(row.actual_display, row.actual_label), right=True)
        _cell(t.cell(r, 4), _value(row.target_display, row.target_label), right=True)
        _cell(t.cell(r, 5), row.rate_text or "－", right=True)
        _cell(t.cell(r, 6), f"{row.rating}\n{row.rating_description}" if row.rating else "－")
    doc.add_paragraph(
        "達成率 = （実績値 − 基準値）÷（目標値 − 基準値）。基準値がない場合は 実績値 ÷ 目標値（低いほど良い指標は 目標値 ÷ 実績値）。"
    )
    if ctx.indicators_note:
        doc.add_paragraph(ctx.indicators_note)
    bars = ctx.indicator_bars
    if bars:
        # A bar chart as a table (shaded cells of 10% each): native Word, no picture to draw.
        t = Grid(doc, len(bars), 2 + BAR_CELLS, [4.6] + [1.0] * BAR_CELLS + [2.4])
        for r, (name, text, width) in enumerate(bars):
            _cell(t.cell(r, 0), name)
            for k in range(BAR_CELLS):
                if width >= (k + 0.5) * 100 / BAR_CELLS:
                    _shade(t.cell(r, 1 + k), "183B6B")
            _cell(t.cell(r, 1 + BAR_CELLS), text, right=True)
        doc.add_paragraph("図 指標の達成率（100%で目標を達成。棒は100%で打ち切り）").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _logic(doc, ctx: ReportContext) -> None:
    """Chapter 5: the goal tree as indented paragraphs, then the tables of :func:`logic_tables`."""
    from tenken.reports.logic import CHAPTER_TITLE, goal_tree_lines, logic_tables

    chapter = ctx.logic
    doc.add_heading(f"5 {CHAPTER_TITLE}", level=1)
    if chapter.predecessor:
        doc.add_paragraph(f"前計画: {chapter.predecessor}")
    for s in chapter.successors:
        doc.add_paragraph(f"後継計画: {s}")
    doc.add_heading("(1) 目指すべき姿（ゴール）の体系", level=2)
    lines = goal_tree_lines(chapter)
    for level, text in lines:
        p = doc.add_paragraph(text, style="List Bullet" if level else None)
        p.paragraph_format.left_indent = Cm(0.8 * level)
        if level == 0:
            p.runs[0].bold = True
    if not lines:
        doc.add_paragraph("目指すべき姿（ゴール）は登録されていません。")
    for title, header, rows in logic_tables(chapter):
        doc.add_heading(title, level=2)
        if rows and title.startswith("(2)") and chapter.cut_off_note:
            doc.add_paragraph(chapter.cut_off_note)
        if not rows:
            doc.add_paragraph("該当はありません。")
            continue
        t = Grid(doc, 1 + len(rows), len(header))
        for c, label in enumerate(header):
            _cell(t.cell(0, c), label, header=True)
        t.repeat_header(1)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                _cell(t.cell(r, c), value, header=c == 0)


def fast_style_lookup(doc) -> None:
    """Remember each style name's id for this document.

    python-docx resolves a style name by an XPath scan of all ~160 styles on every assignment (each
    heading, bullet and table): a quarter of the render. The styles do not change while a report is
    written, so the answer for a name is the same every time and the XML is byte-identical.
    """
    part = doc.part
    lookup = part.get_style_id
    memo: dict[tuple[str, object], str | None] = {}

    def get_style_id(style_or_name, style_type):
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        try:
            return memo[key]
        except KeyError:
            memo[key] = found = lookup(style_or_name, style_type)
            return found

    part.get_style_id = get_style_id


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


A4 = (Cm(21.0), Cm(29.7))


def _page_number_footer(section) -> None:
    """A centred page number (a PAGE field, which Word updates) in the section's footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _properties(doc, ctx: ReportContext) -> None:
    props = doc.core_properties
    props.author = props.last_modified_by = ctx.organization
    props.title = ctx.title
    props.subject = f"{ctx.plan_title} 点検報告書"
    props.keywords = "行動計画, 点検, ICT"
    props.language = "ja-JP"
    props.comments = ctx.version_label
    props.category = "点検報告書"


def render(ctx: ReportContext) -> bytes:
    doc = Document()
    fast_style_lookup(doc)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Bullet 2"):
        _set_font(doc.styles[name], 10.5 if name == "Normal" else None)
    _properties(doc, ctx)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = A4  # python-docx's template is US Letter
    sec.left_margin = sec.right_margin = Cm(2)
    _page_number_footer(sec)
    n = len(ctx.statuses)

    # 表紙
    doc.add_paragraph(ctx.organization)
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(style="Title")
    _add_run(title, ctx.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (ctx.cover_period, "", ctx.as_of_label, ctx.organization):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_break(doc)

    # 目次
    doc.add_heading("目　次", level=1)
    for e in ctx.toc:
        p = doc.add_paragraph(e.label)
        p.paragraph_format.left_indent = Cm(1 if e.level > 1 else 0)
    _page_break(doc)

    # 1 趣旨・考え方
    doc.add_heading(f"1 {CHAPTERS[0]}", level=1)
    _prose(doc, ctx.purpose)
    t = Grid(doc, 1 + len(ctx.policies), 2, [5, 12])
    _cell(t.cell(0, 0), "方針", header=True)
    _cell(t.cell(0, 1), "取組項目", header=True)
    for r, p in enumerate(ctx.policies, start=1):
        _cell(t.cell(r, 0), p.title, header=True)
        t.cell(r, 1).paragraphs[0].add_run("\n".join(f"{k} {i.title}" for k, i in enumerate(p.items, start=1)))
    _page_break(doc)

    # 2 取組項目ごとの点検結果
    doc.add_heading(f"2 {CHAPTERS[1]}", level=1)
    for p in ctx.policies:
        doc.add_heading(p.label, level=2)
        for item in p.items:
            doc.add_heading(item.label, level=3)
            head_rows = 2 if item.has_table else 1
            t = Grid(doc, head_rows + len(item.rows), 1 + n, [3.5] + [13.5 / n] * n)
            if item.has_table:
                _cell(t.vmerge(0, 0, 1), "取組数", header=True)
                for k, s in enumerate(ctx.statuses, start=1):
                    _cell(t.cell(0, k), s.column_label, header=True)
                    _cell(t.cell(1, k), str(item.counts.values[k - 1]), right=True)
            else:
                _cell(t.cell(0, 0), "取組数", header=True)
                _cell(t.hmerge(0, 1, n), item.summary or "集計の対象となる取組はありません。")
            for r, (label, points) in enumerate(item.rows, start=head_rows):
                _cell(t.cell(r, 0), label, header=True)
                t.hmerge(r, 1, n).paragraphs[0].add_run("\n".join(f"・{x}" for x in points) or "・なし")
    _page_break(doc)

    # 3 全体総括
    doc.add_heading(f"3 {CHAPTERS[2]}", level=1)
    doc.add_heading("(1) 達成状況", level=2)
    t = Grid(doc, 2 + len(ctx.policies), 2 + n, [5] + [3] * (n + 1))
    _cell(t.cell(0, 0), "方針", header=True)
    for k, s in enumerate(ctx.statuses, start=1):
        _cell(t.cell(0, k), s.column_label, header=True)
    _cell(t.cell(0, n + 1), "計", header=True)
    for r, (label, counts) in enumerate(
        [(p.title, p.counts) for p in ctx.policies] + [("計", ctx.totals)], start=1
    ):
        _cell(t.cell(r, 0), label, header=True)
        for k, v in enumerate((*counts.values, counts.total), start=1):
            _cell(t.cell(r, k), str(v), right=True)
    doc.add_paragraph("※ 内訳は別紙「行動計画の取組実施結果一覧」のとおりです。")
    doc.add_paragraph(ctx.achievement_text, style="List Bullet")
    for chart in report_charts(ctx, svg=False):
        doc.add_picture(io.BytesIO(chart.png), width=Cm(16))
        doc.add_paragraph(chart.title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _prose(doc, ctx.conclusion)
    _page_break(doc)

    # 4 指標の状況
    _indicators(doc, ctx)
    if ctx.logic.present:
        _page_break(doc)
        _logic(doc, ctx)  # 5 目指すべき姿と指標

    # 別紙 (landscape)
    sec = doc.add_section()
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    doc.add_heading("【別紙】行動計画の取組実施結果一覧", level=1)
    widths = [3, 3.5, 4, 1.8, 10, 3.4]
    t = Grid(doc, 2 + len(ctx.appendix), 6, widths)
    for c, label in ((3, "取組No"), (4, "取組内容"), (5, "取組の実施結果")):
        _cell(t.vmerge(c, 0, 1), label, header=True)
    _cell(t.hmerge(0, 0, 2), "計画上の位置づけ", header=True)
    for c, label in enumerate(("大項目", "中項目", "小項目")):
        _cell(t.cell(1, c), label, header=True)
    t.repeat_header(2)
    for r, a in enumerate(ctx.appendix, start=2):
        for c, (span, text) in enumerate(((a.policy_span, a.policy), (a.item_span, a.item), (a.subitem_span, a.subitem))):
            if span:
                _cell(t.cell(r, c) if span == 1 else t.vmerge(c, r, r + span - 1), text)
        _cell(t.cell(r, 3), a.label)
        if a.name:  # 取組名 in bold, the text on the next line
            p = t.cell(r, 4).paragraphs[0]
            _add_run(p, a.name).bold = True
            _add_run(p, "").add_break()
            _add_run(p, a.text)
        else:
            _cell(t.cell(r, 4), a.text)
        _cell(t.cell(r, 5), a.result)

    if not ctx.published:  # the reconciliation is internal: not in a published version
        _reconciliation(doc, ctx, n)
    if ctx.colophon:
        doc.add_heading("奥付", level=1)
        for label, value in ctx.colophon:
            doc.add_paragraph(f"{label}　{value}")

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _reconciliation(doc, ctx: ReportContext, n: int) -> None:
    doc.add_heading("参考 報告書記載の取組数との照合", level=1)
    doc.add_paragraph("報告書に記載された取組数（記載値）と、別紙の取組から集計した取組数（集計値）の比較です。差は「集計値 − 記載値」です。")
    recon = ctx.reconciliation
    t = Grid(doc, 2 + len(recon.rows) + 1, 2 + 3 * n)
    _cell(t.vmerge(0, 0, 1), "方針", header=True)
    _cell(t.vmerge(1, 0, 1), "取組項目", header=True)
    for k, label in reversed(list(enumerate(recon.labels))):
        _cell(t.hmerge(0, 2 + 3 * k, 4 + 3 * k), label, header=True)
        for j, sub in enumerate(("記載", "集計", "差")):
            _cell(t.cell(1, 2 + 3 * k + j), sub, header=True)
    lines = [(r.policy, f"{r.code} {r.title}".strip(), r.declared, r.computed) for r in recon.rows]
    lines.append(("計", "", recon.declared_total, recon.computed_total))
    for r, (policy, item, declared, computed) in enumerate(lines, start=2):
        _cell(t.cell(r, 0), policy)
        _cell(t.cell(r, 1), item)
        for k in range(n):
            d, c = declared.values[k], computed.values[k]
            _cell(t.cell(r, 2 + 3 * k), str(d), right=True)
            _cell(t.cell(r, 3 + 3 * k), str(c), right=True)
            _cell(t.cell(r, 4 + 3 * k), str(c - d), right=True, header=c != d)
    differs = recon.differences
    if not recon.rows:
        doc.add_paragraph("報告書記載の取組数は登録されていません（照合の対象がありません）。")
    elif differs:
        doc.add_paragraph("差がある取組項目: " + "、".join(r.title for r in differs))
    else:
        doc.add_paragraph("記載値と集計値はすべて一致しています。")
