"""Indicator (KPI) tables written in other hands: a city's 総合戦略 KPI 一覧 as its staff keep it.

Wide (one row per indicator, a column per year) or long (one row per indicator and year, a 年度 column),
CSV or .xlsx, a title above the header, ※ notes and 合計 rows under it, 基準値 / 目標値 columns whose
year is in a sibling column or the cell, 未集計 for a year not yet counted, 「85%」 written with its unit.
Each file is read as a careful human would, or refused with a located Japanese message and nothing written.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook

from tenken.common.errors import InputRejected
from tenken.indicators.importing import import_indicators_file
from tenken.indicators.models import Indicator, Observation
from tests.conftest import db_snapshot

from ..personas import operator

pytestmark = pytest.mark.django_db

META = {"電子申請の利用件数": "higher", "窓口の平均待ち時間": "lower", "市民満足度": "higher", "転入者数": "higher"}


@pytest.fixture(autouse=True)
def kanagawa():
    """The organization and the acting account exist before any snapshot is taken."""
    from tenken.orgs.services import organization_for_code

    operator()
    return organization_for_code(code="140007")


def _meta(folder: Path, names=META) -> None:
    (folder / "indicator-meta.csv").write_text(
        "指標,direction\n" + "".join(f"{n},{d}\n" for n, d in names.items()), encoding="utf-8")


def _csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    _meta(path.parent)
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    _meta(path.parent)
    return path


def _import(path: Path, **kw):
    return import_indicators_file(path, user=operator(), org_code="140007", **kw)


def _rejected(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        _import(path, **kw)
    assert db_snapshot() == before  # nothing written
    return exc.value.messages


def _obs(name: str) -> list[tuple[str, int, D]]:
    return sorted(Observation.objects.filter(indicator__name=name).values_list("kind", "fiscal_year", "value"))


# --- 1. 基準値 / 目標値 columns without a year in their header -----------------------------------------------

def test_baseline_and_target_take_their_year_from_the_sibling_year_columns(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標", "単位", "基準値", "基準年度", "R4", "R5", "目標値", "目標年度"],
        ["電子申請の利用件数", "件", "1200", "R2", "1500", "1800", "3000", "R7"],
        ["窓口の平均待ち時間", "分", "30", "令和2年度", "28", "25", "15", "2025"],
    ])
    result = _import(path)
    assert result.observations_created == 8
    assert _obs("電子申請の利用件数") == [
        ("actual", 2022, D(1500)), ("actual", 2023, D(1800)), ("baseline", 2020, D(1200)), ("target", 2025, D(3000))]
    assert _obs("窓口の平均待ち時間") == [
        ("actual", 2022, D(28)), ("actual", 2023, D(25)), ("baseline", 2020, D(30)), ("target", 2025, D(15))]


def test_a_year_in_the_cell_or_the_header_dates_the_value(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標", "単位", "現状値", "R5", "目標値（R7）"],
        ["電子申請の利用件数", "件", "1,200（R2）", "1800", "3000"],
        ["窓口の平均待ち時間", "分", "30（令和3年度）", "25", "15"],
    ])
    _import(path)
    assert _obs("電子申請の利用件数") == [("actual", 2023, D(1800)), ("baseline", 2020, D(1200)), ("target", 2025, D(3000))]
    assert _obs("窓口の平均待ち時間") == [("actual", 2023, D(25)), ("baseline", 2021, D(30)), ("target", 2025, D(15))]


def test_a_baseline_or_target_without_any_year_is_refused_where_it_is(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標", "単位", "基準値", "R4", "R5", "目標値", "目標年度"],
        ["電子申請の利用件数", "件", "1200", "1500", "1800", "3000", "R7"],
        ["窓口の平均待ち時間", "分", "30", "28", "25", "15", ""],
    ])
    assert _rejected(path) == [
        "kpi.csv:1「基準値」: 基準値の年度がわかりません。見出しに年度を書くか（例: 基準値（R2））、"
        "「基準年度」の列を設けるか、値に年度を添えてください（例: 1,200（R2））",
        "kpi.csv:3「目標値」: 目標値「15」の年度がわかりません（「目標年度」が空欄です）",
    ]


# --- 2. the indicator name column ------------------------------------------------------------------------

@pytest.mark.parametrize("head", ["指標名", "KPI", "KPI名", "成果指標", "評価指標", "重要業績評価指標（KPI）", "数値目標"])
def test_common_names_of_the_indicator_column(tmp_path, head):
    _import(_csv(tmp_path / "kpi.csv", [[head, "単位", "R4", "R5目標"], ["転入者数", "人", "1,520", "1600"]]))
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("target", 2023, D(1600))]


# --- 3. no value this year, and values written with their unit --------------------------------------------

def test_not_yet_counted_and_dashes_mean_no_value(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "R2基準", "R3", "R4", "R5", "R6", "R7目標"],
        ["電子申請の利用件数", "件", "1200", "ー", "1500", "集計中", "未集計", "3000"],
        ["窓口の平均待ち時間", "分", "30", "－", "", "-", "―", "15"],
    ])
    _import(path)
    assert _obs("電子申請の利用件数") == [("actual", 2022, D(1500)), ("baseline", 2020, D(1200)), ("target", 2025, D(3000))]
    assert _obs("窓口の平均待ち時間") == [("baseline", 2020, D(30)), ("target", 2025, D(15))]


def test_not_yet_counted_in_a_long_value_column(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標", "単位", "値", "時点", "種別"],
        ["転入者数", "人", "1500", "R4年度末", "実績値"],
        ["転入者数", "人", "未集計", "R5年度末", "実績値"],
        ["転入者数", "人", "1600", "R7年度末", "目標値"],
    ])
    _import(path)
    assert _obs("転入者数") == [("actual", 2022, D(1500)), ("target", 2025, D(1600))]


def test_values_written_with_their_unit(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "R4", "R5", "R7目標"],
        ["市民満足度", "%", "85%", "86.5％", "90 %"],
        ["電子申請の利用件数", "件/年", "1,200件", "１，５００件", "3,000"],
    ])
    _import(path)
    assert _obs("市民満足度") == [("actual", 2022, D(85)), ("actual", 2023, D("86.5")), ("target", 2025, D(90))]
    assert _obs("電子申請の利用件数") == [("actual", 2022, D(1200)), ("actual", 2023, D(1500)), ("target", 2025, D(3000))]


def test_a_unit_in_the_cell_that_is_not_the_rows_unit_is_refused_at_the_cell(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "R4", "R5"],
        ["転入者数", "人", "1,200件", "1.2万人"],
    ])
    assert _rejected(path) == [
        "kpi.csv:2「R4」: 「1,200件」の単位「件」が単位列の「人」と異なります（人で書くか、単位列を直してください）",
        "kpi.csv:2「R5」: 「1.2万人」の単位「万人」が単位列の「人」と異なります（人で書くか、単位列を直してください）",
    ]


# --- 4. long tables: one row per indicator and year -------------------------------------------------------

def test_long_table_with_a_fiscal_year_column(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "年度", "目標値", "実績値"],
        ["電子申請の利用件数", "件", "R4", "1400", "1500"],
        ["電子申請の利用件数", "件", "令和5年度", "1600", "1800"],
        ["電子申請の利用件数", "件", "2024", "2000", "未集計"],
        ["窓口の平均待ち時間", "分", "R4", "", "28"],
        ["窓口の平均待ち時間", "分", "R7", "15", ""],
    ])
    _import(path)
    assert _obs("電子申請の利用件数") == [
        ("actual", 2022, D(1500)), ("actual", 2023, D(1800)),
        ("target", 2022, D(1400)), ("target", 2023, D(1600)), ("target", 2024, D(2000))]
    assert _obs("窓口の平均待ち時間") == [("actual", 2022, D(28)), ("target", 2025, D(15))]


def test_long_table_with_year_kind_and_value_columns(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["KPI", "単位", "年度", "種別", "値", "備考"],
        ["転入者数", "人", "H30", "基準値", "1,400", "住民基本台帳"],
        ["転入者数", "人", "R4", "実績", "1,520", ""],
        ["転入者数", "人", "R7", "目標", "1,600", ""],
    ])
    _import(path)
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("baseline", 2018, D(1400)), ("target", 2025, D(1600))]
    assert Observation.objects.get(kind="baseline").note == "住民基本台帳"


def test_long_table_problems_name_the_year_cell(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "単位", "年度", "実績値"],
        ["転入者数", "人", "来年度", "1500"],
    ])
    assert _rejected(path) == [
        "kpi.csv:2「年度」: 「来年度」を年度として解釈できません（例: R4, 令和4年度, 2022）",
    ]


# --- 5, 6. a title above the header, notes and totals under the table ---------------------------------------

CITY_TABLE = [
    ["第2期 〇〇市まち・ひと・しごと創生総合戦略 KPI 一覧"],
    ["作成日：令和6年5月1日", None, None, None, None, "企画政策課"],
    [],
    ["No.", "指標名", "単位", "R4", "R5", "R7目標"],
    [1, "転入者数", "人", 1520, 1580, 1600],
    [None, None, None, None, None, None],
    [2, "市民満足度", "%", 82.5, "未集計", 90],
    ["合計", None, None, 1602.5, 1580, 1690],
    ["※R5の市民満足度は令和6年9月公表予定"],
    ["注）転入者数は住民基本台帳による"],
]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    path = _csv(tmp_path / "kpi.csv", CITY_TABLE[:7])
    _import(path)
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(1580)), ("target", 2025, D(1600))]
    assert Observation.objects.get(indicator__name="転入者数", fiscal_year=2022).source_ref == "kpi.csv:5「R4」"


def test_notes_totals_and_blank_rows_under_the_table_are_not_indicators(tmp_path):
    _import(_csv(tmp_path / "kpi.csv", CITY_TABLE))
    assert sorted(Indicator.objects.values_list("name", flat=True)) == ["市民満足度", "転入者数"]
    assert _obs("市民満足度") == [("actual", 2022, D("82.5")), ("target", 2025, D(90))]


def test_no_header_row_is_a_located_refusal(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [["〇〇市 KPI 一覧"], ["転入者数", "人", "1520"]])
    assert _rejected(path) == [
        "kpi.csv: 見出し行が見つかりません。指標名の列（指標、指標名、KPI、成果指標 など）と、単位・値・年度の列を"
        "一つの行に書いてください",
    ]


# --- 7. .xlsx workbooks and encodings --------------------------------------------------------------------

def test_xlsx_first_sheet_that_holds_an_indicator_table(tmp_path):
    path = _xlsx(tmp_path / "指標.xlsx", {"表紙": [["〇〇市総合戦略 進捗状況"], ["令和6年5月"]], "KPI": CITY_TABLE})
    result = _import(path)
    assert result.observations_created == 5
    assert Observation.objects.get(indicator__name="転入者数", fiscal_year=2022).source_ref == "指標.xlsx KPI!D5「R4」"


def test_xlsx_named_sheet_and_located_problems(tmp_path):
    rows = [["指標名", "単位", "R4", "R5"], ["転入者数", "人", "約1500", 1580]]
    path = _xlsx(tmp_path / "指標.xlsx", {"R5": [["指標名", "単位", "R5"], ["転入者数", "人", 1580]], "R6": rows})
    assert _rejected(path, sheet="R6") == [
        "指標.xlsx R6!C2「R4」: 「約1500」は数値ではありません（数字だけを書き、単位や「約」は単位列・note 列へ）",
    ]
    assert _rejected(path, sheet="R7") == ["指標.xlsx: シート「R7」がありません（シート: R5、R6）"]
    _import(path, sheet="R5")
    assert _obs("転入者数") == [("actual", 2023, D(1580))]


def test_xlsx_with_macros_or_formulas_is_refused(tmp_path):
    plain = _xlsx(tmp_path / "指標.xlsx", {"KPI": [["指標名", "単位", "R4"], ["転入者数", "人", 1520]]})
    macro = tmp_path / "macro.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 16)
    assert _rejected(macro) == ["macro.xlsx: マクロ（VBAプロジェクト vbaProject.bin）が含まれているため受け付けません"]
    formula = _xlsx(tmp_path / "式.xlsx", {"KPI": [["指標名", "単位", "R4", "R5"], ["転入者数", "人", 1520, "=C2+60"]]})
    assert _rejected(formula) == ["式.xlsx KPI!D2「R5」: 数式は受け付けません。値として貼り付けてから保存してください"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_utf8_bom_and_cp932(tmp_path, encoding):
    _import(_csv(tmp_path / "kpi.csv", [["指標", "単位", "R4", "R5"], ["転入者数", "人", "1,520", "1,580"]], encoding))
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(1580))]


def test_xlsx_percent_cells_are_read_as_percent(tmp_path):
    """「85%」 typed into Excel is stored as 0.85 formatted as a percentage: under the unit % it is 85, not 0.85."""
    path = tmp_path / "指標.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    for r in (["指標名", "単位", "R4", "R5", "R7目標"], ["市民満足度", "%", 0.85, 0.865, 0.9], ["転入者数", "人", 1520, 0.5, 1600]):
        ws.append(r)
    for ref, fmt in (("C2", "0%"), ("D2", "0.0%"), ("E2", "0%"), ("D3", "0%")):
        ws[ref].number_format = fmt
    wb.save(path)
    _meta(tmp_path)
    assert _rejected(path) == [
        "指標.xlsx KPI!D3「R5」: 「50%」の単位「%」が単位列の「人」と異なります（人で書くか、単位列を直してください）"]
    ws.delete_rows(3)
    wb.save(path)
    _import(path)
    assert _obs("市民満足度") == [("actual", 2022, D(85)), ("actual", 2023, D("86.5")), ("target", 2025, D(90))]


def test_two_row_header_with_target_and_actual_under_each_year(tmp_path):
    """「R4」 merged over 「目標」「実績」 (in a CSV: R4 then a blank cell), as many plans print their KPI tables."""
    rows = [
        ["指標名", "単位", "基準値（R2）", "R4", None, "R5", None],
        [None, None, None, "目標", "実績", "目標", "実績"],
        ["転入者数", "人", 1400, 1500, 1520, 1550, "未集計"],
    ]
    path = tmp_path / "指標.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    for r in rows:
        ws.append(r)
    ws.merge_cells("D1:E1")
    ws.merge_cells("F1:G1")
    wb.save(path)
    _meta(tmp_path)
    _import(path)
    expected = [("actual", 2022, D(1520)), ("baseline", 2020, D(1400)), ("target", 2022, D(1500)), ("target", 2023, D(1550))]
    assert _obs("転入者数") == expected
    Indicator.objects.all().delete()
    _import(_csv(tmp_path / "kpi.csv", rows))
    assert _obs("転入者数") == expected


def test_without_a_unit_column_the_unit_written_with_the_values_is_the_rows(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標名", "R4", "R5", "R7目標"],
        ["市民満足度", "82.5%", "84%", "90%"],
        ["転入者数", "1,520人", "1,580", "1,600人"],
        ["電子申請の利用件数", "1500", "1800", "3000"],
        ["窓口の平均待ち時間", "28分", "25件", "15分"],
    ])
    assert _rejected(path) == [
        "kpi.csv:4「指標名」: 単位がわかりません。「単位」の列を設けるか、値に単位を添えてください（例: 85%）",
        "kpi.csv:5「指標名」: 値に書かれた単位（件、分）が一つに決まりません",
    ]
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    _import(path)
    assert Indicator.objects.get(name="市民満足度").unit == "%" and Indicator.objects.get(name="転入者数").unit == "人"
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(1580)), ("target", 2025, D(1600))]


# --- the same service from the web (with a check-only run) and the CLI ----------------------------------------

def test_web_upload_of_a_workbook_checks_first_then_imports(client, alice, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = _xlsx(tmp_path / "指標.xlsx", {"表紙": [["〇〇市総合戦略"]], "KPI": CITY_TABLE})
    meta = (tmp_path / "indicator-meta.csv").read_bytes()

    def post(**extra):
        return client.post("/indicators/upload/", {
            "organization": "140007", "plan": "", "observations": SimpleUploadedFile("指標.xlsx", path.read_bytes()),
            "meta": SimpleUploadedFile("indicator-meta.csv", meta), **extra})

    client.force_login(alice)
    before = db_snapshot()
    res = post(dry_run="on")
    page = res.content.decode()
    assert res.status_code == 200 and db_snapshot() == before
    assert "確認だけ行いました（まだ登録していません）。取り込むと: 新しい指標 2 件、値 5 件" in page
    res = post(sheet="表紙")
    assert res.status_code == 422 and "指標.xlsx: 見出し行が見つかりません" in res.content.decode()
    assert post().status_code == 302
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(1580)), ("target", 2025, D(1600))]


def test_cli_reads_the_named_sheet_and_checks_without_writing(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from ..personas import OPERATOR

    path = _xlsx(tmp_path / "指標.xlsx", {"R5": [["指標名", "単位", "R5"], ["転入者数", "人", 1580]], "R6": CITY_TABLE})
    out = StringIO()
    call_command("import_indicators", str(path), org="140007", sheet="R6", dry_run=True, stdout=out, user=OPERATOR)
    assert "検証のみ" in out.getvalue() and "値 新規 5" in out.getvalue() and not Observation.objects.exists()
    call_command("import_indicators", str(path), org="140007", sheet="R5", stdout=out, user=OPERATOR)
    assert _obs("転入者数") == [("actual", 2023, D(1580))]


# --- more hands --------------------------------------------------------------------------------------------

def test_a_target_row_and_an_actual_row_per_indicator(tmp_path):
    """Two rows per indicator, 「目標」 and 「実績」, in a column whose header is not 種別 (区分, or none)."""
    path = _xlsx(tmp_path / "指標.xlsx", {"KPI": [
        ["施策", "指標名", "単位", "", "R4", "R5", "R6"],
        ["移住・定住の促進", "転入者数", "人", "目標", 1500, 1550, 1600],
        [None, "転入者数", "人", "実績", 1520, "未集計", None],
    ]})
    _import(path)
    assert _obs("転入者数") == [
        ("actual", 2022, D(1520)), ("target", 2022, D(1500)), ("target", 2023, D(1550)), ("target", 2024, D(1600))]


def test_year_headers_with_neutral_words_and_a_minus_sign(tmp_path):
    path = _csv(tmp_path / "kpi.csv", [
        ["指標", "単位", "令和4年度の値", "R5年度末", "R7目標"],
        ["転入者数", "人", "1520", "−20", "1600"],
    ])
    _import(path)
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("actual", 2023, D(-20)), ("target", 2025, D(1600))]


def test_a_value_without_the_year_its_neighbours_carry_is_refused_at_its_cell(tmp_path):
    path = _xlsx(tmp_path / "指標.xlsx", {"KPI": [
        ["指標名", "単位", "基準値", "令和4年度\n実績", "目標値\n（R7年度）"],
        ["転入者数", "人", "1,400（H30）", 1520, 1600],
        ["市民満足度", "%", "62%", "65%", "70%"],
    ]})
    assert _rejected(path) == [
        "指標.xlsx KPI!C3「基準値」: 基準値「62%」の年度がわかりません。値に年度を添えるか（例: 1,200（R2））、"
        "「基準年度」の列を設けてください",
    ]
    path = _xlsx(tmp_path / "指標.xlsx", {"KPI": [
        ["指標名", "単位", "基準値", "令和4年度\n実績", "目標値\n（R7年度）"],
        ["転入者数", "人", "1,400（H30）", 1520, 1600],
    ]})
    _import(path)
    assert Observation.objects.get(kind="actual").source_ref == "指標.xlsx KPI!D2「令和4年度 実績」"
    assert _obs("転入者数") == [("actual", 2022, D(1520)), ("baseline", 2018, D(1400)), ("target", 2025, D(1600))]
