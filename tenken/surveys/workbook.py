"""The department answer workbook (回答票): writing it and reading it back.

Layout (one workbook per department and round):

- ``記入方法`` (first sheet): instructions, round, department, deadline.
- ``回答``: one row per initiative from row 5. Columns B–H are locked (方針, 取組項目, 小項目, 取組No,
  取組内容, 前年度の実施結果, 前年度の変更の理由); only I–L are unlocked answer cells (実施結果 as a
  drop-down, 変更の理由, 成果, 課題). Hidden locked columns A (取組ID) and M (版: the review version
  the workbook was made from, so a later web edit is detected instead of overwritten).
- ``_tenken`` (very hidden): round and department ids, and a signature over them and the response's
  random ``workbook_token`` made with the site's secret key (``django.core.signing``), so a workbook
  of another department or round, one whose identification was edited, or one re-signed with a
  leaked key (the token is stored server side only) is refused.

Reading refuses unsafe files first (:func:`tenken.spreadsheets.safety.check_xlsx`, via
:func:`tenken.spreadsheets.grid.read_xlsx`) and refuses every formula cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.core import signing
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import cell_text
from tenken.common.wareki import fiscal_year_label
from tenken.indicators.models import Observation
from tenken.plans.models import Initiative
from tenken.spreadsheets.grid import cell_ref, read_xlsx
from tenken.spreadsheets.neutralize import cell_value, neutralize_workbook
from tenken.spreadsheets.printing import apply_print_setup

from . import indicator_answers, selectors
from .indicator_answers import IndicatorEntry
from .models import Response, deadline_text
from .services import Answer

SIGNING_SALT = "tenken.surveys.workbook"
ANSWER_SHEET = "回答"
INSTRUCTIONS_SHEET = "記入方法"
META_SHEET = "_tenken"
HEADER_ROW = 4
FIRST_ROW = 5
# column numbers (1-based)
C_ID, C_POLICY, C_ITEM, C_SUB, C_LABEL, C_TEXT, C_PREV, C_PREV_REASON = 1, 2, 3, 4, 5, 6, 7, 8
C_STATUS, C_REASON, C_OUTCOME, C_ISSUES, C_VERSION = 9, 10, 11, 12, 13
HEADERS = {
    C_ID: "取組ID",
    C_POLICY: "方針",
    C_ITEM: "取組項目",
    C_SUB: "小項目",
    C_LABEL: "取組No",
    C_TEXT: "取組内容",
    C_PREV: "前年度の実施結果",
    C_PREV_REASON: "前年度の変更の理由",
    C_STATUS: "実施結果（選択）",
    C_REASON: "変更の理由",
    C_OUTCOME: "成果",
    C_ISSUES: "課題",
    C_VERSION: "版",
}
WIDTHS = {C_POLICY: 16, C_ITEM: 18, C_SUB: 14, C_LABEL: 8, C_TEXT: 50, C_PREV: 20, C_PREV_REASON: 20,
          C_STATUS: 24, C_REASON: 30, C_OUTCOME: 30, C_ISSUES: 30}
INDICATOR_SHEET = "指標"
# the 指標 sheet: one row per indicator of the department's initiatives, from row 5
K_ID, K_LABEL, K_TEXT, K_NAME, K_UNIT, K_KIND, K_BASELINE, K_TARGET, K_VALUE, K_AS_OF = range(1, 11)
INDICATOR_HEADERS = {
    K_ID: "指標ID",
    K_LABEL: "取組No",
    K_TEXT: "取組内容",
    K_NAME: "指標",
    K_UNIT: "単位",
    K_KIND: "種類",
    K_BASELINE: "基準値",
    K_TARGET: "当年度の目標値",
    K_VALUE: "実績値（入力）",
    K_AS_OF: "時点（入力・空欄は年度末）",
}
ANSWER_FILL = PatternFill("solid", fgColor="FFF8DC")
HEAD_FILL = PatternFill("solid", fgColor="E8EEF6")


def initiative_caption(initiative: Initiative) -> str:
    """The initiative as the workbook shows it: its 取組名 in brackets above the text, when it has one."""
    return f"【{initiative.name}】\n{initiative.text}" if initiative.name else initiative.text


def workbook_filename(response: Response) -> str:
    r = response.round
    return f"回答票_{r.fiscal_year}年度_照会{r.pk}_所属{response.department_id}_{response.department.name}.xlsx"


def _signature(round_id: int, department_id: int, token: str) -> str:
    """Signed ``{round, department, token}``. The token is the response's random ``workbook_token``,
    stored server side and compared on ingest, so knowing SECRET_KEY is not enough to make a workbook
    that passes for another department's (issue #14)."""
    return signing.dumps({"r": round_id, "d": department_id, "t": token}, salt=SIGNING_SALT)


