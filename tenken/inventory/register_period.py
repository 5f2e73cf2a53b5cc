"""契約期間 as registers write it: a start and an end in one cell.

``R3.4.1～R8.3.31``, ``令和3年4月1日～令和8年3月31日``, ``2021/4/1-2026/3/31``, ``R3.4～R8.3`` (a month: its first
day to start, its last day to end), ``R元.5.1〜R6.4.30``, ``令和3年4月1日から令和8年3月31日まで``, the era left out
of the end (``R3.4.1～8.3.31``), one side left open (``～R8.3.31``). Anything else is refused with a Japanese
message, never read by guess: one date alone might be the start or the end.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from tenken.common.wareki import WarekiError, format_date_short, parse_date

# After NFKC (～ becomes ~, － becomes -): what people put between the two dates.
_SEPARATORS = ("~", "〜", "から", "至", "-", "‐", "–", "—", "―", "ー")
_ERA = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])")
EXAMPLE = "例: R3.4.1～R8.3.31、2021/4/1-2026/3/31、満了日だけなら ～R8.3.31"


def _side(text: str, *, end: bool, era: str) -> date | None:
    if not text:
        return None
    try:
        parsed = parse_date(text)
    except WarekiError:
        if not era or not text[0].isdigit():
            raise
        parsed = parse_date(era + text)  # 「R3.4.1～8.3.31」: the end in the start's era
    return parsed.end if end else parsed.start


def parse_period(text: str) -> tuple[date | None, date | None]:
    """``(start, end)`` of a contract period; raises :class:`WarekiError` with the Japanese message."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    s = s.removesuffix("まで")
    if s.startswith("自") and "至" in s:
        s = s[1:]
    era = m.group(1) if (m := _ERA.match(s)) else ""
    found: set[tuple[date | None, date | None]] = set()
    reason = ""
    for sep in _SEPARATORS:
        for i in [m.start() for m in re.finditer(re.escape(sep), s)]:
            left, right = s[:i], s[i + len(sep):]
            if not left and not right:
                continue
            try:
                found.add((_side(left, end=False, era=""), _side(right, end=True, era=era)))
            except WarekiError as exc:
                reason = reason or str(exc)
        if found:
            break  # the first kind of separator that splits the text into two dates
    if not found:
        if not any(sep in s for sep in _SEPARATORS):
            raise WarekiError(f"契約期間「{text}」は開始と終了を「～」でつないで書いてください（{EXAMPLE}）")
        raise WarekiError(f"契約期間「{text}」を読み取れません（{reason + '。' if reason else ''}{EXAMPLE}）")
    if len(found) > 1:
        raise WarekiError(f"契約期間「{text}」は区切りが複数に読めます。開始と終了を「～」でつないで書いてください（{EXAMPLE}）")
    start, end = found.pop()
    if start and end and end < start:
        raise WarekiError(f"契約期間「{text}」の終了（{format_date_short(end)}）が開始（{format_date_short(start)}）より前です")
    return start, end
