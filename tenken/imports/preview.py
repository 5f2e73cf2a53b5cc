"""Applying a mapping to a file: the plan tree as it will be created, counts per section and status,
and every problem located (``シート名!F12: …``) across all sheets at once. Nothing is written here."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import nfkc, normalize
from tenken.common.wareki import fiscal_year_label
from tenken.plans.draft import PlanDraft, assemble
from tenken.plans.source import (
    YEAR_PREFIX,
    PlanSource,
    SourceRow,
    dated_label_kept_message,
    dated_label_message,
    dated_label_text,
    restore_excel_label,
)
from tenken.plans.statuses import StatusSpec

from .fields import BY_KEY, is_content_header, is_name_header
from .inspect import (
    BLOCK_KINDS,
    NO_HEADER,
    _block_title,
    _header_score,
    _texts,
    classify_rows,
    find_header,
    header_parts,
    is_bracketed_heading,
    names_status,
    next_heading_level,
    resolve_column,
    strip_bullet,
)
from .mapping import ROW_KIND_LABELS, SKIPPED_WITH, Mapping
from .outline import LEVELS as OUTLINE_LEVELS
from .outline import parts as outline_parts
from .rowyears import merge_year_row, row_year, take_year_results
from .scale import (
    ScaleEntry,
    percent_band,
    percent_of,
    percent_reading,
    percent_text,
    question_reason,
    split_annotation,
    split_key_comment,
    status_specs,
)
from .workbook import Grid, read_grids
from .years import year_of_header

CARRIED = ("policy", "item", "subitem")
_NAMED = ("policy", "item", "subitem", "name", "text")  # a leading bullet 「・」「■」 is layout (strip_bullet)


@dataclass
class TreeNode:
    depth: int
    code: str
    title: str
    countable: int
    by_status: dict[str, int]


@dataclass
class SkippedRow:
    where: str
    kind: str
    text: str

    @property
    def kind_label(self) -> str:
        return ROW_KIND_LABELS.get(self.kind, self.kind)


@dataclass
class Preview:
    name: str
    mapping: Mapping
    draft: PlanDraft | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    statuses: list[StatusSpec] = field(default_factory=list)
    row_years: dict[int, str] = field(default_factory=dict)  # fiscal year of a 年度 column → its first cell

    @property
    def ok(self) -> bool:
        return self.draft is not None and not self.problems

    def tree(self) -> list[TreeNode]:
        if self.draft is None:
            return []
        labels = {s.code: s.label for s in self.draft.statuses}
        out = []
        for sec in self.draft.sections:
            inis = [i for i in self.draft.initiatives if not i.is_heading and i.section_key[: len(sec.key)] == sec.key]
            by = Counter(labels[_final_or_last(i)] for i in inis if _final_or_last(i))
            out.append(TreeNode(sec.depth, sec.code, sec.title, len(inis), {s.label: by.get(s.label, 0) for s in self.draft.statuses}))
        return out

    def counts(self) -> dict[str, object]:
        return self.draft.summary() if self.draft is not None else {}


def _final_or_last(ini) -> str | None:
    if ini.status:
        return ini.status
    if ini.yearly:
        return ini.yearly[max(ini.yearly)]
    return None


def _matches(entry: ScaleEntry) -> set[str]:
    return {normalize(v) for v in (entry.value, entry.label, entry.long_label, *entry.aliases) if v}


def build_preview(path: Path | str, mapping: Mapping, *, name: str | None = None,
                  grids: list[Grid] | None = None) -> Preview:
    path = Path(path)
    name = name or path.name
    try:
        grids = grids if grids is not None else read_grids(path, name=name)
    except InputRejected as exc:
        return Preview(name, mapping, None, problems=list(exc.problems))
    return preview_grids(grids, mapping, name=name)


def preview_grids(grids: list[Grid], mapping: Mapping, *, name: str) -> Preview:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    skipped: list[SkippedRow] = []
    rows: list[SourceRow] = []
    by_name = {g.name: g for g in grids}
    mapped = {s.name for s in mapping.sheets}
    for g in grids:
        if g.name not in mapped and find_header(g):
            problems.append(Problem(f"{g.name}", f"シート「{g.name}」は対応表にありません。取り込むなら対応表に加え、"
                                                 "取り込まないなら use = false で加えてください"))
    used = [s for s in mapping.sheets if s.use]
    if not used:
        problems.append(Problem(name, "取り込むシートがありません"))
    has_items = any("item" in s.columns for s in used)
    repeated: set[str] = set()  # sheets whose 施策 column only repeats their heading rows
    questions: dict[str, str] = {}
    for e in mapping.scale:
        if not e.category:
            for k in _matches(e):
                questions[k] = (f"実施結果「{e.value}」の区分が未確認です（{e.reason or question_reason(e.value)}）。"
                                "対応表の [[scale]] で category を指定してください（神奈川県の①②③とは限りません）")
    scale = [e for e in mapping.scale if e.category]
    known = set().union(*(_matches(e) for e in mapping.scale)) if mapping.scale else set()
    merged: dict[tuple[str, ...], SourceRow] = {}  # sheet-per-year rows by initiative
    row_years: dict[int, str] = {}
    for sm in used:
        grid = by_name.get(sm.name)
        if grid is None:
            problems.append(Problem(name, f"対応表のシート「{sm.name}」がファイルにありません"))
            continue
        header = _header_of(grid, sm, warnings)
        if not header:
            problems.append(Problem(grid.name, "見出し行が見つかりません。対応表の header_rows を指定してください"))
            continue
        sm = _follow_headers(grid, header, sm, problems, warnings)
        if sm is None:
            continue
        cols: dict[str, int] = {}
        for key, col in sm.columns.items():
            idx = resolve_column(grid, header, col)
            if idx is None:
                problems.append(Problem(f"{grid.name}!{header[-1]}行目", f"対応表の列「{col}」（{BY_KEY[key].label}）が見出しにありません"))
            else:
                cols[key] = idx
        years: dict[int, tuple[int, str]] = {}
        for y in sm.years:
            idx = resolve_column(grid, header, y.column)
            if idx is None:
                problems.append(Problem(f"{grid.name}!{header[-1]}行目", f"対応表の年度の列「{y.column}」（{y.fiscal_year}年度）が見出しにありません"))
            else:
                years[idx] = (y.fiscal_year, y.field)
        if "text" not in cols:
            problems.append(Problem(f"{grid.name}!{header[-1]}行目", "取組内容（text）の列が対応表にありません"))
            continue
        has_status = "status" in cols or any(f == "status" for _fy, f in years.values())
        if not has_status:
            rivals = [f"{get_column_letter(c)}列「{' '.join(parts)}」" for c in range(1, grid.max_col + 1)
                      if c not in cols.values() and c not in years
                      and names_status(parts := header_parts(grid, header, c)) and not year_of_header(" ".join(parts))]
            if len(rivals) >= 2:  # 「担当課評価 | 所管部評価」: two result columns, the user says which (never picked)
                problems.append(Problem(f"{grid.name}!{header[-1]}行目",
                                        f"実施結果の列が二つ以上あります（{'、'.join(rivals)}）。どれを実施結果とするか、"
                                        "対応表の [sheets.columns] に status = \"D\" のように列を指定してください"))
            else:
                problems.append(Problem(f"{grid.name}!{header[-1]}行目", "実施結果の列（status または年度の列）が対応表にありません"))
            continue
        if _read_rows(grid, sm, mapping, header, cols, years, rows, problems, warnings, skipped, known, has_items,
                      merged, row_years):
            repeated.add(sm.name)
    statuses = status_specs(scale)
    single = [s for s in used if "status" in s.columns and "fiscal_year" not in s.columns]  # not per-row years
    if mapping.result not in ("final", "annual") and single:
        problems.append(Problem("対応表:result", "単一の実施結果列を最終点検とするか年度点検とするかを "
                                "result = \"final\" か \"annual\"（と result_year）で指定してください"))
    if mapping.result == "annual" and mapping.result_year is None and single:
        problems.append(Problem("対応表:result_year", "result = \"annual\" のときは result_year（西暦の年度）を指定してください"))
    for e in mapping.scale:
        if len(e.label) > 50:
            problems.append(Problem(f"対応表:scale「{e.value}」", f"表示名が50文字を超えています（{len(e.label)}文字）"))
    # A 上位の取組 column names the heading of each row (as in the 別紙 CSV); otherwise heading rows are
    # rows of their own, without a result.
    _warn_duplicate_labels(rows, warnings)
    explicit = not any("parent" in s.columns for s in used)
    has_items = (any("item" in s.columns for s in used if s.name not in repeated)
                 or any(row.values.get("item") for row in rows))  # an outline's 1-1 level
    source = PlanSource(name=name, rows=rows, explicit_headings=explicit, problems=[], warnings=warnings, has_items=has_items)
    draft = None
    try:
        draft = assemble(source, statuses=statuses, questions=questions)
    except InputRejected as exc:
        problems.extend(exc.problems)
    if draft is not None:
        warnings = draft.warnings
    problems = _dedupe(problems)
    return Preview(name, mapping, draft, problems, warnings, skipped, statuses, row_years)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _warn_duplicate_labels(rows: list[SourceRow], warnings: list[Problem]) -> None:
    """The same 取組No on two rows (not a 再掲) is shown: often Excel's doing (1.10 → 1.1, 001 → 1)."""
    from tenken.plans.draft import is_repost

    first: dict[tuple[str, str], SourceRow] = {}
    for row in rows:
        label = row.values.get("label", "")
        if not label or is_repost(row.values.get("text", ""), label):
            continue
        key = (normalize(row.values.get("policy", "")), normalize(label))
        if key in first:
            warnings.append(Problem(row.refs.get("label", row.where),
                                    f"取組No「{label}」が {first[key].refs.get('label', first[key].where)} と重複しています"))
        else:
            first[key] = row


