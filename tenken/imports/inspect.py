"""Inspecting a plan file: every sheet, its header wherever it is, the rows that are not data, a proposed
mapping with the reason for each guess, and the plan's own status scale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from tenken.common.novalue import is_no_value
from tenken.common.rowkinds import BRACKET_HEADING as _BRACKET_HEADING
from tenken.common.rowkinds import NOTE_START as _NOTE
from tenken.common.rowkinds import TOTAL_WORDS as _TOTALS
from tenken.common.text import nfkc, normalize
from tenken.common.wareki import WarekiError, fiscal_year_label, parse_fiscal_year

from .fields import (
    _EXACT,
    contains_field_name,
    guess_field,
    is_content_header,
    is_indicator_header,
    is_name_header,
)
from .mapping import Mapping, SheetMapping, YearColumn, is_letter
from .outline import is_outline
from .outline import parts as outline_parts
from .rowyears import check_year_column, has_single_result, year_column_reason
from .scale import (
    PERCENT_BANDS,
    ScaleEntry,
    category_of_words,
    is_bare_number,
    is_status_word,
    parse_legend,
    percent_of,
    percent_text,
    propose_scale,
    split_annotation,
)
from .sheetkinds import not_plan_sheet, title_policy
from .workbook import Grid, read_grids
from .years import expand_era, is_schedule_mark, year_column_kind, year_kind_of_parts, year_of_header

MAX_HEADER_SCAN = 30
_ROMAN_NUMERAL = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"  # Ⅱ is II after NFKC
_META_WORDS = ("作成日", "更新日", "時点", "現在", "単位", "凡例", "出典", "作成者")
_SUB_WORDS = ("実績", "進捗", "目標", "評価", "結果", "状況", "計画", "予定", "名称", "内容", "大項目", "中項目", "小項目", "番号", "No")
_DATE_TEXT = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(令和|平成|R|H)\s*(\d{1,2}|元)\s*[年.]\s*\d{1,2}\s*[月.]\s*\d{1,2})")
_NUMBER = re.compile(r"[-+]?[\d,]+(\.\d+)?\s*%?")

NO_HEADER = "（見出しなし）"  # a column without a header, as shown (never a header to look for next year)


@dataclass
class ColumnReport:
    letter: str
    header: str
    field: str | None
    reason: str
    year: int | None = None
    year_field: str | None = None
    samples: list[str] = field(default_factory=list)
    year_kind: str | None = None  # what the words beside the year say (years.year_column_kind)
    flag: bool = False  # a column of marks (○ or blank): kept in the note of the marked rows
    year_rest: str = ""  # the words beside the year (the group the yearly column belongs to)


@dataclass
class RowReport:
    row: int
    kind: str
    text: str


@dataclass
class SheetReport:
    name: str
    used: bool
    why: str
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnReport] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)  # rows that are not data
    data_rows: int = 0
    legend: dict[str, str] = field(default_factory=dict)
    outline: bool = False  # a numbered outline (1 / 1-1 / 1-1-1): tenken.imports.outline
    percent_fractions: bool = False  # its result is a 進捗率 kept as Excel percent cells (1 = 100%)
    status_rivals: list[str] = field(default_factory=list)  # two result columns (担当課評価 | 所管部評価): asked


@dataclass
class InspectResult:
    name: str
    sheets: list[SheetReport]
    mapping: Mapping


# --- header ---------------------------------------------------------------------------------------

def _texts(grid: Grid, r: int, *, fill: bool = True) -> dict[int, str]:
    """The texts of row ``r`` by column (shared: do not modify)."""
    return grid.row_texts(r, fill_merged=fill)


def _header_score(texts: dict[int, str]) -> int:
    score = 0
    keys = set()
    for t in texts.values():
        if len(t) > 40:
            continue
        k = normalize(t).lower().rstrip(".")
        if k in _EXACT:
            score += 2
            keys.add(_EXACT[k])
        elif year_of_header(t):
            score += 1
        elif len(t) <= 15:
            guessed, _why = guess_field([t])
            if guessed:
                score += 1
                keys.add(guessed)
    if not keys & {"text", "label"}:
        return 0
    return score


_TITLE_WORDS = ("計画", "管理表", "一覧", "調査票", "報告", "状況表", "進捗表", "シート")


def _is_title(text: str) -> bool:
    """A sheet's title (「令和5年度 DX推進計画 進捗管理表」), not a group label over header columns (short:
    「計画上の位置づけ」「令和4年度」)."""
    t = normalize(text)
    return len(t) > 20 or (len(t) > 10 and any(w in t for w in _TITLE_WORDS))


def find_header(grid: Grid) -> list[int]:
    """The header rows (1–3) of a sheet, or ``[]``; title blocks and 作成日 lines above are not header."""
    if "header" not in grid.memo:  # inspect and preview both ask, for every sheet
        grid.memo["header"] = _find_header(grid)
    return list(grid.memo["header"])


def _find_header(grid: Grid) -> list[int]:
    best, best_row = 0, 0
    for r in range(1, min(grid.max_row, MAX_HEADER_SCAN) + 1):
        s = _header_score(_texts(grid, r))
        if s > best and s >= 3:
            best, best_row = s, r
    if not best_row:
        return []
    rows = [best_row]
    # Upwards: a group row over the header (「計画上の位置づけ」 over 大項目/中項目, 「令和4年度」 over 実績/評価).
    r = best_row - 1
    while r >= 1 and len(rows) < 3:
        texts = _texts(grid, r)
        if not texts or any(w in t for t in texts.values() for w in _META_WORDS):
            break
        vertical = any(grid.merged.get((best_row, c)) == (r, c) for c in texts)
        if len(set(texts.values())) < 2 and not vertical:
            break  # a title
        if any(_is_title(t) or _DATE_TEXT.match(nfkc(t).strip()) for t in texts.values()):
            break  # a title or a 作成日 line with something beside it (a group label is short, never a date)
        rows.insert(0, r)
        r -= 1
    # Downwards: sub-headers under a merged group (「実績」「評価」 under 「令和4年度」).
    r = best_row + 1
    while r <= grid.max_row and len(rows) < 3:
        raw = _texts(grid, r, fill=False)
        if not raw:
            break
        hits = sum(1 for t in raw.values() if len(t) <= 20 and (
            normalize(t).lower().rstrip(".") in _EXACT or year_of_header(t) or any(w in t for w in _SUB_WORDS)))
        if hits * 2 < len(raw) or any(len(t) > 20 for t in raw.values()):
            break
        rows.append(r)
        r += 1
    return rows


def header_parts(grid: Grid, rows: list[int], c: int) -> list[str]:
    parts: list[str] = []
    for r in rows:
        t = grid.text(r, c) or (_group_label(grid, r, c, rows[-1]) if r != rows[-1] else "")
        if t and (not parts or parts[-1] != t):
            parts.append(t)
    return parts


def _group_label(grid: Grid, r: int, c: int, bottom: int) -> str:
    """A year written once over its columns without merging them (a CSV, or cells left unmerged):
    「令和4年度 | (空)」 over 「実績 | 評価」 — the empty cell belongs to the year on its left, while the row
    below goes on naming parts of it."""
    for left in range(c, 0, -1):
        under = grid.text(bottom, left)
        if not under or not any(w in under for w in _SUB_WORDS):
            return ""
        label = grid.text(r, left) if left != c else ""
        if label:
            return label if year_of_header(label) else ""
    return ""


# --- rows -----------------------------------------------------------------------------------------

def classify_rows(grid: Grid, first: int, *, header_bottom: dict[int, str], text_col: int | None,
                  status_cols: set[int]) -> list[str]:
    """The kind of every row from ``first`` to the sheet's last (``kinds[r - first]``), a legend's
    continuation rows included. Kept on the grid: inspect and the preview of an unchanged mapping ask the
    same question of the same rows, and the answer is read once. Shared: do not modify."""
    key = ("rows", first, tuple((c, t) for c, t in header_bottom.items() if t), text_col, frozenset(status_cols))
    kinds = grid.memo.get(key)
    if kinds is None:
        kinds = []
        in_legend = False
        for r in range(first, grid.max_row + 1):
            kind = classify_row(grid, r, header_bottom=header_bottom, text_col=text_col, status_cols=status_cols,
                                in_legend=in_legend)
            in_legend = kind == "legend" or (in_legend and kind != "blank")
            kinds.append(kind)
        _mark_repeated_group_rows(grid, first, kinds)
        _mark_footer(grid, first, kinds, status_cols)
        _mark_indicator_rows(grid, first, kinds, text_col, status_cols)
        grid.memo[key] = kinds
    return kinds  # type: ignore[return-value]


# What a document ends with, under its table (公文書の末尾): who made it and whom to ask, in one cell
# (「作成者：情報政策課」「担当：情報政策課 内線1234」「【問い合わせ先】…」) or as a label and its value in two cells
# (「問い合わせ先 | 内線 1234」); the date it stands at (「令和6年4月1日現在」「2024/4/1 時点」); 「以上」.
_FOOTER_LABEL = re.compile(
    r"^[【\[(〔<]?\s*(?:作成者|作成課|作成部署|作成部局|作成所属|作成担当|記入者|記載者|回答者|報告者|担当者|担当課|担当部署|"
    r"担当|所管課|お?問い?合わ?せ?先?|照会先|連絡先|電話番号|電話|TEL|内線|FAX|ファクス|ファックス|E-?メール|メール|E-?MAIL|"
    r"作成日|更新日|記入日|作成年月日|回答日|報告日|提出日)\s*[】\])〕>]?\s*(?:[:：]|\s|$)", re.IGNORECASE)
_FOOTER_DATE = re.compile(
    r"^[(（]?\s*(?:(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*年\s*\d{1,2}\s*月(?P<jday>\s*\d{1,2}\s*日)?"
    r"|\d{4}\s*年\s*\d{1,2}\s*月(?P<wday>\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}(?P<sday>[-/.]\d{1,2})?"
    r"|(?:R|H)\s*\d{1,2}\.\d{1,2}(?P<rday>\.\d{1,2})?)"
    r"\s*(?P<suffix>末?\s*(?:現在|時点|作成|更新|改訂|発行|策定|付け?))?\s*[)）]?$", re.IGNORECASE)
_FOOTER_END = re.compile(r"^[-－ー—]*\s*以\s*上\s*[。.]?\s*[-－ー—]*$")


def is_footer_row(raw: dict[int, str], *, status_cols: set[int]) -> bool:
    """Whether a row reads as the lines a document ends with (作成者・問い合わせ先・担当・日付・以上), and holds no
    result: a row with a result is an initiative, whatever its words. Asked only of the rows under the table's
    last initiative (:func:`_mark_footer`): 「担当」 or a date elsewhere in the sheet is not this."""
    if not raw or len(raw) > 3 or any(c in status_cols for c in raw):
        return False
    first = nfkc(next(iter(raw.values())))
    if _FOOTER_LABEL.match(first):
        return True
    if len(raw) <= 2 and (m := _FOOTER_DATE.match(first)):
        return bool(m.group("suffix") or m.group("jday") or m.group("wday") or m.group("sday") or m.group("rday"))
    return len(raw) == 1 and bool(_FOOTER_END.match(first))


def _mark_repeated_group_rows(grid: Grid, first: int, kinds: list[str]) -> None:
    """A header of two or three rows typed again at a page break: the rows right above a repeated header that
    read exactly as the group rows above the sheet's header (「基本情報 | 進捗」 over 「No. | 取組名 | R5」) are the
    repeat too, not a heading or an initiative. ``first - 1`` is the header's bottom row."""
    bottom = first - 1
    groups: list[dict[int, str]] = []
    for k in (1, 2):
        group = _texts(grid, bottom - k, fill=False) if bottom - k >= 1 else {}
        if not group:
            break
        groups.append(group)
    if not groups:
        return
    for i, kind in enumerate(kinds):
        if kind != "repeated_header":
            continue
        for k, group in enumerate(groups, start=1):
            if i - k < 0 or _texts(grid, first + i - k, fill=False) != group:
                break
            kinds[i - k] = "repeated_header"


