"""A large report's PDF is printed in parts, each in its own child process, and joined (issue #17): the
memory of one part instead of the whole document (a 100× plan's PDF peaked at 2.6 GB printed whole).
The joined PDF must read as the whole one does: every 別紙 row, page numbers that run on, a table of
contents whose numbers and links reach the right pages, one outline and one consistent structure tree
(PDF/UA). The Kanagawa report (105 rows) is cut into parts of 30 rows to try it."""

from __future__ import annotations

import os
import re
import subprocess

import pikepdf
import pytest

from tenken.reports.context import build_report_context
from tenken.reports.renderers import pdf, render_report
from tenken.reports.renderers.pdf_parts import appendix_pieces, split

pytestmark = pytest.mark.django_db


def _pages_text(data: bytes, tmp_path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _outline(doc: pikepdf.Pdf) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items, level):
        for item in items:
            out.append((level, item.title))
            walk(item.children, level + 1)

    with doc.open_outline() as outline:
        walk(outline.root, 0)
    return out


def _destinations(doc: pikepdf.Pdf) -> dict[str, int]:
    index = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
    flat = doc.Root.Names.Dests.Names
    return {str(flat[i]): index[flat[i + 1][0].objgen] for i in range(0, len(flat), 2)}


def _structure_problems(doc: pikepdf.Pdf) -> list[str]:
    """What a screen reader would trip over: elements pointing at pages not in the document, parents
    that are not the element's parent, page or link keys missing from the parent tree or used twice."""
    pages = {p.obj.objgen for p in doc.pages}
    root = doc.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    problems = [] if len(set(keys)) == len(keys) else ["parent-tree keys repeat"]
    used = [int(p.obj.StructParents) for p in doc.pages]
    used += [int(a.StructParent) for p in doc.pages for a in p.obj.get("/Annots", []) if "/StructParent" in a]
    if len(set(used)) != len(used) or not set(used) <= set(keys):
        problems.append("a page or link key is repeated or missing from the parent tree")
    if "/ParentTreeNextKey" in root and int(root.ParentTreeNextKey) <= max(keys):  # optional
        problems.append("ParentTreeNextKey")

    def walk(element, parent):
        if parent is not None and element.P.objgen != parent.objgen:
            problems.append(f"{element.S}: /P is not its parent")
        if "/Pg" in element and element.Pg.objgen not in pages:
            problems.append(f"{element.S}: /Pg outside the document")
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, element)
            elif isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid and kid.Pg.objgen not in pages:
                problems.append("a content reference outside the document")

    walk(root.K[0], None)
    return problems


@pytest.fixture
def printed(report_plan, settings, monkeypatch, tmp_path):
    """The Kanagawa report's PDF printed whole and in parts of 30 rows (the pids that printed each part)."""
    ctx = build_report_context(plan_id=report_plan.pk)
    whole = render_report(ctx, "pdf")
    log = tmp_path / "pids"
    original = pdf._write_part

    def write_part(html):
        with open(log, "a") as f:
            f.write(f"{os.getpid()}\n")
        return original(html)

    joined_in = tmp_path / "join-pid"
    join = pdf.join_tagged

    def join_tagged(results):
        joined_in.write_text(str(os.getpid()))
        return join(results)

    monkeypatch.setattr(pdf, "_write_part", write_part)
    monkeypatch.setattr(pdf, "join_tagged", join_tagged)
    settings.TENKEN_PDF_PART_ROWS = 30
    parts = render_report(ctx, "pdf")
    return ctx, whole, parts, [int(p) for p in log.read_text().split()] + [int(joined_in.read_text())]


def test_each_part_and_the_join_run_in_a_child_process_of_their_own(printed):
    ctx, _whole, _parts, pids = printed
    parts = split(ctx, 30)
    assert len(parts) >= 5
    # the table of contents twice (stand-in numbers, then the real ones), every other part once, then
    # the join: each in a child of its own
    assert len(pids) == len(parts) + 3 and len(set(pids)) == len(pids) and os.getpid() not in pids