def _dated_text_labels(grid: Grid, col: int, first: int) -> dict[int, tuple[str, str, bool]]:
    """The rows whose 取組No is written as the date Excel made of a label (a CSV saved by Excel: 「1月2日」 for
    1-2, 「2024/3/1」 for 3-1): row → ``(label, original, restore)``. Restored (m-d) when the column's other
    labels are mostly numbers of an outline (1, 1-1, 1-2), or there are none; otherwise kept as written. Either
    way the cell is shown (a warning), never imported silently."""
    dated: dict[int, tuple[str, str]] = {}
    others = outline = 0
    for r in range(first, grid.max_row + 1):
        if (found := dated_label_text(grid.value(r, col))) is not None:
            dated[r] = found
        elif text := grid.text(r, col):
            others += 1
            outline += outline_parts(text) is not None
    if not dated:
        return {}
    restore = not others or outline * 2 > others
    return {r: (label, original, restore) for r, (label, original) in dated.items()}


def _year_row_key(row: SourceRow) -> tuple[str, ...]:
    v = row.values
    return (normalize(v.get("label", "")),) if v.get("label") else (
        normalize(v.get("policy", "")), normalize(v.get("item", "")), normalize(v.get("text", "")))


def _merge_year_row(row: SourceRow, merged: dict[tuple[str, ...], SourceRow], warnings: list[Problem]) -> bool:
    """A row of a sheet-per-year sheet: the first sheet's row of the same initiative (same 取組No, or the same
    text under the same 方針/施策) takes this year's result; True when merged (the row itself is not kept)."""
    key = _year_row_key(row)
    first = merged.get(key)
    if first is None:
        merged[key] = row
        return False
    take_year_results(first, row)
    if normalize(row.values.get("text", "")) != normalize(first.values.get("text", "")):
        warnings.append(Problem(row.refs.get("text", row.where),
                                f"取組内容が {first.where} と違います（最初のシートの「{first.values.get('text', '')}」を使います）"))
    return True


