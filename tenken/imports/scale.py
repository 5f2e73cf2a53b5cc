"""A plan's own status scale: read from its legend (凡例) or its distinct values, each value mapped to a
common category (:data:`~tenken.plans.statuses.CATEGORIES`).

A bare number (``1``, ``①``, ``(3)``) says nothing without a legend: its category is left empty, which
is a question the user answers in the mapping; it is never read as Kanagawa's ①②③.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tenken.common.text import nfkc, normalize
from tenken.plans.statuses import CATEGORY_LABELS, KANAGAWA_STATUSES, StatusResolver, StatusSpec

# Words → category, most specific first (未着手 before 着手, 未達成 before 達成).
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("未着手", "not_started"), ("未実施", "not_started"), ("着手していない", "not_started"), ("未執行", "not_started"),
    ("中止", "cancelled"), ("廃止", "cancelled"), ("休止", "cancelled"), ("取りやめ", "cancelled"), ("終了", "cancelled"),
    # Held back: these win over the 実施 / 着手 beside them (「実施延期」「着手を中断」 are not 実施中).
    ("中断", "cancelled"), ("凍結", "cancelled"), ("断念", "cancelled"), ("取り止め", "cancelled"), ("取止め", "cancelled"),
    ("延期", "delayed"), ("先送り", "delayed"), ("先延ばし", "delayed"), ("繰り延べ", "delayed"), ("繰延べ", "delayed"),
    ("進んでいない", "delayed"), ("進まない", "delayed"), ("未達成", "delayed"), ("遅れ", "delayed"), ("遅延", "delayed"), ("停滞", "delayed"), ("不十分", "delayed"),
    ("下回", "delayed"),  # 「目標を下回った」
    ("概ね目標", "in_progress"), ("おおむね目標", "in_progress"),  # 「概ね目標どおり」 before 「目標どおり」
    # 「概ね達成」「ほぼ完了」: not yet the whole of it (a B beside A 達成), before 達成 / 完了.
    ("概ね達成", "in_progress"), ("おおむね達成", "in_progress"), ("ほぼ達成", "in_progress"),
    ("概ね完了", "in_progress"), ("おおむね完了", "in_progress"), ("ほぼ完了", "in_progress"), ("道半ば", "in_progress"),
    ("変更", "changed"), ("見直し", "changed"), ("改革改善", "changed"), ("改善", "changed"), ("縮小", "changed"),
    ("上回", "done"), ("目標どおり", "done"), ("目標通り", "done"),  # 「目標を大きく上回った」「目標どおり」
    ("計画以上", "done"), ("予定以上", "done"), ("完了", "done"), ("達成", "done"), ("実施済", "done"), ("完成", "done"), ("済", "done"),
    ("順調", "in_progress"), ("計画どおり", "in_progress"), ("計画通り", "in_progress"), ("予定どおり", "in_progress"),
    ("予定通り", "in_progress"), ("進んでいる", "in_progress"), ("実施中", "in_progress"), ("取組中", "in_progress"), ("推進中", "in_progress"),
    ("進行中", "in_progress"), ("対応中", "in_progress"), ("継続", "in_progress"), ("現状維持", "in_progress"), ("拡充", "in_progress"),
    ("着手", "in_progress"), ("実施", "in_progress"),
)
# Letter and symbol scales in their usual reading; proposed with the reason 推定 for the user to confirm.
SYMBOLS = {"◎": "done", "○": "in_progress", "〇": "in_progress", "◯": "in_progress", "△": "delayed", "×": "not_started",
           "●": "done", "▲": "delayed"}
# A dash alone (「－」「-」「ー」「―」「—」「−」): 対象外 / 該当なし / not evaluated this year far more often than
# 未着手. Its category is asked, never guessed from the symbols beside it.
_DASHES = frozenset("-‐‑‒–—―−ー─━ｰ")


def is_dash(value: str) -> bool:
    v = normalize(value)
    return bool(v) and all(ch in _DASHES for ch in v)


def dash_reason(value: str) -> str | None:
    if not is_dash(value):
        return None
    return (f"「{value}」は対象外・該当なし（評価しない年度）の印であることが多く、未着手とは限らないため推定しません。"
            "区分を指定するか、対象外の取組の行なら skip_rows に加えてください")


LETTERS_AD = {"A": "done", "B": "in_progress", "C": "delayed", "D": "not_started", "E": "cancelled"}
LETTERS_SC = {"S": "done", "A": "in_progress", "B": "delayed", "C": "not_started", "D": "cancelled"}
_KANAGAWA_CODES = {s.code for s in KANAGAWA_STATUSES}
REASON_CATEGORIES = {"changed", "cancelled"}
_BARE = re.compile(r"^[(（]?\d{1,2}[)）.．]?$")
# 「1：完了」「①=達成」「A 順調」「a：計画どおり完了」「◎…完了」 inside a legend text.
# A number or letter key starts a word (not the 4 of 「令和4年度」) and is no count or date (4年, 4件); a
# symbol key stands alone (「○○町」「××課」 are names written with placeholders, not two legend keys).
_SYMBOL_KEYS = "◎○〇◯△×●▲"
_LEGEND_ENTRY = re.compile(
    r"(?P<key>[①-⑳]|(?<![^\s:：=＝、,，/／|｜【】\[\]「」『』(（)）])(?:[(（]?\d{1,2}(?![\d年月日件%])[)）]?|[A-ESa-es](?![A-Za-z]))"
    rf"|(?<![{_SYMBOL_KEYS}])[{_SYMBOL_KEYS}](?![{_SYMBOL_KEYS}]))\s*(?:[:：=＝、]|[.．…‥・]+)?\s*"
    r"(?P<label>[^\s:：=＝、,，/／|｜①-⑳◎○〇◯△×●▲.．…‥]{1,24})"
)
# Negated words: 「着手できていない」 is not 着手 (実施中); 「未完了」 is not 完了, nor does it say whether the work
# is late or not begun (a question for the user).
_NOT_BEGUN = re.compile(r"(着手|実施|執行|対応)(でき|し|され)?(ていない|てない|なかった|ず|ません)")
_NOT_DONE = re.compile(r"未完|未済|(完了|完成|達成)(でき|し|され)?(ていない|てない|なかった|ず|ません)"
                       r"|(完了|完成|達成|実施済|済)(に|まで|へ|には|までは)?(至|いた)(らず|っていない|らない|らなかった)"
                       r"|(完了|完成|達成)[^、。]{0,12}?(予定|見込|見通し|目途|めど)")  # 「完了（R6.3予定）」: not yet
# Words that make a 完了 / 達成 only a part of it, or the way toward it: 「一部達成」「部分的に完了」「達成に向けて
# 取組中」「完了（一部）」「一定の達成」「道半ば」「8割完了」「完了間近」. The work is under way (実施中 like 「一部
# 実施」), not done. Only a done reading is qualified so: 「一部中止」「一部変更」「一部遅れ」 keep their own word.
_PARTLY = re.compile(r"一部|部分|途中|途上|半ば|一定|大部分|大半|(?<![\d０-９])[1-9１-９]割|間近|あと少し|もう少し"
                     r"|(に|へ)向け|目指|めざ|取組中|取り組み中|取組み中|進行中|推進中")


# Words saying the work was held back without saying for how long: 「実施見送り」「着手見合わせ」「保留」 is an
# end (中止) in one plan and a postponement (遅れ) in another. Never 実施中 for the 実施 in them: a question.
_UNDECIDED = re.compile(r"見送|見合わせ|見合せ|保留")


# When a result was reached, written beside it: 「完了（R5.10）」「完了（令和6年2月）」「完了 2024/3」「実施中（R5.4～）」
# 「【R6.3末】完了」. A date or a month, nothing more: 「完了（R6.3予定）」「完了（一部）」 say something else.
_DATE = (
    r"(?:(?:(?:令和|平成|R|H)\s*(?:元|\d{1,2})|(?:19|20)\d{2})\s*(?:年度?|[./\-])?\s*"
    r"(?:\d{1,2}\s*(?:月|(?=[./\-]))?(?:\s*[./\-]?\s*\d{1,2}\s*日?)?)?"
    r"|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)"
    r"\s*(?:末|頃|ごろ|中|上旬|中旬|下旬|時点|現在|完了|達成|終了|開始|着手|から|~|〜|～)?\s*(?:~|〜|～)?"
)
_OPEN, _CLOSE = r"[(【\[〔<「『]", r"[)】\]〕>」』]"
_ANNOTATED = (
    re.compile(rf"^(?P<word>.+?)\s*{_OPEN}\s*(?P<note>{_DATE})\s*{_CLOSE}$"),
    re.compile(rf"^(?P<word>.+?)\s+(?P<note>{_DATE})$"),
    re.compile(rf"^{_OPEN}\s*(?P<note>{_DATE})\s*{_CLOSE}\s*(?P<word>.+?)$"),
    re.compile(rf"^(?P<note>{_DATE})\s+(?P<word>.+?)$"),
)


@lru_cache(maxsize=4096)  # a plan has a few distinct result texts, met on every row
def split_annotation(value: str) -> tuple[str, str] | None:
    """``(status word, date)`` of a result written with the date it was reached (「完了（R5.10）」 →
    ``("完了", "R5.10")``): the same status as the word alone, the date an annotation. ``None`` otherwise."""
    t = nfkc(value)
    for pattern in _ANNOTATED:
        m = pattern.match(t)
        if m is None:
            continue
        word, note = m.group("word").strip(), m.group("note").strip()
        if re.search(r"\d", note) and word and (category_of_words(word) or _UNDECIDED.search(normalize(word))):
            return word, note
    return _split_comment(value)


def _split_comment(t: str) -> tuple[str, str] | None:
    """「順調\n（一部遅れ）」「遅れ\n※業者選定に時間を要した」: the status chosen on the first line, the clerk's
    comment on the lines below. Not 「完了\n（一部）」, where the line below only qualifies the word (a part
    done is 実施中, read by the words of the whole cell)."""
    first, _, rest = t.replace("\r", "\n").partition("\n")
    first, rest = nfkc(first).strip(), rest.strip()
    if not first or not rest or len(first) > 10:
        return None
    word = category_of_words(first)
    whole = category_of_words(f"{first} {rest}")
    # 「完了\n（R6.3予定）」 is a completion still to come (whole: no category), never 完了; 「順調\n（R6.3完了予定）」
    # is 順調 with what is planned.
    if word and (category_of_words(rest) or whole == word or (whole is None and word != "done")):
        return first, rest
    return None


def split_key_comment(value: str) -> tuple[str, str] | None:
    """「△\n※業者選定に時間を要した」「2\n（一部遅れ）」: a legend's symbol, letter or number chosen on the first
    line and the clerk's comment on the lines below (the words of 「遅れ\n※…」 are :func:`_split_comment`'s): the
    status is the first line's, the comment is kept in the result's 実績・成果. ``None`` otherwise."""
    first, _, rest = value.replace("\r", "\n").partition("\n")
    first, rest = normalize(first), rest.strip()
    if rest and 0 < len(first) <= 2 and not category_of_words(first):
        return first, rest
    return None


def undecided_reason(text: str) -> str | None:
    """Why a value that holds the work back (「実施見送り」) is asked instead of guessed, or ``None``."""
    m = _UNDECIDED.search(normalize(text))
    if not m:
        return None
    return (f"「{m.group(0)}」は中止（cancelled）とも延期・遅れ（delayed）とも読めるため推定しません。"
            "区分を指定してください")


def question_reason(value: str) -> str:
    """Why a value of the scale without a category is asked, for the located message of each cell (a mapping
    read back from TOML keeps no reasons)."""
    return undecided_reason(value) or dash_reason(value) or "凡例がありません"


def is_status_word(text: str) -> bool:
    """Whether a short value reads as a result: a word with a category, or one that is asked
    (「実施見送り」: a result whose category the user says)."""
    return bool(category_of_words(text) or undecided_reason(text) or split_annotation(text))


def is_bare_number(value: str) -> bool:
    return bool(_BARE.match(normalize(value)))


@lru_cache(maxsize=4096)
def category_of_words(text: str) -> str | None:
    t = normalize(text)
    if _NOT_DONE.search(t) or _UNDECIDED.search(t):
        return None
    if _NOT_BEGUN.search(t):
        return "not_started"
    for word, cat in CATEGORY_WORDS:
        if word in t:
            return "in_progress" if cat == "done" and _PARTLY.search(t) else cat
    return None


@dataclass
class ScaleEntry:
    """One status of the plan's scale. ``values`` are the spellings found in the cells."""

    value: str
    label: str
    category: str  # "" = not known yet: a question for the user
    requires_reason: bool = False
    long_label: str = ""
    aliases: list[str] = field(default_factory=list)
    code: str = ""
    reason: str = ""  # why this category was proposed (shown, not stored)

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, "（未確認）")


