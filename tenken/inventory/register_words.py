"""The words of a register's cells: network segments (三層の構え), hosting, state.

Segment: the formal names (マイナンバー利用事務系 …) are read as they are; the informal names 基幹系 / 内部情報系 … only
once the user confirms the reading. A formal name with another name in brackets (「マイナンバー利用事務系（基幹系）」
「LGWAN接続系（内部情報系）」, or 「基幹系（マイナンバー利用事務系）」) is the formal name's segment; a bracketed name
that is another segment's (「LGWAN接続系（基幹系）」) is refused at the cell, never settled by guess. The guideline's
numbering before a name (「①個人番号利用事務系」「(2)LGWAN接続系」) is dropped. A hosting word in the segment column
(「ガバメントクラウド」) is where the system runs, not its segment: refused at the cell, asking for the segment.

State: the labels 稼働 / 廃止 / 統合 and the words asset systems export (稼働中, 運用中, 廃止済 …, :data:`STATE_WORDS`).
廃止予定 / 統合予定 is a system still in service: 稼働 (the register keeps no planned date; one written as 廃止日 is
refused at its cell).
"""

from __future__ import annotations

import re

from tenken.common.text import normalize

from .models import Hosting, Segment, SystemState

_SEGMENTS = {normalize(k): v for v, ks in {
    Segment.MYNUMBER: ("マイナンバー利用事務系", "マイナンバー系", "個人番号利用事務系"),
    Segment.LGWAN: ("LGWAN接続系", "LGWAN系"),
    Segment.INTERNET: ("インターネット接続系", "インターネット系"),
}.items() for k in ks}
# Informal names of the three-layer model's segments: read only once the user confirms the reading.
_READINGS: tuple[tuple[str, Segment], ...] = (
    ("基幹系", Segment.MYNUMBER), ("基幹系システム", Segment.MYNUMBER), ("内部情報系", Segment.LGWAN),
    ("情報系", Segment.LGWAN), ("LGWAN", Segment.LGWAN), ("インターネット", Segment.INTERNET),
    ("ネット系", Segment.INTERNET),
)
# 「①個人番号利用事務系」「(2)LGWAN接続系」「3.インターネット接続系」: the guideline's numbering before the name (NFKC
# turns ① into 1); read as the name after it.
_NUMBERED = re.compile(r"^(?:\(\d\)|\d[.)．:、]?)\s*(?=\D)")
# Where a system runs, not a segment of the three-layer model: the segment is asked for, never guessed.
_HOSTING_NOT_SEGMENT = ("ガバメントクラウド", "クラウド", "自治体クラウド", "データセンター", "庁舎内", "SaaS")
SEGMENT_READINGS = {normalize(k): v for k, v in _READINGS}
CONFIRM_SEGMENTS_LABEL = "区分の読み替えを確認しました"
_BRACKETED = re.compile(r"^(?P<name>[^()【】\[\]]+)[(【\[](?P<alias>[^()【】\[\]]+)[)】\]]$")

HOSTINGS = {normalize(k): v for v, ks in {
    Hosting.ON_PREMISES: ("庁舎内設置", "オンプレミス", "庁内設置", "庁舎内", "庁内", "本庁舎", "オンプレ", "自庁設置"),
    Hosting.DATA_CENTRE: ("データセンター", "DC", "外部データセンター", "データセンタ"),
    Hosting.CLOUD: ("クラウド", "SaaS", "ASP", "ガバメントクラウド", "クラウド(SaaS)", "クラウドサービス"),
    Hosting.PACKAGE: ("パッケージ",),
}.items() for k in ks}

# The state words of registers and asset-management exports. 廃止予定/統合予定: still in service.
STATE_WORDS: dict[SystemState, tuple[str, ...]] = {
    SystemState.ACTIVE: ("稼働", "稼働中", "稼動", "稼動中", "運用中", "使用中", "利用中", "廃止予定", "統合予定"),
    SystemState.RETIRED: ("廃止", "廃止済", "廃止済み", "運用終了", "利用終了"),
    SystemState.CONSOLIDATED: ("統合", "統合済", "統合済み"),
}
PLANNED_STATES = frozenset(normalize(w) for w in ("廃止予定", "統合予定"))
_STATES = {normalize(w): state.value for state, words in STATE_WORDS.items() for w in words}


def segment_readings() -> list[tuple[str, str]]:
    """The proposed readings (informal name, segment label) that are used only once confirmed: shown
    beside the 「区分の読み替えを確認しました」 checkbox of the upload form."""
    return [(k, Segment(v).label) for k, v in _READINGS]


def read_segment(text: str, *, confirm: bool) -> tuple[str | None, str]:
    """``(segment, "")``, or ``(None, Japanese problem)`` for a name not read (a reading not confirmed yet, a
    name in brackets contradicting the name, an unknown name)."""
    key = _NUMBERED.sub("", normalize(text))
    if key in _SEGMENTS:
        return _SEGMENTS[key], ""
    names = [key]
    if key not in SEGMENT_READINGS and (m := _BRACKETED.match(key)):
        names = [m["name"], m["alias"]]
    known = [(n, _SEGMENTS.get(n) or SEGMENT_READINGS.get(n)) for n in names]
    known = [(n, s) for n, s in known if s is not None]
    if len({s for _n, s in known}) > 1:
        (n0, s0), (n1, s1) = known[0], next(k for k in known if k[1] != known[0][1])
        return None, (f"ネットワーク区分「{text}」: 「{n0}」は{Segment(s0).label}、括弧の「{n1}」は{Segment(s1).label}"
                      "です。どちらかに直してください")
    formal = next((_SEGMENTS[n] for n in names if n in _SEGMENTS), None)
    if formal is not None:
        return formal, ""  # the formal name wins over the old one in brackets
    reading = SEGMENT_READINGS.get(names[0])
    if reading is not None:
        if confirm:
            return reading, ""
        return None, (f"ネットワーク区分「{text}」は「{Segment(reading).label}」と読めます。"
                      "この読み替えでよければ確認して取り込んでください"
                      f"（画面では「{CONFIRM_SEGMENTS_LABEL}」にチェック、コマンドでは --confirm-segments）")
    if key in {normalize(h) for h in _HOSTING_NOT_SEGMENT}:
        return None, (f"ネットワーク区分「{text}」は設置場所（設置形態）で、三層の構えの区分ではありません。"
                      f"このシステムの区分（{'、'.join(s.label for s in Segment)}）を記入し、「{text}」は設置形態の列に"
                      "書いてください（ガバメントクラウド上の標準準拠システムも、接続する系の区分に属します）")
    return None, f"ネットワーク区分「{text}」を解釈できません（{'、'.join(s.label for s in Segment)}）"


def read_state(text: str) -> str | None:
    """The state a 状態 / 稼働状況 cell says, or ``None`` for a word not known."""
    return _STATES.get(normalize(text))


def state_problem(text: str) -> str:
    return f"状態「{text}」を解釈できません（{'、'.join(s.label for s in SystemState)}）"