def _read_rows(grid: Grid, sm, mapping: Mapping, header: list[int], cols: dict[str, int],
               years: dict[int, tuple[int, str]], rows: list[SourceRow], problems: list[Problem],
               warnings: list[Problem], skipped: list[SkippedRow], known: set[str], has_items: bool,
               merged: dict[tuple[str, ...], SourceRow], row_years: dict[int, str] | None = None) -> bool:
    bottom = header[-1]
    bottom_texts = {c: grid.text(bottom, c) for c in range(1, grid.max_col + 1)}
    status_cols = {cols["status"]} if "status" in cols else set()
    status_cols |= {c for c, (_fy, f) in years.items() if f == "status"}
    flags = {c: " ".join(header_parts(grid, header, c)) for f in sm.flags if (c := resolve_column(grid, header, f))}
    used_cols = set(cols.values()) | set(years) | set(flags)
    formula_at = {(r, c) for r, c in grid.formulas}
    rates = percent_reading(mapping.scale)  # a 進捗率 scale (100% / 1～99% / 0%): how its numbers are read
    carried = dict.fromkeys(CARRIED, "")
    # The first 方針 may stand above the header (「1 基本方針：…」, then the table; the next ones above repeated
    # headers): the nearest one-cell row above the header that reads like a heading.
    # Heading rows (policy_from = "block") name the levels of the plan: the 方針, and under it the 施策 and 小項目
    # when their numbering is deeper (inspect.heading_levels), unless the sheet maps those columns.
    block_fields = ("policy",) if {"item", "subitem"} & cols.keys() else CARRIED
    blocks: list[tuple[str, str]] = []  # (title, cell) of the heading open at each level
    ranks: list[int] = []
    if mapping.policy_from == "block" and (above_heading := _heading_above(grid, header)):
        _level, ranks = next_heading_level(ranks, above_heading[0], depth=len(block_fields))
        blocks = [above_heading]
    letters = {k: get_column_letter(c) for k, c in cols.items()}
    year_letters = {c: get_column_letter(c) for c in years}  # per column once, not per cell
    sheet_policy = sm.policy or grid.name
    # A numbered outline: the numbers heading a row with a result (1, 1-1 above 1-1-1) are sections.
    outline = mapping.policy_from == "outline" and "label" in cols
    heads: set[tuple[str, ...]] = set()
    titles: dict[tuple[str, ...], str] = {}
    if outline:
        for r in range(bottom + 1, grid.max_row + 1):
            p = outline_parts(grid.text(r, cols["label"]))
            if p is not None and any(grid.text(r, c) for c in status_cols):
                heads.update(p[:k] for k in range(1, len(p)))
    kinds = classify_rows(grid, bottom + 1, header_bottom=bottom_texts, text_col=cols.get("text"),
                          status_cols=status_cols)
    dated_texts = _dated_text_labels(grid, cols["label"], bottom + 1) if "label" in cols else {}
    # A 年度 column (tenken.imports.rowyears): the rows of one initiative, one per year, become one initiative.
    by_year = "fiscal_year" in cols
    seen: dict[tuple[str, ...], tuple[SourceRow, dict[int, str]]] = {}
    above: dict[str, str] = {}  # the No and 取組内容 of the row above, for a year's row that leaves them blank
    # A sheet of one fiscal year (sm.fiscal_year): once some of its initiatives have that year's result, a row
    # left blank is asked, not silently given no result for the year (a sheet made ready and left all empty is
    # no problem).
    year_key = f"{YEAR_PREFIX}{sm.fiscal_year}" if sm.fiscal_year and not by_year else ""
    year_blanks: list[str] = []
    year_filled = False
    repeats: list[str] = []  # grouping columns that only repeat the heading rows above them
    kept_items = False
    # A printed form of two rows per 取組: the text column headed 「取組名」 over 「取組内容」, each initiative's name
    # on its first row and its content on the next (No, 担当課, 進捗 merged down the two rows, or left blank).
    text_parts = header_parts(grid, header, cols["text"]) if "text" in cols and "name" not in cols else []
    stacked = (len(text_parts) == 2 and is_name_header(text_parts[:1]) and is_content_header(text_parts[1:]))
    last_data = 0  # the row of the last initiative appended from this sheet
    for r, kind in enumerate(kinds, start=bottom + 1):
        if stacked and last_data == r - 1 and r not in sm.skip_rows and (
                content := grid.text(r, cols["text"], fill_merged=False)) and not any(
                grid.text(r, c, fill_merged=False) for k, c in cols.items() if k != "text"):
            first = rows[-1]
            first.values["name"] = first.values.get("text", "")
            first.values["text"], first.refs["text"] = content, grid.ref(r, cols["text"])
            continue
        # The row's text is shown only for the rows not read as data.
        full = " ".join(_texts(grid, r, fill=False).values()) if kind != "data" or r in sm.skip_rows else ""
        text = full if len(full) <= 80 else full[:79] + "…"  # shown; a heading's title is its whole text
        if r in sm.skip_rows:
            skipped.append(SkippedRow(f"{grid.name}!{r}行目", "skipped", text))
            continue
        if kind == "block":
            if mapping.policy_from == "block":
                title = block_title(full)
                level, ranks = next_heading_level(ranks, title, depth=len(block_fields))
                blocks = [*blocks[:level], (title, grid.ref(r, next(iter(_texts(grid, r, fill=False)))))]
                kind = BLOCK_KINDS[level]
                carried["item"] = carried["subitem"] = ""
            skipped.append(SkippedRow(f"{grid.name}!{r}行目", kind, text))
            continue
        if kind in mapping.skip or SKIPPED_WITH.get(kind) in mapping.skip:
            if kind != "blank":
                skipped.append(SkippedRow(f"{grid.name}!{r}行目", kind, text))
            continue
        if kind == "blank":
            continue
        if not any(grid.value(r, c, fill_merged=False) is not None for c in used_cols):
            continue
        for c in used_cols if formula_at else ():
            if (r, c) in formula_at:
                problems.append(Problem(grid.ref(r, c), "数式は受け付けません。値として貼り付けてから保存してください"))
        values: dict[str, str] = {k: strip_bullet(grid.text(r, c)) if k in _NAMED else grid.text(r, c)
                                  for k, c in cols.items()}
        refs = {k: f"{grid.name}!{letter}{r}" for k, letter in letters.items()}
        where = f"{grid.name}!{r}行目"
        if "label" in cols:
            raw_label = grid.value(r, cols["label"])
            restored = restore_excel_label(raw_label)
            if restored is not None:
                values["label"], original = restored
                warnings.append(Problem(refs["label"], dated_label_message(original, values["label"])))
            elif (dated := dated_texts.get(r)) is not None:
                label, original, restore = dated
                if restore:
                    values["label"] = label
                warnings.append(Problem(refs["label"], (dated_label_message if restore else dated_label_kept_message)(
                    original, label)))
            elif isinstance(raw_label, float) and not raw_label.is_integer():
                warnings.append(Problem(refs["label"], f"取組No「{values['label']}」は数値として保存されています。"
                                                       "Excel は 1.10 を 1.1 にするため、違う場合はセルを文字列にして取り込み直してください"))
        if outline:
            p = outline_parts(values.get("label", ""))
            if p is not None and p in heads and not any(grid.text(r, c) for c in status_cols):
                if len(p) <= len(OUTLINE_LEVELS):
                    titles[p] = f"{values['label']} {values.get('text', '')}".strip()
                    titles = {k: v for k, v in titles.items() if k == p or not k[: len(p)] == p}
                skipped.append(SkippedRow(where, "outline", text or titles.get(p, "")))
                continue
            values["policy"], refs["policy"] = sheet_policy, f"{grid.name}（シート名）"
            for k in range(1, len(p or ())):
                if p[:k] in titles and k <= len(OUTLINE_LEVELS):
                    values[OUTLINE_LEVELS[k - 1]] = titles[p[:k]]
                    refs[OUTLINE_LEVELS[k - 1]] = where
        elif mapping.policy_from == "sheet":
            values["policy"], refs["policy"] = sheet_policy, f"{grid.name}（シート名）"
        elif mapping.policy_from == "block":
            values["policy"], refs["policy"] = blocks[0] if blocks else (sheet_policy, f"{grid.name}（シート名）")
            for key, (title, ref) in zip(block_fields[1:], blocks[1:], strict=False):
                values[key], refs[key] = title, ref
            # 「1 行政のデジタル化」 as the heading row and again merged down the 施策 column: one level, not a 施策
            # under a 方針 of the same name.
            heads = {_bare_title(t) for t, _ref in blocks}
            for key in ("item", "subitem"):
                if key not in cols:
                    continue  # a level of the headings themselves
                if values.get(key) and _bare_title(values[key]) in heads:
                    if not repeats:
                        warnings.append(Problem(refs.get(key, where), f"{BY_KEY[key].label}の列は上の見出しの行と同じ"
                                                f"「{values[key]}」を書いているため、同じ階層として読みます（二重にしません）"))
                    repeats.append(key)
                    del values[key]
                else:
                    kept_items = True
        for key in CARRIED:
            if key not in values:
                continue
            if values[key]:
                if key == "policy" and values[key] != carried["policy"]:
                    carried["item"] = carried["subitem"] = ""
                if key == "item" and values[key] != carried["item"]:
                    carried["subitem"] = ""
                carried[key] = values[key]
            elif key != "subitem":
                values[key] = carried[key]
        for c, head in flags.items():  # 「重点取組」 marked ○: 「重点取組: ○」 in the note
            if mark := grid.text(r, c):
                values["note"] = (values.get("note", "") + f"\n{head}: {mark}").strip()
        if "related" in values:  # 関係課: more departments, after the lead's
            related = values.pop("related")
            if related:
                values["departments"] = "\n".join(v for v in (values.get("departments", ""), related) if v)
                refs.setdefault("departments", refs["related"])
        if "direction" in values:  # kept as a note unless it is the status column itself
            d = values.pop("direction")
            if d:
                values["note"] = (values.get("note", "") + f"\n今後の方向性: {d}").strip()
        single_year = sm.fiscal_year or (mapping.result_year if mapping.result == "annual" else None)
        row_fy, year_ref = None, ""
        if by_year:
            year_ref = f"{grid.name}!{get_column_letter(cols['fiscal_year'])}{r}"
            if values.get("fiscal_year") and not values.get("label") and not values.get("text"):
                values.update(above)
            above = {k: values[k] for k in ("label", "text") if values.get(k)} or above
            row_fy = row_year(values, refs, problems, has_result=bool(values.get("status") or values.get("outcome")))
            if row_fy is not None and row_years is not None:
                row_years.setdefault(row_fy, year_ref)
            single_year = row_fy
        if single_year and "status" in values:
            v = values.pop("status")
            values[f"{YEAR_PREFIX}{single_year}"] = v
            refs[f"{YEAR_PREFIX}{single_year}"] = refs.pop("status")
        if year_key and year_key in values:
            if values[year_key]:
                year_filled = True
            else:
                year_blanks.append(refs.get(year_key, where))
        outcomes: dict[int | None, str] = {}
        if "outcome" in values:
            outcomes[single_year] = values.pop("outcome")
        for c, (fy, fld) in years.items():
            v = grid.text(r, c)
            ref = f"{grid.name}!{year_letters[c]}{r}"
            if fld == "status":
                values[f"{YEAR_PREFIX}{fy}"] = v
                refs[f"{YEAR_PREFIX}{fy}"] = ref
            elif v:
                outcomes[fy] = v
        _keep_result_dates(values, outcomes, known)
        if rates is not None:
            _read_percentages(values, outcomes, known, fractions=rates)
        for k in ("policy", "item", "text", "label"):
            refs.setdefault(k, where)
        _check_lengths(values, refs, problems)
        row = SourceRow(where=where, refs=refs, values=values)
        row.outcomes = outcomes
        if row_fy is not None and merge_year_row(row, row_fy, year_ref, seen, problems, warnings):
            continue
        if sm.fiscal_year and not by_year and _merge_year_row(row, merged, warnings):
            continue
        rows.append(row)
        last_data = r
    if year_filled:
        year = fiscal_year_label(sm.fiscal_year)
        problems.extend(Problem(ref, f"実施結果が空欄です（このシートのほかの取組には{year}の実施結果があります。"
                                     "その年度に評価しない取組なら、この行を skip_rows に加えてください）")
                        for ref in year_blanks)
    del has_items
    return "item" in repeats and not kept_items