def parse_legend(texts: list[str]) -> dict[str, str]:
    """``{normalized key: label}`` from legend text such as ``凡例 1：完了 2：順調 3：遅れ 4：未着手``."""
    out: dict[str, str] = {}
    for text in texts:
        t = nfkc(str(text)).replace("凡例", " ")
        found = False
        for m in _LEGEND_ENTRY.finditer(t):
            label = m.group("label").strip("）)")
            key = normalize(m.group("key")).strip("()（）")
            if label and (category_of_words(label) or undecided_reason(label)) and key not in out:
                out[key] = label
                found = True
        if not found and "凡例" in str(text):
            for word in _listed_words(t):
                out.setdefault(normalize(word), word)
    return out


_LIST_SEPARATORS = re.compile(r"[\s/／|｜、,，・]+")


def _listed_words(text: str) -> list[str]:
    """The words of a legend that only lists its statuses (「凡例：完了／順調／遅れ／未着手」): each value is its
    own word. Two or more short words, each saying a category, or none."""
    words = [w for w in _LIST_SEPARATORS.split(text.strip(" :：【】[]［］()（）")) if w]
    if len(words) >= 2 and all(len(w) <= 12 and (category_of_words(w) or undecided_reason(w)) for w in words):
        return words
    return []


def _key(value: str) -> str:
    """A legend key for comparison: 「(1)」「１.」 → 1, 「ａ」「a」 → A (a legend's a is the cells' A)."""
    k = normalize(value).strip("()（）.．")
    return k.upper() if len(k) == 1 and k.isascii() else k


