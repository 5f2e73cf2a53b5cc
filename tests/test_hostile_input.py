"""Findings 5–8 of issue #14: formula injection in generated workbooks, control characters, bounded
work per upload (rows, columns, cells, cell length, message count, upload size) and the lower items
(formula tags in other spellings, ``.RELS``, corrupt deflate, long CSV fields, NUL, answer length)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tenken.common.errors import InputRejected
from tenken.plans.models import Initiative
from tenken.reviews.models import InitiativeReview
from tenken.spreadsheets.csvfile import read_csv
from tenken.spreadsheets.grid import read_xlsx, read_xlsx_fast
from tenken.spreadsheets.safety import check_xlsx
from tenken.surveys import services
from tenken.surveys.exchange import response_ingest_workbook
from tenken.surveys.workbook import C_ID, C_OUTCOME, C_STATUS, FIRST_ROW, build_workbook

from .conftest import db_snapshot
from .personas import cast_for, small_plan
from .public.conftest import publish

pytestmark = pytest.mark.django_db

INJECTIONS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/","詳細")', "+1+1", "@SUM(1)"]


def formula_cells(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def raw_formula_tags(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return any(re.search(rb"<(\w+:)?f[\s>/]", zf.read(n)) for n in zf.namelist() if n.startswith("xl/worksheets/"))


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    return cast, survey_round


# -- formula neutralisation ----------------------------------------------------------------------------

def test_answer_workbook_never_holds_a_formula_and_reads_back_unchanged(world, tmp_path):
    cast, survey_round = world
    response = survey_round.responses.get(department=cast.dept_a)
    mine = list(Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order"))
    for initiative, text in zip(mine, INJECTIONS, strict=False):
        services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
            initiative_id=initiative.pk, status="達成", outcome=text, issues=text))
    data = build_workbook(response=response)
    assert formula_cells(data) == [] and not raw_formula_tags(data)
    ws = load_workbook(io.BytesIO(data))["回答"]
    assert {ws.cell(FIRST_ROW, C_OUTCOME).value, ws.cell(FIRST_ROW + 1, C_OUTCOME).value} <= set(INJECTIONS)
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)
    response_ingest_workbook(user=cast.suzuki, path=path)  # the same answers, submitted
    assert sorted(InitiativeReview.objects.filter(initiative__in=mine).values_list("outcome", flat=True)) == sorted(
        INJECTIONS[: len(mine)])


def test_report_xlsx_and_register_export_hold_no_formula(world, tmp_path):
    from tenken.inventory.register_format import read_register, register_workbook_bytes
    from tenken.reports.context import build_report_context
    from tenken.reports.renderers import render_report
    from tenken.reviews.models import Inspection

    cast, _ = world
    Initiative.objects.filter(plan=cast.plan).update(text=INJECTIONS[1])
    final = Inspection.objects.create(plan=cast.plan, kind=Inspection.Kind.FINAL, fiscal_year=2018, title="点検",
                                      as_of=date(2019, 3, 31))
    status = cast.plan.statuses.get(code="achieved")
    for i in Initiative.objects.filter(plan=cast.plan):
        InitiativeReview.objects.create(inspection=final, initiative=i, fiscal_year=2018, status=status,
                                        approval="approved", outcome=INJECTIONS[0])
    report = render_report(build_report_context(plan_id=cast.plan.pk), "xlsx")
    assert formula_cells(report) == [] and not raw_formula_tags(report)
    record = {"name": "住民記録", "department": "=cmd|' /C calc'!A0", "purpose": INJECTIONS[1], "segment": "LGWAN接続系",
              "hosting": "クラウド", "internet_facing": False, "in_service_on": date(2010, 4, 1), "retired_on": None,
              "contract_end": None, "state": "稼働", "successor": "", "note": "@SUM(1)", "costs": {}}
    data = register_workbook_bytes([record], [2018])
    assert formula_cells(data) == [] and not raw_formula_tags(data)
    path = tmp_path / "register.xlsx"
    path.write_bytes(data)
    (row,) = read_register(path)
    assert (row.purpose, row.note, row.department) == (INJECTIONS[1], "@SUM(1)", "=cmd|' /C calc'!A0")


# -- control characters --------------------------------------------------------------------------------

def test_control_characters_are_refused_at_the_answer_form_with_the_field_named(world):
    cast, survey_round = world
    response = survey_round.responses.get(department=cast.dept_a)
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).first()
    client = Client()
    client.force_login(cast.suzuki)
    before = db_snapshot()
    res = client.post(reverse("surveys:answer", args=[response.pk, initiative.pk]),
                      {"status": "達成", "outcome": "成果\x01\x02あり", "change_reason": "", "issues": "", "version": 0})
    assert res.status_code == 422
    assert "成果: 制御文字（U+0001、3文字目）は入力できません" in res.content.decode()
    assert db_snapshot() == before


def test_answer_fields_have_a_length_limit(world, settings):
    cast, survey_round = world
    settings.TENKEN_ANSWER_MAX_CHARS = 100
    response = survey_round.responses.get(department=cast.dept_a)
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).first()
    with pytest.raises(InputRejected, match="課題: 101文字あります。100文字以内にしてください"):
        services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
            initiative_id=initiative.pk, status="達成", issues="あ" * 101, field_locations={"issues": "課題"}))


def test_legacy_control_characters_no_longer_break_downloads(world):
    cast, survey_round = world
    response = survey_round.responses.get(department=cast.dept_a)
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).first()
    services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
        initiative_id=initiative.pk, status="達成", outcome="正常"))
    InitiativeReview.objects.filter(initiative=initiative).update(outcome="古い\x0bデータ\x01", approval="approved")
    publish(survey_round.inspection, cast.sato)  # the legacy text reaches the open data once published
    client = Client()
    client.force_login(cast.suzuki)
    assert client.get(reverse("surveys:workbook", args=[response.pk])).status_code == 200
    res = Client().get(f"/public/plans/{cast.plan.pk}/data/reviews.xlsx")
    assert res.status_code == 200


# -- bounded work per workbook -----------------------------------------------------------------------

def xlsx(tmp_path: Path, fill, name: str = "book.xlsx") -> Path:
    wb = Workbook()
    fill(wb.active)
    path = tmp_path / name
    wb.save(path)
    return path


def patch_xlsx(src: Path, dst: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = edit(data)
            zout.writestr(info.filename, data)
    return dst


def test_too_many_rows_columns_cells_or_characters_are_refused_before_parsing(tmp_path, settings):
    settings.TENKEN_MAX_ROWS, settings.TENKEN_MAX_COLUMNS, settings.TENKEN_MAX_CELLS = 100, 20, 300
    settings.TENKEN_MAX_CELL_CHARS = 1000
    cases = {
        "rows": (lambda ws: [ws.append([i]) for i in range(101)], "行の数が上限（100行）を超えています"),
        "far row": (lambda ws: ws.cell(5000, 1, "x"), "5,000行目にデータがあります（上限 100行）"),
        "columns": (lambda ws: ws.cell(1, 27, "x"), "AA列にデータがあります（上限 20列）"),
        "cells": (lambda ws: [ws.append(list(range(10))) for _ in range(31)], "セルの数が上限（300）を超えています"),
        "long cell": (lambda ws: ws.cell(1, 1, "あ" * 1001), "1,000文字を超えるセルがあります"),
    }
    for label, (fill, message) in cases.items():
        path = xlsx(tmp_path, fill, name=f"{label}.xlsx")
        for reader in (check_xlsx, read_xlsx, read_xlsx_fast):
            with pytest.raises(InputRejected) as exc:
                reader(path, name=f"{label}.xlsx")
            assert len(exc.value.problems) == 1 and message in exc.value.messages[0], (label, exc.value.messages)
            assert exc.value.messages[0].startswith(f"{label}.xlsx"), label


def test_at_most_n_messages_are_shown_with_the_total(settings):
    from tenken.common.errors import Problem

    settings.TENKEN_MAX_MESSAGES = 5
    exc = InputRejected([Problem(f"回答!I{r}", "実施結果が入力されていません") for r in range(1000)])
    assert len(exc.messages) == 6 and "ほか 995 件の誤りがあります（全 1,000 件" in exc.messages[-1]
    assert len(exc.problems) == 1000


def test_oversized_upload_is_cut_off_while_streaming(world, settings):
    cast, survey_round = world
    settings.TENKEN_MAX_UPLOAD_BYTES = 10_000
    response = survey_round.responses.get(department=cast.dept_a)
    client = Client()
    client.force_login(cast.suzuki)
    before = db_snapshot()
    body = io.BytesIO(b"PK" + b"\0" * 50_000)
    body.name = "big.xlsx"
    res = client.post(reverse("surveys:upload", args=[response.pk]), {"workbook": body})
    assert res.status_code == 413
    assert "ファイルサイズが上限（10,000バイト）を超えています" in res.content.decode()
    assert db_snapshot() == before


def test_uploads_go_to_disk_not_memory(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 0
    assert settings.FILE_UPLOAD_HANDLERS == ["tenken.spreadsheets.uploads.LimitedTemporaryFileUploadHandler"]


# -- lower items -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", [b"<f\t>", b"<f\n>", b"<x2:f>", b"<f/>"])
def test_formula_tags_in_any_spelling_are_found_by_the_fast_reader(tmp_path, spelling):
    src = xlsx(tmp_path, lambda ws: ws.cell(1, 1, 1))
    close = {b"<x2:f>": b"</x2:f>", b"<f/>": b""}.get(spelling, b"</f>")

    def edit(data: bytes) -> bytes:
        data = data.replace(b'<worksheet ', b'<worksheet xmlns:x2="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1)
        return re.sub(rb"<v>1</v>", spelling + b"1+1" * (close != b"") + close + b"<v>2</v>", data)

    path = patch_xlsx(src, tmp_path / "f.xlsx", "xl/worksheets/sheet1.xml", edit)
    from tenken.spreadsheets.grid import _has_formulas

    assert _has_formulas(path), spelling  # so the fast path hands the file to openpyxl, which names the cell
    if spelling != b"<f/>":
        assert read_xlsx_fast(path)[0].formulas == [(1, 1)]


def test_upper_case_rels_is_checked_for_external_links(tmp_path):
    src = xlsx(tmp_path, lambda ws: ws.cell(1, 1, "x"))
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" '
            b'Target="file:///\\\\evil\\share\\x.xlsx" TargetMode="External"/></Relationships>')
    path = tmp_path / "upper.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("xl/worksheets/_rels/sheet1.xml.RELS", rels)
    with pytest.raises(InputRejected, match="外部への参照"):
        check_xlsx(path)


def test_corrupt_deflate_stream_is_a_located_refusal(tmp_path):
    src = xlsx(tmp_path, lambda ws: [ws.append(["データ" * 20] * 10) for _ in range(50)])
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(bytes(data))
    for reader in (check_xlsx, read_xlsx, read_xlsx_fast):
        with pytest.raises(InputRejected, match="壊れて") as exc:
            reader(path)
        assert "corrupt.xlsx" in exc.value.messages[0]


def test_csv_long_fields_and_nul_bytes(tmp_path, settings):
    path = tmp_path / "long.csv"
    path.write_text("取組項目,所属\n" + "あ" * 140_000 + ",政策局\n", encoding="utf-8")
    with pytest.raises(InputRejected, match=r"long.csv:2行目: 32,767文字を超える欄があります"):
        read_csv(path)
    path.write_text("取組項目,所属\n取組\x00項目,政策\x01局\n", encoding="utf-8")
    _, rows = read_csv(path)
    assert rows == [(2, ["取組項目", "政策局"])]
    settings.TENKEN_MAX_ROWS = 3
    path.write_text("a\n" + "x\n" * 10, encoding="utf-8")
    with pytest.raises(InputRejected, match="行の数が上限（3行）"):
        read_csv(path)


def test_a_workbook_answer_with_nul_is_stored_without_it(world, tmp_path):
    cast, survey_round = world
    response = survey_round.responses.get(department=cast.dept_a)
    wb = load_workbook(io.BytesIO(build_workbook(response=response)))
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, C_ID).value:
            ws.cell(r, C_STATUS).value = "① 取組内容を達成した"
            ws.cell(r, C_OUTCOME).value = "成果"
    path = tmp_path / "nul.xlsx"
    wb.save(path)
    patch_xlsx(path, tmp_path / "nul2.xlsx", "xl/worksheets/sheet2.xml",
               lambda d: d.replace("成果".encode(), "成&#x1;果".encode()))
    response_ingest_workbook(user=cast.suzuki, path=tmp_path / "nul2.xlsx")
    assert set(InitiativeReview.objects.values_list("outcome", flat=True)) == {"成果"}


def test_the_long_text_pre_check_never_skips_a_match():
    """_may_hold_run says False only when the long-text pattern cannot match (every run placement)."""
    import random
    import re

    from tenken.spreadsheets.limits import _may_hold_run

    rng = random.Random(14)
    for limit in (1, 2, 5, 8):
        pattern = re.compile(rb"[>\]][^<]{%d}" % (limit + 1))
        for _ in range(400):
            data = bytes(rng.choice(b"<<>]ab") for _ in range(rng.randrange(0, 60)))
            if pattern.search(data):
                assert _may_hold_run(data, limit + 2), (limit, data)
        for offset in range(12):  # one run just long enough, anywhere
            data = b"<" * offset + b">" + b"a" * (limit + 1) + b"<" * 7
            assert pattern.search(data) and _may_hold_run(data, limit + 2), (limit, offset)
    assert not _may_hold_run(b"<a>" * 1000, 10)


def test_an_oversized_plan_file_in_the_import_wizard_says_so(settings):
    """The wizard named the size limit, not 「ファイルを選んでください」, when the file was cut off."""
    from tests.personas import cast_for, small_plan

    cast = cast_for(small_plan())
    settings.TENKEN_MAX_UPLOAD_BYTES = 10_000
    client = Client()
    client.force_login(cast.sato)
    body = io.BytesIO(b"PK" + b"\0" * 50_000)
    body.name = "計画.xlsx"
    res = client.post(reverse("imports:index"), {"file": body, "organization": cast.plan.organization_id})
    text = res.content.decode()
    assert "ファイルサイズが上限（10,000バイト）を超えています" in text and "計画.xlsx" in text
    assert "ファイルを選んでください" not in text


def test_an_oversized_indicator_csv_says_so(settings):
    """The indicator upload named the size limit, not a bare 「必須項目です」, when the CSV was cut off."""
    from tests.personas import cast_for, small_plan

    cast = cast_for(small_plan())
    settings.TENKEN_MAX_UPLOAD_BYTES = 10_000
    client = Client()
    client.force_login(cast.sato)
    body = io.BytesIO("指標,単位,値,時点,種別,出典,note\n".encode() + b"x" * 50_000)
    body.name = "指標.csv"
    res = client.post(reverse("indicators:upload"), {"observations": body, "organization": "140007"})
    text = res.content.decode()
    assert res.status_code == 413
    assert "指標.csv: ファイルサイズが上限（10,000バイト）を超えています" in text


def test_a_plan_or_register_csv_is_bounded_like_a_workbook(tmp_path, settings):
    """The CSV reader behind the plan wizard and the register (read_grids) applies the same limits as a
    workbook's: a cell longer than the csv module's own limit was an uncaught ``_csv.Error`` traceback,
    and rows, columns, cells and cell length were unbounded (only the file size was checked)."""
    from tenken.imports.workbook import read_grids

    path = tmp_path / "計画.csv"
    path.write_text("取組名,進捗\n" + "あ" * 140_000 + ",完了\n", encoding="utf-8")
    with pytest.raises(InputRejected, match=r"計画.csv!A2: 32,767文字を超える欄があります"):
        read_grids(path)
    settings.TENKEN_MAX_ROWS = 5
    path.write_text("取組名,進捗\n" + "取組,完了\n" * 10, encoding="utf-8")
    with pytest.raises(InputRejected, match=r"計画.csv!6行目: 行の数が上限（5行）を超えています"):
        read_grids(path)
    settings.TENKEN_MAX_ROWS = 10000
    settings.TENKEN_MAX_COLUMNS = 4
    path.write_text("取組名,進捗,a,b,c,d\n", encoding="utf-8")
    with pytest.raises(InputRejected, match=r"計画.csv!1行目: 列の数が上限（4列）を超えています"):
        read_grids(path)
    settings.TENKEN_MAX_COLUMNS = 200
    settings.TENKEN_MAX_CELLS = 10
    path.write_text("取組名,進捗\n" + "取組,完了\n" * 10, encoding="utf-8")
    with pytest.raises(InputRejected, match=r"計画.csv!6行目: セルの数が上限（10個）を超えています"):
        read_grids(path)


def test_a_csv_with_a_utf8_bom_and_bytes_that_are_not_utf8_is_refused_in_japanese(tmp_path):
    """The BOM says UTF-8, the bytes are not: a located refusal naming the file, never a UnicodeDecodeError."""
    path = tmp_path / "壊れた.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "取組,進捗\n".encode() + b"\x82\xa0\xff\n")
    with pytest.raises(InputRejected) as exc:
        read_csv(path)
    assert exc.value.messages == ["壊れた.csv: 文字コードを判定できません。UTF-8 または Shift_JIS（CP932）で保存してください"]
