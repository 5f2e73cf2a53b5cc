"""Problems found in user input, reported in Japanese with their location.

Importers collect every :class:`Problem` in a file before deciding, then raise one
:class:`InputRejected` carrying all of them, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem: ``location`` names the file/sheet/cell or field (``別紙!F23``)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputRejected(Exception):
    """The input was refused as a whole; nothing was written."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """The problems as shown to people: at most ``TENKEN_MAX_MESSAGES`` of them, then one line with the
        total (a hostile file once produced a 5.2 MB page of 100,003 messages). ``problems`` keeps all."""
        limit = _message_limit()
        shown = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(f"ほか {len(self.problems) - limit:,} 件の誤りがあります（全 {len(self.problems):,} 件。"
                         f"最初の {limit} 件だけを表示しています）")
        return shown


def _message_limit() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "TENKEN_MAX_MESSAGES", 50))
    except Exception:  # settings not configured (a pure-Python use of the readers)
        return 50
