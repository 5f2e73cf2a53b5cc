"""The light markup of report prose (趣旨・考え方, 全体総括), parsed into blocks every renderer shows.

One line per block: ``(1) 見出し`` is a heading, ``ア 見出し`` a sub-heading, ``- text`` a bullet,
``- ・text`` an item inside the previous bullet, anything else a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenken.plans.draft import IROHA

_HEADING = re.compile(r"^[(（]\s*(\d+)\s*[)）]\s*(.+)$")
_SUBHEADING = re.compile(rf"^([{IROHA}])[\s　]+(.+)$")


@dataclass(frozen=True)
class Block:
    kind: str  # heading | subheading | bullet | subbullet | paragraph
    text: str
    number: str = ""  # "(1)" or "ア" for headings
    anchor: str = ""  # headings only: "<prefix>-<n>", the 目次 links to it

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}".strip()


def parse_prose(text: str, *, prefix: str = "prose") -> list[Block]:
    blocks: list[Block] = []
    headings = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("- ", "-\u3000")):
            body = line[2:].strip()
            if body.startswith("・"):
                blocks.append(Block("subbullet", body[1:].strip()))
            else:
                blocks.append(Block("bullet", body))
        elif m := _HEADING.match(line):
            blocks.append(Block("heading", m.group(2).strip(), f"({m.group(1)})", f"{prefix}-{headings}"))
            headings += 1
        elif m := _SUBHEADING.match(line):
            blocks.append(Block("subheading", m.group(2).strip(), m.group(1)))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def bullets(text: str) -> list[str]:
    """A narrative field (one statement per line) as its bullet points."""
    return [line.strip() for line in text.splitlines() if line.strip()]
