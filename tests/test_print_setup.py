"""Every workbook tenken generates prints on A4, fit to the page width, with repeated header rows and a
header/footer naming the organization and the page; the 回答票 converted by LibreOffice fits one page wide."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tenken.inventory.register_format import register_workbook_bytes
from tenken.inventory.synth import synthetic_kanagawa_register
from tenken.national.synth import iter_national, write_xlsx
from tenken.opendata.package import plan_files
from tenken.reports.context import build_report_context
from tenken.reports.renderers import render_report
from tenken.spreadsheets.printing import header_escape
from tenken.surveys import services
from tenken.surveys.exchange import round_workbooks_generate

from .personas import cast_for

A4 = 9


def assert_prints(ws, *, org: str | None, title_rows: bool = True) -> None:
    where = f"sheet {ws.title}"
    assert int(ws.page_setup.paperSize) == A4, where
    assert ws.sheet_properties.pageSetUpPr.fitToPage, where
    assert int(ws.page_setup.fitToWidth or 1) == 1, where  # absent = 1 (SpreadsheetML default; xlsxwriter omits it)
    if title_rows:
        assert ws.print_title_rows, where
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, where
    if org:
        assert org in (ws.oddHeader.left.text or ""), where


def visible_sheets(wb):
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


@pytest.fixture
def survey_workbooks(kanagawa_plan, tmp_path) -> list[Path]:
    cast = cast_for(kanagawa_plan)
    survey_round = services.round_open(user=cast.sato, plan=kanagawa_plan, fiscal_year=2018,
                                       deadline=date(2019, 5, 31))
    return round_workbooks_generate(user=cast.sato, survey_round=survey_round, directory=tmp_path / "out")


@pytest.mark.django_db
def test_survey_workbook_page_setup(survey_workbooks):
    wb = load_workbook(survey_workbooks[0])
    guide, answers = wb["記入方法"], wb["回答"]
    assert_prints(guide, org="神奈川県", title_rows=False)
    assert int(guide.page_setup.fitToHeight) == 1 and guide.page_setup.orientation == "portrait"
    assert_prints(answers, org="神奈川県")
    assert answers.page_setup.orientation == "landscape"
    assert int(answers.page_setup.fitToHeight) == 0  # as many pages tall as needed
    assert answers.print_title_rows.replace("$", "") == "4:4"


@pytest.mark.django_db
def test_report_workbook_page_setup(kanagawa_plan):
    wb = load_workbook(io.BytesIO(render_report(build_report_context(plan_id=kanagawa_plan.pk), "xlsx")))
    assert [ws.title for ws in wb.worksheets] == ["別紙", "集計", "照合", "指標"]
    for ws in wb.worksheets:
        assert_prints(ws, org="神奈川県")
    assert wb["別紙"].print_title_rows.replace("$", "") == "3:4"
    assert wb["別紙"].page_setup.orientation == "landscape"


def test_register_workbook_page_setup():
    data = register_workbook_bytes(synthetic_kanagawa_register(), list(range(2013, 2019)), organization="神奈川県")
    ws = load_workbook(io.BytesIO(data)).active
    assert_prints(ws, org="神奈川県")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows.replace("$", "") == "1:1"


@pytest.mark.django_db
def test_opendata_workbooks_page_setup(kanagawa_plan):
    from .public.conftest import publish

    admin = cast_for(kanagawa_plan).sato
    for inspection in kanagawa_plan.inspections.filter(reviews__approval="approved").distinct():
        publish(inspection, admin)  # open data holds published results only
    books = {name: data for name, data in plan_files(plan=kanagawa_plan).items() if name.endswith(".xlsx")}
    assert books
    for data in books.values():
        for ws in visible_sheets(load_workbook(io.BytesIO(data))):
            assert_prints(ws, org=None)


def test_synthetic_plan_workbook_page_setup(tmp_path):
    plan = next(iter_national(orgs=1, initiatives=5, years=2, seed=1))
    write_xlsx(plan, tmp_path / "p.xlsx")
    ws = load_workbook(tmp_path / "p.xlsx").active
    assert_prints(ws, org=plan.org.name)


def test_header_text_escapes_ampersand():
    assert header_escape("A&B") == "A&&B"


def _pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", "-l", "-1", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"^Page\s+\d+ size:\s+(.*)$", info, re.M)


@pytest.mark.django_db
def test_survey_workbook_pdf_fits_one_page_wide(survey_workbooks, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice (soffice) or pdfinfo missing: run scripts/system-deps.sh (libreoffice-calc-nogui)")
    book = max(survey_workbooks, key=lambda p: load_workbook(p)["回答"].max_row)  # the most initiatives
    rows = load_workbook(book)["回答"].max_row - 4
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), str(book)],
        check=True, capture_output=True, timeout=240, env=env,
    )
    pdf = tmp_path / "pdf" / (book.stem + ".pdf")
    sizes = _pdf_pages(pdf)
    assert sizes and all("(A4)" in s for s in sizes), sizes
    # page 1: the instructions (portrait, alone); then the answers in landscape
    assert sizes[0].startswith("595") and all(s.startswith("841") for s in sizes[1:]), sizes
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[: len(sizes)]
    # the instructions sheet whole on page 1: every line readable, none clipped at the margin
    flat = re.sub(r"\s+", "", pages[0])
    for (line,) in load_workbook(book)["記入方法"].iter_rows(values_only=True):
        assert re.sub(r"\s+", "", line or "") in flat, line
    # Not split by columns: every answers page carries the header row with its first and last column.
    for n, page in enumerate(pages[1:], start=2):
        assert "取組内容" in page and "課題" in page and "ページ" in page, f"page {n}"
    # ~30 rows of long texts per department: a few pages tall, not the 6 column-split pages of before
    assert len(sizes) - 1 <= max(2, rows // 6), (len(sizes), rows)