def _mark_footer(grid: Grid, first: int, kinds: list[str], status_cols: set[int]) -> None:
    """The rows under the last initiative that read as what a document ends with are ``footer`` rows, read from
    the sheet's end up to the last data row that is not one (legends, totals, notes and blank rows between)."""
    for i in range(len(kinds) - 1, -1, -1):
        kind = kinds[i]
        if kind in ("data", "block", "legend") and is_footer_row(_texts(grid, first + i, fill=False),
                                                                 status_cols=status_cols):
            kinds[i] = "footer"
        elif kind == "data":
            return


# A 区分 column telling the 取組 rows from the rows of the 施策's indicator (総合戦略 KPI 進捗: 「KPI | 創業件数 | 50 | 42」
# over 「取組 | 創業セミナーの開催 | … | 順調」).
_INDICATOR_WORDS = frozenset({"KPI", "指標", "成果指標", "数値目標", "目標指標", "重要業績評価指標", "重要業績評価指標(KPI)",
                              "KPI(重要業績評価指標)", "活動指標", "評価指標"})
_INITIATIVE_WORDS = frozenset({"取組", "取り組み", "取組み", "主な取組", "具体的取組", "具体的な取組", "事業", "主な事業", "施策",
                               "具体的施策", "具体的な施策", "取組内容"})


def _mark_indicator_rows(grid: Grid, first: int, kinds: list[str], text_col: int | None, status_cols: set[int]) -> None:
    """Rows of an indicator among the 取組 rows are ``indicator`` rows: a column (neither the text nor a result
    column) holds only 取組 words and indicator words (「取組」「KPI」), and the row's value there is an indicator
    word with no result. Its 目標値 / 実績値 belong to the indicators import, not to an initiative."""
    data = [i for i, k in enumerate(kinds) if k == "data"]
    if not data or not status_cols:
        return
    for c in range(1, grid.max_col + 1):
        if c == text_col or c in status_cols:
            continue
        values = [nfkc(grid.text(first + i, c)).replace(" ", "") for i in data]
        seen = {v for v in values if v}
        if not (seen & _INDICATOR_WORDS and seen & _INITIATIVE_WORDS and seen <= _INDICATOR_WORDS | _INITIATIVE_WORDS):
            continue
        for i, v in zip(data, values, strict=True):
            if v in _INDICATOR_WORDS and not any(grid.text(first + i, s) for s in status_cols):
                kinds[i] = "indicator"
        return


def classify_row(grid: Grid, r: int, *, header_bottom: dict[int, str], text_col: int | None,
                 status_cols: set[int], in_legend: bool) -> str:
    raw = _texts(grid, r, fill=False)
    if not raw:
        return "blank"
    values = list(raw.values())
    if sum(1 for c, t in raw.items() if header_bottom.get(c) == t) >= 2:
        return "repeated_header"
    if is_example_row(raw, text_col=text_col, status_cols=status_cols) or is_instruction_row(raw):
        return "example"
    if any("凡例" in t and normalize(t).lstrip("【［[(（").startswith("凡例") for t in values):
        return "legend"
    if in_legend and (parse_legend(values) or (len(raw) == 2 and parse_legend([" ".join(values)]))) \
            and not (text_col and text_col in raw and len(raw) > 2):
        return "legend"  # 「1：完了」, or a two-column legend table's 「1 | 完了」, under a 「凡例」 row
    if len(raw) == 1 and len(parse_legend(values)) >= 2:
        return "legend"  # 「◎：完了　○：順調　△：遅れ」 alone in a cell, without the word 凡例
    if _is_count_table_row(raw, text_col):
        return "total"
    heads = [normalize(t) for t in values[:3]]
    if heads[0] in _TOTALS or heads[0].startswith(("合計", "小計", "総計")) or any(h in ("合計", "小計", "総計") for h in heads):
        return "total"
    if len(raw) <= 2 and _NOTE.match(values[0].strip()) and not any(c in status_cols for c in raw):
        return "note"  # 「※1 | 担当課は令和5年度の組織名」
    if is_empty_form_row(raw, text_col=text_col, status_cols=status_cols):
        return "empty_form"
    distinct = set(values)
    if len(distinct) == 1:
        (c, t), = list(raw.items())[:1]
        if _NOTE.match(t.strip()):
            return "note"
        merged_wide = _merged_width(grid, r, c) >= 2
        if c not in status_cols and (merged_wide or (c != text_col and (len(t) > 10 or _SHORT_HEADING.match(nfkc(t))))
                                     or is_bracketed_heading(t, whole=c == text_col) or is_bulleted_heading(t)):
            return "block"
    return "data"


