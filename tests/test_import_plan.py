"""Importing the Kanagawa plan (action-plan.xlsx and initiatives.csv) and refusing broken copies."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tenken.common.errors import InputRejected
from tenken.plans.importing import import_plan_file
from tenken.plans.models import Initiative, Plan, Section
from tenken.plans.selectors import plan_fingerprint
from tenken.reviews.models import InitiativeReview
from tenken.reviews.selectors import status_counts_by_section

from .conftest import db_snapshot
from .personas import OPERATOR, operator

pytestmark = pytest.mark.django_db

ARGS = {"org_code": "140007", "title": "電子化全開宣言行動計画", "fiscal_years": "2014-2018"}


def do_import(path: Path, structure: Path | None = None, **kw):
    args = ARGS | kw
    return import_plan_file(path, user=operator(), structure=structure, **args)


def counts(plan: Plan) -> dict[str, tuple[int, int, int]]:
    inspection = plan.inspections.get(kind="final")
    by_section = status_counts_by_section(inspection=inspection)
    return {
        s.title: (by_section[s.pk]["achieved"], by_section[s.pk]["in_progress"], by_section[s.pk]["changed"])
        for s in Section.objects.filter(plan=plan, depth__lte=1)
    }


def test_workbook_gives_the_plan_of_the_report(kanagawa_dir):
    plan = do_import(kanagawa_dir / "action-plan.xlsx", kanagawa_dir / "items.csv").plan
    assert Section.objects.filter(plan=plan, depth=0).count() == 3
    assert Section.objects.filter(plan=plan, depth=1).count() == 18
    assert Section.objects.filter(plan=plan, depth=2).exists()
    assert Initiative.objects.filter(plan=plan, is_heading=False).count() == 100
    headings = Initiative.objects.filter(plan=plan, is_heading=True).order_by("order")
    assert [(h.number_label, h.source_ref) for h in headings] == [
        ("", "別紙!48行目"), ("", "別紙!54行目"), ("", "別紙!58行目"), ("38", "別紙!79行目"), ("45", "別紙!99行目"),
    ]
    assert [c.number_label for c in headings[3].children.order_by("order")] == [f"38{c}" for c in "①②③④⑤⑥⑦⑧⑨"]
    assert headings[0].children.count() == 5  # the three 25-1 rows, 25-2, 25-3
    assert not InitiativeReview.objects.filter(initiative__is_heading=True).exists()
    assert list(Initiative.objects.filter(plan=plan, is_repost=True).values_list("number_label", flat=True)) == [
        "24-3", "24-4",
    ]
    assert Initiative.objects.filter(plan=plan, number_label="25-1").count() == 3

    computed = counts(plan)
    assert computed["スマート神奈川の推進"] == (32, 23, 5)
    assert computed["行政サービスのICT化の拡充"] == (16, 5, 0)
    assert computed["スマート県庁の実現"] == (12, 7, 0)
    with open(kanagawa_dir / "items.csv", encoding="utf-8") as fh:
        report = list(csv.DictReader(fh))
    differing = []
    for row in report:
        if not row["達成(報告書)"]:
            assert computed[row["取組項目"]] == (0, 0, 0)  # the narrative-only items of chapter 3
            continue
        declared = tuple(int(row[k]) for k in ("達成(報告書)", "実施中(報告書)", "変更(報告書)"))
        if computed[row["取組項目"]] != declared:
            differing.append((row["取組項目"], declared, computed[row["取組項目"]]))
    assert differing == [("教育のスマート化", (12, 0, 0), (11, 0, 0))]


def test_codes_and_titles(kanagawa_dir):
    plan = do_import(kanagawa_dir / "action-plan.xlsx", kanagawa_dir / "items.csv").plan
    policies = Section.objects.filter(plan=plan, depth=0).order_by("order")
    assert [str(p) for p in policies] == ["1 スマート神奈川の推進", "2 行政サービスのICT化の拡充", "3 スマート県庁の実現"]
    items = Section.objects.filter(plan=plan, parent=policies[2]).order_by("order")
    assert [str(i) for i in items] == [
        "ア スマート県庁の取組", "イ ICTガバナンスの確立", "ウ BPRの推進によるコスト削減と仕事の効率化",
        "エ 情報システムの見直し", "オ 通信サービスの見直し",
    ]
    sub = Section.objects.get(plan=plan, depth=2, title="PM2.5対策など県民の安全・安心に向けた取組み")
    assert sub.code == "(1)"


def test_without_structure_only_items_with_initiatives(kanagawa_dir):
    plan = do_import(kanagawa_dir / "action-plan.xlsx").plan
    assert Section.objects.filter(plan=plan, depth=1).count() == 16
    assert Initiative.objects.filter(plan=plan, is_heading=False).count() == 100


def test_csv_gives_the_identical_plan(kanagawa_dir):
    from_xlsx = do_import(kanagawa_dir / "action-plan.xlsx", kanagawa_dir / "items.csv").plan
    from_csv = do_import(kanagawa_dir / "initiatives.csv", kanagawa_dir / "items.csv", title="CSV版").plan
    assert plan_fingerprint(plan=from_xlsx) == plan_fingerprint(plan=from_csv)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_csv_encodings(kanagawa_dir, encoding):
    text = (kanagawa_dir / "initiatives.csv").read_text(encoding="utf-8")
    # CP932 has no "〜"-style trouble here but cannot encode every character: keep the real data.
    target = kanagawa_dir / f"initiatives-{encoding}.csv"
    target.write_bytes(text.encode(encoding, errors="strict"))
    reference = do_import(kanagawa_dir / "initiatives.csv", title="UTF-8").plan
    plan = do_import(target, title=encoding).plan
    assert plan_fingerprint(plan=plan) == plan_fingerprint(plan=reference)


def test_status_spellings_full_and_half_width(kanagawa_dir):
    path = kanagawa_dir / "action-plan.xlsx"
    wb = load_workbook(path)
    ws = wb["別紙"]
    ws["F5"] = "達成"
    ws["F6"] = "②　実施中"
    ws["F7"] = "③取組内容を変更した"
    ws["F8"] = "１ 取組内容を達成した"
    wb.save(path)
    plan = do_import(path).plan
    got = dict(
        InitiativeReview.objects.filter(initiative__plan=plan, initiative__number_label__in=["1", "2", "3", "3-1"])
        .values_list("initiative__number_label", "status__label")
    )
    assert got == {"1": "達成", "2": "実施中", "3": "変更", "3-1": "達成"}


def test_dry_run_writes_nothing(kanagawa_dir):
    before = db_snapshot()
    result = do_import(kanagawa_dir / "action-plan.xlsx", kanagawa_dir / "items.csv", dry_run=True)
    assert result.plan is None
    assert result.draft.summary()["countable"] == 100
    assert db_snapshot() == before


# --- refusals: each asserts the exact message and an unchanged database --------------------------

def rejected(path: Path, **kw) -> list[str]:
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        do_import(path, **kw)
    assert db_snapshot() == before
    return exc.value.messages


def edit(path: Path, **cells: object) -> Path:
    wb = load_workbook(path)
    ws = wb["別紙"]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def test_bad_status_names_the_cell(kanagawa_dir):
    path = edit(kanagawa_dir / "action-plan.xlsx", F23="達成済", F30="たぶん")
    choices = "① 取組内容を達成した（達成）、② 取組内容を実施中である（実施中）、③ 取組内容を変更した（変更）"
    assert rejected(path) == [
        f"別紙!F23: 実施結果「達成済」を解釈できません（選択肢: {choices}）",
        f"別紙!F30: 実施結果「たぶん」を解釈できません（選択肢: {choices}）",
    ]


def test_contradictory_number_and_text_is_refused(kanagawa_dir):
    path = edit(kanagawa_dir / "action-plan.xlsx", F5="① 実施中")
    assert rejected(path)[0].startswith("別紙!F5: 実施結果「① 実施中」を解釈できません")


def test_missing_result_on_a_plain_row(kanagawa_dir):
    path = edit(kanagawa_dir / "action-plan.xlsx", F63=None)
    assert rejected(path) == ["別紙!F63: 実施結果が空欄です"]


def test_missing_column(kanagawa_dir):
    path = kanagawa_dir / "action-plan.xlsx"
    wb = load_workbook(path)
    ws = wb["別紙"]
    ws.unmerge_cells("F3:F4")
    ws.delete_cols(6)
    wb.save(path)
    assert rejected(path) == ["別紙!3行目: 必須の列「取組の実施結果」がありません"]


def test_missing_column_in_csv(kanagawa_dir):
    path = kanagawa_dir / "initiatives.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([r[:5] + r[6:] for r in rows])
    assert rejected(path) == ["initiatives.csv:1行目: 必須の列「取組No」がありません"]


def test_bad_status_in_csv_names_line_and_column(kanagawa_dir):
    path = kanagawa_dir / "initiatives.csv"
    text = path.read_text(encoding="utf-8").replace(
        "生物多様性に関する情報サイトの整備,② 取組内容を実施中である", "生物多様性に関する情報サイトの整備,済"
    )
    path.write_text(text, encoding="utf-8")
    assert rejected(path)[0].startswith("initiatives.csv:11行目「取組の実施結果」: 実施結果「済」を解釈できません")


def test_formula_cells_are_refused(kanagawa_dir):
    path = edit(kanagawa_dir / "action-plan.xlsx", E5='=HYPERLINK("http://example.invalid","x")')
    assert rejected(path) == ["別紙!E5: 数式は受け付けません。値として貼り付けてから保存してください"]


def test_macro_enabled_extension(kanagawa_dir):
    path = kanagawa_dir / "action-plan.xlsm"
    shutil.copy(kanagawa_dir / "action-plan.xlsx", path)
    assert rejected(path) == [
        "action-plan.xlsm: マクロ有効ファイル（.xlsm）は受け付けません。マクロを含まない .xlsx で保存し直してください"
    ]


def add_parts(src: Path, dst: Path, parts: dict[str, bytes], content_types: str | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if content_types and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", content_types.encode() + b"</Types>")
            zout.writestr(item, data)
        for name, data in parts.items():
            zout.writestr(name, data)
    return dst


def test_vba_project_inside_xlsx(kanagawa_dir):
    path = add_parts(
        kanagawa_dir / "action-plan.xlsx",
        kanagawa_dir / "renamed.xlsx",
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0fake"},
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    assert rejected(path) == [
        "renamed.xlsx: マクロ（VBAプロジェクト vbaProject.bin）が含まれているため受け付けません",
        "renamed.xlsx: マクロ有効ブックの形式（application/vnd.ms-office.vbaProject）のため受け付けません",
    ]


def test_embedded_ole_and_external_link(kanagawa_dir):
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
        b'Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>'
    )
    path = add_parts(
        kanagawa_dir / "action-plan.xlsx",
        kanagawa_dir / "ole.xlsx",
        {"xl/embeddings/oleObject1.bin": b"x", "xl/externalLinks/_rels/externalLink1.xml.rels": rels},
    )
    assert rejected(path) == [
        "ole.xlsx: 埋め込みオブジェクト（OLE）が含まれているため受け付けません",
        "ole.xlsx: 外部ブックへのリンクが含まれているため受け付けません。リンクを解除して保存してください",
        "ole.xlsx:xl/externalLinks/_rels/externalLink1.xml.rels: 外部への参照（file:///C:/secret/other.xlsx）が含まれているため受け付けません",
    ]


def test_entity_expansion_is_refused(kanagawa_dir):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&lol2;</Relationships>'
    )
    path = add_parts(kanagawa_dir / "action-plan.xlsx", kanagawa_dir / "lol.xlsx", {"xl/_rels/extra.xml.rels": bomb})
    assert rejected(path) == ["lol.xlsx:xl/_rels/extra.xml.rels: XMLに DTD・エンティティ宣言が含まれているため受け付けません"]


def test_zip_bomb_is_refused(kanagawa_dir):
    path = add_parts(
        kanagawa_dir / "action-plan.xlsx", kanagawa_dir / "bomb.xlsx", {"xl/media/zeros.bin": b"\0" * (50 * 1024 * 1024)}
    )
    assert rejected(path) == ["bomb.xlsx: 圧縮率が異常に高い部品（xl/media/zeros.bin）があります（zip爆弾の疑い）"]


def test_encrypted_or_legacy_file(kanagawa_dir):
    path = kanagawa_dir / "locked.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)
    assert rejected(path) == [
        "locked.xlsx: 暗号化（パスワード保護）されたファイルか旧形式（.xls）のファイルです。保護を解除し .xlsx で保存してください"
    ]


def test_wrong_org_check_digit(kanagawa_dir):
    assert rejected(kanagawa_dir / "action-plan.xlsx", org_code="140008") == [
        "--org: 団体コード「140008」の検査数字が正しくありません（14000 の検査数字は 7）"
    ]


def test_problems_of_a_file_are_reported_together(kanagawa_dir):
    path = edit(kanagawa_dir / "action-plan.xlsx", F23="達成済", E40=None)
    messages = rejected(path, org_code="999999")
    assert messages[0].startswith("--org: 団体コード「999999」の検査数字が正しくありません")
    assert messages[1].startswith("別紙!F23: 実施結果「達成済」を解釈できません")
    assert messages[2] == "別紙!E40: 取組内容が空欄です"


def test_duplicate_import(kanagawa_dir):
    first = do_import(kanagawa_dir / "action-plan.xlsx").plan
    assert rejected(kanagawa_dir / "action-plan.xlsx") == [
        f"計画: 計画「電子化全開宣言行動計画（平成26年度～30年度）」は既に登録されています（ID {first.pk}）。二重に取り込むことはできません"
    ]


def test_cli_import_and_refusal(kanagawa_dir, capsys):
    operator()  # the imports act as --user tenken-setup
    call_command(
        "import_plan", str(kanagawa_dir / "action-plan.xlsx"), "--org", "140007", "--title", "電子化全開宣言行動計画",
        "--fiscal-years", "H26-H30", "--structure", str(kanagawa_dir / "items.csv"), "--user", OPERATOR,
    )
    out = capsys.readouterr().out
    assert "方針 3 / 取組項目 18" in out and "取組 100（ほかに見出し行 5）" in out
    assert "達成 60、実施中 35、変更 5" in out
    before = db_snapshot()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command(
            "import_plan", str(kanagawa_dir / "action-plan.xlsx"), "--org", "140007", "--title", "電子化全開宣言行動計画",
            "--fiscal-years", "2014-2018", "--user", OPERATOR,
        )
    assert "既に登録されています" in capsys.readouterr().err
    assert db_snapshot() == before