_LEADING_CODE = re.compile(r"^(?:第\s*\d+\s*[章節]|[(（]?[\dⅠ-Ⅹ①-⑳]+(?:[-‐－.．][\dⅠ-Ⅹ]+)*[)）]?[.．、:：]?)\s*")


def _bare_title(title: str) -> str:
    """A heading's words without its number (「1 行政のデジタル化」 → 行政のデジタル化), to tell a column that
    repeats the heading above its rows."""
    t = normalize(title)
    return _LEADING_CODE.sub("", t) or t


def _keep_result_dates(values: dict[str, str], outcomes: dict[int | None, str], known: set[str]) -> None:
    """「完了（R5.10）」: the result is the scale's 完了 (a date written beside it names no status of its own, so
    next year's 「完了（R6.2）」 needs no new alias); the cell as written is kept in that result's 実績・成果."""
    for key, v in values.items():
        if key != "status" and not key.startswith(YEAR_PREFIX):
            continue
        split = (split_annotation(v) or split_key_comment(v)) if v else None
        if split is None or normalize(split[0]) not in known:
            continue
        if normalize(v) not in known:
            values[key] = split[0]
        fy = None if key == "status" else int(key[len(YEAR_PREFIX):])
        line = f"実施結果: {v}"
        outcomes[fy] = f"{outcomes[fy]}\n{line}" if outcomes.get(fy) else line