# A template's sample row kept under the header: 「記入例」「例」「(例)」「【入力例】」 in a cell of its own or
# at the head of one, or the placeholders 「○○システム」「○○課」 in two cells.
_SAMPLE_WORD = r"(?:記入|入力|記載|作成|回答)?例\d*"
_SAMPLE_CELL = re.compile(rf"[【\[(<「]?{_SAMPLE_WORD}[】\])>」]?|サンプル|見本")
_SAMPLE_BRACKET = re.compile(rf"[【\[(<「]{_SAMPLE_WORD}[】\])>」]")  # 「(例)電子申請」
_SAMPLE_HEAD = re.compile(rf"{_SAMPLE_BRACKET.pattern}|(?:記入|入力|記載|作成|回答)例")  # 「記入例です。…」
_PLACEHOLDER = re.compile(r"([○〇◯●×△])\1")


def is_example_row(raw: dict[int, str], *, text_col: int | None, status_cols: set[int]) -> bool:
    """Whether a row is a sample of how to fill the table in (a 記入例 row), not an initiative. The
    initiative text itself is only a sample when it is the word alone (「記入例の作成」 is an initiative)."""
    for c, t in raw.items():
        key = normalize(t)
        if _SAMPLE_CELL.fullmatch(key):
            return True
        if c != text_col and _SAMPLE_HEAD.match(key):
            return True
        if c == text_col and _SAMPLE_BRACKET.match(key):
            return True
    placeholders = sum(1 for c, t in raw.items() if c not in status_cols and _PLACEHOLDER.search(normalize(t)))
    return placeholders >= 2


# A row telling how to fill each column in, under the header of a form: every cell in brackets
# 「（半角数字）」「（30字以内）」「（課名まで）」「（プルダウンから選択）」「（○○課）」, one at least saying what to write.
_WHOLLY_BRACKETED = re.compile(r"^[(\[〔<《]\s*(.+?)\s*[)\]〕>》]$")
_HOW_TO_FILL = re.compile(
    r"してください|して下さい|記入|入力|選択|記載|書いて|選んで|半角|全角|字以内|文字|桁|自由記述|プルダウン|リスト|まで$|"
    r"必須|任意|いずれか|数字|数値|日付|西暦|和暦|[○〇◯×△]{2}|^例[:：]"
)


def is_instruction_row(raw: dict[int, str]) -> bool:
    """Whether a row is the form's instructions for filling it in (every cell bracketed, one at least saying
    how to fill its column), not an initiative. A bracketed number (「(1)」) is an outline number, not this."""
    inner = []
    for t in raw.values():
        m = _WHOLLY_BRACKETED.match(nfkc(t))
        if not m or outline_parts(m.group(0)) is not None:
            return False
        inner.append(m.group(1))
    return bool(inner) and any(_HOW_TO_FILL.search(i) for i in inner)


def is_empty_form_row(raw: dict[int, str], *, text_col: int | None, status_cols: set[int]) -> bool:
    """Whether a row holds nothing but a number typed in advance (a form handed out with 取組No 1–20 filled
    in, five of them used): an empty row of the form, not an initiative without a name or a result."""
    return all(c != text_col and ((c not in status_cols and outline_parts(t) is not None) or is_select_prompt(t))
               for c, t in raw.items())


# A dropdown's prompt left in the cells of a form's unfilled rows (「選択してください」「▼選択」「（選択）」
# 「-- 選択 --」「プルダウンから選択」): no value anyone chose.
_SELECT_PROMPT = re.compile(r"^[▼▽↓\s\-ー－―(\[【<「]*(?:(?:プルダウン|リスト|一覧|ドロップダウン)から)?(?:選択|選んで)"
                            r"(?:してください|して下さい|ください|下さい)?[\s\-ー－―)\]】>」▼]*$")


def is_select_prompt(text: str) -> bool:
    return bool(_SELECT_PROMPT.match(nfkc(text).strip()))


_COUNT_TITLE = re.compile(r"(件数|集計|内訳)(表)?$")


def _is_count_table_row(raw: dict[int, str], text_col: int | None) -> bool:
    """A table of counts under the plan (「進捗別件数」 / 「完了 | 順調 | 遅れ」 / 「1 | 2 | 1」), not initiatives:
    its title, its head of status words, or a row of bare numbers with no initiative text."""
    values = list(raw.values())
    if len(values) == 1:
        return bool(_COUNT_TITLE.search(normalize(values[0])))
    if len(values) >= 3 and all(category_of_words(v) and len(v) <= 10 for v in values):
        return True
    text = raw.get(text_col or 0, "")
    return len(values) >= 3 and (not text or text.replace(",", "").isdigit()) and all(
        re.fullmatch(r"[\d,]+(\.\d+)?%?", v.strip()) for v in values)


# A short heading alone on its row: 「1 行政」「Ⅱ 地域」「第3章 …」「(2) 人材」「1-2 窓口」「ア 窓口」 (a number, then words).
_SHORT_HEADING = re.compile(r"^\s*(?:\d{1,2}[\s.．、:：)）]+\s*\S|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|第\s*\d+\s*[章節部編]|[(（]\d{1,2}[)）]\s*\S"
                            r"|\d{1,2}[-‐－−.．]\d{1,2}\s+\S|[アイウエオカキクケコサシスセソ][\s.．、:：)）]+\s*\S"
                            r"|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[\s.．、:：)）]+\s*\S)")  # Ⅱ is II after NFKC
# A heading in brackets alone on its row, over the table that follows: 「【重点取組】」「［その他の取組］」
# 「〔基本方針1〕行政のデジタル化」. Not a 再掲 mark, a legend or a note (read before).


_HEADING_WORD = re.compile(r"方針|目標|施策|政策|章|節|分野|柱|重点|その他|\d")


def is_bracketed_heading(text: str, *, whole: bool = False) -> bool:
    """Whether a cell alone on its row is a heading in brackets. ``whole`` is asked of the initiative text
    column, where 「【新規】電子申請」 is an initiative: there the brackets hold the whole cell (「【重点取組】」), or
    name a level of the plan (「［基本方針1］行政のデジタル化」)."""
    m = _BRACKET_HEADING.match(nfkc(text))
    if not m or re.search(r"再掲|凡例|注|例$|参考", m.group(1)):
        return False
    return not (whole and m.group(2)) or bool(_HEADING_WORD.search(m.group(1)))


# A heading typed with a heading bullet as in a Word document, alone on its row: 「■基本方針1 行政のデジタル化」
# 「◆施策2 窓口改革」「□第3章 …」「■1 行政」. In the initiative text column too, where 「■電子申請」 (no level
# of the plan after the bullet) stays an initiative.
_BULLET_HEADING = re.compile(r"^\s*[■□◆◇●]\s*(?=\S)")


def is_bulleted_heading(text: str) -> bool:
    m = _BULLET_HEADING.match(text)
    if not m:
        return False
    rest = nfkc(text[m.end():])
    return bool(re.match(rf"(?:{_TOP_WORDS}|{_ITEM_WORDS})\s*\d", rest) or _SHORT_HEADING.match(rest))


