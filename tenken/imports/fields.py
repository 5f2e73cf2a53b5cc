"""The fields a plan column can hold, with the header names accepted for each (shown in docs and UI)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenken.common.text import normalize


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    names: tuple[str, ...]  # accepted header names, compared after NFKC without spaces
    words: tuple[str, ...] = ()  # a header containing one of these words (weaker guess)
    max_length: int | None = None  # the database limit, reported with the cell instead of failing


FIELDS: tuple[Field, ...] = (
    Field("policy", "方針（大項目）", ("大項目", "方針", "基本方針", "施策の柱", "柱", "基本目標", "政策", "分野", "章",
                                 # 総務省「自治体DX推進手順書」の重点取組事項; a prefecture's table of support, one row
                                 # per 市町村 × 取組, grouped by the municipality
                                 "重点取組事項", "重点取組項目", "重点事項", "市町村", "市町村名", "対象市町村", "団体名",
                                 "自治体名", "取組の柱",
                                 # a vendor's export keeps its English names (docs/importing.md)
                                 "Category", "Policy"),
          ("基本方針", "方針", "大項目", "基本目標", "の柱"), 300),
    Field("item", "取組項目（中項目）", ("中項目", "取組項目", "施策", "施策名", "主要施策", "施策項目", "取組の方向性", "施策名称"),
          ("施策", "中項目", "取組項目"), 300),
    Field("subitem", "小項目", ("小項目",), ("小項目",), 300),
    Field("label", "取組No", ("取組No", "取組NO", "取組番号", "No", "No.", "NO", "NO.", "番号", "項番", "通番", "事業番号", "整理番号",
                                 "施策コード", "取組コード", "事業コード", "施策番号", "コード", "管理番号", "ID"),
          ("番号", "No"), 40),
    # 取組名 alone is the text (most plans name an initiative by one line); beside a content column
    # (「取組名」+「取組概要」, 「事業名」+「事業内容」) it is the name: inspect pairs them (pair_name_and_text).
    Field("name", "取組名", ("取組名", "取組名称", "事業名", "事業名称", "取組・事業名", "事業・取組名", "取組の名称", "事業の名称"),
          (), 200),
    Field("text", "取組内容", ("取組内容", "取組名", "取組", "事業名", "取組事項", "具体的な取組", "取組の内容", "事業内容", "取組概要", "取組名称", "事業名称",
                                   "項目", "内容", "事業", "取組・事業", "事業・取組", "実施事業",
                                   "具体的な施策", "具体的な事業", "具体的施策", "具体的事業", "主な取組", "主な事業", "支援内容",
                                   "具体的取組", "業務名", "対象業務", "改善内容", "Title", "Subject"),
          ("取組", "事業名")),
    Field("status", "実施結果（進捗）", ("取組の実施結果", "実施結果", "進捗状況", "進捗", "達成状況", "評価", "点検結果", "進捗度",
                                  "進捗評価", "状況", "達成度", "自己評価", "Status", "Progress"),
          ("進捗", "実施結果", "達成状況", "評価")),
    Field("direction", "今後の方向性", ("今後の方向性", "方向性", "今後の方針"), ("方向性",)),
    Field("reason", "理由", ("変更の理由", "変更理由", "理由", "変更内容・理由", "遅れの理由", "未達成の理由", "変更・中止の理由"),
          ("理由",)),
    Field("departments", "担当所属", ("担当課", "担当所属", "所管課", "担当部署", "担当部局", "所属", "担当", "所管", "担当部課", "主管課",
                                  "Dept", "Department", "Division"),
          ("担当", "所管", "主管")),
    # The 課 sharing the work beside the lead's column (a 都道府県's 「所管部局 | 関係部局」): more departments of the
    # initiative, after the lead's (preview joins them to 担当所属).
    Field("related", "関係所属", ("関係課", "関係部局", "関係所属", "関係部署", "関係部課", "関係課等", "関連課", "協力課", "連携課",
                                "副担当課", "共管課"), ("関係課", "関係部局", "関係部署", "関係所属")),
    Field("outcome", "実績・成果", ("実績", "取組実績", "成果", "実施状況", "取組状況", "実施内容"), ("実績", "成果")),
    Field("issues", "課題", ("課題", "今後の課題", "課題・今後の予定", "課題と対応"), ("課題",)),
    Field("note", "備考", ("備考", "note", "Notes", "Remarks", "Memo", "メモ"), ("備考",)),
    Field("parent", "上位の取組（見出し）", ("上位の取組", "見出し", "上位取組"), ()),
    # The fiscal year of each row (tenken.imports.rowyears): an initiative over one row per year. Registered names
    # only, never a word inside a longer header (「開始年度」「完了予定年度」 are no result's year).
    Field("fiscal_year", "年度（行ごとの年度）", ("年度", "対象年度", "実施年度", "評価年度", "点検年度", "報告年度", "実績年度",
                                            "年度別"), ()),
)
BY_KEY = {f.key: f for f in FIELDS}
# A word inside a longer header: the more specific fields first (「変更の理由」 is a reason, 「取組の進捗」 a status).
WEAK_ORDER = tuple(BY_KEY[k] for k in ("reason", "direction", "status", "related", "departments", "outcome", "issues", "note",
                                        "label", "subitem", "policy", "item", "text"))
DESCRIPTION_WORDS = ("説明", "コメント", "詳細", "所見", "記述", "補足", "理由等")
# 「取組名」 is guessed as the text: only beside a content column is it the name (is_name_header).
_EXACT = {normalize(n).lower().rstrip("."): f.key for f in FIELDS if f.key != "name" for n in f.names}
# A header naming an initiative (「取組名」「事業名称」「取組・事業名」), or describing it (「取組概要」「事業内容」
# 「具体的な取組」「内容」「概要」): a sheet with one of each keeps both, the name and the text.
_NAME_HEADER = re.compile(r"((取組|事業)([・･/／](取組|事業))?の?名(称)?|業務名|対象業務)$")
_CONTENT_HEADER = re.compile(r"(内容|概要|具体的な?取組|具体的な事業|具体的な施策|取組事項)$")
_NOT_CONTENT = ("実施", "実績", "変更", "理由", "課題", "備考", "成果", "状況", "結果", "指標", "kpi")
# An indicator (KPI) column: its name, target, actual or base value, rate or unit (「実績値」「目標値（件）」
# 「達成率」「KPI」). Its numbers are no initiative's result or account of the work; indicators are imported
# separately (tenken.indicators), so the plan importer leaves these columns out, saying why.
_INDICATOR = re.compile(
    r"(kpi|指標|指標名|成果指標|活動指標|数値目標|目標数値|(目標|実績|基準|現状|計画|達成|中間|最終|見込)値|(達成|進捗|執行|実施)率|単位)"
    r"(\(.*\))?$"
)


def field_label(key: str) -> str:
    return BY_KEY[key].label if key in BY_KEY else key


def contains_field_name(parts: list[str], key: str | None) -> bool:
    """Whether the header holds a whole registered name of field ``key`` of three characters or more
    (「具体的な取組内容」 holds 取組内容), a stronger guess than holding one of its words."""
    if key is None:
        return False
    joined = normalize("".join(parts)).lower()
    return any(len(n) >= 3 and normalize(n).lower() in joined for n in BY_KEY[key].names)


def _header_key(parts: list[str]) -> str:
    return re.sub(r"[(（【\[].*$", "", normalize("".join(parts)).lower()).strip()


def is_name_header(parts: list[str]) -> bool:
    """Whether the header names the initiative (「取組名」「事業名称」「取組・事業名」), not describes it."""
    return bool(_NAME_HEADER.search(_header_key(parts)))


def is_content_header(parts: list[str]) -> bool:
    """Whether the header describes the initiative (「取組概要」「事業内容」「具体的な取組」「内容」); 「実施内容」
    「変更内容」 are an account of the work or a reason, and an indicator's 「指標の内容」 is no initiative's."""
    key = _header_key(parts)
    return (bool(_CONTENT_HEADER.search(key)) and not is_name_header(parts) and not is_indicator_header(parts)
            and not any(w in key for w in _NOT_CONTENT))


def is_indicator_header(parts: list[str]) -> bool:
    """Whether the header names an indicator's name, value, rate or unit (「実績値」「目標値（件）」「KPI」)."""
    return bool(_INDICATOR.search(normalize("".join(parts)).lower()))


