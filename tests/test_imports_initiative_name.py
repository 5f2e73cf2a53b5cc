"""A plan keeping both a short name and a description per initiative (「取組名」+「取組概要」,
「事業名」+「事業内容」): ``--inspect`` proposes name → the name column and text → the content column, and
the import with that TOML unchanged keeps both. A sheet with only one of them keeps it as 取組内容."""

from __future__ import annotations

import pytest

from tenken.imports.fields import BY_KEY
from tenken.imports.inspect import inspect_file
from tenken.plans.models import Initiative

from .test_imports_other_hands import _workbook, inspect_then_import

pytestmark = pytest.mark.django_db


def _name_and_content(tmp_path, name_header: str = "取組名", content_header: str = "取組概要"):
    return _workbook(
        tmp_path / "取組一覧.xlsx",
        "取組",
        [
            ["No", name_header, content_header, "担当課", "進捗状況"],
            ["1", "電子申請の拡充", "申請手続をオンラインで受け付けられるようにする", "DX推進課", "完了"],
            ["2", "窓口キャッシュレス", "窓口で電子決済を使えるようにする", "税務課", "遅れ"],
            ["3", "RPAの導入", "定型業務を自動化する", "総務課", "順調"],
        ],
    )


def test_name_and_summary_columns_are_both_kept(tmp_path, capsys):
    toml, plan = inspect_then_import(_name_and_content(tmp_path), tmp_path, capsys)
    assert 'name = "B"' in toml and 'text = "C"' in toml, toml
    assert "既に割り当てた" not in toml, toml
    got = list(Initiative.objects.filter(plan=plan).order_by("order").values_list("number_label", "name", "text"))
    assert got == [
        ("1", "電子申請の拡充", "申請手続をオンラインで受け付けられるようにする"),
        ("2", "窓口キャッシュレス", "窓口で電子決済を使えるようにする"),
        ("3", "RPAの導入", "定型業務を自動化する"),
    ]


@pytest.mark.parametrize(("name_header", "content_header"), [
    ("取組名称", "取組内容"), ("事業名", "事業概要"), ("事業名", "事業内容"), ("取組・事業名", "具体的な取組"),
    ("事業名称", "概要"),
])
def test_other_name_and_content_headers_are_proposed_as_name_and_text(tmp_path, name_header, content_header):
    mapping = inspect_file(_name_and_content(tmp_path, name_header, content_header)).mapping
    (sheet,) = mapping.sheets
    assert sheet.columns.get("name") == "B" and sheet.columns.get("text") == "C", sheet.columns
    assert "取組名" in sheet.column_reasons["name"] and "取組内容" in sheet.column_reasons["text"]


def test_content_column_left_of_the_name_column(tmp_path):
    path = _workbook(tmp_path / "逆.xlsx", "取組", [
        ["No", "取組内容", "取組名", "担当課", "進捗状況"],
        ["1", "申請手続をオンライン化する", "電子申請", "DX推進課", "完了"],
        ["2", "窓口で電子決済を使えるようにする", "キャッシュレス", "税務課", "遅れ"],
    ])
    (sheet,) = inspect_file(path).mapping.sheets
    assert sheet.columns.get("name") == "C" and sheet.columns.get("text") == "B", sheet.columns


def test_only_a_name_column_stays_the_text(tmp_path, capsys):
    path = _workbook(tmp_path / "取組名だけ.xlsx", "取組", [
        ["No", "取組名", "担当課", "進捗状況"],
        ["1", "電子申請の拡充", "DX推進課", "完了"],
        ["2", "窓口キャッシュレス", "税務課", "遅れ"],
    ])
    toml, plan = inspect_then_import(path, tmp_path, capsys)
    assert 'text = "B"' in toml and "name = " not in toml.split("[[scale]]")[0].split("[sheets.columns]")[1], toml
    got = list(Initiative.objects.filter(plan=plan).order_by("order").values_list("name", "text"))
    assert got == [("", "電子申請の拡充"), ("", "窓口キャッシュレス")]


def test_an_over_long_name_is_reported_at_its_cell(tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    limit = BY_KEY["name"].max_length
    assert limit == Initiative._meta.get_field("name").max_length
    path = _workbook(tmp_path / "長い.xlsx", "取組", [
        ["No", "取組名", "取組概要", "担当課", "進捗状況"],
        ["1", "名" * (limit + 1), "内容", "DX推進課", "完了"],
        ["2", "短い名前", "内容2", "税務課", "遅れ"],
    ])
    call_command("import_plan", str(path), "--inspect")
    mapping = tmp_path / "m.toml"
    mapping.write_text(capsys.readouterr().out, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_plan", str(path), "--mapping", str(mapping), "--org", "140007", "--title", "計画",
                     "--fiscal-years", "R4-R8")
    assert f"取組!B2: 取組名が{limit}文字を超えています" in str(exc.value) + capsys.readouterr().err
    assert not Initiative.objects.exists()