# The depth a heading's numbering says, as 公用文 number their levels (第1 → 1 → (1) → ア → (ア)): 0 a chapter, a
# 基本方針 / 基本目標 / 柱 / 分野 with its number, a Roman numeral, or no number at all (「【重点取組】」); 1 a bare number
# (「1 行政」「1.」) or a 節; 2 a bracketed number (「(1)」, 「⑴」), an outline 「1-1」 or a 施策 with its number; 3 a circled
# number (「①」), a katakana (「ア」) or 「1-1-1」; 4 a bracketed katakana (「(ア)」).
_TOP_WORDS = r"基本方針|基本目標|重点目標|重点分野|基本戦略|戦略|方針|目標|政策|施策の柱|柱|分野"
_ITEM_WORDS = r"重点施策|主要施策|基本施策|施策|取組項目|中項目|取組の方向性"
_RANKS = (
    (re.compile(rf"^(?:第\s*\d+\s*[章部編]|(?:{_TOP_WORDS})\s*\d+|{_ROMAN_NUMERAL}(?:[\s.．、:：)）-]|$))"), 0),
    (re.compile(r"^第\s*\d+\s*節"), 1),
    (re.compile(rf"^(?:{_ITEM_WORDS})\s*\d+(?![-‐－−.．]\d)"), 2),
    (re.compile(r"^\d{1,3}(?:[-‐－−.．]\d{1,3}){2}(?!\d)"), 3),
    (re.compile(r"^(?:\d{1,3}[-‐－−.．]\d{1,3}(?![-‐－−.．\d])|\d{1,3}[-‐－−]?[(（]\d{1,3}[)）])"), 2),
    (re.compile(rf"^(?:(?:{_ITEM_WORDS})\s*\d+[-‐－−.．]\d+)"), 3),
    (re.compile(r"^\d{1,2}(?:[.．、:：)）]|\s|$)"), 1),
    (re.compile(r"^[(（]\s*\d{1,3}\s*[)）]"), 2),
    (re.compile(r"^[(（]\s*[アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ]\s*[)）]"), 4),
    (re.compile(r"^[アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ][\s.．、:：)）]"), 3),
)
_CIRCLED = re.compile(r"^\s*[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2776-\u277f]")


BLOCK_KINDS = ("block", "block_item", "block_subitem")  # a heading row of the 方針, 施策 or 小項目 level
_BLOCK_BRACKETS = re.compile(r"^\s*[【〔［\[]\s*(.+?)\s*[】〕］\]]\s*")


def _block_title(text: str) -> str:
    """A heading row's title without the brackets around its heading (「【基本方針1】行政」 → 「基本方針1 行政」)
    and without a leading bullet (「■基本方針1 行政」)."""
    return _BLOCK_BRACKETS.sub(r"\1 ", strip_bullet(text)).strip()


# A bullet typed before a name as in a Word document (「・電子申請」「■基本方針1」「●RPA」「○研修」): layout, not
# part of the name. Not 「○○課」 (a placeholder), 「◎」 (a lead mark) or 「×」「△」 (marks of a scale).
_BULLET = re.compile(r"^\s*[・･■□●◆◇▪▫▶►○〇◯]\s*(?=[^\s・･■□●◆◇▪▫▶►○〇◯◎×△])")


def strip_bullet(text: str) -> str:
    """The text without one leading bullet (「・電子申請の拡充」 → 「電子申請の拡充」)."""
    return _BULLET.sub("", text, count=1) if text else text


def heading_rank(text: str) -> int:
    """How deep a heading row's numbering puts it (0 the top: 「基本方針1」「第1章」「Ⅰ」 or no number; 1 「1」;
    2 「(1)」「1-1」「施策1」; 3 「①」「ア」「1-1-1」; 4 「(ア)」). Of two heading rows, the one whose numbering is
    deeper than the first level's is the level under it (a 施策 under its 方針)."""
    if _CIRCLED.match(text):
        return 3
    t = nfkc(text)
    for pattern, rank in _RANKS:
        if pattern.match(t):
            return rank
    return 0


def heading_levels(titles: list[str], *, depth: int = 3) -> list[int]:
    """The level (0 方針, 1 施策, 2 小項目) of each heading row of a sheet, in order: the first heading is the top
    level; a heading numbered deeper than the levels above it goes one level under them (「(1)」 under
    「基本方針1」), one numbered like a level above goes back to it (the next 「基本方針2」). At most ``depth``
    levels: a still deeper heading stays at the deepest. The top level keeps the first heading's numbering: a
    heading numbered less deep than it is another 方針 (「1 行政」, then 「Ⅱ 地域」, then 「3 …」: three 方針)."""
    stack: list[int] = []
    out = []
    for title in titles:
        level, stack = next_heading_level(stack, title, depth=depth)
        out.append(level)
    return out


def next_heading_level(stack: list[int], title: str, *, depth: int = 3) -> tuple[int, list[int]]:
    """One step of :func:`heading_levels`: the level of the heading ``title`` under the ranks ``stack`` of the
    levels open above it, and the ranks open after it."""
    rank = heading_rank(title)
    level = min(sum(1 for k in stack if k < rank), depth - 1)
    return level, ([*stack[:level], rank] if level else [stack[0] if stack else rank])


def _merged_width(grid: Grid, r: int, c: int) -> int:
    w = 1
    while (r, c + w) in grid.merged and grid.merged[(r, c + w)] == (r, c):
        w += 1
    return w


def _legend_texts(grid: Grid, rows: range) -> list[str]:
    """One text per row (「1」「完了」 in two cells read as 「1 完了」)."""
    out = []
    for r in rows:
        texts = list(_texts(grid, r, fill=False).values())
        if texts:
            out.append(" ".join(texts))
    return out


# --- sheets ---------------------------------------------------------------------------------------

# Sheets that show how to fill the file in, not the plan (a template's 記入例 carries a sample row).
EXAMPLE_SHEET_WORDS = ("記入例", "入力例", "記載例", "作成例", "記入方法", "入力方法", "記入要領", "作成要領", "使い方",
                       "注意事項", "サンプル", "見本")


def is_example_sheet(name: str) -> bool:
    key = normalize(name)
    return any(w in key for w in EXAMPLE_SHEET_WORDS) or key in ("例", "説明", "説明書き")


def is_legend_sheet(name: str) -> bool:
    key = normalize(name)
    return "凡例" in key or key in ("評価区分", "区分", "進捗区分", "評価基準")


