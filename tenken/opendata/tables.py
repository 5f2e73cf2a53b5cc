"""The open-data tables of a plan: rows plus a schema, independent of the file format.

Following the 総務省 machine-readable rules: one header row, one datum per cell (departments of an
initiative get their own link table rather than a joined cell), numbers as numbers, 西暦 dates in ISO
8601 with the 和暦 beside them in an extra column, units in the header and the field description, and
the 全国地方公共団体コード and 地方公共団体名 in every row. Reviews come only from
:func:`tenken.public.visibility.public_reviews` (approved only).

An exporter shape after pretix: a :class:`Table` holds rows; :mod:`tenken.opendata.formats` turns a
table into bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tenken.common.wareki import fiscal_year_label, format_date
from tenken.plans.models import Plan, Section
from tenken.public import indicators as public_indicators
from tenken.public.selectors import inspection_rank, plan_overview
from tenken.public.visibility import public_reviews

ORG_CODE = "全国地方公共団体コード"
ORG_NAME = "地方公共団体名"
LEVEL_NAMES = ("方針", "取組項目", "小項目")


@dataclass(frozen=True)
class Field:
    name: str  # the header cell, also the JSON key and the Frictionless field name
    type: str  # Frictionless type: string, integer, number, boolean, date
    description: str
    required: bool = False


@dataclass
class Table:
    name: str  # file stem, ASCII
    title: str
    description: str
    fields: list[Field]
    rows: list[dict[str, object]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    def values(self) -> list[list[object]]:
        return [[row.get(f.name) for f in self.fields] for row in self.rows]


def _org_fields() -> list[Field]:
    return [
        Field(ORG_CODE, "string", "全国地方公共団体コード（6桁、検査数字を含む）", True),
        Field(ORG_NAME, "string", "計画を策定した地方公共団体の名称", True),
        Field("計画ID", "integer", "tenken 内の計画の識別番号", True),
        Field("計画名", "string", "計画の名称", True),
    ]


def _org_values(plan: Plan) -> dict[str, object]:
    return {ORG_CODE: plan.organization.code, ORG_NAME: plan.organization.name, "計画ID": plan.pk, "計画名": plan.title}


def _path(section: Section, by_id: dict[int, Section]) -> list[Section]:
    out = [section]
    while out[0].parent_id and out[0].parent_id in by_id:
        out.insert(0, by_id[out[0].parent_id])
    return out


INITIATIVE_FIELDS = [
    *_org_fields(),
    Field("取組ID", "integer", "tenken 内の取組の識別番号（取組番号は一意でないため）", True),
    *[
        f
        for depth, level in enumerate(LEVEL_NAMES)
        for f in (
            Field(f"{level}記号", "string", f"第{depth + 1}階層（{level}）の記号（例: 1、ア、(1)）"),
            Field(level, "string", f"第{depth + 1}階層（{level}）の名称。該当しない場合は空欄"),
        )
    ],
    Field("取組番号", "string", "計画に記載された取組の番号（一意ではない。例: 3-1、11-2①、-）"),
    Field("取組名", "string", "取組の短い名前（計画が取組内容とは別に持つとき。ないときは空欄）"),
    Field("取組内容", "string", "取組の内容", True),
    Field("見出し行", "boolean", "true のとき、下位の取組をまとめる見出しで、取組数に数えない"),
    Field("再掲", "boolean", "true のとき、他の項目の取組の再掲（取組数には数える）"),
    Field("上位の取組ID", "integer", "見出し行にまとめられた取組のとき、その見出し行の取組ID"),
    Field("最新の実施結果", "string", "承認済みの最新の点検での実施結果（達成・実施中・変更など）"),
    Field("最新の実施結果の年度", "integer", "最新の実施結果の対象年度（西暦）"),
    Field("最新の実施結果の年度（和暦）", "string", "最新の実施結果の対象年度（和暦）"),
]

INITIATIVE_DEPARTMENT_FIELDS = [
    *_org_fields(),
    Field("取組ID", "integer", "取組の識別番号（initiatives の取組ID）", True),
    Field("取組番号", "string", "計画に記載された取組の番号"),
    Field("所属ID", "integer", "tenken 内の所属の識別番号", True),
    Field("担当所属", "string", "取組を担当する所属の名称", True),
]

REVIEW_FIELDS = [
    *_org_fields(),
    Field("点検ID", "integer", "tenken 内の点検の識別番号", True),
    Field("点検名", "string", "点検の表題"),
    Field("点検の種別", "string", "年度点検 または 計画期間の最終点検"),
    Field("対象年度", "integer", "点検の対象年度（西暦。4月1日から翌年3月31日まで）", True),
    Field("対象年度（和暦）", "string", "点検の対象年度（和暦）"),
    Field("時点", "date", "点検の時点（西暦、ISO 8601 形式 YYYY-MM-DD）"),
    Field("時点（和暦）", "string", "点検の時点（和暦）"),
    Field("取組ID", "integer", "取組の識別番号（initiatives の取組ID）", True),
    Field("取組番号", "string", "計画に記載された取組の番号"),
    Field("実施結果コード", "string", "実施結果の区分のコード（achieved、in_progress、changed など）", True),
    Field("実施結果", "string", "実施結果の区分の名称", True),
    Field("変更の理由", "string", "実施結果が「変更」のときの理由"),
    Field("成果", "string", "取組の成果"),
    Field("課題", "string", "課題・今後の予定等"),
]

STATUS_COUNT_FIELDS = [
    *_org_fields(),
    Field("点検ID", "integer", "点検の識別番号", True),
    Field("対象年度", "integer", "点検の対象年度（西暦）", True),
    Field("対象年度（和暦）", "string", "点検の対象年度（和暦）"),
    Field("区分ID", "integer", "方針・取組項目・小項目の識別番号", True),
    Field("階層", "string", "方針・取組項目・小項目の別"),
    Field("記号", "string", "方針・取組項目の記号"),
    Field("名称", "string", "方針・取組項目の名称"),
    Field("実施結果", "string", "実施結果の区分の名称", True),
    Field("取組数（件）", "integer", "その区分（下位の区分を含む）で、この実施結果となった取組の数。単位: 件。見出し行は数えず、再掲は数える", True),
]

INDICATOR_FIELDS = [
    *_org_fields(),
    Field("指標ID", "integer", "tenken 内の指標の識別番号", True),
    Field("指標名", "string", "指標の名称", True),
    Field("単位", "string", "値の単位（例: 件、台、%）"),
    Field("方向", "string", "高いほどよい／低いほどよい"),
    Field("値の種別", "string", "基準値・目標値・実績値の別"),
    Field("値", "number", "指標の値（単位は「単位」列）"),
    Field("時点", "date", "値の時点（西暦、ISO 8601 形式）"),
    Field("時点（和暦）", "string", "値の時点（和暦）"),
    Field("出典", "string", "値の出典"),
]


def plan_tables(*, plan: Plan) -> list[Table]:
    """Every open-data table of ``plan`` (indicators only when the indicators app is installed)."""
    overview = plan_overview(plan_id=plan.pk)
    plan = overview.plan
    org = _org_values(plan)
    by_id = {s.pk: s for s in overview.sections}

    initiatives = Table(
        "initiatives", "取組の一覧", "計画の取組と、承認済みの最新の実施結果", INITIATIVE_FIELDS
    )
    links = Table(
        "initiative_departments", "取組の担当所属", "取組と担当所属の対応（1行に1所属）", INITIATIVE_DEPARTMENT_FIELDS
    )
    for i in overview.initiatives:
        row: dict[str, object] = dict(org)
        row["取組ID"] = i.pk
        for s in _path(i.section, by_id):
            if s.depth < len(LEVEL_NAMES):
                row[f"{LEVEL_NAMES[s.depth]}記号"] = s.code
                row[LEVEL_NAMES[s.depth]] = s.title
        row.update(
            {
                "取組番号": i.number_label,
                "取組名": i.name,
                "取組内容": i.text,
                "見出し行": i.is_heading,
                "再掲": i.is_repost,
                "上位の取組ID": i.parent_id,
            }
        )
        if i.latest is not None:
            row["最新の実施結果"] = i.latest.status.label
            row["最新の実施結果の年度"] = i.latest.inspection.fiscal_year
            row["最新の実施結果の年度（和暦）"] = fiscal_year_label(i.latest.inspection.fiscal_year)
        initiatives.rows.append(row)
        for d in i.departments:
            links.rows.append({**org, "取組ID": i.pk, "取組番号": i.number_label, "所属ID": d.pk, "担当所属": d.name})

    reviews = Table("reviews", "取組の点検結果", "点検ごとの取組の実施結果（承認済みのもの）", REVIEW_FIELDS)
    order = {i.pk: i.order for i in overview.initiatives}
    labels = {i.pk: i.number_label for i in overview.initiatives}
    found = list(public_reviews().filter(inspection__plan=plan).select_related("inspection", "status"))
    found.sort(key=lambda r: (inspection_rank(r.inspection), order.get(r.initiative_id, 0)))
    for r in found:
        reviews.rows.append(
            {
                **org,
                "点検ID": r.inspection_id,
                "点検名": r.inspection.title,
                "点検の種別": r.inspection.get_kind_display(),
                "対象年度": r.inspection.fiscal_year,
                "対象年度（和暦）": fiscal_year_label(r.inspection.fiscal_year),
                "時点": r.inspection.as_of.isoformat(),
                "時点（和暦）": format_date(r.inspection.as_of),
                "取組ID": r.initiative_id,
                "取組番号": labels.get(r.initiative_id, ""),
                "実施結果コード": r.status.code,
                "実施結果": r.status.label,
                "変更の理由": r.change_reason,
                "成果": r.outcome,
                "課題": r.issues,
            }
        )

    counts = Table(
        "status_counts",
        "方針・取組項目別の実施結果の取組数",
        "点検ごと、方針・取組項目ごとの実施結果別の取組数（承認済みの結果のみ。単位: 件）",
        STATUS_COUNT_FIELDS,
    )
    section_of = {i.pk: i.section for i in overview.initiatives if not i.is_heading}
    for inspection in overview.inspections:
        per_section: dict[int, dict[str, int]] = {s.pk: {} for s in overview.sections}
        for r in found:
            if r.inspection_id != inspection.pk or r.initiative_id not in section_of:
                continue
            for s in _path(section_of[r.initiative_id], by_id):
                per_section[s.pk][r.status.code] = per_section[s.pk].get(r.status.code, 0) + 1
        for s in overview.sections:
            for status in overview.statuses:
                counts.rows.append(
                    {
                        **org,
                        "点検ID": inspection.pk,
                        "対象年度": inspection.fiscal_year,
                        "対象年度（和暦）": fiscal_year_label(inspection.fiscal_year),
                        "区分ID": s.pk,
                        "階層": LEVEL_NAMES[s.depth] if s.depth < len(LEVEL_NAMES) else f"第{s.depth + 1}階層",
                        "記号": s.code,
                        "名称": s.title,
                        "実施結果": status.label,
                        "取組数（件）": per_section[s.pk].get(status.code, 0),
                    }
                )

    tables = [initiatives, links, reviews, counts]
    if public_indicators.indicators_available() and public_indicators.plan_has_indicators(plan=plan):
        indicators = Table("indicators", "指標", "計画の指標の基準値・目標値・実績値", INDICATOR_FIELDS)
        for o in public_indicators.observation_rows(plan=plan):
            indicators.rows.append(
                {
                    **org,
                    "指標ID": o["indicator_id"],
                    "指標名": o["name"],
                    "単位": o["unit"],
                    "方向": o["direction"],
                    "値の種別": o["kind"],
                    "値": o["value"],
                    "時点": o["as_of"] or None,
                    "時点（和暦）": o["as_of_wareki"],
                    "出典": o["source"],
                }
            )
        tables.append(indicators)
    return tables