# A cell value that starts with a legend key set off from its words: 「B（概ね順調）」「1 完了」「a：計画どおり
# 完了」「○ 順調」 (not the A of 「A社と調整中」).
_KEYED_VALUE = re.compile(
    r"^[(（]?([A-Za-z]|\d{1,2}|[①-⑳]|[" + _SYMBOL_KEYS + r"])(?:$|[)）.．:：=＝、]\s*|\s+|(?=[(（「【\[]))(.*)$"
)


def legend_key_of(value: str, legend: dict[str, str]) -> str | None:
    """The key of ``legend`` that the cell ``value`` names, or ``None``.

    The key alone (「B」「ｂ」「(2)」), or the key with words that agree with its entry: the entry's own label in
    brackets or after it (「B（概ね順調）」「1 完了」), or words that say the same category. Words that say another
    (「A（遅れ）」 where A is 完了) name no entry: the value is its own question."""
    keys = {_key(k): k for k in legend}
    whole = _key(value)
    if whole in keys:
        return keys[whole]
    m = _KEYED_VALUE.match(nfkc(value))
    if not m or _key(m.group(1)) not in keys:
        return None
    key = keys[_key(m.group(1))]
    rest = m.group(2).strip("()（）[]［］「」【】 ")
    if not rest or normalize(rest) == normalize(legend[key]):
        return key
    said = category_of_words(rest)
    return key if said is None or said == category_of_words(legend[key]) else None