def inspect_sheet(grid: Grid) -> tuple[SheetReport, SheetMapping, list[str]]:
    """Report, proposed sheet mapping and the status values of one sheet."""
    if is_example_sheet(grid.name) or is_legend_sheet(grid.name):
        why = "凡例のシート" if is_legend_sheet(grid.name) else "記入例・説明のシート（見本の行は計画ではありません）"
        rep = SheetReport(grid.name, False, why)
        rep.legend = parse_legend(_legend_texts(grid, range(1, grid.max_row + 1)))
        return rep, SheetMapping(grid.name, use=False, comment=f"使いません: {why}"), []
    header = find_header(grid)
    if why := not_plan_sheet(grid, header):  # 記入上の注意, 集計: a table, but not of the plan's initiatives
        rep = SheetReport(grid.name, False, why)
        if not why.startswith("集計"):
            rep.legend = parse_legend(_legend_texts(grid, range(1, grid.max_row + 1)))
        return rep, SheetMapping(grid.name, use=False, comment=f"使いません: {why}"), []
    legend_sheet = "凡例" in grid.name or "説明" in grid.name
    if not header:
        why = "凡例のシート" if legend_sheet else "見出し行（取組名・取組No などの列）が見つかりません"
        rep = SheetReport(grid.name, False, why)
        rep.legend = parse_legend(_legend_texts(grid, range(1, grid.max_row + 1)))
        return rep, SheetMapping(grid.name, use=False, comment=f"使いません: {why}"), []
    bottom = header[-1]
    columns: list[ColumnReport] = []
    taken: dict[str, ColumnReport] = {}
    first_data = bottom + 1
    weak: list[tuple[ColumnReport, list[str]]] = []
    side_legend: list[str] = []
    guessed_as: dict[str, str | None] = {}  # column letter → the field its header names (before any is taken)
    for c in range(1, grid.max_col + 1):
        parts = header_parts(grid, header, c)
        letter = get_column_letter(c)
        samples = column_texts(grid, c, first_data)
        samples = [s for s in samples if s]
        if not parts:
            if samples:
                columns.append(ColumnReport(letter, NO_HEADER, None, "見出しがないため取り込みません", samples=samples[:3]))
            continue
        if any("凡例" in p for p in parts):  # a legend kept in a column beside the table
            side_legend += samples
            if c < grid.max_col and not header_parts(grid, header, c + 1):  # 「1 | 完了」 in two columns
                side_legend += [f"{k} {w}" for k, w in zip(column_texts(grid, c, first_data),
                                                          column_texts(grid, c + 1, first_data), strict=True) if k and w]
            columns.append(ColumnReport(letter, " ".join(parts), None, "凡例の列です（実施結果の区分の説明として読みます）",
                                        samples=samples[:3]))
            continue
        yh = year_of_header(" ".join(parts))
        relative = ""
        if not yh and (rel := _relative_year(parts)) and (title_fy := _title_year(grid, header)):
            yh, relative = (title_fy + rel[0], rel[1]), rel[2]  # 「今年度評価」 under 「令和6年度 … 調書」
        if not yh:
            for i, part in enumerate(parts):  # a header cell of its own: 「R4」 under 「進捗状況」 (a CSV, no merge)
                y = year_of_header(part)
                if y and not y[1]:
                    yh = (y[0], " ".join(p for j, p in enumerate(parts) if j != i))
                    break
        if yh:
            fy, rest = yh
            kind = year_kind_of_parts(parts, rest)
            content = _content_kind(samples)
            if kind == "indicator" or content == "number":
                columns.append(ColumnReport(letter, " ".join(parts), None,
                                            f"{fy}年度の数値（指標）の列です。指標は指標の取込で扱います（取り込みません）",
                                            samples=samples[:3]))
                continue
            if kind == "plan":
                columns.append(ColumnReport(letter, " ".join(parts), None,
                                            f"{fy}年度の計画（予定）の列です。その年度の実施結果でも実績でもないので取り込みません",
                                            samples=samples[:3]))
                continue
            fld = "outcome" if content == "text" and kind != "status" else "status"
            if kind == "outcome" and content != "text":
                fld = "status"
            why = (f"見出しに年度（{fy}年度）があり、値が" + ("区分（短い値）" if fld == "status" else "文章") +
                   "なので年度ごとの" + ("実施結果" if fld == "status" else "実績・成果") + "として取り込みます")
            if relative:
                why += f"（見出しの「{relative}」は表題の年度から{fiscal_year_label(fy)}と読みます。確かめてください）"
            columns.append(ColumnReport(letter, " ".join(parts), None, why, fy, fld, samples[:3], kind, year_rest=rest))
            continue
        fld, why = guess_field(parts, weak=False)
        rep_col = ColumnReport(letter, " ".join(parts), None, why, samples=samples[:3])
        columns.append(rep_col)
        if fld in (None, *_GROUPING) and is_mark_column(samples):
            rep_col.flag = True
            rep_col.reason = (f"値が印（{'、'.join(sorted(set(samples)))}）か空欄だけの列です。方針・施策の区分でも取組内容でも"
                              f"実施結果でもない印なので、印のある取組の備考に「{rep_col.header}: {samples[0]}」のように残します")
            continue
        guessed_as[letter] = fld
        if fld and fld not in taken:
            rep_col.field = fld
            taken[fld] = rep_col
        elif fld:
            rep_col.reason = f"「{taken[fld].header}」（{taken[fld].letter}列）を既に割り当てたため取り込みません"
        else:
            weak.append((rep_col, parts))
    _leave_out_schedules(grid, columns, first_data)
    # Registered names first, then headers that only contain a known word (「主な取組内容」): those holding a
    # whole registered name (「具体的な取組内容」 ⊃ 取組内容) before those holding only a word (「重点取組」 ⊃ 取組).
    guessed = [(rep_col, parts, *guess_field(parts)) for rep_col, parts in weak]
    guessed.sort(key=lambda g: not contains_field_name(g[1], g[2]))
    for rep_col, _parts, fld, why in guessed:
        guessed_as[rep_col.letter] = fld
        rep_col.reason = why
        if fld == "text" and fld in taken and "item" not in taken and _groups_rows(grid, rep_col, first_data):
            # The weaker 「…取組」 column beside the content column repeats one value over consecutive rows:
            # it is the group the initiatives belong to.
            rep_col.field, taken["item"] = "item", rep_col
            rep_col.reason = (
                f"{why}。取組内容は「{taken['text'].header}」（{taken['text'].letter}列）で、この列は"
                "同じ値が続く区分なので取組項目（中項目）として取り込みます（推定）"
            )
        elif fld and fld in taken:
            rep_col.reason = f"{why}。ただし「{taken[fld].header}」（{taken[fld].letter}列）を既に割り当てたため取り込みません"
        elif fld:
            rep_col.field = fld
            taken[fld] = rep_col
    pair_name_and_text(columns, taken, guessed_as)
    if "status" not in taken and "outcome" in taken and not any(c.year_field == "status" for c in columns):
        # 「実施状況」「取組状況」 is an account of the work in one plan and the result itself in another: a few
        # short values that read as results (実施済 / 実施中 / 未実施) make it the result column.
        oc = taken["outcome"]
        c = column_index_from_string(oc.letter)
        values = [t for t in column_texts(grid, c, first_data) if t]
        distinct = set(values)
        if (
            values
            and _content_kind(values) == "scale"
            and all(len((split_annotation(v) or (v,))[0]) <= 10 and is_status_word(v) for v in distinct)
        ):
            del taken["outcome"]
            oc.field, taken["status"] = "status", oc
            oc.reason = (
                f"見出し「{oc.header}」の値が実施結果の区分（{'、'.join(sorted(distinct)[:4])}）なので、"
                "実施結果として取り込みます（推定）"
            )
    if "status" in taken:
        # A result column holds a few short values (a scale); sentences there are an account of the work, and
        # reading their words as results (「研修を実施した」 → 実施中) would be wrong without a word said.
        st = taken["status"]
        c = column_index_from_string(st.letter)
        values = [t for t in column_texts(grid, c, first_data) if t]
        if _content_kind(values) == "text":
            del taken["status"]
            if "outcome" not in taken:
                st.field, taken["outcome"] = "outcome", st
                st.reason = f"見出し「{st.header}」の値が文章なので、実施結果ではなく実績・成果として取り込みます"
            else:
                st.field = None
                st.reason = f"見出し「{st.header}」の値が文章なので、実施結果の列にしません（取り込みません）"
    rivals = _status_rivals(grid, columns, taken, header, first_data) if "status" in taken else []
    if rivals:
        # 「担当課評価 | 所管部評価」, 「評価」 over 「担当課 | 所管部」: two columns of results side by side, each by
        # another hand. Which one is the plan's result is the user's to say; the first is never picked silently.
        st = taken.pop("status")
        both = [st, *rivals]
        named = "、".join(f"{c.letter}列「{c.header}」" for c in both)
        for c in both:
            c.field = None
            c.reason = (f"実施結果の列が二つ以上あります（{named}）。どれを実施結果とするか推測しません。"
                        f"[sheets.columns] に status = \"{c.letter}\" のように指定してください")
    if "outcome" in taken:
        # 「実績」 holding only numbers (120, 38, 0) is an indicator's value, not an account of the work.
        oc = taken["outcome"]
        c = column_index_from_string(oc.letter)
        values = [t for t in column_texts(grid, c, first_data) if t]
        if len(values) >= 2 and all(_NUMBER.fullmatch(nfkc(v)) for v in values):
            del taken["outcome"]
            oc.field = None
            oc.reason = (f"見出し「{oc.header}」の値がすべて数値なので、指標（KPI）の値の列です。"
                         "実績・成果（文章）にはしません（取り込みません。指標は指標の取込で扱います）")
    # A yearly 「…の実績」 column holds the year's actuals when the result is elsewhere: in the sheet's own
    # 実施結果 column, or in a 「進捗」 column of the same year (令和4年度: 進捗 | 実績).
    status_of_year = {c.year: c for c in columns if c.year and c.year_field == "status" and c.year_kind == "status"}
    for c in columns:
        if c.year and c.year_field == "status" and c.year_kind == "outcome":
            other = taken.get("status") or status_of_year.get(c.year)
            if other is not None:
                c.year_field = "outcome"
                c.reason = (f"見出しに年度（{c.year}年度）と「実績」があり、実施結果は「{other.header}」"
                            f"（{other.letter}列）にあるため、年度ごとの実績・成果として取り込みます")
    rate_col, fractions = None, False
    if not any(c.year_field == "status" for c in columns) and (
            "status" not in taken or _RATE_HEADER.search(normalize(taken["status"].header))):
        if (rate := _progress_rate_column(grid, columns, first_data, taken.get("status"))) is not None:
            rate_col, fractions = rate
            taken["status"] = next(c for c in columns if column_index_from_string(c.letter) == rate_col)
    if "status" not in taken and "direction" in taken and not any(c.year for c in columns):
        d = taken.pop("direction")
        d.field, d.reason = "status", d.reason + "。実施結果の列がないため、今後の方向性を区分として使います"
        taken["status"] = d
    # A legend written in the result column's own header cell: 「進捗状況（1:完了 2:順調 3:遅れ 4:未着手）」.
    side_legend += [c.header for c in columns if (c.field == "status" or c.year_field == "status")
                    and len(parse_legend([c.header])) >= 2]
    if "fiscal_year" in taken:  # 「年度」: each row one year's result of an initiative written over several rows
        yc = taken["fiscal_year"]
        why = check_year_column(grid, yc.header, yc.letter, first_data, [taken[k].letter for k in ("label", "text") if k in taken])
        if why:
            del taken["fiscal_year"]
            yc.field, yc.reason = None, why
        else:
            yc.reason = year_column_reason(yc.header)
    col_of = {k: column_index_from_string(v.letter) for k, v in taken.items()}
    text_col = col_of.get("text")
    status_cols = {column_index_from_string(c.letter) for c in columns if c.field == "status" or c.year_field == "status"}
    # Both of two result columns hold the scale: whichever the user names as status, its values are known.
    status_cols |= {column_index_from_string(c.letter) for c in ([st, *rivals] if rivals else [])}
    bottom_texts = {c: grid.text(bottom, c) for c in range(1, grid.max_col + 1)}
    rows: list[RowReport] = []
    data_rows = 0
    label_col = col_of.get("label")
    numbered: list[tuple[str, bool]] = []
    kinds = classify_rows(grid, first_data, header_bottom=bottom_texts, text_col=text_col, status_cols=status_cols)
    for r, kind in enumerate(kinds, start=first_data):
        if kind == "data":
            data_rows += 1
            if label_col:
                numbered.append((grid.text(r, label_col), any(grid.text(r, c) for c in status_cols)))
            continue
        if kind == "blank" and not _texts(grid, r):
            continue  # trailing emptiness is not worth a line
        rows.append(RowReport(r, kind, " ".join(_texts(grid, r, fill=False).values())[:60]))
    if not {"item", "subitem"} & taken.keys():  # heading rows on two levels: 「基本方針1」 over 「(1) 施策」
        blocks = [rr for rr in rows if rr.kind == "block"]
        titles = [" ".join(_texts(grid, rr.row, fill=False).values()) for rr in blocks]
        for rr, level in zip(blocks, heading_levels([_block_title(t) for t in titles]), strict=True):
            rr.kind = BLOCK_KINDS[level]
    legend = parse_legend(_legend_texts(grid, range(1, header[0])) +
                          [t for rr in rows if rr.kind in ("legend", "note") for t in [rr.text]] + side_legend)
    values = []
    for c in sorted(status_cols):
        for r in range(first_data, grid.max_row + 1):
            t = grid.text(r, c, fill_merged=False)
            if t and not any(rr.row == r for rr in rows):
                if c == rate_col and (p := percent_of(t, fractions=fractions)) is not None:
                    t = percent_text(p)  # 0.5 in a cell shown as 50%: the scale's 1～99%
                values.append(t)
    rep = SheetReport(grid.name, True, f"見出し {', '.join(map(str, header))} 行目", header, columns, rows, data_rows, legend,
                      outline=is_outline(numbered), percent_fractions=rate_col is not None and fractions,
                      status_rivals=[f"{c.letter}列「{c.header}」" for c in ([st, *rivals] if rivals else [])])
    sm = SheetMapping(
        grid.name, True, header,
        columns={k: v.letter for k, v in sorted(taken.items(), key=lambda kv: column_index_from_string(kv[1].letter))},
        years=[YearColumn(c.letter, c.year, c.year_field or "status", c.header) for c in columns if c.year],
        comment="\n".join([f"見出し {', '.join(map(str, header))} 行目、データ {data_rows} 行"] +
                          _row_lines([r for r in rows if r.kind != "blank"])[:30] +
                          [f"{c.letter}列「{c.header}」: {c.reason}" for c in columns if not c.field and not c.year]),
        flags=[c.letter for c in columns if c.flag],
        column_reasons={k: v.reason for k, v in taken.items()},
        headers={c.letter: c.header for c in columns},
    )
    if titled := title_policy(grid, header):  # 「施策1　行政手続のオンライン化」 above the table of sheet 「施策1」
        r, sm.policy = titled
        sm.comment += (f"\n方針（シートから取るとき）: {r}行目の表題「{' '.join(_texts(grid, r, fill=False).values())}」から"
                       f"「{sm.policy}」（シート名「{grid.name}」より詳しい名前）")
    if data_rows == 0:
        sm.use, rep.used, rep.why = False, False, "見出しの下にデータ行がありません"
        sm.comment = "使いません: 見出しの下にデータ行がありません"
    return rep, sm, values


