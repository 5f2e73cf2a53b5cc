"""The national import's hot path: a valid 別紙 workbook read straight into the worker's tuples.

:func:`tenken.national.bulk.parse_workbook` reads a workbook into located rows
(:mod:`tenken.plans.source`), validates them into a draft (:func:`tenken.plans.draft.assemble`) and
then flattens the draft into plain tuples: three objects and a dozen small dicts per row, 80 % of a
worker's time at national scale. :func:`lean_parse` goes from python-calamine's rows to the same
tuples directly: the header and the label/value cells above it are found by the same functions, the
column mapping is resolved once per column, each distinct 大項目/中項目/小項目 or result text is
interpreted once (memo), and a row is a list of cell values, not an object.

It is optimistic: it handles the shape a valid workbook has (one visible worksheet, no merged cells,
no formulas, every row valid) and returns ``None`` at the first thing it does not handle or that the
normal path would report (an empty 大項目, a result it cannot interpret, a heading without rows…).
``parse_workbook`` then runs the normal path, so every refusal carries exactly the normal errors; a
test checks that both paths give identical tuples (tests/test_national_lean.py).
"""

from __future__ import annotations

from pathlib import Path

from tenken.common.text import cell_text, label_text, nfkc
from tenken.plans.draft import (
    IROHA,
    DraftSection,
    _sort_key,
    is_child_label,
    is_repost,
    split_chapter,
    split_departments,
    split_item_code,
)
from tenken.plans.source import YEAR_PREFIX, _find_header, _meta, missing_required
from tenken.plans.statuses import KANAGAWA_STATUSES, StatusResolver
from tenken.spreadsheets.grid import Grid
from tenken.spreadsheets.safety import check_xlsx

_RESOLVER = StatusResolver(KANAGAWA_STATUSES)
_HEADER_ROWS = 22  # _find_header looks at the first 20 rows and the one below the header


class Unhandled(Exception):
    """Something the lean path leaves to the normal one (which names the problem, if there is one)."""


def lean_parse(path: str) -> tuple[dict[str, str], list, list, list] | None:
    """``(meta, sections, initiatives, reviews)`` as :class:`~tenken.national.bulk.ParsedWorkbook` holds
    them, or ``None`` when the normal path must decide."""
    try:
        return _parse(Path(path))
    except Unhandled:
        return None


