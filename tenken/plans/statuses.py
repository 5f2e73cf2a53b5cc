"""Status scales (実施結果) and reading what people write for them.

Kanagawa's scale is the default for a new plan. :class:`StatusResolver` accepts every spelling seen in
practice: ``① 取組内容を達成した``, ``達成``, ``② 実施中``, ``1``, full-width and half-width variants
(all compared after NFKC with white space removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenken.common.text import normalize


@dataclass(frozen=True)
class StatusSpec:
    code: str
    label: str
    long_label: str
    column_label: str
    order: int
    requires_reason: bool = False
    color: str = "#4C72B0"
    aliases: tuple[str, ...] = ()
    category: str = ""  # one of CATEGORIES: how the status counts in cross-plan rollups
    numbered: bool = True  # its order number, written with agreeing text (「① 達成」), is accepted


# The common categories every plan's own scale maps onto, so rollups across plans add up.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("done", "完了・達成"),
    ("in_progress", "実施中・順調"),
    ("delayed", "遅れ"),
    ("not_started", "未着手"),
    ("changed", "変更"),
    ("cancelled", "中止・廃止"),
)
CATEGORY_LABELS = dict(CATEGORIES)

KANAGAWA_STATUSES: tuple[StatusSpec, ...] = (
    StatusSpec("achieved", "達成", "① 取組内容を達成した", "取組内容を達成", 1, False, "#2E7D32", ("達成した", "完了"), "done"),
    StatusSpec("in_progress", "実施中", "② 取組内容を実施中である", "取組を実施中", 2, False, "#1565C0", ("実施中である", "取組中"), "in_progress"),
    StatusSpec("changed", "変更", "③ 取組内容を変更した", "取組内容を変更", 3, True, "#EF6C00", ("変更した",), "changed"),
)

_NUMBER_PREFIX = re.compile(r"^\(?(\d+)\)?[.．、]?")


class StatusResolver:
    """Maps free text to a status code; ``resolve`` returns ``None`` when nothing matches.

    ``bare_numbers``: a bare ``1`` or ``①`` is read as the status of that order. Importers pass
    ``False``: a number alone means nothing without the plan's legend (a 1–4 scale is not ①②③), so it
    is reported (:meth:`is_bare_number`) instead of guessed.
    """

    def __init__(self, specs: tuple[StatusSpec, ...] | list[StatusSpec], *, bare_numbers: bool = True):
        self.specs = list(specs)
        self._keys: dict[str, str] = {}
        self._memo: dict[str, str | None] = {}
        for spec in self.specs:
            long_key = normalize(spec.long_label)
            body = _NUMBER_PREFIX.sub("", long_key)
            numbers = (str(spec.order),) if spec.numbered and bare_numbers else ()
            for key in (spec.label, spec.long_label, spec.column_label, body, *numbers, *spec.aliases):
                if key:
                    self._keys.setdefault(normalize(key), spec.code)
            if spec.numbered:
                # "② 実施中" / "2実施中": number prefix + short label.
                self._keys.setdefault(f"{spec.order}{normalize(spec.label)}", spec.code)

    @staticmethod
    def is_bare_number(raw: object) -> bool:
        """``1``, ``①``, ``(2)``, ``３.``: a number with no words, meaningless without a legend."""
        key = normalize(raw)
        m = _NUMBER_PREFIX.match(key)
        return bool(key) and m is not None and m.group(0) == key

    def resolve(self, raw: object) -> str | None:
        # The same few spellings repeat on every row of a workbook: remember each answer.
        try:
            return self._memo[raw]  # type: ignore[index]
        except (KeyError, TypeError):
            pass
        code = self._resolve(raw)
        if isinstance(raw, str):
            self._memo[raw] = code
        return code

    def _resolve(self, raw: object) -> str | None:
        key = normalize(raw)
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        m = _NUMBER_PREFIX.match(key)
        numbered = {sp.code for sp in self.specs if sp.numbered}
        if m and m.group(0) != key:
            # A number prefix must agree with the text after it: "① 実施中" is contradictory.
            number, rest = m.group(1), key[m.end():]
            by_number, by_text = self._keys.get(number), self._keys.get(rest)
            by_number = by_number if by_number is not None else self._order_code(number)
            if by_text is not None and by_number == by_text and by_text in numbered:
                return by_text
        return None

    def _order_code(self, number: str) -> str | None:
        for spec in self.specs:
            if spec.numbered and str(spec.order) == number:
                return spec.code
        return None

    def choices_text(self) -> str:
        return "、".join(f"{s.long_label}（{s.label}）" for s in self.specs)
