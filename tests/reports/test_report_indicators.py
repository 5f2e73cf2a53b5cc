"""The 4 指標の状況 chapter of the 点検報告書, read back from every format.

With the Kanagawa demo data (plan, narratives, tenken/demo/data/kanagawa/indicators.csv): 情報システム数 162 → 110,
運用経費 72 → 60 億円/年 (no target in the source: 目標値なし), RPA導入業務数 2 of target 5 (40.0%, D) and
オープンデータ未取組の県内市町村数 with target 0 but no actual yet (its only actual, 7, is of 令和元年12月, after
the report's date 平成31年3月: 実績値なし), each value with its 時点 in 和暦.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from tenken.demo import load_kanagawa_indicators
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report

# (指標, 単位, 基準値, 実績値, 目標値, 達成率, 評価) as the report prints them
EXPECTED = {
    "情報システム数": ("システム", "162", "110", "", "目標値なし", ""),
    "情報システム運用経費": ("億円/年", "72", "60", "", "目標値なし", ""),
    "RPA導入業務数": ("業務", "", "2", "5", "40.0%", "D"),
    "オープンデータ未取組の県内市町村数": ("団体", "", "", "0", "実績値なし", ""),
}
LABELS = {  # 時点 (和暦) of baseline, actual, target
    "情報システム数": ("平成25年11月", "平成30年4月", ""),
    "RPA導入業務数": ("", "平成31年3月", "令和2年3月"),
    "オープンデータ未取組の県内市町村数": ("", "", "令和3年3月"),
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def indicator_report(report_plan):
    load_kanagawa_indicators()
    return build_report_context(plan_id=report_plan.pk)


def test_context_holds_the_seed_figures(indicator_report):
    rows = {r.name: r for r in indicator_report.indicators}
    assert len(rows) == 15
    for name, (unit, baseline, actual, target, rate, rating) in EXPECTED.items():
        r = rows[name]
        assert (r.unit, r.baseline_display, r.actual_display, r.target_display, r.rate_text, r.rating) == (
            unit, baseline, actual, target, rate, rating
        ), name
    for name, labels in LABELS.items():
        r = rows[name]
        assert (r.baseline_label, r.actual_label, r.target_label) == labels
    # actuals up to the report's month only; the note names it
    assert indicator_report.indicators_as_of_label == "平成31年3月"
    assert indicator_report.indicators_note.startswith("平成31年3月時点の状況です")
    assert [e.label for e in indicator_report.toc if e.anchor == "chapter-4"] == ["4 指標の状況"]
    bars = {name: width for name, _text, width in indicator_report.indicator_bars}
    assert bars["RPA導入業務数"] == pytest.approx(40.0)
    assert "オープンデータ未取組の県内市町村数" not in bars  # no actual by the report's date, no bar
    assert "情報システム数" not in bars  # no rate, no bar


def test_html_section(indicator_report):
    html = render_report(indicator_report, "html").decode()
    chapter = html[html.index('id="chapter-4"') : html.index('id="appendix"')]
    assert "4 指標の状況" in chapter
    text = squash(re.sub(r"<[^>]+>", " ", chapter))
    for name, (unit, baseline, _actual, _target, rate, _rating) in EXPECTED.items():
        assert squash(f"{name} 低いほど良い" if name != "RPA導入業務数" else f"{name} 高いほど良い") in text
        assert squash(f"{unit} {baseline or '－'}") in text
        assert rate in text
    assert squash("162 平成25年11月 110 平成30年4月") in text
    assert squash("2 平成31年3月 5 令和2年3月 40.0%") in text
    assert squash("－ 0 令和3年3月 実績値なし") in text and "令和元年12月" not in text
    assert 'style="width:40.0%"' in chapter  # the RPA bar


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdf_section(indicator_report, tmp_path: Path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(indicator_report, "pdf"))
    text = squash(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    chapter = text[text.rindex("4指標の状況") : text.index("【別紙】", text.rindex("4指標の状況"))]
    for name, (_unit, _baseline, _actual, _target, rate, _rating) in EXPECTED.items():
        assert squash(name) in chapter
        assert rate in chapter
    assert squash("162平成25年11月110平成30年4月") in chapter
    assert squash("72平成25年11月60平成30年4月") in chapter
    assert squash("2平成31年3月5令和2年3月40.0%D") in chapter
    assert squash("－0令和3年3月実績値なし") in chapter and "令和元年12月" not in chapter


def test_docx_section(indicator_report):
    document = docx.Document(io.BytesIO(render_report(indicator_report, "docx")))
    assert "4 指標の状況" in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "指標" and t.rows[0].cells[-1].text == "評価"]
    rows = {r.cells[0].text.split("\n")[0]: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["情報システム数"] == ["情報システム数\n（低いほど良い）", "システム", "162\n平成25年11月", "110\n平成30年4月", "－", "目標値なし", "－"]
    assert rows["情報システム運用経費"][1:4] == ["億円/年", "72\n平成25年11月", "60\n平成30年4月"]
    assert rows["RPA導入業務数"][2:] == ["－", "2\n平成31年3月", "5\n令和2年3月", "40.0%", "D\n遅れ（50%未満）"]
    assert rows["オープンデータ未取組の県内市町村数"][3:6] == ["－", "0\n令和3年3月", "実績値なし"]
    [bars] = [t for t in document.tables if t.rows[0].cells[0].text in {n for n, *_ in indicator_report.indicator_bars}]
    assert {r.cells[0].text: r.cells[-1].text for r in bars.rows}["RPA導入業務数"] == "40.0%"


def test_xlsx_section(indicator_report):
    wb = openpyxl.load_workbook(io.BytesIO(render_report(indicator_report, "xlsx")))
    ws = wb["指標"]
    header = [c.value for c in ws[3]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)}
    systems = rows["情報システム数"]
    assert (systems["基準値"], systems["実績値（最新）"], systems["目標値"], systems["達成率"]) == (162, 110, None, "目標値なし")
    assert (systems["基準値の時点"], systems["実績値の時点"]) == ("平成25年11月", "平成30年4月")
    cost = rows["情報システム運用経費"]
    assert (cost["単位"], cost["基準値"], cost["実績値（最新）"]) == ("億円/年", 72, 60)
    rpa = rows["RPA導入業務数"]
    assert (rpa["実績値（最新）"], rpa["目標値"], rpa["達成率"], rpa["評価"]) == (2, 5, pytest.approx(0.4), "D")
    od = rows["オープンデータ未取組の県内市町村数"]
    assert (od["実績値（最新）"], od["実績値の時点"], od["目標値"], od["達成率"]) == (None, None, 0, "実績値なし")
    assert ws.cell(4 + list(rows).index("RPA導入業務数"), 10).number_format == "0.0%"


def test_a_plan_without_indicators_says_so(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    assert ctx.indicators == [] and ctx.indicator_bars == [] and ctx.indicators_note == ""
    html = render_report(ctx, "html").decode()
    assert "指標は登録されていません。" in html
    document = docx.Document(io.BytesIO(render_report(ctx, "docx")))
    assert "指標は登録されていません。" in [p.text for p in document.paragraphs]
    wb = openpyxl.load_workbook(io.BytesIO(render_report(ctx, "xlsx")))
    assert wb["指標"]["A4"].value == "指標は登録されていません。"


def test_staff_report_cuts_indicators_at_the_report_date_like_the_published_one(report_plan):
    """The report is dated 平成31年3月: the staff preview cites no value recorded after it (the seed's R1.11
    and R1.12 actuals), exactly as the published version does, and says so in every format."""
    from datetime import date

    from tenken.reports.context import indicators_cut_off
    from tenken.reviews.models import Inspection

    load_kanagawa_indicators()
    ctx = build_report_context(plan_id=report_plan.pk)
    final = Inspection.objects.get(pk=ctx.inspection_id)
    assert indicators_cut_off(final) == date(2019, 3, 31)
    assert ctx.indicators_as_of_label == "平成31年3月"
    rows = {r.name: r for r in ctx.indicators}
    assert all(r.actual_as_of is None or r.actual_as_of <= date(2019, 3, 31) for r in rows.values())
    assert rows["オープンデータ未取組の県内市町村数"].rate_text == "実績値なし"  # its only actual is of R1.12
    assert rows["RPA導入業務数"].actual_label == "平成31年3月"
    note = "平成31年3月時点の状況です（実績値は平成31年3月までの最新の値）"
    assert ctx.indicators_note.startswith(note)
    html = render_report(ctx, "html").decode()
    chapter = html[html.index('id="chapter-4"'): html.index('id="appendix"')]
    assert note in chapter and "令和元年11月" not in chapter and "令和元年12月" not in chapter
    document = docx.Document(io.BytesIO(render_report(ctx, "docx")))
    assert any(p.text.startswith(note) for p in document.paragraphs)
    ws = openpyxl.load_workbook(io.BytesIO(render_report(ctx, "xlsx")))["指標"]
    assert ws["A2"].value.startswith(note)
    assert "令和元年12月" not in [c.value for row in ws.iter_rows(min_row=4) for c in row]


def test_chapter_5_cuts_yearly_actuals_at_the_report_date(report_plan):
    """An annual report of 平成28年度 (as of 平成29年3月) shows no yearly actual of a later fiscal year in the
    logic chapter either: 佐藤 (ICT admin) recorded one for 平成28年度 and one for 平成29年度."""
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from tenken.indicators.services import observation_record
    from tenken.plans import editing
    from tenken.reviews.models import Inspection

    sato = get_user_model().objects.create_superuser("sato", "", None)
    initiative = report_plan.initiatives.filter(is_heading=False).order_by("order").first()
    indicator = editing.initiative_indicator_create(
        user=sato, initiative=initiative, name="電子申請の件数", unit="件", direction="higher",
        baseline=Decimal(10), targets={2016: Decimal(12), 2017: Decimal(15)},
    )
    observation_record(indicator=indicator, kind="actual", value=Decimal(11), as_of=date(2017, 3, 31))
    observation_record(indicator=indicator, kind="actual", value=Decimal(14), as_of=date(2018, 3, 31))
    Inspection.objects.filter(plan=report_plan).delete()
    Inspection.objects.create(plan=report_plan, kind="annual", fiscal_year=2016, title="平成28年度 点検",
                              as_of=date(2017, 3, 31))
    ctx = build_report_context(plan_id=report_plan.pk)
    assert ctx.indicators_as_of_label == "平成29年3月"
    [line] = [line for line in ctx.logic.lines if line.indicator.name == "電子申請の件数"]
    years = {y.fiscal_year: y for y in line.indicator.years}
    assert years[2016].actual == Decimal(11) and years[2016].target == Decimal(12)
    assert years[2017].actual is None and years[2017].target == Decimal(15)  # targets are plans, kept
    note = "実績値と基準値は平成29年3月までに記録された値です"
    assert ctx.logic.cut_off_note.startswith(note)
    html = render_report(ctx, "html").decode()
    assert note in html[html.index('id="initiative-indicators"'):]
    assert any(p.text.startswith(note) for p in docx.Document(io.BytesIO(render_report(ctx, "docx"))).paragraphs)
    assert openpyxl.load_workbook(io.BytesIO(render_report(ctx, "xlsx")))["目指すべき姿と指標"]["A2"].value.startswith(note)
