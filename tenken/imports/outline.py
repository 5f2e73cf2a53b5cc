"""Plans kept as one numbered outline: 「1」 基本方針, 「1-1」 施策, 「1-1-1」 取組 in the same 番号 column.

A row without a result whose number heads the numbers of the rows below it (``1-1`` heads ``1-1-1``) is a
section of the plan, its depth given by the number of parts; the deepest numbers are the initiatives.
Used by ``policy_from = "outline"`` (proposed by inspect when a sheet has such rows)."""

from __future__ import annotations

import re

from tenken.common.text import nfkc

_PARTS = re.compile(r"^\d{1,3}(?:[-‐－−.．]\d{1,3})*$")
_SEP = re.compile(r"[-‐－−.．]")
LEVELS = ("policy", "item", "subitem")


def parts(label: str) -> tuple[str, ...] | None:
    """``1-2-3`` → ``("1", "2", "3")``; ``None`` when the label is not an outline number."""
    t = nfkc(label).strip()
    if not _PARTS.match(t):
        return None
    return tuple(str(int(p)) for p in _SEP.split(t))


def outline_headings(rows: list[tuple[str, bool]]) -> set[int]:
    """Indexes of the heading rows among ``rows`` = ``(label, has_result)`` in sheet order: rows without a
    result whose outline number heads the number of a row with a result (one pass over the prefixes)."""
    numbered = [(parts(label), has) for label, has in rows]
    prefixes = {p[:k] for p, has in numbered if p is not None and has for k in range(1, len(p))}
    return {i for i, (p, has) in enumerate(numbered) if not has and p is not None and p in prefixes}


def is_outline(rows: list[tuple[str, bool]]) -> bool:
    """Whether the sheet is a numbered outline (at least one heading row)."""
    return bool(outline_headings(rows))

