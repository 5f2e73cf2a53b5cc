"""Text normalisation for matching what people type into spreadsheets.

``normalize`` is for *comparison keys* only: NFKC (full-width digits and letters become half-width,
① becomes 1, half-width kana become full-width), then all white space removed. Stored text keeps the
original string; only look-ups use the key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def nfkc(value: str) -> str:
    """NFKC-normalise and trim, keeping inner spaces (folded to one ASCII space)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def normalize(value: object) -> str:
    """A comparison key: NFKC, no white space at all. ``None`` becomes ``""``."""
    if value is None:
        return ""
    return _normalize_text(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 16)
def _normalize_text(text: str) -> str:
    # Cached: importers compare the same few headers and status values thousands of times.
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell_text(value: object) -> str:
    """A spreadsheet cell as display text: numbers without a spurious ``.0``, trimmed strings, control
    characters (which no XLSX cell can hold, and NUL which PostgreSQL refuses) removed, line breaks as
    LF (Excel on Windows may keep CR LF, or a bare CR, from Alt+Enter or a pasted text)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def label_text(value: object) -> str:
    """A number label (取組No) cleaned for storage: NFKC except circled numbers (①…⑳ stay, because
    ``38①`` and ``381`` are different labels), trimmed."""
    text = cell_text(value)
    if text.isascii():
        return _SPACES.sub(" ", text).strip()
    out = []
    for ch in text:
        out.append(ch if "\u2460" <= ch <= "\u2473" else unicodedata.normalize("NFKC", ch))
    return _SPACES.sub(" ", "".join(out)).strip()
