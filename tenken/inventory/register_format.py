"""The register workbook (情報システム一覧, or a CSV): a header of 1–3 rows (:mod:`.register_header`), one system per
row, one cost column per year; a 契約期間 range gives the 契約・リース満了日 (:mod:`.register_period`).

Columns are found by header text (a city's names too: システム名称, 所管課, 系統). Cost columns are headed
``運用経費 2013年度（円）``, ``H25年度運用経費(円)`` or ``運用経費 R4年度（千円）``: any header containing 運用経費
(運用費, 維持管理費 …) and a fiscal year; 千円/万円/百万円 in the header are converted to yen. The informal
segment names 基幹系 / 内部情報系 are read as マイナンバー利用事務系 / LGWAN接続系 only once confirmed. Dates may be Excel dates or
text in 西暦/和暦 (``2013-04-01``, ``H25.4``, ``R2年度末``); for 稼働開始日 a month means its first day, for
廃止日 and 契約・リース満了日 its last day. インターネット接続 takes ○/はい/有/TRUE or ×/いいえ/無/FALSE/blank.
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
from tenken.common.text import cell_text, normalize
from tenken.common.wareki import (
    WarekiError,
    fiscal_year_label,
    format_date_short,
    parse_date,
    parse_fiscal_year,
)
from tenken.imports.workbook import read_csv_grid
from tenken.imports.years import year_of_header
from tenken.spreadsheets.grid import Grid, read_xlsx_fast
from tenken.spreadsheets.neutralize import cell_value, neutralize_workbook
from tenken.spreadsheets.printing import apply_print_setup

from .models import Hosting, Segment, SystemState
from .register_header import COST_WORDS, END_WORDS, START_WORDS, column_parts, find_header_rows, unit_note
from .register_period import parse_period
from .rules import system_problems

SHEET = "情報システム一覧"
COLUMNS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("name", "システム名", ("システム名", "名称", "システム名称", "情報システム名", "業務システム名"), True),
    ("department", "所管所属", ("所管所属", "所属", "担当所属", "所管課", "担当課", "所管部署"), False),
    ("purpose", "目的・概要", ("目的・概要", "目的", "概要"), False),
    ("segment", "ネットワーク区分", ("ネットワーク区分", "区分", "ネットワーク", "系統", "接続区分", "セグメント"), True),
    ("hosting", "設置形態", ("設置形態", "形態", "設置場所", "設置区分", "運用形態", "設置方法", "導入形態"), True),
    ("internet_facing", "インターネット接続", ("インターネット接続",), False),
    ("in_service_on", "稼働開始日", ("稼働開始日", "稼働日", "稼働開始", "稼働年月日", "稼働開始年月日", "運用開始日",
                                     "運用開始", "導入年月日", "導入日"), True),
    ("retired_on", "廃止日", ("廃止日",), False),
    ("contract_end", "契約・リース満了日", ("契約・リース満了日", "契約満了日", "リース満了日"), False),
    ("state", "状態", ("状態", "稼働状況"), False),  # absent: 廃止 with a 廃止日, otherwise 稼働
    ("successor", "統合先システム", ("統合先システム", "統合先"), False),
    ("note", "備考", ("備考",), False),
)
# Read but not written back: 契約期間 「R3.4.1～R8.3.31」 gives the 契約・リース満了日 (the model keeps no start).
_PERIOD_ALIASES = ("契約期間", "リース期間", "契約・リース期間", "契約(リース)期間", "契約期間(リース期間)", "契約・リース期間")
_ALIASES = {normalize(a): key for key, _n, aliases, _r in COLUMNS for a in aliases} | {
    normalize(a): "period" for a in _PERIOD_ALIASES}
_NAMES = {key: name for key, name, _a, _r in COLUMNS}
_FY_IN_HEADER = re.compile(r"(\d{4}|(?:明治|大正|昭和|平成|令和|[MTSHR])(?:元|\d{1,2}))年度")

_SEGMENTS = {normalize(k): v for v, ks in {
    Segment.MYNUMBER: ("マイナンバー利用事務系", "マイナンバー系", "個人番号利用事務系"),
    Segment.LGWAN: ("LGWAN接続系", "LGWAN系"),
    Segment.INTERNET: ("インターネット接続系", "インターネット系"),
}.items() for k in ks}
# Informal names of the three-layer model's segments: read only once the user confirms the reading.
_READINGS: tuple[tuple[str, Segment], ...] = (
    ("基幹系", Segment.MYNUMBER), ("基幹系システム", Segment.MYNUMBER), ("内部情報系", Segment.LGWAN),
    ("情報系", Segment.LGWAN), ("LGWAN", Segment.LGWAN), ("インターネット", Segment.INTERNET),
)
SEGMENT_READINGS = {normalize(k): v for k, v in _READINGS}
CONFIRM_SEGMENTS_LABEL = "区分の読み替えを確認しました"


def segment_readings() -> list[tuple[str, str]]:
    """The proposed readings (informal name, segment label) that are used only once confirmed: shown
    beside the 「区分の読み替えを確認しました」 checkbox of the upload form."""
    return [(k, Segment(v).label) for k, v in _READINGS]
_COST_WORDS = COST_WORDS
_TOTALS_HEAD = ("合計", "小計", "計", "総計", "増減", "差額", "前年比", "前年度比")
_UNITS = (("千円", 1000), ("万円", 10000), ("百万円", 1000000))
_HOSTINGS = {normalize(k): v for v, ks in {
    Hosting.ON_PREMISES: ("庁舎内設置", "オンプレミス", "庁内設置", "庁舎内", "庁内", "本庁舎", "オンプレ", "自庁設置"),
    Hosting.DATA_CENTRE: ("データセンター", "DC", "外部データセンター", "データセンタ"),
    Hosting.CLOUD: ("クラウド", "SaaS", "ASP", "ガバメントクラウド", "クラウド(SaaS)", "クラウドサービス"),
    Hosting.PACKAGE: ("パッケージ",),
}.items() for k in ks}
_STATES = {normalize(s.label): s.value for s in SystemState}
_YES = {"○", "〇", "はい", "有", "あり", "true", "1", "yes"}
_NO = {"", "×", "いいえ", "無", "なし", "false", "0", "no", "-"}


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


def _unit(head: str) -> int:
    """Yen per unit of a cost column: 「運用経費 R4（千円）」 → 1000."""
    for word, factor in sorted(_UNITS, key=lambda u: -len(u[0])):
        if word in head:
            return factor
    return 1


_UNIT_NAMES = {1: "円", **{factor: word for word, factor in _UNITS}}
_AMOUNT = re.compile(r"([-+]?\d+(?:\.\d+)?)(" + "|".join(sorted(_UNIT_NAMES.values(), key=len, reverse=True)) + ")?")


def _amount_yen(value: object, factor: int) -> int:
    """An amount in its header's unit (``factor`` yen each), in yen: a number cell as it is, or text
    「1,234」「１，２００」「1,300,000円」 (NFKC, separators dropped). A unit written in the cell must be the header's:
    「1,234円」 under 「（千円）」 is refused rather than read as 1,234千円. Raises :class:`ValueError` with the
    Japanese message, for NaN and infinity too."""
    unit = _UNIT_NAMES[factor]
    if isinstance(value, int | float):
        number = float(value)
    else:
        m = _AMOUNT.fullmatch(normalize(str(value)).replace(",", "").replace("、", ""))
        if m is not None and m.group(2) and m.group(2) != unit:
            raise ValueError(f"運用経費「{value}」の単位（{m.group(2)}）が列見出しの単位（{unit}）と異なります。"
                             f"{unit}単位の数値で記入するか、列見出しの単位を直してください")
        number = float(m.group(1)) if m is not None else math.nan
    if not math.isfinite(number * factor):
        raise ValueError(f"運用経費「{value}」は{unit}単位の数値で記入してください")
    return round(number * factor)


_TOTALS = {"合計", "小計", "総計", "計", "総合計"}


def _summary_or_note(text: dict[str, str]) -> bool:
    """A 合計/小計 row or a note (「※…」「注）…」) under the table: nothing but its first cell and amounts."""
    name = normalize(text.get("name", ""))
    others = [v for k, v in text.items() if k != "name" and v]
    if others:
        return False
    return name in _TOTALS or name.startswith(("※", "注)", "(注)", "注:"))


def _key_of(text: str) -> str | None:
    return _ALIASES.get(normalize(text))


def _fiscal_year_in(part: str) -> int | None:
    m = _FY_IN_HEADER.search(normalize(part))
    if m is not None:
        return parse_fiscal_year(m.group(1))
    found = year_of_header(part)
    return found[0] if found else None


def _column_key(parts: list[str]) -> str | None:
    """The column a header names, the part nearest the data first; 「開始」「終了」 under 「契約期間」."""
    keys = [k for p in reversed(parts) if (k := _key_of(p))]
    bottom = normalize(parts[-1]).strip("()（）")
    if "period" in keys and bottom in START_WORDS:
        return "period_start"
    if "period" in keys and bottom in END_WORDS:
        return "period_end"
    return keys[0] if keys else None


def _columns(grid: Grid, header: list[int]) -> tuple[dict[str, int], dict[int, int], dict[int, int], list[Problem]]:
    """``(columns by key, cost column by fiscal year, yen per unit by fiscal year, problems)`` of the header rows."""
    colmap: dict[str, int] = {}
    costcols: dict[int, int] = {}
    units: dict[int, int] = {}
    problems: list[Problem] = []
    bottom = header[-1]
    note = unit_note(grid, header)  # 「（単位：千円）」 over the table: for a cost header that names no unit
    default_unit = _unit(note) if note else 1
    for c in range(1, grid.max_col + 1):
        parts = column_parts(grid, header, c, _key_of)
        if not parts:
            continue
        k = _column_key(parts)
        shown = "」「".join(parts)
        if k and k not in colmap:
            colmap[k] = c
        elif any(w in normalize(p) for p in parts for w in _COST_WORDS):
            fy = next((y for p in reversed(parts) if (y := _fiscal_year_in(p)) is not None), None)
            if fy is None:
                if normalize(parts[-1]).strip("()（）") in _TOTALS_HEAD:
                    continue  # 「合計」 beside the years: a sum of the cells on its row, not a year's cost
                problems.append(Problem(grid.ref(bottom, c), f"列見出し「{shown}」から年度が読み取れません"))
                continue
            if fy in costcols:
                problems.append(Problem(grid.ref(bottom, c), f"列見出し「{shown}」: {fy}年度（{fiscal_year_label(fy)}）の"
                                        f"運用経費の列が二つあります（{get_column_letter(costcols[fy])}列と"
                                        f"{get_column_letter(c)}列）。一つにしてください"))
                continue
            costcols[fy] = c
            units[fy] = next((_unit(normalize(p)) for p in reversed(parts) if "円" in p), default_unit)
    return colmap, costcols, units, problems


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


def read_register(path: Path | str, *, name: str | None = None, confirm_segments: bool = False) -> list[SystemRow]:
    """Read and check a register workbook; raise :class:`InputRejected` with every problem.

    Cost columns in 千円 or 万円 (said in the header) are converted to yen. Informal segment names
    (基幹系, 内部情報系 …, :data:`SEGMENT_READINGS`) are read as the three-layer segments only with
    ``confirm_segments``; otherwise each is a located question naming the proposed reading.
    """
    path = Path(path)
    name = name or path.name
    if path.suffix.lower() == ".csv":  # UTF-8, UTF-8 with BOM or CP932, as the plan importer reads it
        grids = [read_csv_grid(path, name=name)]
    else:  # calamine; a workbook with formulas goes to openpyxl, which names them
        grids = read_xlsx_fast(path, name=name)
    grid = next((g for g in grids if g.name == SHEET), grids[0] if grids else None)
    if grid is None:
        raise InputRejected(Problem(name, "シートがありません"))
    header = find_header_rows(grid, _key_of)
    if not header:
        raise InputRejected(Problem(f"{grid.name}", "見出し行（「システム名」の列）が見つかりません"))
    colmap, costcols, units, problems = _columns(grid, header)
    where = f"{grid.name}!{header[0]}行目" if len(header) == 1 else f"{grid.name}!{header[0]}〜{header[-1]}行目"
    problems += [
        Problem(where, f"必須の列「{n}」がありません")
        for key, n, _a, req in COLUMNS
        if req and key not in colmap
    ]
    if problems:
        raise InputRejected(problems)
    header_row = header[-1]
    for r, c in grid.formulas:
        if r > header_row:
            problems.append(Problem(grid.ref(r, c), "数式は受け付けません。値として貼り付けてから保存してください"))
    rows: list[SystemRow] = []
    seen: dict[str, str] = {}
    for r in range(header_row + 1, grid.max_row + 1):
        raw = {k: grid.value(r, c) for k, c in colmap.items()}
        if all(cell_text(v) == "" for v in raw.values()) and all(grid.value(r, c) is None for c in costcols.values()):
            continue
        refs = {k: grid.ref(r, c) for k, c in colmap.items()}
        text = {k: cell_text(v) for k, v in raw.items()}
        if _summary_or_note(text):
            continue  # 「合計」 row or 「※…」 note under the table: no system
        if not text["name"]:
            problems.append(Problem(refs["name"], "システム名が空欄です"))
        elif text["name"] in seen:
            problems.append(Problem(refs["name"], f"システム名「{text['name']}」が重複しています（{seen[text['name']]}）"))
        else:
            seen[text["name"]] = refs["name"]
        segment = _SEGMENTS.get(normalize(text["segment"]))
        reading = SEGMENT_READINGS.get(normalize(text["segment"]))
        if segment is None and reading is not None:
            if confirm_segments:
                segment = reading
            else:
                label = Segment(reading).label
                problems.append(Problem(refs["segment"], f"ネットワーク区分「{text['segment']}」は「{label}」と読めます。"
                                                         "この読み替えでよければ確認して取り込んでください"
                                                         f"（画面では「{CONFIRM_SEGMENTS_LABEL}」にチェック、"
                                                         "コマンドでは --confirm-segments）"))
        elif segment is None:
            problems.append(Problem(refs["segment"], f"ネットワーク区分「{text['segment']}」を解釈できません（{'、'.join(s.label for s in Segment)}）"))
        hosting = _HOSTINGS.get(normalize(text["hosting"]))
        if hosting is None:
            problems.append(Problem(refs["hosting"], f"設置形態「{text['hosting']}」を解釈できません（{'、'.join(h.label for h in Hosting)}）"))
        if "state" in text:
            state = _STATES.get(normalize(text["state"]))
            if state is None:
                problems.append(Problem(refs["state"], f"状態「{text['state']}」を解釈できません（稼働、廃止、統合）"))
        else:  # a register without a 状態 column: what its 廃止日 says
            state = SystemState.RETIRED if cell_text(raw.get("retired_on")) else SystemState.ACTIVE
        facing_key = normalize(text.get("internet_facing", "")).lower()
        if facing_key not in _YES | _NO:
            problems.append(Problem(refs["internet_facing"], f"インターネット接続「{text['internet_facing']}」は ○ か × で記入してください"))
        in_service = _date(raw["in_service_on"], refs["in_service_on"], end=False, problems=problems)
        if raw["in_service_on"] is None or text["in_service_on"] == "":
            problems.append(Problem(refs["in_service_on"], "稼働開始日が空欄です"))
        row = SystemRow(
            where=f"{grid.name}!{r}行目",
            refs=refs,
            name=text["name"],
            department=text.get("department", ""),
            purpose=text.get("purpose", ""),
            segment=segment or "",
            hosting=hosting or "",
            internet_facing=facing_key in _YES,
            in_service_on=in_service,
            retired_on=_date(raw.get("retired_on"), refs.get("retired_on", ""), end=True, problems=problems),
            contract_end=_contract_end(raw, refs, problems),
            state=state or "",
            successor=text.get("successor", ""),
            note=text.get("note", ""),
        )
        for fy, c in costcols.items():
            v = grid.value(r, c)
            if v is None or cell_text(v) == "":
                continue
            try:
                amount = _amount_yen(v, units.get(fy, 1))
            except ValueError as exc:
                problems.append(Problem(grid.ref(r, c), str(exc)))
                continue
            if amount < 0:
                problems.append(Problem(grid.ref(r, c), "運用経費が負の値です"))
            row.costs[fy] = amount
        if segment and state:
            for fld, msg in system_problems(
                segment=segment, internet_facing=row.internet_facing, state=state,
                in_service_on=row.in_service_on, retired_on=row.retired_on, successor_name=row.successor,
            ):
                key = next(k for k, n in _NAMES.items() if n == fld)
                problems.append(Problem(refs.get(key, row.where), msg))
        rows.append(row)
    if problems:
        raise InputRejected(problems)
    return rows


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
