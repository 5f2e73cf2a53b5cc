"""The tables of the seed report (data/seed_report.txt, the text of Kanagawa's 点検報告書 PDF)."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).with_name("data") / "seed_report.txt"
_ITEM = re.compile(r"^([アイウエオカキクケコ]) (.+)$")


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def item_tables() -> dict[str, tuple[int, ...]]:
    """``{取組項目: (達成, 実施中, 変更)}`` for every item of chapter 2 that prints a count table.

    The seed is a lossy text conversion of the PDF: in four rows (医療&ヘルスケア, 教育, 公衆無線LAN, 公共インフラ)
    one value cell was lost (``"\t\t9\t0"``), so those tuples hold two values; see :func:`same_table`.
    """
    lines = seed_lines()
    start = max(i for i, ln in enumerate(lines) if ln.strip() == "2 取組項目ごとの点検結果")
    end = max(i for i, ln in enumerate(lines) if ln.strip() == "3 全体総括")
    out: dict[str, tuple[int, int, int]] = {}
    item = None
    for i in range(start, end):
        line = lines[i].strip()
        if m := _ITEM.match(line):
            item = m.group(2).strip()
        elif line.startswith("取組数\t取組内容を達成") and item:
            values = next(ln for ln in lines[i + 1 :] if ln.strip()).split()
            out[item] = tuple(int(v) for v in values)
    return out


def same_table(ours: tuple[int, ...], seed: tuple[int, ...]) -> bool:
    """Equal, or — where the seed's text lost one cell — the seed's values are a contiguous run of ours."""
    if len(seed) == len(ours):
        return seed == ours
    return any(ours[i : i + len(seed)] == seed for i in range(len(ours) - len(seed) + 1))


def items_without_table() -> dict[str, str]:
    """``{取組項目: sentence}`` for items whose 取組数 cell holds a sentence instead of a table."""
    lines = seed_lines()
    out = {}
    item = None
    for line in lines:
        if m := _ITEM.match(line.strip()):
            item = m.group(2).strip()
        elif line.startswith("取組数\t") and not line.startswith("取組数\t取組内容を達成") and item:
            out[item] = line.split("\t", 1)[1].strip()
    return out


def achievement_table() -> dict[str, tuple[int, int, int, int]]:
    """The 3 全体総括 (1) 達成状況 table: ``{方針 or 計: (達成, 実施中, 変更, 計)}``."""
    lines = seed_lines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("方針\t取組内容を達成\t取組を実施中\t取組内容を変更\t計"))
    out = {}
    for line in lines[i + 1 : i + 5]:
        name, *values = line.split("\t")
        out[name.strip()] = tuple(int(v) for v in values)
    return out
