"""The report context: everything a 点検報告書 shows, read once from the database.

:func:`build_report_context` runs a fixed number of SQL queries whatever the plan size (sections,
initiatives and reviews are each read in one query and assembled in Python). Renderers
(``tenken.reports.renderers``) only turn this context into bytes; they never query.

Structure, as in the Kanagawa report: 表紙 (title, period, as-of month, issuer), 目次, 1 趣旨・考え方,
2 取組項目ごとの点検結果 (per policy, per item: count table and narrative rows; an item without
countable initiatives or declared counts shows its summary sentence instead of a table), 3 全体総括
(達成状況 per policy with totals, then the conclusion prose), 4 指標の状況 (the plan's indicators:
baseline, latest actual, target, achievement rate and rating, each value with its 時点), 別紙 (every initiative; heading rows shown
without a result) and the reconciliation of declared against computed counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tenken.common.wareki import format_month
from tenken.indicators.selectors import IndicatorReportRow, indicator_report_rows
from tenken.plans.models import Initiative, Plan, Section, Status
from tenken.reviews.aggregation import StatusCounts, counts_by_section, plan_total, total_of
from tenken.reviews.models import InitiativeReview, Inspection, SectionNarrative
from tenken.reviews.reconciliation import Reconciliation, reconcile
from tenken.reviews.selectors import report_inspection

from .logic import CHAPTER_TITLE as LOGIC_TITLE
from .logic import LogicChapter, build_logic
from .prose import Block, bullets, parse_prose

NARRATIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("main_initiatives", "主な取組"),
    ("results", "成果"),
    ("issues_and_plans", "課題・今後の予定等"),
    ("changed_initiatives", "変更した取組"),
)
CHAPTERS = ("趣旨・考え方", "取組項目ごとの点検結果", "全体総括", "指標の状況")
LOGIC_SECTIONS = (
    ("(1) 目指すべき姿（ゴール）の体系", "goal-tree"),
    ("(2) 取組ごとの指標", "initiative-indicators"),
    ("(3) 達成状況（指標による評価）", "achievement-by-indicator"),
    ("(4) 前計画からの取組の経過", "carried-over"),
)


class ReportUnavailable(Exception):
    """The plan has no inspection to report on."""


@dataclass(frozen=True)
class StatusColumn:
    code: str
    label: str
    long_label: str
    column_label: str
    color: str


@dataclass
class ItemReport:
    section_id: int
    code: str
    title: str
    counts: StatusCounts
    has_table: bool
    summary: str
    rows: list[tuple[str, list[str]]]  # (取組数 以外の欄名, bullet points)
    anchor: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass
class PolicyReport:
    section_id: int
    code: str
    title: str
    counts: StatusCounts
    items: list[ItemReport]
    anchor: str

    @property
    def number(self) -> str:
        return f"({self.code})" if self.code else ""

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def chapter_label(self) -> str:
        """``第1章 スマート神奈川の推進`` — the 大項目 of the 別紙."""
        return f"第{self.code}章 {self.title}" if self.code.isdecimal() else self.title


@dataclass
class AppendixRow:
    """One row of the 別紙. ``*_span`` > 0 on the first row of a group (rows it spans), 0 below it."""

    policy: str
    item: str
    subitem: str
    label: str
    text: str
    result: str  # the status's long label; "" for a heading row
    status_code: str
    is_heading: bool
    is_repost: bool
    policy_span: int = 1
    item_span: int = 1
    subitem_span: int = 1
    name: str = ""  # 取組名 (shown in bold before the text), when the plan keeps one


@dataclass
class TocEntry:
    level: int
    label: str
    anchor: str


@dataclass
class ReportContext:
    plan_id: int
    inspection_id: int
    organization: str
    plan_title: str
    title: str
    period_label: str
    as_of_label: str
    statuses: list[StatusColumn]
    purpose: list[Block]
    policies: list[PolicyReport]
    totals: StatusCounts
    achievement_text: str
    conclusion: list[Block]
    appendix: list[AppendixRow]
    reconciliation: Reconciliation
    indicators: list[IndicatorReportRow] = field(default_factory=list)
    indicators_as_of_label: str = ""  # 和暦 month of the cut-off; "" when every recorded value is shown
    inspection_kind: str = "final"
    toc: list[TocEntry] = field(default_factory=list)
    logic: LogicChapter = field(default_factory=LogicChapter)  # chapter 5, when the plan has goals/indicators
    # A published version (tenken.publications): the reconciliation is an internal appendix, left out.
    published: bool = False
    version_label: str = ""  # 「第2版（令和元年9月2日公表）」
    colophon: list[tuple[str, str]] = field(default_factory=list)  # 奥付: (項目, 内容)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.statuses)

    @property
    def countable(self) -> list[AppendixRow]:
        return [r for r in self.appendix if not r.is_heading]

    @property
    def items(self) -> list[ItemReport]:
        return [i for p in self.policies for i in p.items]

    @property
    def cover_period(self) -> str:
        return f"({self.period_label})"

    @property
    def indicators_note(self) -> str:
        """The sentence stating the 時点 of the indicator section."""
        if not self.indicators:
            return ""
        if self.indicators_as_of_label:
            return f"{self.indicators_as_of_label}時点の状況です（実績値は{self.indicators_as_of_label}までの最新の値）。各値の下に、その値の時点を示します。"
        latest = self.indicators_latest_label
        until = f"（{latest}まで）" if latest else ""
        return f"各指標の登録済みの最新の実績値{until}による状況です。各値の下に、その値の時点を示します。"

    @property
    def indicator_bars(self) -> list[tuple[str, str, float]]:
        """``(指標, 達成率の表示, 棒の長さ 0–100)`` for indicators with a numeric rate (the bar is capped at 100%)."""
        out = []
        for r in self.indicators:
            if r.rate is not None:
                out.append((r.name, r.rate_text, float(max(0, min(1, r.rate))) * 100))
        return out

    @property
    def indicators_latest_label(self) -> str:
        """和暦 month of the latest actual among the indicator rows (``令和元年12月``), or ""."""
        days = [r.actual_as_of for r in self.indicators if r.actual_as_of]
        return format_month(max(days)) if days else ""


def indicators_cut_off(inspection: Inspection) -> date:
    """The last day whose indicator values the report cites: the end of the report's month.

    A report is a document of its date (平成31年3月 for the Kanagawa final report): every version of it —
    the staff preview in HTML, PDF, DOCX and XLSX, and the published version — reads actuals and baselines
    dated on or before this day only (not the seed's R1.11 or R1.12 values), in chapter 4 (指標の状況) and
    in chapter 5's yearly table alike, and says so in the chapter's note. Targets are plans and stay.
    """
    import calendar

    day = inspection.as_of
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def build_report_context(*, plan_id: int, approved_only: bool = True, publication=None) -> ReportContext:
    """Read the plan's report inspection and everything the report shows (a constant number of queries).

    With ``publication`` (a :class:`~tenken.publications.models.Publication`), the report is that
    published version: its inspection, and its frozen copies of the results instead of the live reviews.
    """
    plan = Plan.objects.select_related("organization", "predecessor").filter(pk=plan_id).first()
    if plan is None:
        raise ReportUnavailable(f"計画ID {plan_id} はありません")
    frozen = publication.reviews.all() if publication is not None else None
    inspection = publication.inspection if publication is not None else report_inspection(plan_id=plan.pk)
    if inspection is None:
        raise ReportUnavailable(f"計画「{plan}」には点検がありません")
    statuses = [
        StatusColumn(s.code, s.label, s.long_label or s.label, s.column_label or s.label, s.color)
        for s in Status.objects.filter(plan=plan).order_by("order")
    ]
    codes = [s.code for s in statuses]
    sections = {s.pk: s for s in Section.objects.filter(plan=plan).order_by("order")}
    counts = counts_by_section(inspection=inspection, codes=codes, approved_only=approved_only, reviews=frozen)
    narratives = {n.section_id: n for n in SectionNarrative.objects.filter(inspection=inspection)}
    children: dict[int | None, list[Section]] = {}
    for s in sections.values():
        children.setdefault(s.parent_id, []).append(s)

    policies: list[PolicyReport] = []
    for p_index, policy in enumerate(children.get(None, []), start=1):
        items = []
        for i_index, item in enumerate(children.get(policy.pk, []), start=1):
            narrative = narratives.get(item.pk)
            c = counts[item.pk]
            declared = narrative.declared_counts if narrative else {}
            items.append(
                ItemReport(
                    section_id=item.pk,
                    code=item.code,
                    title=item.title,
                    counts=c,
                    has_table=c.total > 0 or bool(declared),
                    summary=narrative.summary if narrative else "",
                    rows=[(label, bullets(getattr(narrative, f))) for f, label in NARRATIVE_FIELDS] if narrative else [],
                    anchor=f"item-{p_index}-{i_index}",
                )
            )
        policies.append(
            PolicyReport(policy.pk, policy.code, policy.title, counts[policy.pk], items, anchor=f"policy-{p_index}")
        )
    declared_mode = inspection.figures == Inspection.Figures.DECLARED
    if declared_mode:
        _use_declared(policies, narratives, codes)
    totals = (
        total_of((p.counts for p in policies), codes)
        if declared_mode
        else plan_total(counts, root_ids=[p.section_id for p in policies], codes=codes)
    )
    recon = reconcile(
        codes=codes,
        labels=[s.label for s in statuses],
        items=[
            (sections[i.section_id], p.title, narratives[i.section_id].declared_counts)
            for p in policies
            for i in p.items
            if i.section_id in narratives
        ],
        computed=counts,
    )
    # Two queries (indicators, then their observations as tuples), whatever the number of initiatives.
    cut_off = indicators_cut_off(inspection)
    indicator_rows = indicator_report_rows(plan=plan, as_of=cut_off)
    ctx = ReportContext(
        published=publication is not None,
        version_label=_version_label(publication),
        colophon=colophon(plan, publication),
        plan_id=plan.pk,
        inspection_id=inspection.pk,
        organization=plan.organization.name,
        plan_title=plan.title,
        title=inspection.title,
        period_label=plan.period_label,
        as_of_label=format_month(inspection.as_of),
        statuses=statuses,
        purpose=parse_prose(inspection.purpose, prefix="purpose"),
        policies=policies,
        totals=totals,
        achievement_text=achievement_text(totals, statuses, declared=declared_mode),
        conclusion=parse_prose(inspection.conclusion, prefix="conclusion"),
        appendix=_appendix(plan, inspection, sections, policies, {s.code: s for s in statuses}, approved_only, frozen),
        reconciliation=recon,
        indicators=indicator_rows,
        indicators_as_of_label=format_month(cut_off),
        inspection_kind=inspection.kind,
        logic=build_logic(plan=plan, approved_only=approved_only, sections=sections,
                          first_status_code=codes[0] if codes else "", as_of=cut_off,
                          publication=publication),
    )
    ctx.toc = _toc(ctx)
    return ctx


def _version_label(publication) -> str:
    if publication is None:
        return ""
    from django.utils import timezone

    from tenken.common.wareki import format_date

    return f"第{publication.version}版（{format_date(timezone.localtime(publication.published_at).date())}公表）"


def colophon(plan: Plan, publication=None) -> list[tuple[str, str]]:
    """The 奥付 from the organization's settings (発行, 担当, 所在地, 電話 …); empty items are left out."""
    org = plan.organization
    rows = [
        ("発行", org.name),
        ("担当", org.publisher_department),
        ("所在地", org.publisher_address),
        ("電話", org.publisher_phone),
        ("電子メール", org.publisher_email),
        ("ウェブサイト", org.publisher_url),
    ]
    if publication is not None:
        rows.append(("版", _version_label(publication)))
    return [(k, v) for k, v in rows if v]


def _use_declared(policies: list[PolicyReport], narratives: dict, codes: list[str]) -> None:
    """Replace each item's counts by the counts the organization declares for the report (where it
    declared any), and each policy's by the sum of its items."""
    for p in policies:
        for item in p.items:
            narrative = narratives.get(item.section_id)
            if narrative is not None and narrative.declared_counts:
                item.counts = StatusCounts.of(codes, narrative.declared_counts)
        if p.items:
            p.counts = total_of((i.counts for i in p.items), codes)


def achievement_text(totals: StatusCounts, statuses: list[StatusColumn], *, declared: bool = False) -> str:
    """The sentence under the 達成状況 table: from the computed counts, or the declared ones (the wording
    of the Kanagawa report: 「行動計画に位置付けられた101の取組のうち、達成が61、…」)."""
    if not totals.total:
        return "点検結果が登録された取組はまだありません。"
    if declared:
        parts = "、".join(f"{s.label}が{totals.get(s.code)}" for s in statuses)
        return f"行動計画に位置付けられた{totals.total}の取組のうち、{parts}となっています。"
    parts = "、".join(f"{s.label} {totals.get(s.code)}" for s in statuses)
    return f"計画に位置付けられた{totals.total}の取組の実施結果は、{parts}です（承認済みの点検結果による集計）。"


def _appendix(
    plan: Plan,
    inspection: Inspection,
    sections: dict[int, Section],
    policies: list[PolicyReport],
    status_by_code: dict[str, StatusColumn],
    approved_only: bool,
    frozen=None,
) -> list[AppendixRow]:
    reviews = frozen if frozen is not None else InitiativeReview.objects.filter(inspection=inspection)
    if approved_only and frozen is None:
        reviews = reviews.filter(approval=InitiativeReview.Approval.APPROVED)
    results = dict(reviews.values_list("initiative_id", "status__code"))
    chapter = {p.section_id: p.chapter_label for p in policies}
    rows: list[AppendixRow] = []
    initiatives = Initiative.objects.filter(plan=plan).order_by("order").values_list(
        "pk", "section_id", "number_label", "name", "text", "is_heading", "is_repost"
    )
    for pk, section_id, label, name, text, is_heading, is_repost in initiatives:
        path = []
        node: Section | None = sections[section_id]
        while node is not None:
            path.insert(0, node)
            node = sections.get(node.parent_id) if node.parent_id else None
        code = results.get(pk, "")
        rows.append(
            AppendixRow(
                policy=chapter.get(path[0].pk, path[0].title),
                item=path[1].title if len(path) > 1 else "",
                subitem=f"{path[2].code} {path[2].title}".strip() if len(path) > 2 else "",
                label=label,
                name=name,
                text=text,
                result="" if is_heading else (status_by_code[code].long_label if code else "（未承認）"),
                status_code=code,
                is_heading=is_heading,
                is_repost=is_repost,
            )
        )
    set_row_spans(rows)
    return rows


def set_row_spans(rows: list[AppendixRow]) -> None:
    """Row spans for merged 大項目 / 中項目 / 小項目 cells, as the 別紙 merges them."""
    keys = (
        ("policy_span", lambda r: (r.policy,)),
        ("item_span", lambda r: (r.policy, r.item)),
        ("subitem_span", lambda r: (r.policy, r.item, r.subitem)),
    )
    for attr, key in keys:
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or key(rows[i]) != key(rows[start]):
                setattr(rows[start], attr, i - start)
                for j in range(start + 1, i):
                    setattr(rows[j], attr, 0)
                start = i


def _toc(ctx: ReportContext) -> list[TocEntry]:
    toc = [TocEntry(1, f"1 {CHAPTERS[0]}", "chapter-1")]
    toc += [TocEntry(2, b.label, b.anchor) for b in ctx.purpose if b.kind == "heading"]
    toc.append(TocEntry(1, f"2 {CHAPTERS[1]}", "chapter-2"))
    toc += [TocEntry(2, p.label, p.anchor) for p in ctx.policies]
    toc.append(TocEntry(1, f"3 {CHAPTERS[2]}", "chapter-3"))
    toc.append(TocEntry(2, "(1) 達成状況", "achievement"))
    toc += [TocEntry(2, b.label, b.anchor) for b in ctx.conclusion if b.kind == "heading"]
    toc.append(TocEntry(1, f"4 {CHAPTERS[3]}", "chapter-4"))
    if ctx.logic.present:
        toc.append(TocEntry(1, f"5 {LOGIC_TITLE}", "chapter-5"))
        toc += [TocEntry(2, label, anchor) for label, anchor in LOGIC_SECTIONS]
    toc.append(TocEntry(1, "別紙 行動計画の取組実施結果一覧", "appendix"))
    if not ctx.published:
        toc.append(TocEntry(1, "参考 報告書記載の取組数との照合", "reconciliation"))
    return toc