# A progress rate (進捗率) as the result: 100% is done, 0% not started, anything between in progress. The
# three bands are the plan's scale whichever of them the file shows (next year's 100% needs no new status).
PERCENT_BANDS: tuple[tuple[str, str, str], ...] = (
    ("100%", "完了", "done"), ("1～99%", "実施中", "in_progress"), ("0%", "未着手", "not_started"))
_PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(%?)$")


def percent_of(text: str, *, fractions: bool) -> float | None:
    """The percentage a cell says (「50%」「50」; 「0.5」 when ``fractions``: Excel keeps 50% as 0.5), or ``None``."""
    m = _PERCENT.match(nfkc(str(text)).replace(",", ""))
    if m is None:
        return None
    x = float(m.group(1))
    return round(x if m.group(2) or not fractions else x * 100, 6)


def percent_text(p: float) -> str:
    return f"{p:g}%"


def percent_band(p: float) -> str:
    """The value of the band of :data:`PERCENT_BANDS` that a percentage falls in."""
    return PERCENT_BANDS[0][0] if p >= 100 else PERCENT_BANDS[2][0] if p <= 0 else PERCENT_BANDS[1][0]


def percent_scale(rates: list[str]) -> list[ScaleEntry]:
    """The three bands, each with the percentages seen in it as aliases; ``[]`` without percentages."""
    if not rates:
        return []
    entries = []
    for value, label, cat in PERCENT_BANDS:
        seen = [r for r in rates if percent_band(percent_of(r, fractions=False) or 0) == value]
        entries.append(ScaleEntry(
            value, label, cat, long_label=f"{label}（進捗率{value}）", aliases=[r for r in seen if r != value],
            reason=("進捗率の値（100% = 完了、0% = 未着手、その間 = 実施中。推定）" if seen else
                    f"進捗率{value}（このファイルには現れません）")))
    return entries


