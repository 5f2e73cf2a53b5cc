"""Plans kept as one numbered outline: 「1」 基本方針, 「1-1」 施策, 「1-1-1」 取組 in the same 番号 column
(also 「Ⅰ」「Ⅰ-1」「Ⅰ-1-(1)」 and 「1」「1-(1)」「1-(1)-①」).

A row without a result whose number heads the numbers of the rows below it (``1-1`` heads ``1-1-1``) is a
section of the plan, its depth given by the number of parts; the deepest numbers are the initiatives.
Used by ``policy_from = "outline"`` (proposed by inspect when a sheet has such rows)."""

from __future__ import annotations

import re
from functools import lru_cache

from tenken.common.text import nfkc

# One part of an outline number, after NFKC (which reads Ⅰ as I, ① as 1, ⑴ as (1)): digits, a Roman numeral
# (I … XXXIX, either case) or digits in brackets. Parts are joined by - . (full width too); a bracketed part
# may follow without one (「Ⅰ-1(1)」).
_ROMAN = r"(?=[IVXivx])X{0,3}(?:IX|IV|V?I{0,3})|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"
_PART = rf"(?:\d{{1,3}}|{_ROMAN}|\(\d{{1,3}}\))"
_PARTS = re.compile(rf"^{_PART}(?:[-‐－−.．]?(?=\(){_PART}|[-‐－−.．]{_PART})*$")
_TOKEN = re.compile(r"\d{1,3}|\(\d{1,3}\)|[IVXivx]+")
LEVELS = ("policy", "item", "subitem")


@lru_cache(maxsize=8192)  # asked of each row's number by inspect, preview and the outline pass
def parts(label: str) -> tuple[str, ...] | None:
    """``1-2-3`` → ``("1", "2", "3")``, ``Ⅰ-1-(1)`` → ``("I", "1", "(1)")``, ``1-(1)-①`` → ``("1", "(1)", "1")``;
    ``None`` when the label is not an outline number. Each part keeps its kind (Roman, bracketed, digits), so
    that 「Ⅰ」 does not head 「1-1」."""
    t = nfkc(label).strip()
    if not t or not _PARTS.match(t):
        return None
    out = []
    for p in _TOKEN.findall(t):
        if p.startswith("("):
            out.append(f"({int(p[1:-1])})")
        elif p.isdigit():
            out.append(str(int(p)))
        else:
            out.append(p.upper())
    return tuple(out)


def outline_headings(rows: list[tuple[str, bool]]) -> set[int]:
    """Indexes of the heading rows among ``rows`` = ``(label, has_result)`` in sheet order: rows without a
    result whose outline number heads the number of a row with a result (one pass over the prefixes)."""
    numbered = [(parts(label), has) for label, has in rows]
    prefixes = {p[:k] for p, has in numbered if p is not None and has for k in range(1, len(p))}
    return {i for i, (p, has) in enumerate(numbered) if not has and p is not None and p in prefixes}


def is_outline(rows: list[tuple[str, bool]]) -> bool:
    """Whether the sheet is a numbered outline (at least one heading row)."""
    return bool(outline_headings(rows))

