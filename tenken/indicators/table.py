"""An indicator table (CSV or .xlsx) read into observations: long, wide, or both in one table.

Every sheet holding a table is read (or the one sheet named); the sheets without one, and the columns not read,
are notices with their reason (:class:`TableRead`). Headers are read by :mod:`tenken.indicators.headers`.

The header row is found (a title, a 作成日 line and blank rows above it are skipped): the first of the first
:data:`HEADER_SCAN` rows with an indicator-name column (``NAME_HEADERS``) and a unit, value or year column.
Columns are known by their header (:data:`HEADERS`); a header with a fiscal year (``R4``, ``2022年度``,
``R4実績``, ``目標値（R7）``) is a value of that year, of the kind its word says (基準・現状 / 目標 / 実績; a bare
year: the row's 種別, else 実績値). A 基準値 / 目標値 / 実績値 column without a year takes it from the cell
(``1,200（R2）``), else its own year column (基準年度 / 目標年度 / 実績年度), else the row's 年度 or 時点
(a long table), else it is refused where it is: never dropped.

Rows under the header: blank rows, a repeated header, ※ / 注） notes and 合計 / 小計 rows are skipped, and a
row with neither a name nor a value (a heading such as 「基本目標1」). In a wide table an indicator named on two rows
of one 区分 (「参加者数」 under two 施策) is refused at the second: two indicators are never merged by their name. With a 種別 / 区分 column, a row whose name
is blank continues the named row right above it when its 区分 is another (the name merged down, saved as CSV). Cells saying no value this year
(「未集計」「-」, blank: :func:`~tenken.indicators.cells.is_no_value`) give no observation.

A workbook passes :func:`~tenken.spreadsheets.safety.check_xlsx` first (macros, OLE, external links …
refused); formulas in the columns read are refused at their cell. Problems are located as ``kpi.csv:5「R4」``
(file:line「header」) or ``指標.xlsx KPI!D5「R4」`` (file sheet!cell「header」).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tenken.common.errors import Problem
from tenken.common.text import cell_text, normalize
from tenken.common.wareki import ParsedDate, WarekiError

from .cells import cell_date, cell_fiscal_when, cell_number, fiscal_end, is_no_value, percent_text, split_year
from .headers import HEADERS, KINDS, NAME_HEADERS, YEAR_HEADS, classify, header_role, is_value_header, unread
from .models import Observation
from .sheets import Sheet, read_book, read_sheets

__all__ = ["HEADERS", "KINDS", "NAME_HEADERS", "NOTE_MARKS", "TOTALS", "Column", "ObservationRow", "Sheet",
           "TableRead", "classify", "find_header", "read_observations", "read_sheets", "read_table"]

Kind = Observation.Kind
REQUIRED = ("指標", "単位", "値", "時点", "種別")
HEADER_SCAN = 30
TOTALS = frozenset({"合計", "小計", "総計", "計", "総合計", "平均", "全体"})
NOTE_MARKS = ("※", "注)", "(注", "注:", "注1", "注2", "注記:", "*", "出典:", "資料:", "備考:")


@dataclass(frozen=True)
class ObservationRow:
    location: str  # the value's place, kept as source_ref: kpi.csv:10, kpi.csv:5「R4」, 指標.xlsx KPI!D5「R4」
    name: str
    unit: str
    value: Decimal
    as_of: ParsedDate
    kind: Observation.Kind
    source: str
    note: str
    refs: Mapping[str, str] = field(default_factory=dict)  # 指標 / 単位 / 時点 / 値 → where that cell is

    def at(self, column: str) -> str:
        return self.refs.get(column) or f"{self.location}「{column}」"


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    head: str  # as written
    role: str  # name unit value kind as_of year source note figure figure_year
    kind: Kind | None = None
    year: int | None = None  # a figure column's year, from its header



# --- the header ---------------------------------------------------------------------------------------------

def _columns(cells: list[object]) -> list[Column]:
    out = []
    for i, v in enumerate(cells):
        head = " ".join(cell_text(v).split())  # 「令和4年度\n実績」 is shown as 「令和4年度 実績」
        found = classify(head)
        if found is not None:
            out.append(Column(i, head, *found))
    return out


def _is_header(columns: list[Column]) -> bool:
    roles = {c.role for c in columns}
    return "name" in roles and bool(roles & {"unit", "value", "figure"})


def _with_sub_header(header: list[object], below: list[object]) -> list[object] | None:
    """A two-row header: 「R4」 over 「目標」「実績」 (merged, or blank beside it in a CSV) → 「R4目標」「R4実績」."""
    words = {i: normalize(cell_text(v)) for i, v in enumerate(below) if cell_text(v)}
    if not words or any((header_role(w) or ("",))[0] != "figure" for w in words.values()):
        return None
    combined = list(header) + [None] * max(0, len(below) - len(header))
    last = ""
    for i in range(len(combined)):
        head = cell_text(combined[i])
        last = head or last
        if i in words:
            base = head or last
            found = classify(base)
            if found is None or found[0] != "figure" or found[2] is None or found[1] is not None:
                return None
            combined[i] = base + words[i]
    return combined


def find_header(sheet: Sheet) -> tuple[int, list[object], list[Column]] | None:
    """``(position in sheet.rows of the first data row, header cells, columns)``."""
    for pos, (_r, cells) in enumerate(sheet.rows[:HEADER_SCAN]):
        columns = _columns(cells)
        if _is_header(columns):
            if pos + 1 < len(sheet.rows):
                combined = _with_sub_header(cells, sheet.rows[pos + 1][1])
                if combined is not None:
                    return pos + 2, combined, _columns(combined)
            return pos + 1, cells, columns
    return None


NO_HEADER = ("見出し行が見つかりません。指標名の列（指標、指標名、KPI、成果指標 など）と、単位・値・年度の列を"
             "一つの行に書いてください")


@dataclass
class TableRead:
    rows: list[ObservationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # what was not read, and why (columns, sheets)


def read_table(path: Path | str, *, sheet: str | None = None) -> TableRead:
    """Every observation of every sheet holding an indicator table (or of ``sheet`` only), every problem, and a
    notice for each column and sheet that was not read."""
    path = Path(path)
    book = read_book(path, sheet=sheet)
    out = TableRead()
    skipped: list[Problem] = []
    for s in book.sheets:
        found = find_header(s)
        if found is None:
            why = "空のシート" if not s.rows else "指標の表がない（見出し行が見つかりません）"
            skipped.append(Problem(s.label, f"{why}ため、このシートは読みません"))
            continue
        reader = _TableReader(s, *found)
        rows, problems = reader.read()
        out.rows.extend(rows)
        out.problems.extend(problems)
        out.notices.extend(reader.notices)
    tables = len(book.sheets) - len(skipped)
    if not tables:
        if len(book.sheets) > 1 or (book.sheets and book.sheets[0].sheet is not None):
            out.problems.append(Problem(path.name, f"{NO_HEADER}（シート: {'、'.join(str(s.sheet) for s in book.sheets)}）"))
        else:
            out.problems.append(Problem(path.name, NO_HEADER))
        return out
    out.notices[:0] = [*skipped, *(Problem(f"{path.name} {h}", "非表示のシートのため読みません") for h in book.hidden)]
    return out


def read_observations(path: Path | str, *, sheet: str | None = None) -> tuple[list[ObservationRow], list[Problem]]:
    """Every observation of the sheets holding an indicator table (or of ``sheet``), and every problem."""
    found = read_table(path, sheet=sheet)
    return found.rows, found.problems


# --- the rows -------------------------------------------------------------------------------------------------

CONTINUATION_HINT = ("（指標名が空の行を上の行の続きとして読むのは、すぐ上の行と同じ指標の別の区分（目標・実績 など）の"
                     "行のときだけです）")


@dataclass
class _Above:
    """The named row a following row of another 区分 continues (its name and unit blank, merged in the sheet)."""

    row: int  # the last row of the run
    name: str
    unit: str
    name_ref: str
    unit_ref: str
    kinds: set[Kind]

class _TableReader:
    def __init__(self, sheet: Sheet, start: int, header: list[object], columns: list[Column]):
        self.sheet = sheet
        self.start = start
        self.header_row = sheet.rows[start - 1][0]
        self.header_texts = [cell_text(v) for v in header]
        self.one: dict[str, Column] = {}
        for c in columns:
            if c.role not in ("figure", "figure_year"):
                self.one.setdefault(c.role, c)
        self.figures = [c for c in columns if c.role == "figure"]
        self.figure_years: dict[Kind, Column] = {}
        for c in columns:
            if c.role == "figure_year" and c.kind is not None:
                self.figure_years.setdefault(c.kind, c)
        if "kind" not in self.one:
            found = self._kind_column(columns)
            if found is not None:
                self.one["kind"] = found
        self.read_columns = {c.index for c in (*self.one.values(), *self.figures, *self.figure_years.values())}
        self.problems: list[Problem] = []
        self.notices: list[Problem] = []  # columns not read, and why
        self.values = [c for c in columns if c.role == "value"]
        self._above: _Above | None = None  # the indicator of the row above, which a 目標/実績 row may continue
        self._names: dict[tuple[str, Kind | None], str] = {}  # a wide table's indicator (and 区分) → its first row
        self.unyeared: set[int] = set()  # year-less figure columns refused once at their header
        self._r = 0  # the row being read
        self._when_failed = False  # its 時点 / 年度 cell was refused

    def _kind_column(self, columns: list[Column]) -> Column | None:
        """A column not known by its header (区分, or none) holding only 目標 / 実績 / 基準値 …: a row's 種別."""
        known = {c.index for c in columns}
        width = max((len(cells) for _r, cells in self.sheet.rows[self.start:]), default=0)
        for i in range(width):
            if i in known:
                continue
            texts = {normalize(cell_text(cells[i])).lower() for _r, cells in self.sheet.rows[self.start:] if i < len(cells)}
            texts.discard("")
            if texts and texts <= set(KINDS):
                head = self.header_texts[i] if i < len(self.header_texts) and self.header_texts[i] else "種別"
                return Column(i, head, "kind")
        return None

    def read(self) -> tuple[list[ObservationRow], list[Problem]]:
        if not self._check_header():
            return [], self.problems
        out: list[ObservationRow] = []
        for r, cells in self.sheet.rows[self.start:]:
            out.extend(self._row(r, cells))
        return out, self.problems

    def _header_loc(self, col: Column | None = None) -> str:
        if col is None:
            return self.sheet.loc(self.header_row)
        return self.sheet.loc(self.header_row, col.index, col.head)

    def _check_header(self) -> bool:
        present = {"指標", *({"単位"} if "unit" in self.one else ()), *({"値"} if "value" in self.one else ()),
                   *({"時点"} if {"as_of", "year"} & set(self.one) else ()), *({"種別"} if "kind" in self.one else ())}
        if "value" not in self.one and not self.figures:
            missing = [c for c in REQUIRED if c not in present]
        elif "value" in self.one:
            missing = [c for c in ("時点", "種別") if c not in present]
        else:
            missing = []
        self._unread_columns()
        if self._ambiguous_value():
            return False
        if missing:
            self.problems.extend(Problem(self._header_loc(), f"列「{c}」がありません（必要な列: {','.join(REQUIRED)}）")
                                 for c in missing)
            return False
        for col in self.figures:
            if col.year is not None or col.kind in self.figure_years or "year" in self.one or "as_of" in self.one:
                continue
            if any(split_year(self._cell(cells, col.index))[1] for _r, cells in self.sheet.rows[self.start:]):
                continue  # the years are in the cells: a cell without one is refused where it is
            self.unyeared.add(col.index)
            kind_head = YEAR_HEADS[col.kind or Kind.ACTUAL]
            self.problems.append(Problem(self._header_loc(col), f"{col.head}の年度がわかりません。見出しに年度を書くか"
                                         f"（例: {col.head}（R2））、「{kind_head}」の列を設けるか、値に年度を添えてください"
                                         "（例: 1,200（R2））"))
        return True

    def _unread_columns(self) -> None:
        """A notice for each column not read (a forecast, a 達成率 …), and a question for a year column not understood."""
        plain: list[str] = []
        for i, head in enumerate(self.header_texts):
            if i in self.read_columns or any(c.index == i for c in self.values):
                continue
            head = " ".join(head.split())
            if not head:
                if any(cell_text(self._cell(cells, i)) for _r, cells in self.sheet.rows[self.start:]):
                    plain.append(f"{i + 1}列目（見出しなし）")
                continue
            why = unread(head)
            if why is None:
                plain.append(f"「{head}」")
            elif why.ask:
                self.problems.append(Problem(self.sheet.loc(self.header_row, i, head), why.reason))
            else:
                self.notices.append(Problem(self.sheet.loc(self.header_row, i, head), why.reason))
        if plain:
            self.notices.append(Problem(self._header_loc(), f"次の列は指標の値の列ではないため読みません: {'、'.join(plain)}"))

    def _ambiguous_value(self) -> bool:
        """Two value columns (「値」 and 「数値」), or 数値 / 実数 / 数量 beside year columns: which is the value?"""
        if not self.values:
            return False
        first, found = self.values[0], []
        for col in self.values[1:]:
            found.append(Problem(self._header_loc(col), f"値の列が「{first.head}」と「{col.head}」の二つあります。"
                                 "値の列を一つにしてください"))
        if self.figures and normalize(first.head) != "値" and is_value_header(first.head):
            found.append(Problem(self._header_loc(first), f"「{first.head}」の列が1行1値の値なのか、読まない列なのか"
                                 f"わかりません（年度ごとの列「{self.figures[0].head}」もあります）。1行1値の値なら"
                                 "見出しを「値」に、読まない列なら列を削除してください"))
        self.problems.extend(found)
        return bool(found)

    def _cell(self, cells: list[object], index: int) -> object:
        if index >= len(cells) or (self._r, index) in self.sheet.continuation:
            return None
        return cells[index]

    def _text(self, cells: list[object], role: str) -> str:
        col = self.one.get(role)
        return cell_text(cells[col.index]) if col is not None and col.index < len(cells) else ""

    def _skipped(self, cells: list[object]) -> bool:
        texts = [cell_text(v) for v in cells]
        filled = [t for t in texts if t]
        if not filled or [t for t in texts if t] == [t for t in self.header_texts if t]:
            return True  # blank, or the header repeated (a table printed across pages)
        first = normalize(filled[0])
        if first.startswith(NOTE_MARKS) and len(set(filled)) == 1:
            return True  # 「※R5は速報値」「注）…」 under the table
        name = normalize(self._text(cells, "name"))
        return name in TOTALS or (not name and first in TOTALS)  # 合計 / 小計 rows

    def _row(self, r: int, cells: list[object]) -> list[ObservationRow]:
        self._r = r
        if self._skipped(cells):
            return []
        sheet, name_col = self.sheet, self.one["name"]
        value_cols = [*self.figures, *([self.one["value"]] if "value" in self.one else [])]
        has_values = any(not is_no_value(self._cell(cells, c.index)) for c in value_cols)
        name = self._text(cells, "name")
        above = self._continued(r, cells) if not name else None
        if not name and above is None:
            self._above = None
            if has_values:
                hint = CONTINUATION_HINT if "kind" in self.one else ""
                self.problems.append(Problem(sheet.loc(r, name_col.index, name_col.head), "指標名が空です" + hint))
            return []  # a heading (「基本目標1 …」) or a row with nothing to import
        if above is None:
            self._above = _Above(r, name, self._text(cells, "unit"), sheet.loc(r, name_col.index, name_col.head),
                                 self._unit_ref(r), {k for k in [self._row_kind(cells)] if k is not None})
        else:
            name = above.name
        if not has_values:
            return []
        if self._repeated(r, name, cells):
            return []
        found: list[tuple[int, Problem]] = []

        def problem(col: Column, message: str) -> None:
            found.append((col.index, Problem(sheet.loc(r, col.index, col.head), message)))

        for i in sorted(self.read_columns):
            if (r, i) in sheet.formulas:
                col = next(c for c in (*self.one.values(), *self.figures, *self.figure_years.values()) if c.index == i)
                problem(col, "数式は受け付けません。値として貼り付けてから保存してください")
        formula_cells = {i for i in self.read_columns if (r, i) in sheet.formulas}
        unit_col = self.one.get("unit")
        unit = self._text(cells, "unit")
        unit_ref = self._unit_ref(r)
        if above is not None and not unit:
            unit, unit_ref = above.unit, above.unit_ref  # the unit merged down with the name
        row_kind = None
        kind_col = self.one.get("kind")
        kind_text = self._text(cells, "kind")
        if kind_col is not None and (kind_text or "value" in self.one):
            row_kind = KINDS.get(normalize(kind_text).lower())
            if row_kind is None:
                problem(kind_col, f"「{kind_text}」は種別として使えません（baseline / target / actual）")
        row_when, when_col = self._row_when(cells, problem)
        parsed: list[tuple[Column, Decimal, str, ParsedDate | None, str]] = []
        for col in value_cols:
            raw = self._cell(cells, col.index)
            if col.index in formula_cells:
                continue
            if (r, col.index) in sheet.percent and isinstance(raw, int | float):
                raw = percent_text(raw)
            year_text = ""
            if col.role == "figure" and col.year is None:
                raw, year_text = split_year(raw)
            try:
                number, written = cell_number(raw, unit)
            except ValueError as exc:
                problem(col, str(exc))
                continue
            if number is None:
                continue
            when, when_ref = self._when(col, cells, year_text, row_when, when_col, problem)
            parsed.append((col, number, written, when, when_ref))
        if not unit:
            written_units = {w for _c, _n, w, _w, _ref in parsed if w}
            if len(written_units) == 1:
                unit = written_units.pop()
            elif unit_col is not None and not written_units:
                problem(unit_col, "単位が空です（件、台、億円/年 など）")
            elif not written_units:
                problem(name_col, "単位がわかりません。「単位」の列を設けるか、値に単位を添えてください（例: 85%）")
            else:
                problem(name_col, f"値に書かれた単位（{'、'.join(sorted(written_units))}）が一つに決まりません")
        found.sort(key=lambda p: p[0])
        self.problems.extend(p for _i, p in found)
        if found:
            return []
        refs = {"指標": above.name_ref if above is not None else sheet.loc(r, name_col.index, name_col.head), "単位": unit_ref}
        source, note = self._text(cells, "source"), self._text(cells, "note")
        out = []
        for col, number, _w, when, when_ref in parsed:
            if when is None:
                continue  # its column was refused at the header
            if col.role == "value":
                location = sheet.loc(r) if sheet.sheet is None else sheet.loc(r, col.index, col.head)
                kind = row_kind
            else:
                location = sheet.loc(r, col.index, col.head)
                kind = col.kind or row_kind or Kind.ACTUAL
            out.append(ObservationRow(location, name, unit, number, when, kind, source, note,  # type: ignore[arg-type]
                                      {**refs, "時点": when_ref, "値": sheet.loc(r, col.index, col.head)}))
        return out

    def _repeated(self, r: int, name: str, cells: list[object]) -> bool:
        """A wide table (one row per indicator, no 値 / 年度 / 時点 of the row) naming one indicator on two rows of the
        same 区分: two indicators of one name (「参加者数」 under two 施策), or one written twice? Asked, never merged."""
        if {"value", "year", "as_of"} & set(self.one):
            return False
        key = (normalize(name), self._row_kind(cells))
        col = self.one["name"]
        here = self.sheet.loc(r, col.index, col.head)
        first = self._names.setdefault(key, here)
        if first == here:
            return False
        self.problems.append(Problem(here, f"指標名「{name}」がこの表の二つの行にあります（{first}）。別の指標なら指標名を"
                                           f"区別し（例: {name}（施策名））、同じ指標なら一つの行にまとめてください"))
        return True

    def _unit_ref(self, r: int) -> str:
        col = self.one.get("unit") or self.one["name"]
        return self.sheet.loc(r, col.index, col.head)

    def _row_kind(self, cells: list[object]) -> Kind | None:
        return KINDS.get(normalize(self._text(cells, "kind")).lower()) if "kind" in self.one else None

    def _continued(self, r: int, cells: list[object]) -> _Above | None:
        """The indicator of the row just above when this row, its name blank, is its next 区分 (目標 → 実績): the
        name merged down over the rows, as a CSV saved from that sheet leaves it."""
        above, kind = self._above, self._row_kind(cells)
        if above is None or kind is None or not above.kinds or kind in above.kinds or above.row != r - 1:
            return None
        above.row = r
        above.kinds.add(kind)
        return above

    def _row_when(self, cells, problem) -> tuple[ParsedDate | None, Column | None]:
        """The row's own 時点 or 年度 (a long table), and its column."""
        self._when_failed = False
        for role, read in (("as_of", cell_date), ("year", cell_fiscal_when)):
            col = self.one.get(role)
            if col is None:
                continue
            raw = cells[col.index] if col.index < len(cells) else None
            if not cell_text(raw):
                continue
            try:
                return read(raw), col
            except WarekiError as exc:
                problem(col, str(exc))
                self._when_failed = True
                return None, col
        return None, next((self.one[r] for r in ("as_of", "year") if r in self.one), None)

    def _when(self, col: Column, cells, year_text: str, row_when, when_col, problem) -> tuple[ParsedDate | None, str]:
        """The date of ``col``'s value in this row, and where it was read."""
        sheet, r = self.sheet, self._r
        here = sheet.loc(r, col.index, col.head)
        if col.role == "value":
            if when_col is None or row_when is None:
                if when_col is not None and not cell_text(cells[when_col.index] if when_col.index < len(cells) else None):
                    problem(when_col, "日付が空欄です")
                return None, ""
            return row_when, sheet.loc(r, when_col.index, when_col.head)
        if year_text:
            return cell_fiscal_when(year_text), here
        year_col = self.figure_years.get(col.kind) if col.kind is not None else None
        if year_col is not None:
            raw = cells[year_col.index] if year_col.index < len(cells) else None
            if cell_text(raw):
                try:
                    when = cell_fiscal_when(raw)
                except WarekiError as exc:
                    problem(year_col, str(exc))
                    return None, ""
                if col.year is not None and when.precision.startswith("fiscal") and fiscal_end(col.year) != when:
                    problem(year_col, f"「{cell_text(raw)}」が見出し「{col.head}」の年度と異なります")
                    return None, ""
                return when, sheet.loc(r, year_col.index, year_col.head)
        if col.year is not None:
            return fiscal_end(col.year), here
        if row_when is not None:
            return row_when, sheet.loc(r, when_col.index, when_col.head)
        if col.index in self.unyeared:
            return None, ""
        if self._when_failed:
            return None, ""
        empty = year_col or when_col
        value = cell_text(cells[col.index])
        if empty is not None:
            problem(col, f"{col.head}「{value}」の年度がわかりません（「{empty.head}」が空欄です）")
        else:
            problem(col, f"{col.head}「{value}」の年度がわかりません。値に年度を添えるか（例: 1,200（R2））、"
                         f"「{YEAR_HEADS[col.kind or Kind.ACTUAL]}」の列を設けてください")
        return None, ""