def percent_reading(entries: list[ScaleEntry]) -> bool | None:
    """How the numbers of a progress-rate scale are read: ``True`` as Excel percent cells (its 100% band has
    the alias 「1」: 1 = 100%, 0.5 = 50%), ``False`` as percentages written out (50 = 50%); ``None`` when the
    scale is no progress rate."""
    bands = {e.value: e for e in entries if e.value in {b[0] for b in PERCENT_BANDS}}
    if PERCENT_BANDS[0][0] not in bands:
        return None
    return "1" in {normalize(a) for a in bands[PERCENT_BANDS[0][0]].aliases}


def propose_scale(values: list[str], legend: dict[str, str]) -> list[ScaleEntry]:
    """A scale for the distinct ``values`` (in first-seen order), using ``legend`` where it speaks."""
    distinct: list[str] = []
    annotated: dict[str, list[str]] = {}  # 「完了」 → 「完了（R5.10）」「完了（令和6年2月）」: one status, dates aside
    for v in values:
        if not v:
            continue
        split = split_annotation(v) if legend_key_of(v, legend) is None else None
        if (split := split or split_key_comment(v)) is not None:
            spellings = annotated.setdefault(split[0], [])
            if v not in spellings:
                spellings.append(v)
            v = split[0]
        if v not in distinct:
            distinct.append(v)
    rates = [v for v in distinct if "%" in v and percent_of(v, fractions=False) is not None]
    entries = percent_scale(rates) + _propose([v for v in distinct if v not in rates], legend)
    for e in entries:
        dated = [a for k in (e.value, *e.aliases) for a in annotated.get(k, [])]
        if dated:
            e.aliases += [a for a in dated if a not in e.aliases]
            e.reason += (f"。「{dated[0].replace(chr(10), ' ')}」のように日付・時期や次の行の説明を添えた値も同じ区分です"
                         "（添えたものは実施結果の実績・成果に書き残します）")
    return entries


