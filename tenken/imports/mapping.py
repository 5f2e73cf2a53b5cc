"""The import mapping: data, saved per organization and as an editable TOML file (docs/importing.md)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import normalize
from tenken.plans.statuses import CATEGORY_LABELS

from .fields import BY_KEY
from .scale import ScaleEntry

SKIP_KINDS = ("blank", "legend", "total", "note", "repeated_header", "example", "footer")
# Kinds skipped with another: a form's row holding only its pre-typed 取組No is a blank row of the form.
# A 指標（KPI） row among the 取組 rows (a 区分 column of 「KPI」 and 「取組」) is skipped with the notes.
SKIPPED_WITH = {"empty_form": "blank", "indicator": "note"}
# Version 1 mappings were written before 記入例 rows were recognised: one whose skip list is that version's
# proposal skips 記入例 rows too (its author never chose to read them). Mappings before version 3 were written
# before the lines under the table (作成者・問い合わせ先・日付・以上) were recognised: they skip them whatever
# their list (read as data, such a line was only ever refused as an initiative without a result, or ignored
# as a 方針 heading with no rows under it; no author could have chosen to read it).
VERSION = 3
_SKIP_BEFORE_EXAMPLE = frozenset(SKIP_KINDS) - {"example", "footer"}
ROW_KIND_LABELS = {
    "blank": "空行", "legend": "凡例", "total": "合計・小計", "note": "注記", "repeated_header": "繰り返しの見出し",
    "example": "記入例・記入方法（様式の見本や書き方の行。取組ではありません）",
    "footer": "作成者・問い合わせ先などの行（表の下の作成者・担当・日付・以上。取組ではありません）",
    "empty_form": "様式の空き行（取組No だけで何も書かれていない行。空行として読み飛ばします）",
    "indicator": "指標（KPI）の行（区分の列が「KPI」「指標」で実施結果のない行。指標の取込で扱います。注記として読み飛ばします）",
    "block": "方針の見出し（結合セル）",
    "block_item": "施策の見出し（方針の見出しより深い番号の見出し行。施策として登録）",
    "block_subitem": "小項目の見出し（施策の見出しより深い番号の見出し行。小項目として登録）",
    "outline": "番号の階層の見出し（方針・施策として登録）", "data": "データ", "skipped": "指定により読み飛ばし",
}
POLICY_FROM = {"column": "列", "block": "結合セルの見出し行", "sheet": "シート名", "outline": "番号の階層（1 / 1-1 / 1-1-1 の行）"}
RESULT_KINDS = {"final": "計画期間の最終点検", "annual": "年度点検"}
_LETTERS = re.compile(r"^[A-Z]{1,3}$")


@dataclass
class YearColumn:
    column: str  # letter or header text
    fiscal_year: int
    field: str = "status"  # status (実施結果) or outcome (実績・成果の記述)
    header: str = ""


@dataclass
class SheetMapping:
    name: str
    use: bool = True
    header_rows: list[int] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → column letter (or header text)
    years: list[YearColumn] = field(default_factory=list)
    skip_rows: list[int] = field(default_factory=list)  # one-off rows to skip, beyond the kinds of Mapping.skip
    policy: str = ""  # the 方針 of every row when policy_from = "sheet" (default: the sheet name)
    # The sheet holds one fiscal year's results (a sheet per year: 「令和4年度」「令和5年度」): its 実施結果 and 実績
    # columns are that year's annual inspection, and its rows are the same initiatives as the other such sheets'.
    fiscal_year: int | None = None
    # Columns of marks (「重点取組」 holding ○ or blank): a flag, no field; a marked row keeps 「見出し: ○」 in its note.
    flags: list[str] = field(default_factory=list)
    comment: str = ""  # why (not) used / reasons of the guesses: written as TOML comments, not read back
    column_reasons: dict[str, str] = field(default_factory=dict)
    # Column letter → header text, as inspected: written as [sheets.headers] and read back, so that next year's
    # file with its columns moved is read by these headers, not by letters that now hold other columns.
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Mapping:
    sheets: list[SheetMapping]
    scale: list[ScaleEntry]
    policy_from: str = "column"
    result: str = "final"  # a single result column: the final inspection, or the annual one of result_year
    result_year: int | None = None
    skip: list[str] = field(default_factory=lambda: list(SKIP_KINDS))
    source: str = ""
    questions: list[str] = field(default_factory=list)  # what the user must answer (comments)

    def sheet(self, name: str) -> SheetMapping | None:
        return next((s for s in self.sheets if s.name == name), None)


# --- TOML -----------------------------------------------------------------------------------------

def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _v(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_v(x) for x in value) + "]"
    return _q(str(value))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in text.splitlines() if line.strip()]


def to_toml(m: Mapping) -> str:
    """The mapping as TOML, with the reason of every guess and every open question as comments."""
    out = ["# tenken 取込の対応表（docs/importing.md）。編集して --mapping で指定します。"]
    if m.source:
        out.append(f"# 調べたファイル: {_one_line(m.source)}")
    for q in m.questions:
        out.append(f"# 要確認: {_one_line(q)}")
    out.append(f"version = {VERSION}")
    out.append(f"policy_from = {_q(m.policy_from)}  # 方針の取り方: " + " / ".join(f'"{k}" {v}' for k, v in POLICY_FROM.items()))
    out.append(f"result = {_q(m.result)}  # 単一の実施結果列: \"final\" 最終点検 / \"annual\" result_year の年度点検（推測しません。確かめてください）")
    if m.result_year is not None:
        out.append(f"result_year = {m.result_year}")
    out.append(f"skip = {_v(m.skip)}  # 読み飛ばす行の種類: " + "、".join(f"{k} {v}" for k, v in ROW_KIND_LABELS.items() if k in SKIP_KINDS))
    for s in m.sheets:
        out.append("")
        out.append("[[sheets]]")
        out.append(f"name = {_q(s.name)}")
        out += _comment(s.comment)
        out.append(f"use = {_v(s.use)}")
        if s.header_rows:
            out.append(f"header_rows = {_v(s.header_rows)}")
        if s.skip_rows:
            out.append(f"skip_rows = {_v(s.skip_rows)}")
        if s.policy:
            out.append(f"policy = {_q(s.policy)}")
        if s.fiscal_year is not None:
            out.append(f"fiscal_year = {s.fiscal_year}  # このシートはこの年度の実施結果（シートごとの同じ取組は一つにまとめます）")
        if s.flags:
            hdrs = "、".join(f"「{_one_line(s.headers.get(f, f))}」" for f in s.flags)
            out.append(f"flags = {_v(s.flags)}  # 印（○など）の列 {hdrs}: 印のある取組の備考に「見出し: 印」として残します")
        if s.columns:
            out.append("[sheets.columns]")
            for key, col in s.columns.items():
                why = _one_line(s.column_reasons.get(key, ""))
                hdr = _one_line(s.headers.get(col, ""))
                note = f"  # {BY_KEY[key].label if key in BY_KEY else key}" + (f"「{hdr}」" if hdr else "") + (f": {why}" if why else "")
                out.append(f"{key} = {_q(col)}{note}")
        shown = {c: h for c, h in s.headers.items() if is_letter(c) and _one_line(h) and h != "（見出しなし）"}
        if shown:
            out.append("[sheets.headers]  # 各列の見出し。翌年度のファイルで列が移っていれば、この見出しで列を探します")
            for c, h in shown.items():
                out.append(f"{c} = {_q(_one_line(h))}")
        for y in s.years:
            out.append("[[sheets.years]]")
            hdr = f"  # 「{_one_line(y.header)}」" if y.header else ""
            out.append(f"column = {_q(y.column)}{hdr}")
            out.append(f"fiscal_year = {y.fiscal_year}")
            out.append(f"field = {_q(y.field)}  # \"status\" 実施結果 / \"outcome\" 実績・成果の記述")
    cats = " / ".join(f'"{k}" {v}' for k, v in CATEGORY_LABELS.items())
    out.append("")
    out.append(f"# 実施結果の区分（この計画の尺度）。category: {cats}。空欄は未確認（取り込めません）")
    for e in m.scale:
        out.append("[[scale]]")
        out.append(f"value = {_q(e.value)}")
        out.append(f"label = {_q(e.label)}")
        out.append(f"category = {_q(e.category)}" + (f"  # {_one_line(e.reason)}" if e.reason else ""))
        out.append(f"requires_reason = {_v(e.requires_reason)}")
        if e.long_label and e.long_label != e.value:
            out.append(f"long_label = {_q(e.long_label)}")
        if e.aliases:
            out.append(f"aliases = {_v(e.aliases)}")
        if e.code:
            out.append(f"code = {_q(e.code)}")
    return "\n".join(out) + "\n"


def decode_mapping(data: bytes, *, name: str = "対応表") -> str:
    """The text of a mapping file as Windows Notepad saves it (:func:`tenken.spreadsheets.csvfile.decode_csv_bytes`:
    UTF-8 with or without its BOM, UTF-16 with its BOM, CP932). Raises :class:`InputRejected` otherwise."""
    from tenken.spreadsheets.csvfile import decode_csv_bytes

    return decode_csv_bytes(data, name=name, refusal="対応表の文字コードを読めません。UTF-8 で保存してください")


_TOML_ERRORS = (  # tomllib's messages (Python 3.11) → Japanese, with what a clerk most likely did
    ("Invalid value", "値が読めません。文字は \"C\" のように半角の二重引用符で囲みます"),
    ("Cannot overwrite a value", "同じ設定が二度あります"),
    ("Cannot declare", "同じ表が二度あります"),
    ("Expected '=' after a key", "設定の名前の後に = がありません"),
    ("Invalid statement", "設定の行として読めません（名前 = 値）"),
    ("Unclosed array", "一覧の ] がありません"),
    ("Unterminated string", "文字の終わりの \" がありません"),
    ("Illegal character", "使えない文字があります"),
    ("Expected newline or end of document", "値の後に余分な文字があります（コメントは # の後に書きます）"),
)


def _toml_error(exc: tomllib.TOMLDecodeError, name: str) -> Problem:
    text = str(exc)
    m = re.search(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$", text)
    where = f"{name}:{m.group(1)}行目" if m and m.group(1) else name
    msg = text[: m.start()] if m else text
    said = next((ja for en, ja in _TOML_ERRORS if msg.startswith(en)), msg)
    return Problem(where, f"TOML として読めません（{said}）")


# The keys a mapping may have; any other (a typo: 「heder_rows」 or 「usee」) is refused, never ignored.
_KEYS = ("version", "policy_from", "result", "result_year", "skip", "sheets", "scale")
_SHEET_KEYS = ("name", "use", "header_rows", "skip_rows", "policy", "fiscal_year", "flags", "columns", "headers",
               "years")
_YEAR_KEYS = ("column", "fiscal_year", "field")
_SCALE_KEYS = ("value", "label", "category", "requires_reason", "long_label", "aliases", "code")


def from_toml(text: str, *, name: str = "対応表") -> Mapping:
    """Parse and check a mapping; raises :class:`InputRejected` naming the key (or the line) that is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputRejected(_toml_error(exc, name)) from exc
    problems: list[Problem] = []

    def want(cond: bool, where: str, msg: str) -> None:
        if not cond:
            problems.append(Problem(f"{name}:{where}", msg))

    def known(table: object, keys: tuple[str, ...], where: str) -> dict:
        if not isinstance(table, dict):
            want(False, where.rstrip("."), "表（[[…]] の下の 名前 = 値 の並び）ではありません")
            return {}
        for k in table:
            want(k in keys, f"{where}{k}", f"「{k}」という設定はありません（{'、'.join(keys)}）")
        return table

    def at(where: str, key: str) -> str:
        return f"{where}.{key}" if where else key

    def flag(table: dict, key: str, where: str, default: bool) -> bool:
        v = table.get(key, default)
        want(isinstance(v, bool), at(where, key), f"{key} は true か false で指定してください（引用符なし）")
        return v if isinstance(v, bool) else default

    def rows(table: dict, key: str, where: str) -> list[int]:
        v = table.get(key, [])
        ok = isinstance(v, list) and all((isinstance(x, int) and not isinstance(x, bool) and x > 0)
                                         or (isinstance(x, str) and x.strip().isdecimal()) for x in v)
        want(ok, at(where, key), "行の番号の一覧で指定してください（例: [4]、[3, 4]）")
        return [int(x) for x in v] if ok else []

    def texts(table: dict, key: str, where: str) -> list[str]:
        v = table.get(key, [])
        ok = isinstance(v, list) and all(isinstance(x, str | int) and not isinstance(x, bool) for x in v)
        want(ok, at(where, key), "文字列の一覧で指定してください（例: [\"済\", \"完了済\"]）")
        return [str(x) for x in v] if ok else []

    data = known(data, _KEYS, "")

    policy_from = str(data.get("policy_from", "column"))
    want(policy_from in POLICY_FROM, "policy_from", f"「{policy_from}」は指定できません（{'、'.join(POLICY_FROM)}）")
    result = str(data.get("result", ""))
    want(result in RESULT_KINDS or result == "", "result", "result は \"final\"（最終点検）か \"annual\"（年度点検）です")
    result_year = data.get("result_year")
    want(result_year is None or isinstance(result_year, int), "result_year", "年度は西暦の数字で指定してください")
    skip = texts(data, "skip", "") if "skip" in data else list(SKIP_KINDS)
    for k in skip:
        want(k in SKIP_KINDS, "skip", f"行の種類「{k}」はありません（{'、'.join(SKIP_KINDS)}）")
    version = data.get("version", 1)
    if version == 1 and set(skip) == _SKIP_BEFORE_EXAMPLE:
        skip.append("example")
    if isinstance(version, int) and version < 3 and "footer" not in skip:
        skip.append("footer")
    sheets = []
    raw_sheets = data.get("sheets", [])
    want(isinstance(raw_sheets, list), "sheets", "シートは [[sheets]] の表で書いてください")
    for i, s in enumerate(raw_sheets if isinstance(raw_sheets, list) else [], start=1):
        where = f"sheets[{i}]"
        s = known(s, _SHEET_KEYS, f"{where}.")
        raw_cols = s.get("columns") or {}
        want(isinstance(raw_cols, dict), f"{where}.columns", "[sheets.columns] の表で 項目 = \"列\" と書いてください")
        cols = {str(k): str(v) for k, v in raw_cols.items()} if isinstance(raw_cols, dict) else {}
        for k in cols:
            want(k in BY_KEY, f"{where}.columns.{k}", f"項目「{k}」はありません（{'、'.join(BY_KEY)}）")
        raw_headers = s.get("headers") or {}
        want(isinstance(raw_headers, dict), f"{where}.headers", "[sheets.headers] の表で 列 = \"見出し\" と書いてください")
        headers = {str(k): str(v) for k, v in raw_headers.items()} if isinstance(raw_headers, dict) else {}
        years = []
        for j, y in enumerate(s.get("years", []) or [], start=1):
            y = known(y, _YEAR_KEYS, f"{where}.years[{j}].")
            fy = y.get("fiscal_year")
            want(isinstance(fy, int), f"{where}.years[{j}].fiscal_year", "年度は西暦の数字で指定してください")
            fld = str(y.get("field", "status"))
            want(fld in ("status", "outcome"), f"{where}.years[{j}].field", "field は \"status\" か \"outcome\" です")
            years.append(YearColumn(str(y.get("column", "")), int(fy or 0), fld))
        hr = rows(s, "header_rows", where)
        sheet_year = s.get("fiscal_year")
        want(sheet_year is None or isinstance(sheet_year, int), f"{where}.fiscal_year", "年度は西暦の数字で指定してください")
        sheets.append(SheetMapping(
            name=str(s.get("name", "")), use=flag(s, "use", where, True), header_rows=hr, columns=cols, years=years,
            skip_rows=rows(s, "skip_rows", where), policy=str(s.get("policy", "")),
            fiscal_year=sheet_year if isinstance(sheet_year, int) else None,
            flags=texts(s, "flags", where), headers=headers,
        ))
    want(bool(sheets), "sheets", "[[sheets]] が一つもありません")
    scale = []
    for i, e in enumerate(data.get("scale", []), start=1):
        e = known(e, _SCALE_KEYS, f"scale[{i}].")
        cat = str(e.get("category", ""))
        want(cat == "" or cat in CATEGORY_LABELS, f"scale[{i}].category",
             f"区分「{cat}」はありません（{'、'.join(f'{k}（{v}）' for k, v in CATEGORY_LABELS.items())}）")
        want(bool(str(e.get("value", ""))), f"scale[{i}].value", "value が空です")
        scale.append(ScaleEntry(
            value=str(e.get("value", "")), label=str(e.get("label", e.get("value", ""))), category=cat,
            requires_reason=flag(e, "requires_reason", f"scale[{i}]", False), long_label=str(e.get("long_label", "")),
            aliases=texts(e, "aliases", f"scale[{i}]"), code=str(e.get("code", "")),
        ))
    if problems:
        raise InputRejected(problems)
    return Mapping(sheets=sheets, scale=scale, policy_from=policy_from, result=result, result_year=result_year, skip=skip)


def is_letter(col: str) -> bool:
    return bool(_LETTERS.match(col))


def legend_additions(saved: Mapping, proposed: Mapping) -> list[ScaleEntry]:
    """The statuses of this year's legend that the saved scale lacks (「中止」 added to 「完了 / 順調 / 遅れ」), each
    with the category its legend word says: added to the saved mapping with no question. A new value without a
    legend (or whose legend word says no category) is no such addition: it stays a located problem."""
    known = {normalize(x) for e in saved.scale for x in (e.value, e.label, e.long_label, *e.aliases) if x}
    out = []
    for e in proposed.scale:
        if not e.category or not e.reason.startswith("凡例"):
            continue
        if not {normalize(x) for x in (e.value, e.label, *e.aliases) if x} & known:
            out.append(e)
    return out
