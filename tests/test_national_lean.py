"""The national import's lean path gives exactly the tuples of the normal reader + assemble, and leaves
every workbook it does not handle (or that has a problem) to the normal path."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tenken.national.bulk import parse_workbook
from tenken.national.lean import lean_parse
from tenken.national.synth import iter_national, write_xlsx


def workbooks(tmp_path: Path, *, orgs: int, seed: int) -> list[Path]:
    out = []
    for plan in iter_national(orgs=orgs, initiatives=60, years=4, seed=seed):
        path = tmp_path / f"{plan.org.code}.xlsx"
        write_xlsx(plan, path)
        out.append(path)
    return out


def test_lean_equals_the_normal_path(tmp_path):
    (tmp_path / "b").mkdir()
    paths = workbooks(tmp_path, orgs=3, seed=1) + workbooks(tmp_path / "b", orgs=2, seed=7)
    headings = 0
    for path in paths:
        assert lean_parse(str(path)) is not None, path.name
        lean, normal = parse_workbook(str(path)), parse_workbook(str(path), lean=False)
        assert lean == normal and not lean.problems and lean.reviews
        headings += sum(1 for i in lean.initiatives if i[4])
    assert headings  # the data has grouped rows under headings


def test_what_lean_does_not_handle_goes_the_normal_way(tmp_path):
    path = workbooks(tmp_path, orgs=1, seed=3)[0]
    wb = load_workbook(path)
    ws = wb["別紙"]
    header = next(r for r in range(1, 10) if ws.cell(r, 5).value == "取組内容")
    ws.cell(header + 3, 7).value = "たぶん達成"  # a result nobody can interpret
    ws.cell(header + 4, 5).value = None  # an empty 取組内容
    wb.save(path)
    assert lean_parse(str(path)) is None
    parsed = parse_workbook(str(path))
    assert parsed.problems == parse_workbook(str(path), lean=False).problems
    assert any("たぶん達成" in p for p in parsed.problems) and any("取組内容が空欄です" in p for p in parsed.problems)
    assert not parsed.reviews

    (tmp_path / "m").mkdir()
    merged = workbooks(tmp_path / "m", orgs=1, seed=3)[0]
    wb = load_workbook(merged)
    wb["別紙"].merge_cells(start_row=header + 1, start_column=1, end_row=header + 2, end_column=1)
    wb.save(merged)
    assert lean_parse(str(merged)) is None
    assert parse_workbook(str(merged)) == parse_workbook(str(merged), lean=False)


def test_copy_lines_equal_the_generic_encoding(tmp_path):
    """The rows _emit formats straight into COPY lines are the bytes the generic encoder gives the tuples."""
    parsed = parse_workbook(str(workbooks(tmp_path, orgs=1, seed=4)[0]))
    encoded = _encoded_both_ways(parsed)
    assert encoded[0].keys() == encoded[1].keys()
    for table in encoded[0]:
        assert encoded[0][table] == encoded[1][table], table


def test_copy_lines_escape_what_copy_text_escapes(tmp_path):
    """A workbook whose texts hold a tab, a backslash or a line break: its COPY lines escape them exactly
    as the generic encoder does (the fast lines skip escaping only when no text needs it)."""
    from tenken.national import bulk

    parsed = parse_workbook(str(workbooks(tmp_path, orgs=1, seed=5)[0]))
    sec, parent, label, _text, heading, repost, where, _note, depts = parsed.initiatives[0]
    parsed.initiatives[0] = (sec, parent, label, "タブ\t円記号\\改行\n復帰\r", heading, repost, where, "注\t記", depts)
    ini, fy, code, _reason, rwhere = parsed.reviews[-1]
    parsed.reviews[-1] = (ini, fy, code, "理由\\に\n改行", rwhere)
    assert not bulk._needs_no_escape(parsed)
    encoded = _encoded_both_ways(parsed)
    assert "タブ\\t円記号\\\\改行\\n復帰\\r".encode() in encoded[0]["plans_initiative"]
    for table in encoded[0]:
        assert encoded[0][table] == encoded[1][table], table


def _encoded_both_ways(parsed) -> list[dict]:
    """``[COPY lines _emit formats itself, the generic encoder's bytes of the same tuples]``, per table."""
    import multiprocessing

    from tenken.national import bulk

    encoded = []
    for text in (True, False):
        ctx = multiprocessing.get_context("fork")
        bulk._STATE.update(counters={bulk._table(m): ctx.Value("q", 0) for m in bulk.ORDER})
        rows = bulk._Rows(text=text)
        bulk._emit(parsed, rows, 1, {}, "2026-04-01T00:00:00+09:00")
        if not text:
            rows.rows["reviews_initiativereview"] = [  # the review template's fixed columns, as text
                (*r[:10], "2026-04-01T00:00:00+09:00", "2026-04-01T00:00:00+09:00", *r[12:])
                for r in rows.rows["reviews_initiativereview"]
            ]
        encoded.append(rows.encoded())
    bulk._STATE.clear()
    return encoded