def _parse(path: Path):
    from python_calamine import CalamineWorkbook

    name = path.name
    if path.suffix.lower() != ".xlsx":
        raise Unhandled
    try:
        formulas = check_xlsx(path, name=name)  # its limits scan finds formula elements as _has_formulas does
    except Exception as exc:
        raise Unhandled from exc
    if formulas:
        raise Unhandled
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise Unhandled from exc
    try:
        metas = wb.sheets_metadata
        if len(metas) != 1 or "hidden" in str(metas[0].visible).lower() or "worksheet" not in str(metas[0].typ).lower():
            raise Unhandled
        sheet_name = metas[0].name
        sheet = wb.get_sheet_by_name(sheet_name)
        if sheet.merged_cell_ranges:
            raise Unhandled
        data = sheet.to_python(skip_empty_area=False)
    finally:
        wb.close()
    max_col = max((len(r) for r in data), default=0)
    top = {(r, c): v for r, row in enumerate(data[:_HEADER_ROWS], start=1) for c, v in enumerate(row, start=1)
           if v != "" and v is not None}
    grid = Grid(sheet_name, top, {}, len(data), max_col, [])
    found = _find_header(grid)
    if found is None:
        raise Unhandled
    header_row, colmap, first = found
    if missing_required(colmap) or first > _HEADER_ROWS + 1:
        raise Unhandled
    meta = _meta(grid, header_row)

    # Columns, once: (0-based index or None) per field; yearly columns in header order.
    def col(key: str) -> int | None:
        c = colmap.get(key)
        return None if c is None else c - 1

    c_policy, c_item, c_sub, c_label, c_text = col("policy"), col("item"), col("subitem"), col("label"), col("text")
    c_status, c_reason, c_dept, c_note = col("status"), col("reason"), col("departments"), col("note")
    if c_label is None or c_text is None:
        raise Unhandled
    if "parent" in colmap:
        raise Unhandled  # 上位の取組 is the CSV way of naming headings
    yearly_cols = [(int(k[len(YEAR_PREFIX):]), c - 1) for k, c in colmap.items() if k.startswith(YEAR_PREFIX)]
    used = [c - 1 for c in colmap.values()]

    sections: dict[tuple[str, ...], DraftSection] = {}
    policy_codes: dict[str, str] = {}
    item_codes: dict[tuple[str, str], str] = {}
    policies: dict[str, tuple[str, str]] = {}  # raw 大項目 → split_chapter
    items: dict[str, str] = {}
    subs: dict[str, tuple[str, str, str]] = {}
    carried_policy = carried_item = ""
    out: list[list] = []  # [key, label, text, status, yearly, repost, reason, departments, note, where, parent, heading]
    open_heading: int | None = None
    pending: list[int] = []

    # Each column once: its cells as text (cell_text), results resolved per distinct spelling.
    body_rows = data[first - 1:]
    n = len(body_rows)
    padded = [row if len(row) == max_col else [*row, *[""] * (max_col - len(row))] for row in body_rows]
    columns = list(zip(*padded, strict=True))

    def texts(c: int | None) -> list[str]:
        if c is None or not n:
            return [""] * n
        return [v.strip() if v.__class__ is str else ("" if v is None else cell_text(v)) for v in columns[c]]

    def codes(values: list[str]) -> list[str | None]:
        out_codes = [_RESOLVER.resolve(v) if v else "" for v in values]
        if None in out_codes:
            raise Unhandled  # a result nobody can interpret: the normal path names the cell
        return out_codes

    flags = [[v != "" and v is not None for v in columns[c]] for c in used]
    own = [any(t) for t in zip(*flags, strict=True)] if n else []
    policy_col, item_col, sub_col, text_col = texts(c_policy), texts(c_item), texts(c_sub), texts(c_text)
    reason_col, dept_col, note_col = texts(c_reason), texts(c_dept), texts(c_note)
    status_col = codes(texts(c_status))
    yearly_code_cols = [(fy, codes(texts(c))) for fy, c in yearly_cols]
    label_col = [label_text(None if v == "" else v) for v in columns[c_label]] if n else []

    for k in range(n):
        if not own[k]:
            continue
        r = first + k
        policy, item = policy_col[k], item_col[k]
        if policy:
            if policy != carried_policy:
                carried_item = ""
            carried_policy = policy
        else:
            policy = carried_policy
        if item:
            carried_item = item
        else:
            item = carried_item
        split = policies.get(policy)
        if split is None:
            split = policies[policy] = split_chapter(policy)
        pcode, ptitle = split
        item_key = items.get(item)
        if item_key is None:
            item_key = items[item] = nfkc(item)
        if not ptitle or not item_key:
            raise Unhandled
        if ptitle not in policy_codes:
            policy_codes[ptitle] = pcode or str(len(policy_codes) + 1)
        if (ptitle,) not in sections:
            sections[(ptitle,)] = DraftSection((ptitle,), 0, policy_codes[ptitle], ptitle, len(sections))
        if (ptitle, item_key) not in item_codes:
            siblings = sum(1 for (p, _i) in item_codes if p == ptitle)
            item_codes[(ptitle, item_key)] = IROHA[siblings % len(IROHA)]
        key: tuple[str, ...] = (ptitle, item_key)
        if key not in sections:
            code, title = split_item_code(item) or (item_codes[key], item_key)
            sections[key] = DraftSection(key, 1, code, title, len(sections))
        sub = sub_col[k]
        if sub:
            parsed = subs.get(sub)
            if parsed is None:
                code, title = split_item_code(sub) or ("", nfkc(sub))
                parsed = subs[sub] = (code, title, nfkc(sub))
            key = (ptitle, item_key, parsed[2])
            if key not in sections:
                sections[key] = DraftSection(key, 2, parsed[0], parsed[1], len(sections))
        body = text_col[k]
        if not body:
            raise Unhandled
        status = status_col[k] or None
        yearly = {fy: col[k] for fy, col in yearly_code_cols if col[k]}
        label = label_col[k]
        departments = dept_col[k]
        ini = [key, label, body, status, yearly, is_repost(body, label), reason_col[k],
               tuple(split_departments(departments)) if departments else (),
               note_col[k], f"{sheet_name}!{r}行目", None, False]
        if status is None and not yearly:
            ini[11] = True
            open_heading = len(out)
            pending.append(len(out))
            out.append(ini)
            continue
        if open_heading is not None:
            head = out[open_heading]
            if head[0] == key and is_child_label(head[1], label):
                ini[10] = open_heading
            else:
                open_heading = None
        out.append(ini)
    with_children = {i[10] for i in out if i[10] is not None}
    if any(index not in with_children for index in pending):
        raise Unhandled  # 実施結果が空欄です

    ordered = sorted(sections.values(), key=lambda s: _sort_key(s, sections))
    index = {s.key: i for i, s in enumerate(ordered)}
    section_rows = [(index.get(s.key[:-1], -1), s.depth, s.code, s.title, i) for i, s in enumerate(ordered)]
    initiatives = []
    reviews = []
    for i, (key, label, body, status, yearly, repost, reason, depts, note, where, parent, heading) in enumerate(out):
        initiatives.append((index[key], -1 if parent is None else parent, label, body, heading, repost, where, note,
                            depts))
        if heading:
            continue
        for fy, code in yearly.items():
            reviews.append((i, fy, code, reason if code == "changed" else "", where))
        if status is not None:
            reviews.append((i, 0, status, reason, where))
    return meta, section_rows, initiatives, reviews
