"""The register workbook (情報システム一覧, or a CSV): a header of 1–3 rows (:mod:`.register_header`), one system per
row, one cost column per year; a 契約期間 range gives the 契約・リース満了日 (:mod:`.register_period`).

Every sheet holding a register table is read (a register kept one sheet per 部局 too); the others are named in the
notes (:class:`RegisterRows`). Columns are found by header text (:mod:`.register_columns`), rows that are no system
(合計/小計, ※ notes, 【部局】 headings) by their unfilled cells (:mod:`.register_rows`), the words of segment, hosting
and state by :mod:`.register_words`. Dates may be Excel dates or text in 西暦/和暦 (``2013-04-01``, ``H25.4``,
``R2年度末``); for 稼働開始日 a month means its first day (a 導入年度 its April 1), for 廃止日 and 契約・リース満了日 its
last day. インターネット接続 takes ○/はい/有/TRUE or ×/いいえ/無/FALSE/blank. A cost cell blank, 「－」「-」 or
「未定」 is no amount that year.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tenken.common.errors import InputRejected, Problem
from tenken.common.novalue import is_no_value
from tenken.common.text import cell_text, normalize
from tenken.common.wareki import WarekiError, format_date_short, parse_date, parse_fiscal_year
from tenken.imports.sheetkinds import FRONT_SHEET_NAMES, FRONT_SHEET_WORDS, INSTRUCTION_SHEET_WORDS
from tenken.imports.workbook import read_csv_grid
from tenken.spreadsheets.grid import Grid, read_xlsx_fast
from tenken.spreadsheets.neutralize import cell_value, neutralize_workbook
from tenken.spreadsheets.printing import apply_print_setup

from .models import Hosting, SystemState
from .register_columns import COLUMNS, NAMES, UNIT_NAMES, SheetColumns, key_of, read_columns
from .register_header import find_header_rows
from .register_period import parse_period
from .register_rows import names_a_department, row_kind
from .register_words import (  # noqa: F401 (CONFIRM_SEGMENTS_LABEL, SEGMENT_READINGS, segment_readings: this module's API)
    CONFIRM_SEGMENTS_LABEL,
    HOSTINGS,
    PLANNED_STATES,
    SEGMENT_READINGS,
    read_segment,
    read_state,
    segment_readings,
    state_problem,
)
from .rules import system_problems

SHEET = "情報システム一覧"
_YES = {"○", "〇", "はい", "有", "あり", "true", "1", "yes"}
_NO = {"", "×", "いいえ", "無", "なし", "false", "0", "no", "-"}
# Sheets that hold no systems though they may look like the table: an example, instructions, a count.
_NOT_REGISTER_SHEET_WORDS = ("記入例", "記載例", "入力例", "見本", "サンプル", "集計", *INSTRUCTION_SHEET_WORDS,
                             *FRONT_SHEET_WORDS)


class RegisterRows(list):
    """The systems of a register file, in file order, and the notes of its reading (sheets not read, columns not
    read, costs summed, headings): shown with the dry run and the confirm step."""

    def __init__(self, rows: list[SystemRow] | None = None, notes: list[str] | None = None) -> None:
        super().__init__(rows or [])
        self.notes: list[str] = list(notes or [])


@dataclass
class SystemRow:
    where: str
    refs: dict[str, str]
    name: str
    department: str
    purpose: str
    segment: str
    hosting: str
    internet_facing: bool
    in_service_on: date | None
    retired_on: date | None
    contract_end: date | None
    state: str
    successor: str
    note: str
    costs: dict[int, int] = field(default_factory=dict)


def _date(value: object, ref: str, *, end: bool, problems: list[Problem]) -> date | None:
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value))
    except WarekiError as exc:
        problems.append(Problem(ref, str(exc)))
        return None
    return parsed.end if end else parsed.start


_AMOUNT = re.compile(r"([-+▲△]?\d+(?:\.\d+)?)(" + "|".join(sorted([*UNIT_NAMES.values(), "億円"], key=len, reverse=True))
                     + ")?")
_NEGATIVE_PAREN = re.compile(r"\(([^()]+)\)")  # 「(1,200)」: a negative amount as accounting writes it


def _amount_yen(value: object, factor: int) -> int:
    """An amount in its header's unit (``factor`` yen each), in yen: a number cell as it is, or text
    「1,234」「１，２００」「1,300,000円」「¥1,234,567」 (NFKC, separators dropped; ¥ is 円). A negative amount
    (「(1,200)」「△1,200」「▲1,200」) is returned negative, for the caller to refuse as such. A unit written in the cell
    must be the header's:
    「1,234円」 under 「（千円）」 is refused rather than read as 1,234千円. Raises :class:`ValueError` with the
    Japanese message, for NaN and infinity too."""
    unit = UNIT_NAMES[factor]
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = normalize(str(value)).replace(",", "").replace("、", "").replace(" ", "")
        yen_sign = text.startswith("¥")  # 「¥1,234,567」「￥1,234,567」: yen, as a currency cell shows it
        text = text.removeprefix("¥")
        if (paren := _NEGATIVE_PAREN.fullmatch(text)) is not None:
            text = "-" + paren.group(1)
        m = _AMOUNT.fullmatch(text)
        written = (m.group(2) or ("円" if yen_sign else "")) if m is not None else ""
        if written and written != unit:
            raise ValueError(f"運用経費「{value}」の単位（{'¥' if yen_sign and not m.group(2) else written}）が列見出しの"
                             f"単位（{unit}）と異なります。{unit}単位の数値で記入するか、列見出しの単位を直してください")
        number = float(m.group(1).replace("▲", "-").replace("△", "-")) if m is not None else math.nan
    if not math.isfinite(number * factor):
        raise ValueError(f"運用経費「{value}」は{unit}単位の数値で記入してください")
    return round(number * factor)


_FY_TEXT = re.compile(r"(\d{4})年度?")


def _fiscal_start(value: object, ref: str, problems: list[Problem]) -> date | None:
    """導入年度 as 稼働開始日: the fiscal year's first day (「令和元年度」「H25」「2013年度」 → 4月1日); a date as it is."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    m = _FY_TEXT.fullmatch(normalize(text))
    try:
        fy = int(m.group(1)) if m else parse_fiscal_year(text)
    except WarekiError:
        try:
            return parse_date(text).start  # 「H25.4.1」 in a 導入年度 column: the date written
        except WarekiError:
            problems.append(Problem(ref, f"導入年度「{text}」を年度として読み取れません（例: 令和元年度、H25、2013年度）"))
            return None
    if not 1868 <= fy <= 2200:
        problems.append(Problem(ref, f"導入年度「{text}」を年度として読み取れません（例: 令和元年度、H25、2013年度）"))
        return None
    return date(fy, 4, 1)


