"""A fiscal year per row (the ``fiscal_year`` column, 「年度」): one initiative written over one row per year
(「1 | 電子申請 | R4 | 順調」「(結合・空欄) | R5 | 完了」), each row's 実施結果 and 実績 being that year's
annual inspection of the one initiative.

``--inspect`` proposes the column when its values are all years (R4, 令和4年度, 2022, 2022年度) and an
initiative takes several rows of different years, or when the header says the row's year is the year of its
result (評価年度, 点検年度, 報告年度, 実績年度, 対象年度). A bare 「年度」/「実施年度」 with one row per
initiative may be the year the work is planned for: it is left out, with the reason, for the user to choose."""

from __future__ import annotations

import re

from openpyxl.utils import column_index_from_string

from tenken.common.errors import Problem
from tenken.common.text import nfkc, normalize
from tenken.common.wareki import WarekiError, fiscal_year_label, parse_fiscal_year
from tenken.plans.source import YEAR_PREFIX, SourceRow

from .workbook import Grid
from .years import expand_era

# The headers saying the row's year is the year its result is for (no need of several rows per initiative).
RESULT_YEAR_HEADERS = ("評価年度", "点検年度", "報告年度", "実績年度", "対象年度")
_AD = re.compile(r"((?:19|20)\d{2})(?:年度|年)?")
SCAN = 200


def parse_row_year(text: str) -> int | None:
    """The fiscal year a whole cell names — ``R4``, ``令和4年度``, ``R4年度``, ``H30``, ``2022``, ``2022年度`` — or
    ``None`` (``R4～R6``, ``継続``, ``2022/4/1`` are no one year)."""
    t = re.sub(r"\s", "", expand_era(nfkc(text)))
    if not t:
        return None
    m = _AD.fullmatch(t)
    if m:
        fy = int(m.group(1))
    else:
        try:
            fy = parse_fiscal_year(t)
        except (WarekiError, ValueError):
            return None
    return fy if 1989 <= fy <= 2100 else None


def check_year_column(grid: Grid, header: str, letter: str, first: int, key_letters: list[str]) -> str | None:
    """Why a column proposed as the row's fiscal year is not one (``None``: it is): its values are mostly not
    years, or each initiative has one row and the header does not say it is the year of the result. A few
    unreadable years do not stop the proposal: the import refuses each at its cell."""
    c = column_index_from_string(letter)
    keys = [column_index_from_string(k) for k in key_letters]
    years_of: dict[str, set[int]] = {}
    unreadable: list[tuple[str, str]] = []
    last_key = ""
    for r in range(first, min(grid.max_row, first + SCAN) + 1):
        t = grid.text(r, c)
        if not t:
            continue
        key = "\t".join(grid.text(r, k) for k in keys)
        if not key.strip():
            key = last_key  # the initiative of the row above, its No and name left blank
        last_key = key
        fy = parse_row_year(t)
        if fy is None:
            unreadable.append((t, grid.ref(r, c)))
        else:
            years_of.setdefault(key, set()).add(fy)
    readable = sum(len(v) for v in years_of.values())
    if unreadable and (readable < 2 or len(unreadable) * 2 > readable):
        t, ref = unreadable[0]
        return (f"見出し「{header}」は年度の列の名前ですが、値「{t}」（{ref}）などが一つの年度ではないので、"
                "行ごとの年度にはしません（取り込みません）")
    if not years_of:
        return f"見出し「{header}」の列に年度が書かれていません（取り込みません）"
    if any(len(v) >= 2 for v in years_of.values()) or normalize(header) in RESULT_YEAR_HEADERS:
        return None
    return (f"見出し「{header}」の値は年度ですが、取組ごとに一行なので、その年度の実施結果とは決めません（予定の年度かも"
            "しれません。取り込みません）。各行の実施結果がその年度のものなら [sheets.columns] に fiscal_year としてこの列を指定してください")


def year_column_reason(header: str) -> str:
    return (f"見出し「{header}」の値が年度で、同じ取組が年度ごとの行に分かれているため、各行の実施結果・実績をその年度の"
            "年度点検として取り込みます（同じ取組の行は一つの取組にまとめます）")


def row_year(values: dict[str, str], refs: dict[str, str], problems: list[Problem], has_result: bool) -> int | None:
    """The fiscal year of a row of a sheet with a ``fiscal_year`` column (popped from ``values``); an unreadable
    year, or a blank one beside a result, is a problem at its cell."""
    raw = values.pop("fiscal_year", "")
    ref = refs.pop("fiscal_year", "")
    if not raw:
        if has_result:
            problems.append(Problem(ref, "年度が空欄です（この行の実施結果がどの年度のものか分かりません）"))
        return None
    fy = parse_row_year(raw)
    if fy is None:
        problems.append(Problem(ref, f"年度「{raw}」を読めません（R4、令和4年度、2022 のように一つの年度を書いてください）"))
    return fy


def initiative_key(values: dict[str, str]) -> tuple[str, ...]:
    """The initiative a row belongs to: its 取組No under its 方針・施策, or without a No its 取組内容."""
    where = tuple(normalize(values.get(k, "")) for k in ("policy", "item", "subitem"))
    label = normalize(values.get("label", ""))
    return (*where, "no", label) if label else (*where, "text", normalize(values.get("text", "")))


_JOINED = ("reason", "note", "issues", "departments")


def take_year_results(first: SourceRow, row: SourceRow) -> None:
    """``first`` (the initiative's first row) takes ``row``'s yearly results, their cells and its 実績."""
    for k, v in row.values.items():
        if k.startswith(YEAR_PREFIX):
            first.values[k] = v
            first.refs[k] = row.refs.get(k, row.where)
    first.yearly.update(row.yearly)
    first.outcomes.update({y: t for y, t in row.outcomes.items() if t})


def merge_year_row(row: SourceRow, fy: int, year_ref: str, seen: dict[tuple[str, ...], tuple[SourceRow, dict[int, str]]],
                   problems: list[Problem], warnings: list[Problem]) -> bool:
    """A row of fiscal year ``fy``: the first row of the same initiative takes this year's result and 実績; True
    when merged (the row itself is not kept). The same initiative twice in one year is a problem at the year."""
    key = initiative_key(row.values)
    if key not in seen:
        seen[key] = (row, {fy: year_ref})
        return False
    first, years = seen[key]
    if fy in years:
        name = first.values.get("text", "") or first.values.get("label", "")
        problems.append(Problem(year_ref, f"「{name}」の{fiscal_year_label(fy)}の行が {years[fy]} にもあります"
                                          "（一つの取組の一つの年度は一行にしてください）"))
        return True
    years[fy] = year_ref
    take_year_results(first, row)
    for f in _JOINED:  # what differs between the years is kept, not dropped
        v = row.values.get(f, "")
        if v and v not in first.values.get(f, "").split("\n"):
            first.values[f] = f"{first.values[f]}\n{v}" if first.values.get(f) else v
            first.refs.setdefault(f, row.refs.get(f, row.where))
    if normalize(row.values.get("text", "")) != normalize(first.values.get("text", "")):
        warnings.append(Problem(row.refs.get("text", row.where),
                                f"取組内容が {first.where} と違います（最初の行の「{first.values.get('text', '')}」を使います）"))
    return True


def has_single_result(sheet) -> bool:
    """Whether a sheet mapping's 実施結果 column is one result whose inspection (final, or the annual one of
    ``result_year``) is to be asked: not when the sheet, or each of its rows, says the year."""
    return "status" in sheet.columns and sheet.fiscal_year is None and "fiscal_year" not in sheet.columns
