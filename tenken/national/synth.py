"""A deterministic synthetic national data set: one plan workbook per local government.

Each workbook is in the 別紙 layout the normal importer reads (title, a plan line, one header row), with
one result column per fiscal year (「2019年度実施結果」…). Plans have 4 policies, 3–5 items each, a few
grouped headings (``12`` over ``12①``, ``12②``), 再掲 rows, responsible departments, and results that
move plausibly over the years: most initiatives start 実施中, a growing share becomes 達成, a few are
変更 (with a reason). Same seed, same files.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tenken.orgs.master import MasterOrg, master_organizations

POLICIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("行政サービスのデジタル化", ("行政手続のオンライン化", "キャッシュレス決済の導入", "窓口のデジタル化", "マイナンバーカードの利活用")),
    ("自治体DXの推進体制", ("デジタル人材の育成", "BPRの推進", "RPA・AIの活用")),
    ("情報システムの標準化・共通化", ("基幹業務システムの標準化", "ガバメントクラウドへの移行", "情報セキュリティ対策の徹底", "情報システムの最適化")),
    ("地域社会のデジタル化", ("オープンデータの推進", "デジタルデバイド対策", "公衆無線LANの整備", "地域産業のデジタル化", "教育のICT化")),
)
VERBS = ("の導入", "の推進", "の拡充", "の検討", "の実証", "の整備", "の見直し", "の運用開始")
OBJECTS = (
    "電子申請システム", "オンライン相談", "窓口予約", "公金収納", "職員研修", "業務プロセス", "RPA", "AI-OCR",
    "住民記録システム", "税務システム", "クラウド基盤", "端末の更新", "オープンデータカタログ", "スマホ教室",
    "公共施設Wi-Fi", "中小企業支援", "学習用端末", "文書管理システム", "テレワーク環境", "ペーパーレス会議",
)
MUNICIPAL_DEPTS = ("総務課", "企画課", "情報政策課", "市民課", "税務課", "福祉課", "子育て支援課", "建設課", "教育総務課", "会計課")
PREFECTURAL_DEPTS = ("総務局", "政策局", "福祉局", "健康医療局", "環境農政局", "産業労働局", "県土整備局", "会計局", "教育局", "デジタル戦略本部")
STATUS_TEXT = {"achieved": "① 取組内容を達成した", "in_progress": "② 取組内容を実施中である", "changed": "③ 取組内容を変更した"}
REASONS = ("国の方針変更に伴い事業内容を見直したため", "他の取組に統合したため", "費用対効果を検証した結果、手法を変更したため")


@dataclass(frozen=True)
class SynthPlan:
    org: MasterOrg
    title: str
    first_fiscal_year: int
    last_fiscal_year: int
    rows: list[list[object]]  # data rows in header order

    @property
    def header(self) -> list[str]:
        years = [f"{fy}年度実施結果" for fy in range(self.first_fiscal_year, self.last_fiscal_year + 1)]
        return ["大項目", "中項目", "小項目", "取組No", "取組内容", "担当所属", *years, "変更の理由"]


def national_orgs(count: int) -> list[MasterOrg]:
    """The first ``count`` of the 1,788 local governments: prefectures first, then municipalities by code."""
    orgs = [o for o in master_organizations() if o.kind != "ward"]
    prefectures = [o for o in orgs if o.kind == "prefecture"]
    municipalities = sorted((o for o in orgs if o.kind != "prefecture"), key=lambda o: o.code)
    return (prefectures + municipalities)[:count]


def synth_plan(org: MasterOrg, *, initiatives: int, years: int, first_fiscal_year: int = 2019, seed: int = 1) -> SynthPlan:
    rng = random.Random(f"{seed}:{org.code}")
    depts = PREFECTURAL_DEPTS if org.kind == "prefecture" else MUNICIPAL_DEPTS
    fys = list(range(first_fiscal_year, first_fiscal_year + years))
    rows: list[list[object]] = []
    items = [(p_i, p, item) for p_i, (p, its) in enumerate(POLICIES, 1) for item in its]
    per_item = [initiatives // len(items)] * len(items)
    for i in range(initiatives - sum(per_item)):
        per_item[i] += 1
    number = 0
    for (p_i, policy, item), n in zip(items, per_item, strict=True):
        made = 0
        while made < n:
            number += 1
            if n - made >= 3 and rng.random() < 0.08:
                # A heading with grouped children: 「12」 then 「12①」「12②」「12③」.
                children = rng.randint(2, min(3, n - made))
                rows.append([f"第{p_i}章 {policy}", item, "", str(number), f"{item}に関する取組群", "", *[""] * years, ""])
                for c in range(children):
                    rows.append(_row(rng, p_i, policy, item, f"{number}{'①②③'[c]}", depts, fys))
                made += children
                continue
            label = f"{number}" if rng.random() < 0.8 else f"{number - 1}-{rng.randint(1, 3)}"
            rows.append(_row(rng, p_i, policy, item, label, depts, fys))
            made += 1
    return SynthPlan(org, f"{org.name}DX推進計画", fys[0], fys[-1], rows)


def _row(rng: random.Random, p_i: int, policy: str, item: str, label: str, depts: tuple[str, ...], fys: list[int]) -> list[object]:
    text = f"{rng.choice(OBJECTS)}{rng.choice(VERBS)}"
    if rng.random() < 0.02:
        text += "〔再掲〕"
    state, reason, results = "in_progress", "", []
    for _fy in fys:
        if state == "in_progress":
            roll = rng.random()
            if roll < 0.22:
                state = "achieved"
            elif roll < 0.24:
                state, reason = "changed", rng.choice(REASONS)
        results.append(STATUS_TEXT[state])
    dept = "、".join(rng.sample(depts, 2 if rng.random() < 0.15 else 1))
    return [f"第{p_i}章 {policy}", item, "", label, text, dept, *results, reason]


def iter_national(*, orgs: int, initiatives: int, years: int, seed: int = 1) -> Iterator[SynthPlan]:
    for org in national_orgs(orgs):
        yield synth_plan(org, initiatives=initiatives, years=years, seed=seed)


def write_xlsx(plan: SynthPlan, path: Path) -> None:
    """Write with xlsxwriter in constant-memory mode (fast; no merged cells, values only)."""
    import xlsxwriter

    from tenken.spreadsheets.printing import apply_print_setup_xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("別紙")
    ws.write_row(0, 0, [f"【別紙】{plan.title} 取組実施状況一覧"])
    ws.write_row(1, 0, ["団体コード", plan.org.code, "計画名", plan.title, "計画期間", f"{plan.first_fiscal_year}-{plan.last_fiscal_year}"])
    ws.write_row(3, 0, plan.header)
    for i, row in enumerate(plan.rows, start=4):
        ws.write_row(i, 0, row)
    apply_print_setup_xlsxwriter(ws, title_rows=(3, 3), header_text=f"{plan.org.name}　{plan.title}")
    wb.close()


def write_csv(plan: SynthPlan, path: Path) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(plan.header)
        w.writerows(plan.rows)
