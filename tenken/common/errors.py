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
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]