def names_status(parts: list[str]) -> bool:
    """Whether a header names a result: as a whole (「担当課評価」 ⊃ 評価) or by one of its cells (「評価」 over
    「所管部」). Not a rate (「進捗率」), a reason (「評価の理由」) or an explanation (「進捗に関する説明」)."""
    if guess_field(parts)[0] == "status":
        return True
    return any(guess_field([p], weak=False)[0] == "status" for p in parts) and guess_field(parts)[0] in (None, "status",
                                                                                                       "departments")


_RELATIVE_YEAR = re.compile(r"^(今年度|本年度|当年度|前年度|昨年度|次年度|来年度|翌年度)(.*)$")
_TITLE_YEAR = re.compile(r"((?:令和|平成|R|H)(?:元|\d{1,2})|(?:19|20)\d{2})年度")


def _relative_year(parts: list[str]) -> tuple[int, str, str] | None:
    """``(offset, rest, word)`` of a header naming its year relative to the sheet's: 「今年度評価」 → (0, 評価),
    「前年度評価」 → (-1, 評価)."""
    m = _RELATIVE_YEAR.match(normalize("".join(parts)))
    if not m:
        return None
    offset = {"前年度": -1, "昨年度": -1, "次年度": 1, "来年度": 1, "翌年度": 1}.get(m.group(1), 0)
    return offset, m.group(2), m.group(1)


def _title_year(grid: Grid, header: list[int]) -> int | None:
    """The one fiscal year the rows above the header name (「令和6年度 DX推進計画 進捗状況調書」), or ``None``
    (none, or two years: which one 「今年度」 is would be a guess)."""
    found = set()
    for r in range(1, header[0]):
        for c in range(1, grid.max_col + 1):
            for m in _TITLE_YEAR.finditer(expand_era(normalize(grid.text(r, c)))):
                try:
                    found.add(parse_fiscal_year(m.group(1)))
                except WarekiError:
                    return None
    return found.pop() if len(found) == 1 else None