def _contract_end(raw: dict[str, object], refs: dict[str, str], problems: list[Problem]) -> date | None:
    """契約・リース満了日, from its own column or the end of 契約期間 (one cell 「R3.4.1～R8.3.31」, or 開始/終了 under
    a merged 契約期間); when both are written they must agree. The start is checked (before the end), not kept."""
    end = _date(raw.get("contract_end"), refs.get("contract_end", ""), end=True, problems=problems)
    start = _date(raw.get("period_start"), refs.get("period_start", ""), end=False, problems=problems)
    ends = [("contract_end", end)] if end else []
    value = raw.get("period")
    if value is not None and cell_text(value) != "":
        text = format_date_short(value) if isinstance(value, date) else cell_text(value)
        try:
            period_start, period_end = parse_period(text)
        except WarekiError as exc:
            problems.append(Problem(refs["period"], str(exc)))
            return end
        start = start or period_start
        if period_end:
            ends.append(("period", period_end))
    sub_end = _date(raw.get("period_end"), refs.get("period_end", ""), end=True, problems=problems)
    if sub_end:
        ends.append(("period_end", sub_end))
    if len({d for _k, d in ends}) > 1:
        (_k0, first), (k1, other) = ends[0], next(e for e in ends if e[1] != ends[0][1])
        problems.append(Problem(refs[k1], f"契約期間の終了（{format_date_short(other)}）が"
                                          f"契約・リース満了日（{format_date_short(first)}）と異なります"))
        return None
    final = ends[0][1] if ends else None
    if start and final and final < start:
        k = ends[-1][0]
        problems.append(Problem(refs[k], f"契約期間の終了（{format_date_short(final)}）が開始（{format_date_short(start)}）より前です"))
    return final


def _not_register_sheet(name: str) -> bool:
    key = normalize(name).lower()
    return any(w in key for w in _NOT_REGISTER_SHEET_WORDS) or key in FRONT_SHEET_NAMES


def _register_sheets(grids: list[Grid], name: str) -> tuple[list[tuple[Grid, list[int]]], list[str]]:
    """Every sheet holding a register table, with its header rows, and the notes on the sheets not read."""
    tables: list[tuple[Grid, list[int]]] = []
    notes: list[str] = []
    for grid in grids:
        header = find_header_rows(grid, key_of)
        if header and _not_register_sheet(grid.name):
            notes.append(f"シート「{grid.name}」は記入例・説明・集計などのシートとして読みませんでした")
        elif header:
            tables.append((grid, header))
        else:
            notes.append(f"シート「{grid.name}」は見出し行（「システム名」の列）がないため読みませんでした")
    if not grids:
        raise InputRejected(Problem(name, "シートがありません"))
    if not tables:
        grid = next((g for g in grids if g.name == SHEET), grids[0])
        raise InputRejected(Problem(f"{grid.name}", "見出し行（「システム名」の列）が見つかりません"))
    return tables, notes