def guess_field(parts: list[str], *, weak: bool = True) -> tuple[str | None, str]:
    """``(field, reason)`` for a column whose header cells (top to bottom) are ``parts``; ``weak=False``
    only accepts a registered name."""
    for part in reversed(parts):
        key = normalize(part).lower().rstrip(".")
        if key in _EXACT:
            return _EXACT[key], f"見出し「{part}」は「{field_label(_EXACT[key])}」の名前として登録されています"
    joined = normalize("".join(parts)).lower()
    if joined in _EXACT:
        return _EXACT[joined], f"見出し「{' '.join(parts)}」は「{field_label(_EXACT[joined])}」の名前として登録されています"
    if not weak:
        return None, ""
    if is_indicator_header(parts):
        return None, (f"見出し「{' '.join(parts)}」は指標（KPI）の列です。指標の値は取組の実施結果・実績ではなく、"
                      "指標の取込で扱います（取り込みません）")
    if any(w in joined for w in DESCRIPTION_WORDS) and any(w in joined for w in ("進捗", "状況", "結果", "評価", "実績")):
        # 「進捗に関する説明」「実施状況の詳細」: sentences about the result, not the result itself
        return "outcome", f"見出し「{' '.join(parts)}」は結果についての説明（文章）の列です（推定）"
    for f in WEAK_ORDER:
        for w in f.words:
            if normalize(w).lower() in joined:
                return f.key, f"見出し「{' '.join(parts)}」に「{w}」が含まれています（推定）"
    return None, "見出しが登録された名前のどれにも当たりません（取り込みません）"
