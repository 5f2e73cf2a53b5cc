"""Reading a plan's initiative list (the 別紙 layout) from .xlsx or .csv into located rows.

The workbook is read as an office keeps it: a title row, a two-row header (``計画上の位置づけ`` over
``大項目 / 中項目 / 小項目``), merged cells carrying 大項目/中項目/小項目 down, heading rows with no
result. Columns are found by their header text, not their position. Every value keeps the cell (or CSV
line and column) it came from, so later validation can name it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl.utils import get_column_letter

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import cell_text, nfkc, normalize
from tenken.common.wareki import WarekiError, parse_fiscal_year
from tenken.spreadsheets.csvfile import read_csv
from tenken.spreadsheets.grid import Grid, read_xlsx, read_xlsx_fast


@dataclass(frozen=True)
class Column:
    key: str
    name: str  # the canonical Japanese header, used in messages
    aliases: tuple[str, ...]
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("policy", "大項目", ("大項目", "方針"), True),
    Column("item", "中項目", ("中項目", "取組項目"), True),
    Column("subitem", "小項目", ("小項目",), False),
    Column("parent", "上位の取組", ("上位の取組", "見出し"), False),
    Column("label", "取組No", ("取組No", "取組NO", "取組番号", "No", "番号"), True),
    Column("text", "取組内容", ("取組内容", "取組"), True),
    Column("status", "取組の実施結果", ("取組の実施結果", "実施結果", "点検結果"), True),
    Column("reason", "変更の理由", ("変更の理由", "変更理由", "理由"), False),
    Column("departments", "担当所属", ("担当所属", "所属", "担当課"), False),
    Column("note", "備考", ("備考", "note"), False),
)
_ALIASES = {normalize(a).lower(): c.key for c in COLUMNS for a in c.aliases}
# A result column per fiscal year: 「2019年度実施結果」「R元年度の実施結果」「平成30年度 取組の実施結果」.
_YEARLY = re.compile(r"^(?P<fy>\d{4}|(?:明治|大正|昭和|平成|令和|[MTSHR])(?:元|\d{1,2}))年度の?(?:取組の)?(?:実施結果|点検結果)$")
YEAR_PREFIX = "fy:"
_BY_KEY = {c.key: c for c in COLUMNS}
FIELDS = tuple(c.key for c in COLUMNS)


def column_key(header: object) -> str | None:
    """The field a header names: a key of :data:`COLUMNS`, or ``fy:2019`` for a yearly result column."""
    key = normalize(header)
    found = _ALIASES.get(key.lower())
    if found:
        return found
    m = _YEARLY.match(key)
    if m:
        try:
            return f"{YEAR_PREFIX}{parse_fiscal_year(m.group('fy'))}"
        except WarekiError:
            return None
    return None


def yearly_keys(keys: Iterable[str]) -> list[str]:
    return sorted(k for k in keys if k.startswith(YEAR_PREFIX))


def missing_required(keys: Iterable[str]) -> list[Column]:
    """Required columns absent from ``keys``; yearly result columns stand in for 取組の実施結果."""
    keys = set(keys)
    has_yearly = bool(yearly_keys(keys))
    return [c for c in COLUMNS if c.required and c.key not in keys and not (c.key == "status" and has_yearly)]


@dataclass
class SourceRow:
    """One data row. ``refs[field]`` locates each value, ``where`` the row as a whole."""

    where: str
    refs: dict[str, str]
    values: dict[str, str]
    yearly: dict[int, str] = field(init=False)  # {fiscal_year: text} of the yearly result cells written
    outcomes: dict[int | None, str] = field(default_factory=dict)  # 実績・成果 per fiscal year (None: final)

    def __post_init__(self) -> None:
        self.yearly = {
            int(k[len(YEAR_PREFIX):]): v for k, v in self.values.items() if v and k.startswith(YEAR_PREFIX)
        }

    def __getattr__(self, key: str) -> str:
        if key in FIELDS:
            return self.values.get(key, "")
        raise AttributeError(key)

    @property
    def has_result(self) -> bool:
        return bool(self.values.get("status")) or bool(self.yearly)


@dataclass
class PlanSource:
    name: str
    rows: list[SourceRow]
    explicit_headings: bool  # True: heading rows are rows of their own (xlsx); False: via 上位の取組 (csv)
    problems: list[Problem] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # 団体コード / 計画名 / 計画期間 written above the header
    warnings: list[Problem] = field(default_factory=list)  # values restored (a label Excel made a date)
    has_items: bool = True  # False: initiatives sit directly under their 方針 (no 取組項目 level)


def read_plan_file(path: Path | str, *, name: str | None = None, fast: bool = False) -> PlanSource:
    """Dispatch on the file's suffix; .xlsx and .csv are accepted (others are refused by name).

    ``fast`` reads workbooks with python-calamine instead of openpyxl (same checks, same errors).
    """
    path = Path(path)
    name = name or path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_plan_csv(path, name=name)
    if suffix in (".xlsx", ".xlsm", ".xltm", ".xlam", ".xlsb", ".xls"):
        return read_plan_xlsx(path, name=name, fast=fast)
    raise InputRejected(Problem(name, f"対応していない形式（{suffix or '拡張子なし'}）です。.xlsx または .csv を指定してください"))


# --- xlsx -----------------------------------------------------------------------------------------

def _find_header(grid: Grid) -> tuple[int, dict[str, int], int] | None:
    """``(header_row, {field: column}, first_data_row)`` or ``None`` if this sheet has no header."""
    for r in range(1, min(grid.max_row, 20) + 1):
        top = {c: column_key(grid.value(r, c, fill_merged=False)) for c in range(1, grid.max_col + 1)}
        found = {k for k in top.values() if k}
        if yearly_keys(found):
            found.add("status")
        if len(found & {"label", "text", "status"}) < 2:
            continue  # a header has at least two of 取組No / 取組内容 / 取組の実施結果
        below = {c: column_key(grid.value(r + 1, c, fill_merged=False)) for c in range(1, grid.max_col + 1)}
        two_rows = any(below.values())
        colmap: dict[str, int] = {}
        for c in range(1, grid.max_col + 1):
            key = (below.get(c) if two_rows else None) or top.get(c)
            if key and key not in colmap:
                colmap[key] = c
        return r, colmap, r + (2 if two_rows else 1)
    return None


META_KEYS = ("団体コード", "計画名", "計画期間")


def _meta(grid: Grid, header_row: int) -> dict[str, str]:
    """Label/value pairs above the header, e.g. 「計画期間」「2019-2023」 in two adjacent cells."""
    out: dict[str, str] = {}
    for r in range(1, header_row):
        for c in range(1, grid.max_col + 1):
            key = normalize(grid.cells.get((r, c)))
            if key in META_KEYS:
                out[key] = cell_text(grid.value(r, c + 1))
    return out


def read_plan_xlsx(path: Path, *, name: str, fast: bool = False) -> PlanSource:
    """Every visible sheet with a header is read, in workbook order (a plan kept one sheet per 方針)."""
    grids = read_xlsx_fast(path, name=name) if fast else read_xlsx(path, name=name)
    found_any = [(grid, found) for grid in grids if (found := _find_header(grid)) is not None]
    if not found_any:
        raise InputRejected(Problem(name, "見出し行（「取組No」「取組内容」「取組の実施結果」の列）が見つかりません"))
    problems = [
        Problem(f"{grid.name}!{header_row}行目", f"必須の列「{c.name}」がありません")
        for grid, (header_row, colmap, _first) in found_any
        for c in missing_required(colmap)
    ]
    if problems:
        raise InputRejected(problems)
    rows: list[SourceRow] = []
    warnings: list[Problem] = []
    for grid, (_hr, colmap, first) in found_any:
        _read_sheet_rows(grid, colmap, first, rows, problems, warnings)
    grid, (header_row, _colmap, _first) = found_any[0]
    return PlanSource(name=name, rows=rows, explicit_headings=True, problems=problems,
                      meta=_meta(grid, header_row), warnings=warnings)


def _read_sheet_rows(
    grid: Grid, colmap: dict[str, int], first: int, rows: list[SourceRow], problems: list[Problem],
    warnings: list[Problem],
) -> None:
    used_cols = set(colmap.values())
    for r, c in grid.formulas:
        if r >= first and c in used_cols:
            problems.append(Problem(grid.ref(r, c), "数式は受け付けません。値として貼り付けてから保存してください"))
    carried = {"policy": "", "item": ""}
    prefix = f"{grid.name}!"
    letters = {k: get_column_letter(c) for k, c in colmap.items()}
    label_col = colmap.get("label")
    for r in range(first, grid.max_row + 1):
        values = {k: cell_text(grid.value(r, c)) for k, c in colmap.items()}
        own = [k for k, c in colmap.items() if grid.value(r, c, fill_merged=False) is not None]
        if not own:
            continue  # blank row, or only the continuation of merged cells
        if label_col is not None:
            restored = restore_excel_label(grid.value(r, label_col))
            if restored is not None:
                values["label"], original = restored
                warnings.append(Problem(grid.ref(r, label_col), dated_label_message(original, values["label"])))
        for key in ("policy", "item"):
            # An office often leaves 大項目/中項目 blank below the first row instead of merging.
            if values[key]:
                if key == "policy" and values[key] != carried["policy"]:
                    carried["item"] = ""
                carried[key] = values[key]
            else:
                values[key] = carried[key]
        refs = {k: f"{prefix}{letter}{r}" for k, letter in letters.items()}
        rows.append(SourceRow(where=f"{grid.name}!{r}行目", refs=refs, values=values))


def restore_excel_label(value: object) -> tuple[str, str] | None:
    """``(label, original)`` when Excel turned a typed label such as ``3-1`` into a date, else ``None``.

    Excel reads ``3-1`` or ``1/2`` as 3月1日 / 1月2日 of the current year; the label is month-day.
    """
    if isinstance(value, datetime) and value.hour == value.minute == value.second == 0:
        return f"{value.month}-{value.day}", value.date().isoformat()
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value.month}-{value.day}", value.isoformat()
    return None


# The text Excel writes for the date it made of a typed label, when the file is saved as CSV or the value pasted
# as text: 「1月2日」 (Japanese Excel's display of 1-2), 「2024/3/1」「2024-03-01」「2024年3月1日」 (3-1 in the year it
# was typed), a midnight time at most. A label written 「1-2」「1/2」 (no year, no 月日) is no date.
_DATED_TEXT = re.compile(
    r"^(?:(?:19|20)\d{2}\s*(?:(?P<s>[/.\-])\s*(?P<m1>\d{1,2})\s*(?P=s)\s*(?P<d1>\d{1,2})|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日)"
    r"(?:\s+0?0:00(?::00)?)?|(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日)$"
)


def dated_label_text(value: object) -> tuple[str, str] | None:
    """``(label, original)`` when a label's text is the date Excel made of it (「1月2日」 → ``("1-2", "1月2日")``,
    「2024/3/1」 → ``("3-1", …)``), else ``None``. Whether to restore it depends on the other labels of the
    column (tenken.imports.preview): this only reads the one text."""
    if not isinstance(value, str):
        return None
    m = _DATED_TEXT.match(nfkc(value))
    if m is None:
        return None
    month = int(m.group("m1") or m.group("m2") or m.group("m3"))
    day = int(m.group("d1") or m.group("d2") or m.group("d3"))
    try:
        date(2000, month, day)  # a leap year: 2月29日 is a date
    except ValueError:
        return None
    return f"{month}-{day}", value.strip()


def dated_label_message(original: str, label: str) -> str:
    return (f"取組No が日付（{original}）になっていたため「{label}」として取り込みました。"
            "違う場合はセルを文字列にして取り込み直してください")


def dated_label_kept_message(original: str, label: str) -> str:
    """A label written as a date (「2024/3/1」) in a column whose other labels are no numbered outline (「A-1」
    「DX-01」): kept as written, shown at its cell."""
    return (f"取組No「{original}」は日付の形です。Excel が「{label}」のような番号を日付に変えたものかもしれませんが、"
            "この列のほかの取組No が 1-1 のような番号ではないため、書かれたとおり取り込みました。"
            "違う場合はセルを直して取り込み直してください")


# --- csv ------------------------------------------------------------------------------------------

def read_plan_csv(path: Path, *, name: str) -> PlanSource:
    header, lines = read_csv(path, name=name)
    colmap: dict[str, int] = {}
    for i, h in enumerate(header):
        key = column_key(h)
        if key and key not in colmap:
            colmap[key] = i
    missing = missing_required(colmap)
    if missing:
        raise InputRejected([Problem(f"{name}:1行目", f"必須の列「{c.name}」がありません") for c in missing])
    rows = []
    for line, cells in lines:
        values = {k: (cells[i].strip() if i < len(cells) else "") for k, i in colmap.items()}
        refs = {k: f"{name}:{line}行目「{header[i]}」" for k, i in colmap.items()}
        rows.append(SourceRow(where=f"{name}:{line}行目", refs=refs, values=values))
    return PlanSource(name=name, rows=rows, explicit_headings=False)


def column_name(key: str) -> str:
    return _BY_KEY[key].name


# --- structure (方針・取組項目の一覧) ---------------------------------------------------------------

@dataclass(frozen=True)
class StructureItem:
    policy: str
    code: str
    item: str


def read_structure_csv(path: Path | str, *, name: str | None = None) -> list[StructureItem]:
    """A list of 方針 / 記号 / 取組項目 rows (``items.csv`` has these columns) in plan order."""
    path = Path(path)
    name = name or path.name
    header, lines = read_csv(path, name=name)
    idx = {normalize(h): i for i, h in enumerate(header)}
    missing = [h for h in ("方針", "取組項目") if h not in idx]
    if missing:
        raise InputRejected([Problem(f"{name}:1行目", f"必須の列「{h}」がありません") for h in missing])
    out = []
    for line, cells in lines:
        def get(h: str, cells: list[str] = cells) -> str:
            i = idx.get(h)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        if not get("方針") or not get("取組項目"):
            raise InputRejected(Problem(f"{name}:{line}行目", "方針と取組項目は必須です"))
        out.append(StructureItem(get("方針"), get("記号"), get("取組項目")))
    return out