def _propose(distinct: list[str], legend: dict[str, str]) -> list[ScaleEntry]:
    kanagawa = StatusResolver(KANAGAWA_STATUSES, bare_numbers=False)
    if distinct and all(kanagawa.resolve(v) for v in distinct) and not legend:
        by_code = {s.code: s for s in KANAGAWA_STATUSES}
        used = {kanagawa.resolve(v) for v in distinct}
        entries = []
        for spec in KANAGAWA_STATUSES:
            aliases = [v for v in distinct if kanagawa.resolve(v) == spec.code and v != spec.long_label]
            entries.append(ScaleEntry(spec.long_label, spec.label, spec.category, spec.requires_reason, spec.long_label,
                                      aliases, spec.code, "神奈川県の別紙の区分（①②③と文言が一致）"
                                      + ("" if spec.code in used else "。このファイルには現れません")))
        del by_code
        return entries
    letters = {normalize(v) for v in distinct}
    letter_map = LETTERS_SC if "S" in letters else LETTERS_AD
    entries: list[ScaleEntry] = []
    seen_at = {v: i for i, v in enumerate(distinct)}
    order = sorted(distinct, key=lambda v: (_legend_rank(v, legend), _usual_rank(v, letter_map), seen_at[v]))
    used_keys: set[str] = set()
    for v in order:
        label, cat, reason = v, "", ""
        if (lk := legend_key_of(v, legend)) is not None:
            used_keys.add(lk)
            label = legend[lk]
            cat = category_of_words(label) or ""
            reason = f"凡例「{lk}：{label}」" + (f"。{why}" if not cat and (why := undecided_reason(label)) else "")
        elif category_of_words(v):
            cat = category_of_words(v) or ""
            label = re.sub(r"^[(（]?(\d{1,2}|[①-⑳])[)）.．:：\s]*", "", nfkc(v)) or v
            reason = f"値「{v}」の言葉から"
        elif why := undecided_reason(v) or dash_reason(v):
            reason = why
        elif normalize(v) in SYMBOLS:
            cat = SYMBOLS[normalize(v)]
            reason = "記号の一般的な読み方（推定。凡例で確かめてください）"
        elif normalize(v).upper() in letter_map and len(normalize(v)) == 1:
            cat = letter_map[normalize(v).upper()]
            reason = ("S/A/B/C" if letter_map is LETTERS_SC else "A～D") + "の一般的な読み方（推定。凡例で確かめてください）"
        elif is_bare_number(v) or re.fullmatch(r"[①-⑳]", v.strip()):
            reason = "番号だけで凡例がありません。区分を指定してください（神奈川県の①②③とは限りません）"
        else:
            reason = "値の意味が分かりません。区分を指定してください"
        entries.append(ScaleEntry(v, label, cat, cat in REASON_CATEGORIES, reason=reason))
    # Legend entries that no cell uses yet are part of the scale too (next year's file may use them).
    seen = {_key(e.label) for e in entries}
    for k, label in legend.items():
        if k not in used_keys and _key(label) not in seen:
            cat = category_of_words(label) or ""
            entries.append(ScaleEntry(k, label, cat, cat in REASON_CATEGORIES, reason=f"凡例「{k}：{label}」（このファイルには現れません）"))
    _dedupe_labels(entries)
    return entries


def _usual_rank(value: str, letter_map: dict[str, str]) -> int:
    """Where a letter or symbol stands in its scale's usual order (A, B, C, D / S, A, B, C / ◎, ○, △, ×);
    other values keep the order they were first met in. The order becomes the plan's status order."""
    v = normalize(value)
    if len(v) == 1 and v.upper() in letter_map:
        return list(letter_map).index(v.upper())
    if v in SYMBOLS:
        return list(SYMBOLS).index(v)
    return len(SYMBOLS)


def _legend_rank(value: str, legend: dict[str, str]) -> int:
    keys = list(legend)
    k = legend_key_of(value, legend)
    return keys.index(k) if k is not None else len(keys)


def _dedupe_labels(entries: list[ScaleEntry]) -> None:
    """Two spellings of the same status (「1」「1 完了」) become one entry with aliases."""
    merged: list[ScaleEntry] = []
    for e in entries:
        twin = next((m for m in merged if normalize(m.label) == normalize(e.label) and m.category == e.category), None)
        if twin is not None:
            twin.aliases.append(e.value)
        else:
            merged.append(e)
    entries[:] = merged


def status_specs(entries: list[ScaleEntry]) -> list[StatusSpec]:
    """The plan's :class:`StatusSpec` scale; codes from the category (``done``, ``done-2`` …)."""
    specs = []
    used: set[str] = set()
    colors = {"done": "#2E7D32", "in_progress": "#1565C0", "delayed": "#C62828", "not_started": "#757575",
              "changed": "#EF6C00", "cancelled": "#6A1B9A"}
    for i, e in enumerate(entries, start=1):
        code = e.code or e.category or "status"
        base, n = code, 2
        while code in used:
            code, n = f"{base}-{n}", n + 1
        used.add(code)
        aliases = tuple(dict.fromkeys([e.value, *e.aliases]))
        specs.append(StatusSpec(code, e.label[:50], (e.long_label or e.value)[:100], e.label[:100], i,
                                e.requires_reason, colors.get(e.category, "#4C72B0"), aliases, e.category,
                                numbered=e.code in _KANAGAWA_CODES))
    return specs