def read_register(path: Path | str, *, name: str | None = None, confirm_segments: bool = False) -> RegisterRows:
    """Read and check a register file; raise :class:`InputRejected` with every problem.

    Every sheet holding a register table (a row naming the システム名 column) is read, one sheet per 部局 too; the
    other sheets are named in the notes. Cost columns in 千円 or 万円 (said in the header) are converted to yen.
    Informal segment names (基幹系, 内部情報系 …, :data:`SEGMENT_READINGS`) are read as the three-layer segments
    only with ``confirm_segments``; otherwise each is a located question naming the proposed reading.
    """
    path = Path(path)
    name = name or path.name
    if path.suffix.lower() == ".csv":  # UTF-8, UTF-8 with BOM or CP932, as the plan importer reads it
        grids = [read_csv_grid(path, name=name)]
    else:  # calamine; a workbook with formulas goes to openpyxl, which names them
        grids = read_xlsx_fast(path, name=name)
    tables, notes = _register_sheets(grids, name)
    rows = RegisterRows(notes=notes)
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for grid, header in tables:
        sheet_department = grid.name if len(tables) > 1 and names_a_department(grid.name) else ""
        _read_sheet(grid, header, confirm_segments=confirm_segments, sheet_department=sheet_department,
                    rows=rows, seen=seen, problems=problems)
    if problems:
        raise InputRejected(problems)
    return rows


def _read_sheet(grid: Grid, header: list[int], *, confirm_segments: bool, sheet_department: str,
                rows: RegisterRows, seen: dict[str, str], problems: list[Problem]) -> None:
    cols = read_columns(grid, header)
    colmap = cols.items
    where = f"{grid.name}!{header[0]}行目" if len(header) == 1 else f"{grid.name}!{header[0]}〜{header[-1]}行目"
    sheet_problems = cols.problems + [
        Problem(where, f"必須の列「{n}」がありません")
        for key, n, _a, req in COLUMNS
        if req and key not in colmap
    ]
    rows.notes += cols.notes
    if sheet_problems:
        problems += sheet_problems
        return
    header_row = header[-1]
    for r, c in grid.formulas:
        if r > header_row:
            problems.append(Problem(grid.ref(r, c), "数式は受け付けません。値として貼り付けてから保存してください"))
    cost_cols = {c for cs in cols.costs.values() for c in cs}
    department_given = "department" in colmap
    heading_department = ""
    if sheet_department and not department_given:
        rows.notes.append(f"シート「{grid.name}」: 所管所属の列がないため、シート名「{grid.name}」を所管所属として読みます")
    skipped_headings: list[str] = []
    for r in range(header_row + 1, grid.max_row + 1):
        if not any(grid.text(r, c, fill_merged=False) for c in (*colmap.values(), *cost_cols)):
            continue
        kind, label = row_kind(grid, r, costs=cost_cols)
        if kind in ("total", "note"):
            continue  # 「合計」「総務部 小計」 row or 「※…」 note (merged across the table too): no system
        if kind == "heading":
            if not department_given and names_a_department(label):
                heading_department = label
                rows.notes.append(f"{grid.name}!{r}行目「{grid.text(r, min(grid.row_texts(r, fill_merged=False)))}」: "
                                  f"部局の見出しとして、下の行のシステムの所管所属を「{label}」と読みます")
            else:  # 「【基幹系】」「【その他】」: not a department; the rows under it are no longer the last department's
                skipped_headings.append(f"{r}行目「{label}」")
                heading_department = ""
            continue
        name, ref = cell_text(grid.value(r, colmap["name"])), grid.ref(r, colmap["name"])
        if not name:
            problems.append(Problem(ref, "システム名が空欄です"))
        elif name in seen:
            problems.append(Problem(ref, f"システム名「{name}」が重複しています（{seen[name]}）"))
        else:
            seen[name] = ref
        row = _read_row(grid, r, cols, confirm_segments=confirm_segments, problems=problems)
        if not department_given:
            row.department = heading_department or sheet_department
        rows.append(row)
    if skipped_headings:
        rows.notes.append(f"{grid.name}: 見出しの行（{'、'.join(skipped_headings)}）はシステムではないため読みません"
                          + ("" if department_given else f"（部局名ではないため、その下の行の所管所属は{sheet_department or '空欄'}）"))


