"""Join tagged PDFs printed in parts into one tagged PDF (pikepdf, i.e. qpdf).

WeasyPrint writes each part as a complete PDF/UA document: pages, a structure tree (one ``Document``
element whose kids are the part's elements, a ``ParentTree`` keyed by each page's ``StructParents`` and
each link's ``StructParent``), named destinations for its anchors and an outline. The first part (the
cover and the table of contents) is the base: its catalog keeps the document's title, language,
metadata and viewer preferences. For every later part its pages are appended, its structure tree is
copied and its elements become kids of the base's ``Document`` element, and its parent-tree keys are
shifted past the base's. The named destinations and the outline are rebuilt from what the parts
reported (:class:`PartResult`): a link in the table of contents (``/Dest (chapter-2)``) then reaches
the page printed by another part.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field


@dataclass
class PartResult:
    """One printed part: its PDF, page count, anchors and bookmarks (positions in CSS px on its pages)."""

    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # name → (page index, x, y)
    bookmarks: list[tuple[int, str, int, float, float, str]] = field(default_factory=list)
    # (level, label, page index, x, y, "open"/"closed") in document order


def join_tagged(parts: list[PartResult]) -> bytes:
    """One PDF of ``parts`` in order, with one structure tree, destinations and outline."""
    import pikepdf

    out = pikepdf.open(io.BytesIO(parts[0].pdf))
    root = out.Root.StructTreeRoot
    document = root.K[0]
    nums = root.ParentTree.Nums
    next_key = _next_key(nums)
    starts = [0]
    for part in parts[1:]:
        src = pikepdf.open(io.BytesIO(part.pdf))
        first = len(out.pages)
        starts.append(first)
        out.pages.extend(src.pages)
        # Copied after the pages: qpdf keeps one object map per source, so /Pg and /Obj references in
        # the structure tree point at the pages and link annotations just appended.
        tree = out.copy_foreign(src.Root.StructTreeRoot)
        offset = next_key
        for page in out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        src_nums = tree.ParentTree.Nums
        for i in range(0, len(src_nums), 2):
            key = int(src_nums[i]) + offset
            nums.append(key)
            nums.append(src_nums[i + 1])
            next_key = max(next_key, key + 1)
        for kid in tree.K[0].K:
            kid.P = document
            document.K.append(kid)
    root.ParentTreeNextKey = next_key
    _write_destinations(out, parts, starts)
    _write_outline(out, parts, starts)
    buffer = io.BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _next_key(nums) -> int:
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _position(out, page_index: int, x: float, y: float) -> tuple[float, float]:
    """CSS px from the top left of a page → PDF points from its bottom left (WeasyPrint's own matrix)."""
    box = out.pages[page_index].mediabox
    return x * 0.75, float(box[3]) - y * 0.75


def _write_destinations(out, parts: list[PartResult], starts: list[int]) -> None:
    import pikepdf

    dests: dict[str, pikepdf.Array] = {}
    # Later parts first: the base's table of contents carries stand-in anchors for the targets it links
    # to (the targets themselves are printed by later parts).
    for part, start in reversed(list(zip(parts, starts, strict=True))):
        for name, (index, x, y) in part.anchors.items():
            if name in dests:
                continue
            left, top = _position(out, start + index, x, y)
            dests[name] = pikepdf.Array([out.pages[start + index].obj, pikepdf.Name.XYZ, left, top, 0])
    flat = pikepdf.Array()
    for name in sorted(dests, key=lambda n: n.encode("utf-16-be")):
        flat.append(pikepdf.String(name))
        flat.append(dests[name])
    names = out.Root.get("/Names") or pikepdf.Dictionary()
    names.Dests = out.make_indirect(pikepdf.Dictionary(Names=flat))
    out.Root.Names = names


def _write_outline(out, parts: list[PartResult], starts: list[int]) -> None:
    import pikepdf

    items: list[tuple[int, pikepdf.OutlineItem]] = []
    for part, start in zip(parts, starts, strict=True):
        for level, label, index, x, y, state in part.bookmarks:
            left, top = _position(out, start + index, x, y)
            item = pikepdf.OutlineItem(label, start + index, pikepdf.PageLocation.XYZ, left=left, top=top)
            item.is_closed = state == "closed"
            items.append((level, item))
    with out.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for level, item in items:
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))