def _status_rivals(grid: Grid, columns: list[ColumnReport], taken: dict[str, ColumnReport], header: list[int],
                   first_data: int) -> list[ColumnReport]:
    """The columns left out beside the result column that name a result too and hold a scale's short values
    (「担当課評価」 beside 「所管部評価」, both A/B/C): the result column is not the first one's to take."""
    st = taken["status"]
    out: list[ColumnReport] = []
    for c in columns:
        if c is st or c.field or c.year or c.flag:
            continue
        parts = header_parts(grid, header, column_index_from_string(c.letter))
        if not names_status(parts) or is_indicator_header(parts):
            continue
        if re.search(r"(件数|数|率|別)(\(.*\))?$", normalize(" ".join(parts))):
            continue  # 「進捗状況別件数」: a count of the results, not one
        col = column_index_from_string(c.letter)
        lo, hi = sorted((col, column_index_from_string(st.letter)))
        if any(not any(grid.text(r, x) for r in range(1, min(grid.max_row, first_data + 200) + 1))
               for x in range(lo + 1, hi)):
            continue  # an empty column between: another table beside the plan's (a count table)
        values = [t for t in column_texts(grid, col, first_data) if t]
        if values and _content_kind(values) == "scale" and not is_mark_column(values):
            out.append(c)
    return out


def _row_lines(rows: list[RowReport]) -> list[str]:
    """One line per row that is not data; a form's empty rows that follow one another in one line (「7～21行目:
    様式の空き行「6」～「20」」), so that twenty of them do not hide the other rows."""
    out: list[str] = []
    i = 0
    while i < len(rows):
        r, j = rows[i], i
        while (r.kind == "empty_form" and j + 1 < len(rows) and rows[j + 1].kind == "empty_form"
               and rows[j + 1].row == rows[j].row + 1):
            j += 1
        if j > i:
            out.append(f"{r.row}～{rows[j].row}行目: {_kind_label(r.kind)}「{r.text}」～「{rows[j].text}」")
        else:
            out.append(f"{r.row}行目: {_kind_label(r.kind)}「{r.text}」")
        i = j + 1
    return out


def pair_name_and_text(columns: list[ColumnReport], taken: dict[str, ColumnReport],
                       guessed_as: dict[str, str | None]) -> None:
    """A name column and a content column side by side (「取組名」+「取組概要」, 「事業名」+「事業内容」): the name
    is the initiative's 取組名 and the content its 取組内容, rather than one of them left out. With only one of
    them, it stays the 取組内容 (as most plans name an initiative by one line)."""
    text = taken.get("text")
    if text is None or "name" in taken:
        return
    # The text column, or a column whose header names the text (dropped as the text was taken) or nothing.
    free = [c for c in columns if c is text or (c.field is None and not c.year and c.letter in guessed_as
                                                 and guessed_as[c.letter] in ("text", None))]
    parts = {c.letter: [c.header] for c in free}
    if is_name_header(parts[text.letter]):
        others = [c for c in free if c is not text and is_content_header(parts[c.letter])]
        others.sort(key=lambda c: guessed_as[c.letter] != "text")  # a registered name of the text first
        if not others:
            return
        name, content = text, others[0]
    elif is_content_header(parts[text.letter]):
        others = [c for c in free if c is not text and is_name_header(parts[c.letter])]
        if not others:
            return
        name, content = others[0], text
    else:
        return
    name.field, content.field = "name", "text"
    taken["name"], taken["text"] = name, content
    name.reason = (f"見出し「{name.header}」は取組の名前の列です。取組内容は「{content.header}」（{content.letter}列）"
                   "にあるため、取組名として取り込みます（推定）")
    content.reason = (f"見出し「{content.header}」は取組の説明の列なので取組内容として取り込みます。"
                      f"「{name.header}」（{name.letter}列）は取組名として取り込みます（推定）")


def _kind_label(kind: str) -> str:
    from .mapping import ROW_KIND_LABELS

    return ROW_KIND_LABELS.get(kind, kind)


def _leave_out_schedules(grid: Grid, columns: list[ColumnReport], first_data: int) -> None:
    """Yearly columns of one group (the same words beside their years) whose cells hold a schedule's arrows or
    bars (「●」「→」「→」 over R4 R5 R6): the plan drawn over the years, none of them a year's result."""
    groups: dict[str, list[ColumnReport]] = {}
    for col in columns:
        if col.year and col.year_field:
            groups.setdefault(normalize(col.year_rest), []).append(col)
    for group in groups.values():
        marks: list[str] = []
        for col in group:
            c = column_index_from_string(col.letter)
            marks += [t for t in column_texts(grid, c, first_data) if t and is_schedule_mark(t)]
        if not marks:
            continue
        for col in group:
            col.reason = (f"{col.year}年度の欄は実施スケジュール（計画）です（「{marks[0]}」などの矢印・線で年度の予定を"
                          "示しています）。その年度の実施結果でも実績でもないので取り込みません")
            col.year = col.year_field = None


# A progress rate: 「進捗率」「進捗率（%）」「達成率」「完了率」「進捗度(%)」.
# (「進捗度」 alone is a registered result name whose 1 / 2 / 3 may be a numbered scale: a rate only with its %.)
_RATE_HEADER = re.compile(r"(進捗|達成|完了|実施)(率[(（]?(%|パーセント)?[)）]?|度[(（]?(%|パーセント)[)）]?)$")


def _progress_rate_column(grid: Grid, columns: list[ColumnReport], first_data: int,
                          status: ColumnReport | None) -> tuple[int, bool] | None:
    """The 進捗率 column that is the sheet's only account of progress (``status``, when its header already made
    it the result), as ``(column, fractions)``: its values are percentages (「100%」「50%」, or Excel percent
    cells kept as 1 / 0.5 / 0: ``fractions``). A 達成率 beside an indicator's 目標値 / 実績値 is that indicator's
    rate (left out, as every KPI column)."""
    indicators = [c for c in columns if not c.field and not c.year and is_indicator_header([c.header])]
    for col in [status] if status is not None else columns:
        key = normalize(col.header)
        if (col.field and col is not status) or col.year or not _RATE_HEADER.search(key):
            continue
        if not key.startswith("進捗") and len(indicators) > 1:
            continue  # 達成率 beside 目標値 / 実績値: a KPI's
        c = column_index_from_string(col.letter)
        # A dash among the rates (対象外? 未着手?) is no rate: it is asked at its cell, as in any scale.
        values = [t for t in column_texts(grid, c, first_data) if t and not is_no_value(t)]
        bare = [percent_of(v, fractions=False) for v in values if "%" not in nfkc(v)]
        if len(values) < 2 or any(percent_of(v, fractions=False) is None for v in values):
            continue
        fractions = bool(bare) and all(0 <= (x or 0) <= 1 for x in bare)
        if any(not 0 <= (percent_of(v, fractions=fractions) or 0) <= 100 for v in values):
            continue  # 120%: a KPI's achievement, not how far the work has gone
        shown = "、".join(dict.fromkeys(percent_text(percent_of(v, fractions=fractions) or 0) for v in values[:5]))
        col.field = "status"
        col.reason = (f"見出し「{col.header}」の値が割合（{shown}）で、ほかに実施結果の列がないため、進捗率を実施結果として"
                      "取り込みます（100% = 完了、0% = 未着手、その間 = 実施中。推定）"
                      + ("。値は Excel の%表示のセル（1 = 100%、0.5 = 50%）として読みます" if fractions else ""))
        return c, fractions
    return None


def column_texts(grid: Grid, c: int, first_data: int, rows: int = 200) -> list[str]:
    """The texts of column ``c`` in the first ``rows`` rows under the header, as samples of what it holds. A
    cell merged down (a 担当課 over three rows) is each row's; a cell merged across the row (a 基本方針 heading
    over the whole table) is its first column's only, so that its long text does not make every column look
    like sentences."""
    out = []
    for r in range(first_data, min(grid.max_row, first_data + rows) + 1):
        origin = grid.merged.get((r, c))
        out.append("" if origin is not None and origin[1] != c else grid.text(r, c))
    return out


