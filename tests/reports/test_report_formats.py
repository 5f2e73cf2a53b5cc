"""The four formats: PDF text and fonts, DOCX tables, XLSX round trip, HTML self-contained."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from tenken.demo import KANAGAWA_DIR
from tenken.plans.importing import import_plan_file
from tenken.plans.models import Initiative
from tenken.plans.selectors import plan_fingerprint
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report
from tenken.spreadsheets.safety import check_xlsx

from ..personas import operator

HEADINGS = (
    "目次", "1趣旨・考え方", "2取組項目ごとの点検結果", "3全体総括", "(1)達成状況",
    "(1)スマート神奈川の推進", "(2)行政サービスのICT化の拡充", "(3)スマート県庁の実現",
    "アエネルギーのスマート化", "キ教育のスマート化", "イICTガバナンスの確立",
    "【別紙】行動計画の取組実施結果一覧", "報告書記載の取組数との照合",
    "電子化全開宣言行動計画点検報告書", "(平成26年度～30年度)", "平成31年3月", "神奈川県",
)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def initiative_texts(plan) -> list[str]:
    return list(Initiative.objects.filter(plan=plan, is_heading=False).values_list("text", flat=True))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdf_holds_headings_all_initiatives_and_embedded_japanese_fonts(report_plan, tmp_path: Path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(build_report_context(plan_id=report_plan.pk), "pdf"))
    # -raw keeps the content-stream order, in which WeasyPrint writes each table cell's lines together;
    # the default "physical layout" mode interleaves the lines of neighbouring cells.
    text = squash(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    missing_headings = [h for h in HEADINGS if squash(h) not in text]
    assert missing_headings == []
    texts = initiative_texts(report_plan)
    assert len(texts) == 100
    missing = [t for t in texts if squash(t) not in text]
    assert missing == []
    # a change reason from the 変更した取組 narrative:
    assert squash("共通利用タブレットに代わるツールについて検討中。") in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in fonts.splitlines()[2:] if ln.strip()]
    assert rows and all("Noto" in r[0] for r in rows)
    assert all(r[-5] == "yes" for r in rows)  # emb column: every font embedded
    # The two charts are vector drawings with real text (no bitmap): their titles, legends and labels are text.
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert images.splitlines()[2:] == []
    assert squash("方針ごとの実施結果取組内容を達成取組を実施中取組内容を変更") in text
    assert squash("1キ 教育のスマート化 11") in text


def test_docx_opens_and_holds_the_same_tables(report_plan):
    ctx = build_report_context(plan_id=report_plan.pk)
    document = docx.Document(io.BytesIO(render_report(ctx, "docx")))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    count_tables = [t for t in tables if t[0][0] == "取組数" and t[0][1] == "取組内容を達成"]
    assert [tuple(int(v) for v in t[1][1:]) for t in count_tables] == [i.counts.values for i in ctx.items if i.has_table]
    sentences = [t[0][1] for t in tables if t[0][0] == "取組数" and t[0][1] != "取組内容を達成"]
    assert sentences == [i.summary for i in ctx.items if not i.has_table]
    [achievement] = [t for t in tables if t[0][0] == "方針" and t[0][-1] == "計"]
    assert achievement[-1] == ["計", "60", "35", "5", "100"]
    [appendix] = [t for t in tables if t[0][0] == "計画上の位置づけ"]
    body = appendix[2:]
    assert len(body) == 105
    assert [r[4] for r in body if r[5]] == initiative_texts(report_plan)
    assert body[0][0] == body[1][0] == "第1章 スマート神奈川の推進"  # merged cell
    [recon] = [t for t in tables if t[0][:2] == ["方針", "取組項目"] and len(t[0]) > 2]
    differing = [r for r in recon[2:-1] if any(r[4 + 3 * k] != "0" for k in range(3))]
    assert [r[1] for r in differing] == ["キ 教育のスマート化"]
    assert recon[-1][2:] == ["61", "60", "-1", "35", "35", "0", "5", "5", "0"]
    assert document.inline_shapes and len(document.inline_shapes) == 2  # the two charts


def test_xlsx_reimports_to_the_same_plan(report_plan, tmp_path: Path):
    path = tmp_path / "別紙.xlsx"
    path.write_bytes(render_report(build_report_context(plan_id=report_plan.pk), "xlsx"))
    check_xlsx(path)  # no macro, external link or formula: the import's safety checks accept it
    again = import_plan_file(
        path, user=operator(), org_code="140007", title="電子化全開宣言行動計画（再取込）", fiscal_years="2014-2018",
        structure=KANAGAWA_DIR / "items.csv",
    ).plan
    assert again is not None and again.pk != report_plan.pk
    assert plan_fingerprint(plan=again) == plan_fingerprint(plan=report_plan)


def test_xlsx_keeps_the_layout_of_the_source_workbook(report_plan):
    from openpyxl import load_workbook

    data = render_report(build_report_context(plan_id=report_plan.pk), "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["別紙", "集計", "照合", "指標"]
    assert len(workbook["集計"]._images) == 2  # the two charts
    recon = [[c.value for c in row] for row in workbook["照合"].iter_rows(min_row=4)]
    assert [r[1] for r in recon if any(r[4 + 3 * k] for k in range(3))] == ["キ 教育のスマート化", None]  # and the total row
    assert recon[-1] == ["計", None, 61, 60, -1, 35, 35, 0, 5, 5, 0]
    ours = workbook["別紙"]
    theirs = load_workbook(KANAGAWA_DIR / "action-plan.xlsx")["別紙"]
    assert ours.max_row == theirs.max_row and ours.max_column == theirs.max_column
    assert sorted(map(str, ours.merged_cells.ranges)) == sorted(map(str, theirs.merged_cells.ranges))
    for row in range(1, theirs.max_row + 1):
        for col in (4, 5, 6):
            assert (ours.cell(row, col).value or None) == (theirs.cell(row, col).value or None), (row, col)


def test_html_is_self_contained(report_plan):
    html = render_report(build_report_context(plan_id=report_plan.pk), "html").decode()
    assert '<html lang="ja">' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    assert html.count("<svg") == 2
    assert "教育のスマート化" in html and "61" in html
    # statements joined by " / " in items.csv are separate bullet points
    assert "<li>外国人観光客の行動ルートやニーズの分析</li><li>国内外からの観光客を対象とした神奈川の観光情報の発信</li>" in html
