"""The columns of a register table, found by their header text (:mod:`.register_header` finds the header rows).

A column is a register item by its name (a city's names too: システム名称, 所管課, 系統); the same item twice (two
所管課 columns, one of them hidden) is refused at the second header, naming both. A cost column names a fiscal year
and a cost word: 運用経費 (運用費, 維持管理費 …, :data:`COST_WORDS`) or a fee (保守委託料, 使用料, リース料 …,
:data:`FEE_WORDS`). A year's cost is one 運用経費 column, or the sum of its fee columns (said in a note); a 運用経費
column and fee columns of one year are refused (a breakdown or a further cost?). 導入年度 is read as 稼働開始日 (the
year's first day) only when there is no 稼働開始日 column. Every other column is not read, and said so in a note,
louder for one with a year and a money unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from tenken.common.errors import Problem
from tenken.common.text import normalize
from tenken.common.wareki import fiscal_year_label, parse_fiscal_year
from tenken.imports.years import year_of_header
from tenken.spreadsheets.grid import Grid

from .register_header import (
    COST_WORDS,
    END_WORDS,
    FEE_WORDS,
    START_WORDS,
    TOTAL_HEADS,
    column_parts,
    unit_note,
)

COLUMNS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("name", "システム名", ("システム名", "名称", "システム名称", "システムの名称", "情報システム名", "業務システム名"), True),
    ("department", "所管所属", ("所管所属", "所属", "担当所属", "所管課", "担当課", "所管部署"), False),
    ("purpose", "目的・概要", ("目的・概要", "目的", "概要"), False),
    ("segment", "ネットワーク区分", ("ネットワーク区分", "区分", "ネットワーク", "系統", "接続区分", "セグメント"), True),
    ("hosting", "設置形態", ("設置形態", "形態", "設置場所", "設置区分", "運用形態", "設置方法", "導入形態"), True),
    ("internet_facing", "インターネット接続", ("インターネット接続",), False),
    ("in_service_on", "稼働開始日", ("稼働開始日", "稼働日", "稼働開始", "稼働年月日", "稼働開始年月日", "運用開始日",
                                     "運用開始", "導入年月日", "導入日", "導入時期"), True),
    ("retired_on", "廃止日", ("廃止日",), False),
    ("contract_end", "契約・リース満了日", ("契約・リース満了日", "契約満了日", "リース満了日"), False),
    ("state", "状態", ("状態", "稼働状況"), False),  # absent: 廃止 with a 廃止日, otherwise 稼働
    ("successor", "統合先システム", ("統合先システム", "統合先"), False),
    ("note", "備考", ("備考",), False),
)
# Read but not written back: 契約期間 「R3.4.1～R8.3.31」 gives the 契約・リース満了日 (the model keeps no start);
# 導入年度 gives the 稼働開始日 when the register has no such column.
_PERIOD_ALIASES = ("契約期間", "リース期間", "契約・リース期間", "契約(リース)期間", "契約期間(リース期間)", "契約・リース期間")
FISCAL_START_ALIASES = ("導入年度", "稼働年度", "稼働開始年度", "運用開始年度")
_ALIASES = {normalize(a): key for key, _n, aliases, _r in COLUMNS for a in aliases} | {
    normalize(a): "period" for a in _PERIOD_ALIASES} | {normalize(a): "in_service_fy" for a in FISCAL_START_ALIASES}
NAMES = {key: name for key, name, _a, _r in COLUMNS} | {"in_service_fy": "導入年度", "period": "契約期間"}
_FY_IN_HEADER = re.compile(r"(\d{4}|(?:明治|大正|昭和|平成|令和|[MTSHR])(?:元|\d{1,2}))年度")
_UNITS = (("千円", 1000), ("万円", 10000), ("百万円", 1000000))
UNIT_NAMES = {1: "円", **{factor: word for word, factor in _UNITS}}


@dataclass
class SheetColumns:
    """What the header of one sheet says: the item columns by key, the cost columns of each fiscal year (one
    運用経費 column, or the fee columns summed), the yen per unit of each cost column, problems and notes."""

    items: dict[str, int] = field(default_factory=dict)
    costs: dict[int, list[int]] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)
    fiscal_start: bool = False  # 稼働開始日 read from a 導入年度 column
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def key_of(text: str) -> str | None:
    return _ALIASES.get(normalize(text))


def unit_of(head: str) -> int:
    """Yen per unit of a cost column: 「運用経費 R4（千円）」 → 1000."""
    for word, factor in sorted(_UNITS, key=lambda u: -len(u[0])):
        if word in head:
            return factor
    return 1


def _fiscal_year_in(part: str) -> int | None:
    m = _FY_IN_HEADER.search(normalize(part))
    if m is not None:
        return parse_fiscal_year(m.group(1))
    found = year_of_header(part)
    return found[0] if found else None


def _column_key(parts: list[str]) -> str | None:
    """The column a header names, the part nearest the data first; 「開始」「終了」 under 「契約期間」."""
    keys = [k for p in reversed(parts) if (k := key_of(p))]
    bottom = normalize(parts[-1]).strip("()（）")
    if "period" in keys and bottom in START_WORDS:
        return "period_start"
    if "period" in keys and bottom in END_WORDS:
        return "period_end"
    return keys[0] if keys else None


def _cost_kind(parts: list[str]) -> str | None:
    """「運用経費」 for a general cost header, the fee word (「保守委託料」) for a fee, ``None`` for neither."""
    text = "".join(normalize(p) for p in parts)
    if any(w in text for w in COST_WORDS):
        return "運用経費"
    return max((w for w in FEE_WORDS if w in text), key=len, default=None)


def read_columns(grid: Grid, header: list[int]) -> SheetColumns:
    """The columns of ``grid`` under its ``header`` rows."""
    out = SheetColumns()
    bottom = header[-1]
    note = unit_note(grid, header)  # 「（単位：千円）」 over the table: for a cost header that names no unit
    default_unit = unit_of(note) if note else 1
    shown: dict[int, str] = {}
    kinds: dict[int, str] = {}
    unread: list[str] = []
    for c in range(1, grid.max_col + 1):
        parts = column_parts(grid, header, c, key_of)
        if not parts:
            continue
        k = _column_key(parts)
        shown[c] = "」「".join(parts)
        letter = get_column_letter(c)
        fy = next((y for p in reversed(parts) if (y := _fiscal_year_in(p)) is not None), None)
        kind = None if k else _cost_kind(parts)
        if k and k in out.items:
            first = out.items[k]
            out.problems.append(Problem(grid.ref(bottom, c), (
                f"列見出し「{shown[c]}」: 「{NAMES.get(k, k)}」の列が二つあります（{get_column_letter(first)}列「{shown[first]}」と"
                f"{letter}列「{shown[c]}」。非表示の列も読みます）。どちらが台帳の値か決められないため、一つにしてください")))
        elif k:
            out.items[k] = c
        elif kind is not None:
            if fy is None:
                if normalize(parts[-1]).strip("()（）") in TOTAL_HEADS:
                    continue  # 「合計」 beside the years: a sum of the cells on its row, not a year's cost
                if kind != "運用経費":  # 「リース料（月額）」: a fee of no year
                    out.notes.append(f"{grid.ref(bottom, c)}: 列見出し「{shown[c]}」は年度がないため運用経費として読みません")
                    continue
                out.problems.append(Problem(grid.ref(bottom, c), f"列見出し「{shown[c]}」から年度が読み取れません"))
                continue
            out.costs.setdefault(fy, []).append(c)
            kinds[c] = kind
            out.units[c] = next((unit_of(normalize(p)) for p in reversed(parts) if "円" in p), default_unit)
        elif fy is not None and any("円" in p for p in parts):
            out.notes.append(f"{grid.ref(bottom, c)}: 列見出し「{shown[c]}」は年度と金額の単位がありますが、運用経費の語"
                             f"（{'・'.join((*COST_WORDS[:1], *FEE_WORDS[:4]))} など）がないため読みません。運用経費なら"
                             "列見出しに「運用経費」と書いてください")
        else:
            unread.append(f"{letter}列「{shown[c]}」")
    _resolve_costs(grid, bottom, out, kinds, shown)
    _fiscal_start(out, shown)
    if unread:
        out.notes.append(f"{grid.name}: 台帳の項目ではないため読まない列: {'、'.join(unread)}")
    return out


def _resolve_costs(grid: Grid, bottom: int, out: SheetColumns, kinds: dict[int, str], shown: dict[int, str]) -> None:
    """One 運用経費 column a year, or fee columns of different kinds summed; anything else is a question."""
    for fy, cols in list(out.costs.items()):
        label = f"{fy}年度（{fiscal_year_label(fy)}）"
        seen: dict[str, int] = {}
        for c in cols:
            kind = kinds[c]
            general = next((g for g in cols if kinds[g] == "運用経費" and g != c), None)
            if kind in seen or (kind != "運用経費" and general is not None):
                other = seen.get(kind, general)
                assert other is not None
                why = ("。一つにしてください" if kind in seen else
                       "。運用経費の内訳ならこの列を消し、別の費用なら運用経費の列に含めてください")
                out.problems.append(Problem(grid.ref(bottom, c), (
                    f"列見出し「{shown[c]}」: {label}の運用経費の列が二つあります（{get_column_letter(other)}列と"
                    f"{get_column_letter(c)}列）{why}")))
                del out.costs[fy]
                break
            seen[kind] = c
        else:
            if len(cols) > 1:
                names = "」「".join(shown[c] for c in cols)
                letters = "、".join(f"{get_column_letter(c)}列" for c in cols)
                out.notes.append(f"{grid.name}: {label}の運用経費は「{names}」（{letters}）の合計として読みます")


def _fiscal_start(out: SheetColumns, shown: dict[int, str]) -> None:
    col = out.items.pop("in_service_fy", None)
    if col is None:
        return
    if "in_service_on" in out.items:
        out.notes.append(f"「{shown[col]}」の列は稼働開始日の列「{shown[out.items['in_service_on']]}」があるため読みません")
    else:
        out.items["in_service_on"] = col
        out.fiscal_start = True