def _groups_rows(grid: Grid, rep_col: ColumnReport, first_data: int) -> bool:
    """Whether the column's values run over consecutive rows (a group: fewer runs than rows)."""
    c = column_index_from_string(rep_col.letter)
    values = [v for v in column_texts(grid, c, first_data) if v]
    runs = sum(1 for i, v in enumerate(values) if i == 0 or v != values[i - 1])
    return len(values) >= 2 and runs < len(values)


# Marks that flag a row (「重点」「新規」 columns): not a result scale's ×/△, which say something of their own.
MARKS = frozenset("○〇◯◎●レ✓✔☑■◆★☆")
_GROUPING = ("policy", "item", "subitem", "text")


def is_mark_column(samples: list[str]) -> bool:
    """Whether a column's values are only marks (○ / ◎ / ● / レ / ✓) or blank: a flag on some rows (「重点取組」
    marked ○), never a grouping level, an initiative's text or a result."""
    return bool(samples) and all(nfkc(s) in MARKS or s.strip() in MARKS for s in samples)


def _content_kind(samples: list[str]) -> str:
    """``number`` (indicator values), ``scale`` (a few short values) or ``text``."""
    if not samples:
        return "scale"
    def numeric(s: str) -> bool:
        return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?%?", s.strip())) and not is_bare_number(s)
    if all(numeric(s) for s in samples) and len({*samples}) > 5:
        return "number"
    if all(re.fullmatch(r"-?[\d,]+\.\d+%?|-?\d{3,}[\d,]*%?", s.strip()) for s in samples):
        return "number"
    long = sum(1 for s in samples if len(s) > 20)
    if long * 3 > len(samples) or len(set(samples)) > 12:
        return "text"
    return "scale"


# The question of a single result column, as the TOML comment asks it (its values are the TOML's).
RESULT_QUESTION = "単一の実施結果列を最終点検（final）とするか、ある年度の年度点検（annual）とするか"


def scale_question(entry: ScaleEntry) -> str:
    """The question of a status whose category is not known."""
    return f"実施結果「{entry.value}」の区分: {entry.reason}"


def inspect_grids(grids: list[Grid], *, name: str) -> InspectResult:
    reports: list[SheetReport] = []
    sheets: list[SheetMapping] = []
    values: list[str] = []
    legend: dict[str, str] = {}
    for grid in grids:
        rep, sm, vals = inspect_sheet(grid)
        reports.append(rep)
        sheets.append(sm)
        values += vals
        for k, v in rep.legend.items():
            legend.setdefault(k, v)
    questions: list[str] = [f"シート「{s.name}」: {s.comment.splitlines()[0].removeprefix('使いません: ')}"
                            for s in _leave_out_tables_without_results(reports, sheets)]
    questions += [f"シート「{rep.name}」: 実施結果の列が二つ以上あります（{'、'.join(rep.status_rivals)}）。どれを実施結果と"
                  "するか [sheets.columns] の status に指定してください" for rep in reports if rep.used and rep.status_rivals]
    used = [s for s in sheets if s.use]
    # One sheet per fiscal year (「令和4年度」「R5」「2024年度」, nothing else in the name but a result word):
    # each is that year's results of the same initiatives.
    per_year = {s.name: yh[0] for s in used if (yh := year_of_header(s.name)) and year_column_kind(yh[1]) in (None, "status")
                and len(yh[1]) <= 6}
    if len(per_year) >= 2 and len(set(per_year.values())) == len(per_year):
        for s in used:
            if s.name in per_year and "status" in s.columns and not s.years and "fiscal_year" not in s.columns:
                s.fiscal_year = per_year[s.name]
    has_policy_col = any("policy" in s.columns for s in used)
    grid_by = {g.name: g for g in grids}
    has_blocks = any(r.kind == "block" for rep in reports if rep.used for r in rep.rows)
    if has_policy_col:
        policy_from = "column"
    elif any(rep.outline for rep in reports if rep.used):
        policy_from = "outline"
    elif has_blocks:
        policy_from = "block"
    elif len(used) > 1 or not any("item" in s.columns for s in used):
        policy_from = "sheet"
    else:
        policy_from = "column"
        for s in used:  # one sheet, 施策 but no 基本方針: the 施策 are the top level
            s.columns["policy"] = s.columns.pop("item")
            s.column_reasons["policy"] = s.column_reasons.pop("item", "") + "。方針の列がないため最上位の階層にします"
    if policy_from == "column":
        for s in used:  # a title's 方針 is for rows that take their 方針 from the sheet
            s.policy = ""
    for s in used:
        if "text" not in s.columns:
            questions.append(f"シート「{s.name}」: 取組内容の列が分かりません。[sheets.columns] に text を指定してください")
    scale = propose_scale(values, legend)
    if any(rep.percent_fractions for rep in reports if rep.used):
        for e in scale:  # 1 in an Excel percent cell is 100%: the alias says how the numbers are read
            if e.value == PERCENT_BANDS[0][0] and "1" not in e.aliases:
                e.aliases.append("1")
                e.reason += "。別名「1」: 進捗率の数値は Excel の%表示のセルとして読みます（1 = 100%、0.5 = 50%）"
    for e in scale:
        if not e.category:
            questions.append(scale_question(e))
    has_single = any(has_single_result(s) for s in used)
    if has_single:
        questions.append(RESULT_QUESTION)
    del grid_by
    result, result_year = "final", None
    if has_single:
        # 「令和5年度の実績」 beside the single 実施結果 column, and no yearly status: the result is that year's
        # (its actuals would have no review to go with in a final inspection). Proposed, to be confirmed.
        years = {y.fiscal_year for s in used for y in s.years}
        if len(years) == 1 and all(y.field == "outcome" for s in used for y in s.years):
            result, result_year = "annual", years.pop()
    mapping = Mapping(sheets=sheets, scale=scale, policy_from=policy_from, source=name, questions=questions,
                      result=result, result_year=result_year)
    return InspectResult(name, reports, mapping)


def _has_result(sm: SheetMapping) -> bool:
    return "status" in sm.columns or any(y.field == "status" for y in sm.years)


def _leave_out_tables_without_results(reports: list[SheetReport], sheets: list[SheetMapping]) -> list[SheetMapping]:
    """A table with neither a result nor a 担当課 column beside sheets whose tables have a result (a 目次
    「番号 | 内容 | シート」, a list of the policies) lists no initiatives to inspect: proposed ``use = false``,
    saying why (and asked at the top of the mapping). A table with a 担当課 column is the plan's, its result
    column unrecognised: it stays, and the import asks for the column. With no sheet holding results,
    nothing is left out."""
    with_results = [s.name for s in sheets if s.use and _has_result(s)]
    left_out: list[SheetMapping] = []
    if not with_results:
        return left_out
    for rep, sm in zip(reports, sheets, strict=True):
        if sm.use and not _has_result(sm) and "departments" not in sm.columns and not rep.status_rivals:
            why = (f"実施結果の列がない表です（実施結果は「{with_results[0]}」などのシートにあります）。"
                   "目次や一覧の表で、計画の取組ではないとみなしました。取り込むなら use = true にして実施結果の列を指定してください")
            sm.use, rep.used, rep.why = False, False, why
            sm.comment = f"使いません: {why}\n" + sm.comment
            left_out.append(sm)
    return left_out


def inspect_file(path: Path | str, *, name: str | None = None) -> InspectResult:
    path = Path(path)
    name = name or path.name
    return inspect_grids(read_grids(path, name=name), name=name)


def resolve_column(grid: Grid, header_rows: list[int], col: str) -> int | None:
    """A mapping's column (a letter, or a header text as inspect shows it) as a 1-based index; ``None`` for a
    header text not in the header or a letter right of the table. A letter typed in lower case or full width
    (「c」「Ｃ」, hand-edited TOML) is that letter, unless a header says it."""
    if is_letter(col):
        idx = column_index_from_string(col)
        return idx if idx <= grid.max_col else None
    want = normalize(col)
    for c in range(1, grid.max_col + 1):
        if normalize(" ".join(header_parts(grid, header_rows, c))) == want:
            return c
    letter = nfkc(col).strip().upper()
    if is_letter(letter) and (idx := column_index_from_string(letter)) <= grid.max_col:
        return idx
    return None