def test_the_joined_pdf_has_every_appendix_row_and_page_numbers_that_run_on(printed, tmp_path):
    ctx, whole, parts, _pids = printed
    pages = _pages_text(parts, tmp_path, "parts.pdf")
    text = re.sub(r"\s+", "", "".join(pages))
    for row in ctx.appendix:
        assert re.sub(r"\s+", "", row.text)[:20] in text, row.label
    single = _pages_text(whole, tmp_path, "whole.pdf")
    assert len(single) <= len(pages) <= len(single) * 1.2  # each run of rows starts a page
    # Up to chapter 2 (cut only where a page starts anyway) the pages are those of the whole PDF, apart
    # from the table of contents' numbers of the later pages.
    chapter2 = next(i for i, p in enumerate(single) if "2 取組項目ごとの点検結果" in p and "…" not in p)
    digitless = [re.sub(r"[\s\d…]+", "", "".join(p)) for p in (single[:chapter2 + 1], pages[:chapter2 + 1])]
    assert digitless[0] == digitless[1]
    for number, page in enumerate(pages[1:], start=2):  # the cover has no number
        assert page.strip().splitlines()[-1].strip() == str(number)
    assert "Tagged:          yes" in subprocess.run(["pdfinfo", str(tmp_path / "parts.pdf")], capture_output=True,
                                                     text=True, check=True).stdout


def test_the_table_of_contents_numbers_and_links_reach_the_pages_of_other_parts(printed, tmp_path):
    ctx, _whole, parts, _pids = printed
    pages = _pages_text(parts, tmp_path, "parts.pdf")
    doc = pikepdf.open(tmp_path / "parts.pdf")
    dests = _destinations(doc)
    toc = "\n".join(p for p in pages if "目" in p and "次" in p.splitlines()[0])
    for entry in ctx.toc:
        index = dests[entry.anchor]
        heading = entry.label.split(" ", 1)[-1][:8]
        assert heading in re.sub(r"\s+", "", pages[index]), entry.label  # the destination is the heading's page
        line = next(ln for ln in toc.splitlines() if re.sub(r"\s+", "", entry.label) in re.sub(r"\s+", "", ln))
        assert line.rstrip().endswith(f" {index + 1}"), (entry.label, line)  # the printed number is that page
    links = [a for p in doc.pages for a in p.obj.get("/Annots", []) if "/Dest" in a]
    assert {str(a.Dest) for a in links} == {e.anchor for e in ctx.toc}


def test_one_outline_and_one_structure_tree(printed, tmp_path):
    _ctx, whole, parts, _pids = printed
    (tmp_path / "whole.pdf").write_bytes(whole)
    (tmp_path / "parts.pdf").write_bytes(parts)
    joined, single = pikepdf.open(tmp_path / "parts.pdf"), pikepdf.open(tmp_path / "whole.pdf")
    assert _outline(joined) == _outline(single)
    assert _structure_problems(joined) == []
    assert _structure_problems(single) == []
    assert str(joined.Root.Lang) == "ja" and joined.Root.MarkInfo.Marked
    assert joined.open_metadata().get("dc:title") == single.open_metadata().get("dc:title")


def test_appendix_runs_cut_at_a_policy_and_span_their_merged_cells_again(report_plan):
    rows = build_report_context(plan_id=report_plan.pk).appendix
    runs = appendix_pieces(rows, 30)
    assert [r.label for run in runs for r in run] == [r.label for r in rows]
    assert all(len(run) <= 30 for run in runs)
    for run in runs:
        for attr in ("policy_span", "item_span", "subitem_span"):
            assert getattr(run[0], attr) > 0  # a run opens every merged cell again
            assert sum(getattr(r, attr) for r in run) == len(run)
    starts = [sum(len(run) for run in runs[:i]) for i in range(1, len(runs))]
    assert any(rows[s].policy != rows[s - 1].policy for s in starts)  # cut where a 大項目 starts, if one is near
