"""Reading an inspection's narratives: ``items.csv`` (per 取組項目) and the report text file (.toml).

``items.csv`` columns: 方針, 記号, 取組項目, 達成(報告書), 実施中(報告書), 変更(報告書), 主な取組, 成果,
課題・今後の予定等, 変更した取組. Several statements in one cell are joined with `` / ``; each becomes a
line (one bullet point in the report). Counts are the ones the legacy report printed (declared counts);
all three empty means the report printed no table for that item. A 変更した取組 statement carries its
reason after ``(理由)``.

The text file (TOML) holds ``title``, ``as_of`` (和暦 or 西暦, e.g. 平成31年3月), ``purpose``,
``conclusion`` and ``[summaries]`` (item title → the sentence printed instead of a count table).

Nothing here touches the database: readers return a draft or raise :class:`InputRejected` with every
problem, naming file, line and column.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import nfkc
from tenken.common.wareki import WarekiError, parse_date
from tenken.spreadsheets.csvfile import read_csv

SEPARATOR = " / "
REASON_MARK = re.compile(r"[(（]\s*理由\s*[)）]")
COUNT_COLUMNS = {"achieved": "達成(報告書)", "in_progress": "実施中(報告書)", "changed": "変更(報告書)"}
TEXT_COLUMNS = {
    "main_initiatives": "主な取組",
    "results": "成果",
    "issues_and_plans": "課題・今後の予定等",
    "changed_initiatives": "変更した取組",
}
REQUIRED = ("方針", "取組項目", *COUNT_COLUMNS.values(), *TEXT_COLUMNS.values())


@dataclass(frozen=True)
class ChangedStatement:
    """One 変更した取組 statement: the initiative as the report names it, and the reason given."""

    initiative_text: str
    reason: str


@dataclass
class ItemNarrative:
    where: str
    policy: str
    code: str
    item: str
    declared: dict[str, int]
    texts: dict[str, str]  # field → newline-separated statements

    @property
    def changed_statements(self) -> list[ChangedStatement]:
        return [split_reason(s) for s in self.texts.get("changed_initiatives", "").splitlines() if s.strip()]


@dataclass
class ReportText:
    title: str = ""
    as_of: date | None = None
    purpose: str = ""
    conclusion: str = ""
    summaries: dict[str, str] = field(default_factory=dict)


def split_statements(cell: str) -> str:
    """``"a / b"`` → ``"a\\nb"`` (one statement per line)."""
    return "\n".join(part.strip() for part in cell.split(SEPARATOR) if part.strip())


def split_reason(statement: str) -> ChangedStatement:
    """``"X (理由) Y"`` → ``ChangedStatement("X", "Y")``; without the mark the reason is empty."""
    m = REASON_MARK.search(statement)
    if m is None:
        return ChangedStatement(statement.strip(), "")
    return ChangedStatement(statement[: m.start()].strip(), statement[m.end():].strip())


def read_items_csv(path: Path | str, *, name: str | None = None) -> list[ItemNarrative]:
    path = Path(path)
    name = name or path.name
    header, lines = read_csv(path, name=name)
    idx = {nfkc(h).strip(): i for i, h in enumerate(header)}
    missing = [h for h in REQUIRED if nfkc(h) not in idx]
    if missing:
        raise InputRejected([Problem(f"{name}:1行目", f"必須の列「{h}」がありません") for h in missing])
    problems: list[Problem] = []
    out: list[ItemNarrative] = []
    for line, cells in lines:
        def get(h: str, cells: list[str] = cells) -> str:
            i = idx.get(nfkc(h))
            return cells[i].strip() if i is not None and i < len(cells) else ""

        where = f"{name}:{line}行目"
        if not get("方針") or not get("取組項目"):
            problems.append(Problem(where, "方針と取組項目は必須です"))
            continue
        raw = {code: get(col) for code, col in COUNT_COLUMNS.items()}
        declared: dict[str, int] = {}
        if any(raw.values()):
            for code, value in raw.items():
                col = COUNT_COLUMNS[code]
                try:
                    n = int(nfkc(value)) if value else -1
                except ValueError:
                    n = -1
                if n < 0:
                    problems.append(Problem(f"{where}「{col}」", f"取組数「{value}」は0以上の整数で書いてください（表のない項目は3列とも空欄）"))
                else:
                    declared[code] = n
        out.append(
            ItemNarrative(
                where=where,
                policy=get("方針"),
                code=get("記号"),
                item=get("取組項目"),
                declared=declared,
                texts={f: split_statements(get(col)) for f, col in TEXT_COLUMNS.items()},
            )
        )
    if problems:
        raise InputRejected(problems)
    return out


def read_report_text(path: Path | str, *, name: str | None = None) -> ReportText:
    path = Path(path)
    name = name or path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputRejected(Problem(name, f"TOML として読めません（{exc}）")) from exc
    problems: list[Problem] = []
    for key in ("title", "as_of", "purpose", "conclusion"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem(f"{name}「{key}」", "文字列で書いてください"))
    summaries = data.get("summaries", {})
    if not isinstance(summaries, dict) or not all(isinstance(v, str) for v in summaries.values()):
        problems.append(Problem(f"{name}「summaries」", "取組項目名 = \"文章\" の表で書いてください"))
        summaries = {}
    as_of = None
    if isinstance(data.get("as_of"), str) and data["as_of"].strip():
        try:
            as_of = parse_date(data["as_of"]).as_of
        except WarekiError as exc:
            problems.append(Problem(f"{name}「as_of」", str(exc)))
    if problems:
        raise InputRejected(problems)
    return ReportText(
        title=str(data.get("title", "")).strip(),
        as_of=as_of,
        purpose=str(data.get("purpose", "")).strip(),
        conclusion=str(data.get("conclusion", "")).strip(),
        summaries={nfkc(k).strip(): v.strip() for k, v in summaries.items()},
    )
