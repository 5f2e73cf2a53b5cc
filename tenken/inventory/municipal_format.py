"""Reading municipal progress from CSV: 団体コード, 取組済となった日 (blank: 未取組), 備考.

The date may be 西暦 or 和暦 and a month means its last day (取組済 by the end of that month).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import normalize
from tenken.common.wareki import WarekiError, parse_date
from tenken.orgs.lgcode import LgCodeError, clean_lgcode
from tenken.spreadsheets.csvfile import read_csv


@dataclass(frozen=True)
class ProgressRow:
    where: str
    code: str
    achieved_on: date | None
    note: str


def read_municipal_csv(path: Path | str, *, name: str | None = None) -> list[ProgressRow]:
    path = Path(path)
    name = name or path.name
    header, lines = read_csv(path, name=name)
    idx = {normalize(h): i for i, h in enumerate(header)}
    for required in ("団体コード", "取組済となった日"):
        if required not in idx:
            raise InputRejected(Problem(f"{name}:1行目", f"必須の列「{required}」がありません"))
    problems: list[Problem] = []
    out: list[ProgressRow] = []
    for line, cells in lines:
        def cell(h: str, cells: list[str] = cells) -> str:
            i = idx.get(h)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        where = f"{name}:{line}行目"
        try:
            code = clean_lgcode(cell("団体コード"))
        except LgCodeError as exc:
            problems.append(Problem(f"{where}「団体コード」", str(exc)))
            continue
        achieved = None
        if cell("取組済となった日"):
            try:
                achieved = parse_date(cell("取組済となった日")).end
            except WarekiError as exc:
                problems.append(Problem(f"{where}「取組済となった日」", str(exc)))
        out.append(ProgressRow(where, code, achieved, cell("備考")))
    if problems:
        raise InputRejected(problems)
    return out