def _read_percentages(values: dict[str, str], outcomes: dict[int | None, str], known: set[str], *,
                      fractions: bool) -> None:
    """A 進捗率 result (「0.5」 in a cell shown as 50%, 「80%」): the band it falls in (1～99% → 実施中), the rate
    itself kept in that result's 実績・成果."""
    for key, v in values.items():
        if (key != "status" and not key.startswith(YEAR_PREFIX)) or not v:
            continue
        p = percent_of(v, fractions=fractions)
        if p is None:
            continue
        if normalize(v) not in known:
            values[key] = percent_band(p)
        fy = None if key == "status" else int(key[len(YEAR_PREFIX):])
        line = f"進捗率: {percent_text(p)}"
        outcomes[fy] = f"{outcomes[fy]}\n{line}" if outcomes.get(fy) else line


_POLICY_HEADING = re.compile(r"^\s*(?:\d{1,2}[\s.．、:：)）]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|第\s*\d+|[(（]\d+[)）])|方針|基本目標|施策の柱")


def block_title(text: str) -> str:
    """The 方針 a heading row names: its text, without the brackets around a heading (「【重点取組】」 → 「重点取組」,
    「【基本方針1】行政のデジタル化」 → 「基本方針1 行政のデジタル化」)."""
    return _block_title(text)


