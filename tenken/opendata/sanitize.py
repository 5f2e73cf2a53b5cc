"""Making text cells safe for spreadsheets and for CP932.

Formula injection (CSV/DDE injection): a cell beginning with ``=``, ``+``, ``-``, ``@``, tab or
carriage return may be run as a formula when the file is opened in Excel or LibreOffice. Every *text*
cell of every open-data file goes through :func:`neutralize` (defined in
:mod:`tenken.spreadsheets.neutralize` and shared by every generated workbook), which prefixes such a value with ``'``
(the OWASP recommendation). Numbers stay numbers (a negative number is not text). The prefix is
visible in the data — e.g. the number label ``-`` is published as ``'-`` — which is the price of
safety and is documented in docs/opendata.md.

CP932 (Shift_JIS as Excel on Windows reads it) cannot encode every character we store. :func:`to_cp932`
first maps look-alikes that CP932 has (``〜`` WAVE DASH → ``～``, ``−`` MINUS SIGN → ``－``, ...),
then replaces anything still unencodable with ``〓`` (げた記号, the customary mark for a missing
character). The UTF-8 files are the authoritative version; the CP932 variant is a convenience.
"""

from __future__ import annotations

import codecs

from tenken.spreadsheets.neutralize import FORMULA_PREFIXES, neutralize  # noqa: F401 - the shared rule

REPLACEMENT = "〓"

# Characters that CP932 lacks but has a visually equal code point for (JIS X 0208 mapping differences).
CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 WAVE DASH → ～ FULLWIDTH TILDE
        "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
        "\u2212": "\uff0d",  # − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
        "\u00a2": "\uffe0",  # ¢ → ￠
        "\u00a3": "\uffe1",  # £ → ￡
        "\u00ac": "\uffe2",  # ¬ → ￢
        "\u2014": "\u2015",  # — EM DASH → ― HORIZONTAL BAR
        "\u00a0": " ",  # NO-BREAK SPACE → space
    }
)


def _geta(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return REPLACEMENT * (error.end - error.start), error.end


codecs.register_error("tenken-geta", _geta)


def to_cp932(text: str) -> bytes:
    """Encode for Excel users: look-alikes first, then ``〓`` for each character CP932 cannot hold."""
    return text.translate(CP932_LOOKALIKES).encode("cp932", errors="tenken-geta")


def cp932_lossy_chars(text: str) -> set[str]:
    """The characters of ``text`` that :func:`to_cp932` will replace by ``〓`` (for reporting)."""
    out = set()
    for ch in set(text.translate(CP932_LOOKALIKES)):
        try:
            ch.encode("cp932")
        except UnicodeEncodeError:
            out.add(ch)
    return out
