"""Turning located source rows into a validated plan draft, or every problem found.

Rules (from the Kanagawa 別紙 and its report):
- 大項目 ``第1章 スマート神奈川の推進`` is policy 1 titled スマート神奈川の推進; 小項目 ``(1) PM2.5対策…``
  is sub-item ``(1)``. A 小項目 left blank means the row sits directly under its 取組項目.
- A row with no result is a heading when rows follow that belong to it: with a label ``38``, the rows
  ``38①``…``38⑨`` (not ``38-1``); with no label, the following rows of the same 小項目. A heading is
  not counted. Any other row without a result is an error.
- In CSV the heading is named by the ``上位の取組`` column of its children; its label is inferred the
  same way (``38①`` → ``38``; ``25-1``/``26`` give none, as in the workbook).
- ``〔再掲〕`` in the text marks a repost; reposts are counted, as the report counts them.
- 変更 without a reason is a warning here (the 別紙 has no reason column; the report's narrative does).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import label_text, nfkc, normalize
from tenken.common.wareki import fiscal_year_label

from .source import YEAR_PREFIX, PlanSource, SourceRow, StructureItem
from .statuses import StatusResolver, StatusSpec

IROHA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
# A Roman numeral (after NFKC, Ⅱ is II): 「Ⅱ 地域社会のデジタル化」 is policy II.
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_CHAPTER = re.compile(rf"^(?:第\s*(\d+)\s*章\s*|(\d{{1,2}}|{_ROMAN})[.．、)）]?\s+(?=\S))")
_PAREN_CODE = re.compile(r"^([(（]\s*\d+\s*[)）])\s*")
# 「1-2 庁内のデジタル化」「Ⅰ-1 手続のオンライン化」「1-(1) …」: a section of a numbered outline
# (tenken.imports.outline) with its number as the code.
_OUTLINE_PART = rf"(?:\d{{1,3}}|{_ROMAN}|\(\d{{1,3}}\))"
_OUTLINE_CODE = re.compile(rf"^({_OUTLINE_PART}(?:[-‐－−.．]{_OUTLINE_PART}|(?=\(){_OUTLINE_PART})+)\s+(?=\S)")
# 「（再掲 No.1）」「【再掲：1-2】」「(No.3の再掲)」: the bracket may say which initiative it repeats.
_REPOST = re.compile(r"[〔\[【(（][^〔\[【(（〕\]】)）]{0,15}再掲[^〔\[【(（〕\]】)）]{0,15}[〕\]】)）]")
# 「再掲:1-2 …」「再掲 電子申請」「※再掲」 at the start of the text, or 「再掲」 anywhere in the 取組No (「再掲:1」
# 「1-2(再掲)」): a repost written without brackets.
_REPOST_LEAD = re.compile(r"^\s*(?:※\s*)?再掲(?:\s*[:：\-‐－・.．]|\s|(?=\d)|$)|※\s*再掲")


def is_repost(text: str, label: str = "") -> bool:
    """Whether the initiative is a 再掲 (an initiative shown again under another policy): 〔再掲〕【再掲】(再掲)
    anywhere in the text, 「再掲:1-2」「※再掲」 at its start, or 再掲 in the 取組No."""
    return bool(_REPOST.search(text) or _REPOST_LEAD.search(text) or "再掲" in (label or ""))
_DEPT_SPLIT = re.compile(r"[、,，/／\n]+")
# 「情報課・企画課」 is two departments when every part ends like a department name; 「総務・法務課」 is one.
_DEPT_END = re.compile(r"(課|局|室|部|所|係|班|センター|委員会|事務局|本部|館|園|署|庁)$")


# A sub-unit in brackets on a line (or after a separator) of its own, under its 課: 「契約課\n（契約係）」 is the one
# department 「契約課（契約係）」, as if written on one line; it names no department by itself.
_SUB_UNIT = re.compile(r"[（(〔［\[【〈＜<][^（()）]*[）)〕］\]】〉＞>]")
# The marks of the lead 課 and of those sharing the work (「◎企画課、○情報課」「（主）市民課（副）DX推進課」
# 「主：市民課　副：DX推進課」「【関係】企画課」) are no part of a name: each starts a department of its own. A mark
# standing beside the same mark (「○○課」, a placeholder) is not one.
_MARK_WORDS = r"主担当|副担当|主管課?|主務課?|関係課?|関連課?|協力課?|連携課?|共管課?|主|副|正"
_LEAD_WORDS = ("主担当", "主管", "主管課", "主務", "主務課", "主", "正")
_MARK_SYMBOLS = "◎○◯〇●★☆◆◇■□"
_DEPT_MARK = re.compile(
    rf"[（(〔［\[【〈＜<]\s*(?P<bracketed>{_MARK_WORDS})\s*[）)〕］\]】〉＞>]"
    rf"|(?:^|(?<=[\s、,，/／]))(?P<colon>{_MARK_WORDS})\s*[:：]"
    rf"|(?<![{_MARK_SYMBOLS}])(?P<symbol>[{_MARK_SYMBOLS}])(?![{_MARK_SYMBOLS}])"
)
_LEAD_SYMBOLS = "◎●★"


def split_departments(text: str) -> list[str]:
    """The department names in one 担当課 cell, each once (「企画課、企画課」 is one link): separated by 、 , / or a
    line break, by ・ between names that each end like a department (課・局・室 …), or by the marks of the lead
    課 and the others (◎ ○ ● ★, （主）（副）, 主： 副：, 【関係】 …), which are dropped; the lead (◎ ● ★ 主 正) comes
    first. A sub-unit in brackets on its own line joins the name above it (「契約課（契約係）」)."""
    return list(_split_departments(text))


@functools.lru_cache(maxsize=4096)  # a plan names a few departments over many rows (the national import too)
def _split_departments(text: str) -> tuple[str, ...]:
    marks = list(_DEPT_MARK.finditer(text))
    if not marks:
        return tuple(dict.fromkeys(_department_names(text)))
    chunks = [text[: marks[0].start()]] + [
        text[m.end(): (marks[i + 1].start() if i + 1 < len(marks) else len(text))] for i, m in enumerate(marks)]
    names = [_department_names(c) for c in chunks]
    lead: set[tuple[int, int]] = set()  # (chunk, name) of the names marked as the lead
    for i, m in enumerate(marks):
        word = m.group("bracketed") or m.group("colon")
        if not (word in _LEAD_WORDS if word else m.group("symbol") in _LEAD_SYMBOLS):
            continue
        after = chunks[i + 1]
        if names[i + 1] and not _DEPT_SPLIT.match(after.lstrip(" \t　")):
            lead.add((i + 1, 0))  # 「◎企画課」: the mark before its name
        elif names[i]:
            lead.add((i, len(names[i]) - 1))  # 「企画課（主）」: the mark after it
    ordered = sorted(((0 if (i, j) in lead else 1, n) for i, ns in enumerate(names) for j, n in enumerate(ns)),
                     key=lambda rn: rn[0])
    return tuple(dict.fromkeys(n for _rank, n in ordered))


# 「総務部／情報政策課」: a 部 (or 局) and the 課 under it, written with a slash as on many sheets, are one
# department 「総務部 情報政策課」 — not when the right names a 部 of its own (「総務部 DX推進課／市民部 市民課」).
_UPPER_UNIT = re.compile(r"(?:部|局|本部)$")
_LOWER_UNIT = re.compile(r"^(?!.*(?:部|局)\s).*(?:課|室|係|班|センター|事務所)$")


def _department_names(text: str) -> list[str]:
    out: list[str] = []
    pieces = re.split(f"({_DEPT_SPLIT.pattern})", text)
    parts: list[str] = []
    for i in range(0, len(pieces), 2):
        part = re.sub(r"[ \t　]+", " ", pieces[i]).strip()  # 「総務部　情報政策課」 is 「総務部 情報政策課」
        if (parts and part and i >= 2 and pieces[i - 1].strip() in ("/", "／")
                and _UPPER_UNIT.search(parts[-1]) and " " not in parts[-1] and _LOWER_UNIT.match(part)):
            parts[-1] += " " + part
        else:
            parts.append(part)
    for part in parts:
        if not part:
            continue
        if out and _SUB_UNIT.fullmatch(part):
            out[-1] += part
            continue
        if "・" not in part and "･" not in part:  # the usual cell: no dot to look at
            out.append(part)
            continue
        dotted = [p.strip() for p in re.split(r"[・･]", part)]
        if len(dotted) > 1 and all(p and _DEPT_END.search(p) for p in dotted):
            out += dotted
        else:
            out.append(part)
    return out


@dataclass
class DraftSection:
    key: tuple[str, ...]
    depth: int
    code: str
    title: str
    order: int


@dataclass
class DraftInitiative:
    where: str
    section_key: tuple[str, ...]
    label: str
    text: str
    status: str | None
    is_heading: bool = False
    name: str = ""  # 取組名, when the plan keeps one beside the text
    yearly: dict[int, str] = field(default_factory=dict)  # fiscal year → status code
    parent: int | None = None  # index into PlanDraft.initiatives
    is_repost: bool = False
    reason: str = ""
    departments: list[str] = field(default_factory=list)
    note: str = ""
    outcomes: dict[int | None, str] = field(default_factory=dict)  # fiscal year (None: final) → 実績・成果
    issues: str = ""


def _placed_outcomes(outcomes: dict[int | None, str], status: str | None, yearly: dict[int, str]) -> dict[int | None, str]:
    """The 実績・成果 of each year where a review will hold it. A year's actuals without that year's result
    (「年次計画 R4 | 実績」 beside one final 評価 column) has no annual review to sit in: it goes, headed by its
    year, into the final review's (or, without one, the latest year's) 実績・成果, never dropped."""
    out = dict(outcomes)
    orphans = sorted(fy for fy in out if fy is not None and fy not in yearly)
    if not orphans or (status is None and not yearly):
        return out
    target = None if status is not None else max(yearly)
    lines = [out[target]] if out.get(target) else []
    lines += [f"{fiscal_year_label(fy)}: {out.pop(fy)}" for fy in orphans]
    out[target] = "\n".join(lines)
    return out


@dataclass
class PlanDraft:
    sections: list[DraftSection]
    initiatives: list[DraftInitiative]
    statuses: list[StatusSpec]
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        depth = Counter(s.depth for s in self.sections)
        countable = [i for i in self.initiatives if not i.is_heading]
        # The final result, or the latest year's when the file holds yearly results only.
        by_status = Counter(i.status or (i.yearly[max(i.yearly)] if i.yearly else None) for i in countable)
        return {
            "policies": depth[0],
            "items": depth[1],
            "subitems": depth[2],
            "initiatives": len(self.initiatives),
            "headings": len(self.initiatives) - len(countable),
            "countable": len(countable),
            "by_status": {s.label: by_status.get(s.code, 0) for s in self.statuses},
        }


_ROMAN_CHARS = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_ROMAN_RUN = re.compile(r"^[IVX]+(?=$|[-‐－−.．(])")


def _roman_code(code: str) -> str:
    """A Roman numeral leading a code written as the plan writes it: ``II-1`` → ``Ⅱ-1`` (NFKC had made it
    letters); up to Ⅻ, beyond that the letters stay."""
    m = _ROMAN_RUN.match(code)
    if not m:
        return code
    ascii_forms = [unicodedata.normalize("NFKC", c) for c in _ROMAN_CHARS]
    if m.group(0) not in ascii_forms:
        return code
    return _ROMAN_CHARS[ascii_forms.index(m.group(0))] + code[m.end():]


def split_chapter(text: str) -> tuple[str, str]:
    """``第2章 行政のデジタル化`` → ``("2", "行政のデジタル化")``, ``Ⅱ 地域のデジタル化`` → ``("Ⅱ", …)``,
    ``(1) 業務の効率化`` → ``("(1)", "業務の効率化")``; a bare ``第2章`` (a sheet's name) keeps itself as the
    title: ``("2", "第2章")``."""
    t = nfkc(text)
    m = _CHAPTER.match(t)
    if m is None and (p := _PAREN_CODE.match(t)) and t[p.end():].strip():
        return split_paren_code(t)  # 「(1) 業務の効率化」: its own number, as a 中項目's (1) is
    return (_roman_code(m.group(1) or m.group(2)), t[m.end():].strip() or t) if m else ("", t)


def split_outline_code(text: str) -> tuple[str, str] | None:
    """``1-2 庁内のデジタル化`` → ``("1-2", "庁内のデジタル化")``, ``Ⅰ-1 …`` → ``("Ⅰ-1", …)``; ``None``
    without such a code."""
    t = nfkc(text)
    m = _OUTLINE_CODE.match(t)
    return (_roman_code(m.group(1)), t[m.end():].strip()) if m else None


# An item's (施策's) own number before its title: 「① 手続」「ア 手続」「(ア) 手続」「1 手続」「1. 手続」.
_CIRCLED_CODE = re.compile(r"^([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])\s*(?=\S)")
_KANA_CODE = re.compile(rf"^([{IROHA}])[\s.．、:：)）]\s*(?=\S)")
_PAREN_KANA_CODE = re.compile(rf"^\(\s*([{IROHA}])\s*\)\s*(?=\S)")
_DIGIT_CODE = re.compile(r"^(\d{1,2})(?:[.．、)）]\s*|\s+)(?=\S)")


@functools.lru_cache(maxsize=4096)  # a plan names a few 施策 over many rows
def split_item_code(text: str) -> tuple[str, str] | None:
    """The number a 施策 (or 小項目) carries in its own text, as its code, and the title without it:
    ``(1) 手続のオンライン化`` → ``("(1)", "手続のオンライン化")``, ``1-1 …`` → ``("1-1", …)``, ``① …`` → ``("①", …)``
    (as written: NFKC would make it 1), ``ア …`` / ``(ア) …`` → ``("ア", …)`` / ``("(ア)", …)``, ``1 …`` / ``1. …``
    → ``("1", …)``; ``None`` when it carries none (it is then given ア, イ, ウ … in plan order)."""
    raw = text.strip()
    if m := _CIRCLED_CODE.match(raw):
        return m.group(1), nfkc(raw[m.end():])
    t = nfkc(text)
    if outlined := split_outline_code(t):
        return outlined
    if _PAREN_CODE.match(t):
        code, title = split_paren_code(t)
        return (code, title) if title else None
    if m := _PAREN_KANA_CODE.match(t):
        return f"({m.group(1)})", t[m.end():].strip()
    if m := _KANA_CODE.match(t):
        return m.group(1), t[m.end():].strip()
    if m := _DIGIT_CODE.match(t):
        return m.group(1), t[m.end():].strip()
    return None


def split_paren_code(text: str) -> tuple[str, str]:
    t = nfkc(text)
    m = _PAREN_CODE.match(t)
    if not m:
        return "", t
    return re.sub(r"\s", "", m.group(1)).replace("（", "(").replace("）", ")"), t[m.end():].strip()


def is_child_label(heading: str, label: str) -> bool:
    """``38`` heads ``38①`` and ``45①-2`` but not ``38-1`` or ``381``; an empty heading heads all."""
    if not heading:
        return True
    if not label.startswith(heading) or len(label) == len(heading):
        return False
    nxt = label[len(heading)]
    return not nxt.isdecimal() and nxt not in "-‐－ー−"


def infer_heading_label(children: list[str]) -> str:
    if not children:
        return ""
    m = re.match(r"^\d+", children[0])
    candidate = m.group(0) if m else ""
    if candidate and all(is_child_label(candidate, c) for c in children):
        return candidate
    return ""


def _sections(source: PlanSource, structure: list[StructureItem] | None, problems: list[Problem]):
    """Builds the section list; returns (sections, row_section_keys)."""
    sections: dict[tuple[str, ...], DraftSection] = {}
    policy_codes: dict[str, str] = {}
    item_codes: dict[tuple[str, str], str] = {}

    def add(key: tuple[str, ...], code: str, raw: str = "") -> None:
        if key not in sections:
            # A 施策 carrying its own number (「(1) 施策名」「1-2 施策名」 of an outline, 「① 施策名」) keeps it as its code.
            numbered = split_item_code(raw or key[-1]) if len(key) > 1 else None
            code, title = numbered if numbered else (code, key[-1])
            sections[key] = DraftSection(key, len(key) - 1, code, title, len(sections))

    known_items: set[tuple[str, str]] = set()
    if structure:
        for s in structure:
            pcode, ptitle = split_chapter(s.policy)
            if ptitle not in policy_codes:
                policy_codes[ptitle] = pcode or str(len(policy_codes) + 1)
                add((ptitle,), policy_codes[ptitle])
            siblings = sum(1 for (p, _i) in item_codes if p == ptitle)
            item_codes[(ptitle, nfkc(s.item))] = s.code or IROHA[siblings % len(IROHA)]
            known_items.add((ptitle, nfkc(s.item)))
            add((ptitle, nfkc(s.item)), item_codes[(ptitle, nfkc(s.item))])
    keys: list[tuple[str, ...] | None] = []
    for row in source.rows:
        pcode, ptitle = split_chapter(row.policy)
        item = nfkc(row.item)
        if not ptitle:
            problems.append(Problem(row.refs["policy"], "大項目（方針）が空欄です"))
            keys.append(None)
            continue
        if not source.has_items:
            if ptitle not in policy_codes:
                policy_codes[ptitle] = pcode or str(len(policy_codes) + 1)
            add((ptitle,), policy_codes[ptitle])
            keys.append((ptitle,))
            continue
        if not item:
            problems.append(Problem(row.refs["item"], "中項目（取組項目）が空欄です"))
            keys.append(None)
            continue
        if structure is not None and (ptitle, item) not in known_items:
            problems.append(Problem(row.refs["item"], f"取組項目「{item}」（{ptitle}）は計画の構成にありません"))
            keys.append(None)
            continue
        if ptitle not in policy_codes:
            policy_codes[ptitle] = pcode or str(len(policy_codes) + 1)
        add((ptitle,), policy_codes[ptitle])
        if (ptitle, item) not in item_codes:
            siblings = sum(1 for (p, _i) in item_codes if p == ptitle)
            item_codes[(ptitle, item)] = IROHA[siblings % len(IROHA)]
        add((ptitle, item), item_codes[(ptitle, item)], row.item)
        key: tuple[str, ...] = (ptitle, item)
        if row.subitem:
            code, title = split_item_code(row.subitem) or ("", nfkc(row.subitem))
            key = (ptitle, item, nfkc(row.subitem))
            if key not in sections:
                sections[key] = DraftSection(key, 2, code, title, len(sections))
        keys.append(key)
    # Order: policies, then their items in plan order, then sub-items in source order.
    ordered = sorted(sections.values(), key=lambda s: _sort_key(s, sections))
    for i, s in enumerate(ordered):
        s.order = i
    return ordered, keys


def _sort_key(s: DraftSection, sections: dict[tuple[str, ...], DraftSection]) -> tuple[int, ...]:
    return tuple(sections[s.key[: d + 1]].order for d in range(len(s.key)))


def _result_ref(row: SourceRow) -> str:
    if "status" in row.refs:
        return row.refs["status"]
    years = sorted(k for k in row.refs if k.startswith(YEAR_PREFIX))
    return row.refs[years[-1]] if years else row.where


def assemble(
    source: PlanSource,
    *,
    statuses: tuple[StatusSpec, ...] | list[StatusSpec],
    structure: list[StructureItem] | None = None,
    questions: dict[str, str] | None = None,
) -> PlanDraft:
    """Validate ``source`` into a :class:`PlanDraft`; raise :class:`InputRejected` with every problem."""
    problems: list[Problem] = list(source.problems)
    warnings: list[Problem] = list(source.warnings)
    resolver = StatusResolver(statuses, bare_numbers=False)

    def unreadable(ref: str, raw: str) -> Problem:
        if questions and normalize(raw) in questions:
            return Problem(ref, questions[normalize(raw)])
        if resolver.is_bare_number(raw):
            return Problem(ref, f"実施結果「{raw}」は番号だけで、どの区分か分かりません（神奈川県の①②③とは限りません）。"
                                "凡例のある計画は tenken import-plan PATH --inspect で対応表を作り --mapping で取り込んでください")
        return Problem(ref, f"実施結果「{raw}」を解釈できません（選択肢: {resolver.choices_text()}）")
    sections, keys = _sections(source, structure, problems)
    requires_reason = {s.code for s in statuses if s.requires_reason}
    resolved: dict[str, str | None] = {}  # a plan has a few distinct result texts: each is read once

    def resolve(raw: str) -> str | None:
        if raw not in resolved:
            resolved[raw] = resolver.resolve(raw)
        return resolved[raw]

    def make(row: SourceRow, key: tuple[str, ...]) -> DraftInitiative:
        status = resolve(row.status) if row.status else None
        if row.status and status is None:
            problems.append(unreadable(row.refs["status"], row.status))
        yearly: dict[int, str] = {}
        for fy, raw in row.yearly.items():
            code = resolve(raw)
            if code is None:
                problems.append(unreadable(row.refs[f"{YEAR_PREFIX}{fy}"], raw))
            else:
                yearly[fy] = code
        if not row.text:
            problems.append(Problem(row.refs["text"], "取組内容が空欄です"))
        if (status in requires_reason or requires_reason & set(yearly.values())) and not row.reason:
            needing = [s.label for s in statuses if s.code in ({status} | set(yearly.values())) and s.requires_reason]
            warnings.append(Problem(_result_ref(row), f"「{'」「'.join(needing)}」の理由が記入されていません"))
        return DraftInitiative(
            where=row.where,
            section_key=key,
            label=label_text(row.label),
            name=row.values.get("name", ""),
            text=row.text,
            status=status,
            yearly=yearly,
            is_repost=is_repost(row.text, row.label),
            reason=row.reason,
            departments=split_departments(row.departments),
            note=row.note,
            outcomes=_placed_outcomes(row.outcomes, status, yearly),
            issues=row.values.get("issues", ""),
        )

    out: list[DraftInitiative] = []
    pending: list[tuple[SourceRow, int]] = []  # rows without a result: headings if children follow
    if source.explicit_headings:
        open_heading: int | None = None
        for row, key in zip(source.rows, keys, strict=True):
            if key is None:
                continue
            ini = make(row, key)
            if not row.has_result:
                ini.is_heading = True
                open_heading = len(out)
                pending.append((row, len(out)))
                out.append(ini)
                continue
            if open_heading is not None:
                head = out[open_heading]
                if head.section_key == key and is_child_label(head.label, ini.label):
                    ini.parent = open_heading
                else:
                    open_heading = None
            out.append(ini)
        with_children = {i.parent for i in out if i.parent is not None}
        for row, index in pending:
            if index not in with_children:
                problems.append(Problem(_result_ref(row), "実施結果が空欄です"))
    else:
        headings: dict[tuple[tuple[str, ...], str], int] = {}
        for row, key in zip(source.rows, keys, strict=True):
            if key is None:
                continue
            if not row.has_result:
                problems.append(Problem(_result_ref(row), "実施結果が空欄です"))
            parent_index = None
            if row.parent:
                hkey = (key, normalize(row.parent))
                if hkey not in headings:
                    headings[hkey] = len(out)
                    out.append(DraftInitiative(where=row.where, section_key=key, label="", text=row.parent,
                                               status=None, is_heading=True))
                parent_index = headings[hkey]
            ini = make(row, key)
            ini.parent = parent_index
            out.append(ini)
        for index in headings.values():
            out[index].label = infer_heading_label([i.label for i in out if i.parent == index])
    if problems:
        raise InputRejected(problems)
    return PlanDraft(sections=sections, initiatives=out, statuses=list(statuses), warnings=warnings)