def _header_of(grid: Grid, sm, warnings: list[Problem]) -> list[int]:
    """The header rows of ``sm`` in ``grid``: the mapping's, or the ones found when those moved (a note)."""
    header = sm.header_rows
    detected = find_header(grid)
    if not header or (detected and detected != header and not _header_score(_texts(grid, header[-1]))):
        if header and detected:
            warnings.append(Problem(f"{grid.name}!{detected[-1]}行目",
                                    f"見出し行が {header[-1]} 行目から {detected[-1]} 行目に移っていたため、そこから読みました"))
        header = detected
    return header


def follow_moved_columns(path: Path | str, mapping: Mapping, *, name: str | None = None) -> Mapping:
    """``mapping`` with each sheet's letters where the preview reads them in this file ([sheets.headers]): the
    mapping form of 「対応表を直す」 shows next year's moved columns where they are now, and a column no longer
    in the file as no field (its located problem is in the preview), so the form sent unchanged is right."""
    from dataclasses import replace

    try:
        grids = {g.name: g for g in read_grids(Path(path), name=name or Path(path).name)}
    except InputRejected:
        return mapping
    sheets = []
    for sm in mapping.sheets:
        grid = grids.get(sm.name)
        header = _header_of(grid, sm, []) if grid is not None and sm.use else []
        if header and header != sm.header_rows:
            sm = replace(sm, header_rows=header)
        sheets.append(_follow_headers(grid, header, sm, [], [], drop_missing=True) if header else sm)
    return replace(mapping, sheets=sheets)