def build_workbook(*, response: Response) -> bytes:
    """The department's workbook, pre-filled with its initiatives, current answers and last year's answers."""
    survey_round = response.round
    rows = selectors.response_rows(response=response)
    statuses = selectors.plan_statuses(plan=survey_round.plan)
    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET
    reason_labels = "、".join(s.long_label or s.label for s in statuses if s.requires_reason)
    lines = [
        (f"{survey_round} 回答票", Font(bold=True, size=14)),
        (f"所属: {response.department.name}", Font(bold=True)),
        (f"計画: {survey_round.plan.title}（{survey_round.plan.period_label}）", None),
        (f"対象年度: {fiscal_year_label(survey_round.fiscal_year)}", None),
        (f"回答期限: {deadline_text(survey_round.deadline)}", Font(bold=True, color="C00000")),
        ("", None),
        ("記入方法", Font(bold=True)),
        ("1. 「回答」シートの黄色のセル（実施結果・変更の理由・成果・課題）だけに入力してください。ほかのセルは保護されています。", None),
        ("2. 実施結果は一覧から選んでください。選択肢: " + "、".join(s.long_label or s.label for s in statuses), None),
        (f"3. 実施結果が「{reason_labels}」の場合は、変更の理由を必ず入力してください。", None),
        ("4. 数式は使わず、値を入力してください。数式を含む回答票は受け付けません。", None),
        ("5. マクロ有効ブック（.xlsm）などに変換せず、.xlsx のまま保存して返送してください。", None),
        ("6. この回答票はこの所属・この照会専用です。ほかの所属の回答には使えません。", None),
        ("7. 「前年度の実施結果」は前年度に承認された回答です（参考）。", None),
        ("8. 回答票を作成した後に画面で回答を修正した場合は、回答票を作り直してください（古い回答票は受け付けません）。", None),
        ("9. 「指標」シートがある場合は、担当する取組の指標の当年度の実績値（数値。単位は書いても書かなくても可）と時点（例: R2.3、R元年度末。空欄は年度末）を入力してください。", None),
        ("誤りがあると、回答票全体を受け付けず、シート名・セル番地付きで理由を表示します。", None),
    ]
    for i, (text, font) in enumerate(lines, start=1):
        cell = guide.cell(row=i, column=1, value=cell_value(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font
    guide.column_dimensions["A"].width = 80  # A4 portrait without scaling, with slack for font metrics
    guide.protection.sheet = True
    print_header = f"{survey_round.plan.organization.name}　{survey_round}　{response.department.name}"
    apply_print_setup(guide, landscape=False, fit_height=True, header_text=print_header)  # one page

    ws = wb.create_sheet(ANSWER_SHEET)
    ws.cell(row=1, column=C_POLICY, value=f"{survey_round} 回答票").font = Font(bold=True, size=13)
    ws.cell(row=2, column=C_POLICY, value=cell_value(f"所属: {response.department.name}"))
    ws.cell(row=2, column=C_TEXT, value=f"回答期限: {deadline_text(survey_round.deadline)}")
    for col, title in HEADERS.items():
        c = ws.cell(row=HEADER_ROW, column=col, value=title)
        c.font, c.fill = Font(bold=True), HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in WIDTHS.items():
        ws.column_dimensions[cell_ref(1, col)[:-1]].width = width
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["M"].hidden = True
    unlocked = Protection(locked=False)
    for n, row in enumerate(rows):
        r = FIRST_ROW + n
        path = [*row.section_path, "", "", ""]
        current, previous = row.review, row.previous
        values = {
            C_ID: row.initiative.pk,
            C_POLICY: path[0],
            C_ITEM: path[1],
            C_SUB: path[2],
            C_LABEL: row.initiative.number_label,
            C_TEXT: initiative_caption(row.initiative),
            C_PREV: (previous.status.long_label or previous.status.label) if previous else "",
            C_PREV_REASON: previous.change_reason if previous else "",
            C_STATUS: (
                (current.status.long_label or current.status.label) if current
                else (previous.status.long_label or previous.status.label) if previous else None
            ),
            C_REASON: current.change_reason if current else None,
            C_OUTCOME: current.outcome if current else None,
            C_ISSUES: current.issues if current else None,
            C_VERSION: row.version,
        }
        for col, value in values.items():
            c = ws.cell(row=r, column=col, value=cell_value(value) if value != "" else None)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if col in (C_STATUS, C_REASON, C_OUTCOME, C_ISSUES):
                c.protection = unlocked
                c.fill = ANSWER_FILL
            if col in (C_LABEL,) and isinstance(value, str):
                c.number_format = "@"  # "3-1" must stay text, not become a date
    last = FIRST_ROW + max(len(rows), 1) - 1
    labels = [s.long_label or s.label for s in statuses]
    inline = '"' + ",".join(labels) + '"'
    # Excel limits an inline list to 255 characters; a longer scale is listed on the hidden sheet.
    formula = inline if len(inline) <= 255 and not any("," in x for x in labels) else (
        f"'{META_SHEET}'!$D$1:$D${len(labels)}"
    )
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="実施結果",
        error="一覧から選んでください",
        promptTitle="実施結果",
        prompt="一覧から選んでください",
    )
    ws.add_data_validation(dv)
    dv.add(f"{cell_ref(FIRST_ROW, C_STATUS)}:{cell_ref(last, C_STATUS)}")
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=C_STATUS)
    apply_print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header_text=print_header)
    ws.protection.sheet = True
    # Let people resize rows and columns to read long texts; content stays locked.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    _indicator_sheet(wb, response)

    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate(
        [
            ("照会", survey_round.pk),
            ("所属", response.department_id),
            ("署名", _signature(survey_round.pk, response.department_id, response.workbook_token)),
            ("作成日時", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")),
            ("所属名", response.department.name),
            ("照会名", str(survey_round)),
        ],
        start=1,
    ):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=cell_value(value))
    for i, label in enumerate(labels, start=1):
        meta.cell(row=i, column=4, value=cell_value(label))
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.active = 0
    neutralize_workbook(wb)  # a department's "=cmd|' /C calc'!A0" stays text; read back by restore()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _indicator_sheet(wb: Workbook, response: Response) -> None:
    """The 指標 sheet: the year's actual of each indicator of the department's initiatives."""
    indicators = indicator_answers.response_indicators(response=response)
    if not indicators:
        return
    fy = response.round.fiscal_year
    links = indicator_answers.indicator_initiatives(indicators)
    initiatives = {i.pk: i for i in selectors.response_initiatives(response=response)}
    targets = indicator_answers.targets_of_year(indicators, fy)
    answers = indicator_answers.current_answers(response=response)
    baselines = {}
    for ind_id, value in (
        Observation.objects.filter(indicator__in=indicators, kind=Observation.Kind.BASELINE)
        .order_by("as_of").values_list("indicator_id", "value")
    ):
        baselines[ind_id] = value
    ws = wb.create_sheet(INDICATOR_SHEET)
    ws.cell(row=1, column=K_LABEL, value=f"{fiscal_year_label(fy)}の指標の実績値").font = Font(bold=True, size=13)
    ws.cell(row=2, column=K_LABEL, value="黄色のセルに実績値（数値）と時点を入力してください。時点が空欄なら年度末の値とします。")
    for col, title in INDICATOR_HEADERS.items():
        c = ws.cell(row=HEADER_ROW, column=col, value=title)
        c.font, c.fill = Font(bold=True), HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in {K_LABEL: 8, K_TEXT: 40, K_NAME: 30, K_UNIT: 8, K_KIND: 14, K_BASELINE: 10, K_TARGET: 12,
                       K_VALUE: 14, K_AS_OF: 16}.items():
        ws.column_dimensions[cell_ref(1, col)[:-1]].width = width
    ws.column_dimensions["A"].hidden = True
    unlocked = Protection(locked=False)
    for n, ind in enumerate(indicators):
        r = FIRST_ROW + n
        mine = [initiatives[i] for i in links.get(ind.pk, []) if i in initiatives]
        answer = answers.get(ind.pk)
        values = {
            K_ID: ind.pk,
            K_LABEL: "、".join(i.number_label for i in mine),
            K_TEXT: "\n".join(initiative_caption(i) for i in mine),
            K_NAME: ind.name,
            K_UNIT: ind.unit,
            K_KIND: ind.get_kind_display(),
            K_BASELINE: float(baselines[ind.pk]) if ind.pk in baselines else None,
            K_TARGET: float(targets[ind.pk]) if ind.pk in targets else None,
            K_VALUE: float(answer.value) if answer else None,
            K_AS_OF: answer.as_of_text if answer else None,
        }
        for col, value in values.items():
            c = ws.cell(row=r, column=col, value=value)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if col in (K_VALUE, K_AS_OF):
                c.protection = unlocked
                c.fill = ANSWER_FILL
            if col in (K_LABEL, K_AS_OF):
                c.number_format = "@"
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=K_VALUE)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _read_indicator_sheet(grids, name: str) -> tuple[list[IndicatorEntry], list[Problem]]:
    grid = next((g for g in grids if g.name == INDICATOR_SHEET), None)
    if grid is None:
        return [], []
    problems: list[Problem] = []
    formula_cells = set(grid.formulas)
    for row, col in grid.formulas:
        problems.append(Problem(f"{name}:{grid.ref(row, col)}", "数式は受け付けません。値を入力してください"))
    for col, title in INDICATOR_HEADERS.items():
        if cell_text(grid.value(HEADER_ROW, col)) != title:
            problems.append(
                Problem(f"{name}:{grid.ref(HEADER_ROW, col)}", f"見出しが「{title}」ではありません（列が移動・削除されています）")
            )
    entries: list[IndicatorEntry] = []
    seen: set[int] = set()
    for r in range(FIRST_ROW, grid.max_row + 1):
        raw_id = grid.value(r, K_ID, fill_merged=False)
        value = None if (r, K_VALUE) in formula_cells else grid.value(r, K_VALUE, fill_merged=False)
        as_of = "" if (r, K_AS_OF) in formula_cells else cell_text(grid.value(r, K_AS_OF, fill_merged=False))
        if raw_id is None:
            if value not in (None, "") or as_of:
                problems.append(Problem(f"{name}:{grid.ref(r, K_VALUE)}", "指標のない行に入力されています"))
            continue
        try:
            indicator_id = int(raw_id)
        except (TypeError, ValueError):
            problems.append(Problem(f"{name}:{grid.ref(r, K_ID)}", "指標IDが読み取れません（回答票が改変されています）"))
            continue
        if indicator_id in seen:
            problems.append(Problem(f"{name}:{grid.ref(r, K_ID)}", "同じ指標の行が重複しています"))
            continue
        seen.add(indicator_id)
        if (r, K_VALUE) in formula_cells or (r, K_AS_OF) in formula_cells:
            continue
        if hasattr(value, "year") and not isinstance(value, str):  # Excel turned the number into a date
            problems.append(Problem(f"{name}:{grid.ref(r, K_VALUE)}", f"「{value}」は数値ではありません（日付になっています）"))
            continue
        entries.append(IndicatorEntry(indicator_id, value, as_of, f"{name}:{grid.ref(r, K_VALUE)}",
                                      f"{name}:{grid.ref(r, K_AS_OF)}"))
    return entries, problems