def _read_row(grid: Grid, r: int, cols: SheetColumns, *, confirm_segments: bool, problems: list[Problem]) -> SystemRow:
    colmap = cols.items
    raw = {k: grid.value(r, c) for k, c in colmap.items()}
    refs = {k: grid.ref(r, c) for k, c in colmap.items()}
    text = {k: cell_text(v) for k, v in raw.items()}
    segment, problem = read_segment(text["segment"], confirm=confirm_segments)
    if problem:
        problems.append(Problem(refs["segment"], problem))
    hosting = HOSTINGS.get(normalize(text["hosting"]))
    if hosting is None:
        problems.append(Problem(refs["hosting"], f"設置形態「{text['hosting']}」を解釈できません（{'、'.join(h.label for h in Hosting)}）"))
    retired_on = _date(raw.get("retired_on"), refs.get("retired_on", ""), end=True, problems=problems)
    if "state" in text:
        state = read_state(text["state"])
        if state is None:
            problems.append(Problem(refs["state"], state_problem(text["state"])))
        elif normalize(text["state"]) in PLANNED_STATES and retired_on is not None:
            problems.append(Problem(refs["retired_on"], f"状態「{text['state']}」のシステムはまだ稼働中です。台帳の廃止日には"
                                                        "廃止した日だけを記入します（予定日は備考へ）"))
            retired_on = None  # refused above; not asked again as 「廃止日があるのに状態が「稼働」です」
    else:  # a register without a 状態 column: what its 廃止日 says
        state = SystemState.RETIRED if cell_text(raw.get("retired_on")) else SystemState.ACTIVE
    facing_key = normalize(text.get("internet_facing", "")).lower()
    if facing_key not in _YES | _NO:
        problems.append(Problem(refs["internet_facing"], f"インターネット接続「{text['internet_facing']}」は ○ か × で記入してください"))
    if cols.fiscal_start:
        in_service = _fiscal_start(raw["in_service_on"], refs["in_service_on"], problems)
    else:
        in_service = _date(raw["in_service_on"], refs["in_service_on"], end=False, problems=problems)
    if raw["in_service_on"] is None or text["in_service_on"] == "":
        problems.append(Problem(refs["in_service_on"], "稼働開始日が空欄です"))
    row = SystemRow(
        where=f"{grid.name}!{r}行目", refs=refs, name=text["name"], department=text.get("department", ""),
        purpose=text.get("purpose", ""), segment=segment or "", hosting=hosting or "",
        internet_facing=facing_key in _YES, in_service_on=in_service, retired_on=retired_on,
        contract_end=_contract_end(raw, refs, problems), state=state or "", successor=text.get("successor", ""),
        note=text.get("note", ""),
    )
    for fy, cost_cols in cols.costs.items():
        amounts = []
        for c in cost_cols:
            v = grid.value(r, c)
            if is_no_value(v):
                continue  # blank, 「－」「-」「未定」: no amount that year
            try:
                amount = _amount_yen(v, cols.units.get(c, 1))
            except ValueError as exc:
                problems.append(Problem(grid.ref(r, c), str(exc)))
                continue
            if amount < 0:
                problems.append(Problem(grid.ref(r, c), "運用経費が負の値です"))
            amounts.append(amount)
        if amounts:
            row.costs[fy] = sum(amounts)
    if segment and state:
        for fld, msg in system_problems(
            segment=segment, internet_facing=row.internet_facing, state=state,
            in_service_on=row.in_service_on, retired_on=row.retired_on, successor_name=row.successor,
        ):
            key = next(k for k, n in NAMES.items() if n == fld)
            problems.append(Problem(refs.get(key, row.where), msg))
    return row


def _fy_header(fy: int) -> str:
    return f"運用経費 {fy}年度（円）"


def register_workbook_bytes(records: list[dict[str, object]], years: list[int], *, organization: str = "") -> bytes:
    """Write register ``records`` (keys: the column keys above, display labels for segment/hosting/
    state, ``internet_facing`` bool, dates as ``date``, ``costs`` {fiscal_year: yen}) as a workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [n for _k, n, _a, _r in COLUMNS] + [_fy_header(y) for y in years]
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        cell = ws.cell(row=1, column=c)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = 14 if c > 3 else 30
    for rec in records:
        costs = rec.get("costs") or {}
        values = []
        for key, _n, _a, _r in COLUMNS:
            v = rec.get(key)
            if key == "internet_facing":
                v = "○" if v else "×"
            values.append("" if v is None and key not in ("in_service_on", "retired_on", "contract_end") else v)
        ws.append([cell_value(v) for v in [*values, *[costs.get(y) for y in years]]])  # type: ignore[union-attr]
    for row in ws.iter_rows(min_row=2):
        for cell in row[6:9]:
            cell.number_format = "yyyy-mm-dd"
        for cell in row[len(COLUMNS):]:
            cell.number_format = "#,##0"
    ws.freeze_panes = "B2"
    apply_print_setup(ws, title_rows="1:1", header_text=f"{organization}　情報システム台帳".strip("　"))
    neutralize_workbook(wb)  # register text such as "=cmd|…" stays text (issue #14)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