def _follow_headers(grid: Grid, header: list[int], sm, problems: list[Problem], warnings: list[Problem], *,
                    drop_missing: bool = False):
    """The sheet's mapping with its letters checked against the headers it recorded ([sheets.headers]): next
    year's file with 所管課 moved from D to E is read from E (a note says so), never D's new column read as
    the 担当所属. A recorded header found nowhere, where the letter now holds another recorded column (or
    nothing), is a located problem and ``None`` is returned (the sheet is not read); a header renamed in place
    (「所管課」 → 「担当課」) is read by its letter, with a note. When most recorded headers are not in this header
    row at all (the header rows changed by hand, another table), the letters are taken as they are.
    ``drop_missing``: a header found nowhere (or twice) leaves its field out instead (the mapping form)."""
    from dataclasses import replace

    from openpyxl.utils import column_index_from_string

    from .mapping import is_letter

    recorded = {c: h for c, h in sm.headers.items() if is_letter(c) and normalize(h) and h != NO_HEADER}
    if not recorded:
        return sm
    actual = {c: " ".join(header_parts(grid, header, c)) for c in range(1, grid.max_col + 1)}
    places: dict[str, list[int]] = {}
    for c, t in actual.items():
        if normalize(t):
            places.setdefault(normalize(t), []).append(c)
    if 2 * sum(1 for h in recorded.values() if normalize(h) in places) < len(recorded):
        return sm
    what = {col: BY_KEY[key].label for key, col in sm.columns.items() if key in BY_KEY}
    what |= {y.column: f"{y.fiscal_year}年度の{'実施結果' if y.field == 'status' else '実績・成果'}" for y in sm.years}
    what |= {f: "印の列" for f in sm.flags}
    others = {normalize(h) for h in recorded.values()}
    moved: dict[str, str] = {}
    dropped: set[str] = set()
    gone = False
    row = header[-1]
    for letter, label in what.items():
        if letter not in recorded:
            continue
        want = normalize(recorded[letter])
        have = actual.get(column_index_from_string(letter), "")
        if normalize(have) == want:
            continue
        found = places.get(want, [])
        if len(found) == 1:
            moved[letter] = get_column_letter(found[0])
            warnings.append(Problem(f"{grid.name}!{moved[letter]}{row}",
                                    f"対応表の {letter} 列「{recorded[letter]}」（{label}）は {moved[letter]} 列に移っていたため、"
                                    f"{moved[letter]} 列から読みました"))
        elif len(found) > 1:
            gone = True
            dropped.add(letter)
            problems.append(Problem(f"{grid.name}!{row}行目",
                                    f"対応表の {letter} 列「{recorded[letter]}」（{label}）の見出しが "
                                    f"{'、'.join(get_column_letter(c) + ' 列' for c in found)}の二つ以上にあります。"
                                    "対応表で列を指定してください"))
        elif not normalize(have) or normalize(have) in others:
            gone = True
            dropped.add(letter)
            problems.append(Problem(f"{grid.name}!{row}行目",
                                    f"対応表の {letter} 列「{recorded[letter]}」（{label}）が見出しにありません"
                                    "（列を削除したなら対応表から除き、移したなら列を直してください）"))
        else:
            warnings.append(Problem(f"{grid.name}!{letter}{row}",
                                    f"{letter} 列の見出しが「{recorded[letter]}」から「{have}」に変わっています。"
                                    f"{letter} 列を{label}として読みました（違う列なら対応表を直してください）"))
    if gone and not drop_missing:
        return None
    if not moved and not dropped:
        return sm
    return replace(sm, columns={k: moved.get(c, c) for k, c in sm.columns.items() if c not in dropped},
                   years=[replace(y, column=moved.get(y.column, y.column)) for y in sm.years if y.column not in dropped],
                   flags=[moved.get(f, f) for f in sm.flags if f not in dropped])


def _heading_above(grid: Grid, header: list[int]) -> tuple[str, str] | None:
    """The 方針 heading above the header, as (title, its cell), or ``None``."""
    for r in range(header[0] - 1, 0, -1):
        texts = _texts(grid, r, fill=False)
        if not texts:
            continue
        if len(texts) == 1:
            ((c, text),) = texts.items()
            if ((_POLICY_HEADING.search(nfkc(text)) or is_bracketed_heading(text))
                    and not re.search(r"計画|管理表|一覧|作成|更新|年度）?$", text)):
                return block_title(text), grid.ref(r, c)
        return None
    return None


def _check_lengths(values: dict[str, str], refs: dict[str, str], problems: list[Problem]) -> None:
    for key, v in values.items():
        f = BY_KEY.get(key)
        if f is None or not v:
            continue
        if key == "departments":
            from tenken.plans.draft import split_departments

            for d in split_departments(v):
                if len(d.strip()) > 200:
                    problems.append(Problem(refs[key], f"担当所属の名前が200文字を超えています（{len(d.strip())}文字）"))
            continue
        if f.max_length and len(v) > f.max_length:
            problems.append(Problem(refs[key], f"{f.label}が{f.max_length}文字を超えています（{len(v)}文字）。短くしてください"))