@dataclass
class ParsedWorkbook:
    round_id: int
    department_id: int
    token: str
    answers: list[Answer]
    problems: list[Problem]  # layout problems; reported together with the answers' problems
    indicator_entries: list[IndicatorEntry] | None = None


def read_workbook(path: Path | str, *, name: str | None = None) -> ParsedWorkbook:
    """Read a returned workbook into answers.

    Raises :class:`InputRejected` when the file cannot be trusted at all (unsafe content, no or a
    forged identification, no answer sheet). Problems of single cells (formulas, moved columns,
    duplicated rows) are returned in ``problems`` so that the services report them together with
    the answers' own problems; a row holding a formula is marked unreadable and not validated further.
    """
    path = Path(path)
    name = name or path.name
    grids = read_xlsx(path, name=name)  # check_xlsx first: macros, OLE, external links, zip bombs
    round_id, department_id, token = _identification(path, name)
    grid = next((g for g in grids if g.name == ANSWER_SHEET), None)
    if grid is None:
        raise InputRejected(Problem(name, f"シート「{ANSWER_SHEET}」がありません。tenken が作成した回答票を使ってください"))
    problems: list[Problem] = []
    for row, col in grid.formulas:
        problems.append(Problem(f"{name}:{grid.ref(row, col)}", "数式は受け付けません。値を入力してください"))
    formula_cells = set(grid.formulas)
    for col, title in HEADERS.items():
        if cell_text(grid.value(HEADER_ROW, col)) != title:
            problems.append(
                Problem(f"{name}:{grid.ref(HEADER_ROW, col)}", f"見出しが「{title}」ではありません（列が移動・削除されています）")
            )
    answers: list[Answer] = []
    seen: dict[int, int] = {}
    for r in range(FIRST_ROW, grid.max_row + 1):

        def text(col: int, r: int = r) -> str:
            return "" if (r, col) in formula_cells else cell_text(grid.value(r, col, fill_merged=False))

        raw_id = grid.value(r, C_ID, fill_merged=False)
        answer_texts = [text(c) for c in (C_STATUS, C_REASON, C_OUTCOME, C_ISSUES)]
        if raw_id is None:
            if any(answer_texts):
                problems.append(Problem(f"{name}:{grid.ref(r, C_STATUS)}", "取組のない行に入力されています"))
            continue
        try:
            initiative_id = int(raw_id)
            version = int(grid.value(r, C_VERSION, fill_merged=False) or 0)
        except (TypeError, ValueError):
            problems.append(Problem(f"{name}:{grid.ref(r, C_ID)}", "取組ID・版が読み取れません（回答票が改変されています）"))
            continue
        if initiative_id in seen:
            problems.append(
                Problem(f"{name}:{grid.ref(r, C_ID)}", f"{seen[initiative_id]}行目と同じ取組の行が重複しています")
            )
            continue
        seen[initiative_id] = r
        answers.append(
            Answer(
                initiative_id=initiative_id,
                status=answer_texts[0],
                change_reason=answer_texts[1],
                outcome=answer_texts[2],
                issues=answer_texts[3],
                expected_version=version,
                unreadable=any((r, c) in formula_cells for c in (C_STATUS, C_REASON, C_OUTCOME, C_ISSUES)),
                location=f"{name}:{grid.ref(r, C_STATUS)}",
                field_locations={
                    "status": f"{name}:{grid.ref(r, C_STATUS)}",
                    "change_reason": f"{name}:{grid.ref(r, C_REASON)}",
                    "outcome": f"{name}:{grid.ref(r, C_OUTCOME)}",
                    "issues": f"{name}:{grid.ref(r, C_ISSUES)}",
                },
            )
        )
    indicator_entries, indicator_problems = _read_indicator_sheet(grids, name)
    return ParsedWorkbook(round_id, department_id, token, answers, problems + indicator_problems, indicator_entries)


def _identification(path: Path, name: str) -> tuple[int, int, str]:
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # already opened once by read_xlsx; damaged files fail there
        raise InputRejected(Problem(name, f"Excelブックとして読み込めません（{type(exc).__name__}）")) from exc
    try:
        if META_SHEET not in wb.sheetnames:
            raise InputRejected(
                Problem(name, "tenken が作成した回答票ではありません（識別情報がありません）。所属ごとの回答票を使ってください")
            )
        ws = wb[META_SHEET]
        values = {row[0]: row[1] for row in ws.iter_rows(min_row=1, max_row=10, max_col=2, values_only=True) if row}
    finally:
        wb.close()
    try:
        ident = signing.loads(str(values.get("署名") or ""), salt=SIGNING_SALT)
        return int(ident["r"]), int(ident["d"]), str(ident.get("t") or "")
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InputRejected(
            Problem(name, "回答票の識別情報が正しくありません（改変されたか、別のシステムで作成された回答票です）")
        ) from exc
