"""The import wizard without a browser: who may use it, uploads kept as temporary files, the blank
template (instructions, scale drop-down, print setup) importing with its proposed mapping."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tenken.plans.models import ImportProfile, Initiative

from .fixtures.imports import build
from .personas import cast_for, small_plan
from .test_imports import proposed, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(settings, tmp_path):
    settings.STATE_DIR = tmp_path / "state"
    return cast_for(small_plan())


@pytest.mark.parametrize("who", ["suzuki", "takahashi", "ito", "watanabe", "nakamura"])
def test_only_the_ict_admin_may_import(client, cast, who):
    client.force_login(getattr(cast, who))
    if who == "nakamura":  # admin of 横浜市: may import for 横浜市, not for 神奈川県
        assert client.get("/plans/import/").status_code == 200
        f = SimpleUploadedFile("p.csv", "取組No,取組内容,取組の実施結果\n1,a,達成\n".encode())
        resp = client.post("/plans/import/", {"organization": cast.org.pk, "file": f})
        assert resp.status_code == 403
        return
    assert client.get("/plans/import/").status_code == 403
    assert client.get("/plans/import/template.xlsx").status_code == 403


def test_upload_is_a_temporary_file_and_tokens_are_per_session(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    f = SimpleUploadedFile("計画.csv", "No.,取組名,進捗状況\n1,取組A,完了\n2,取組B,遅れ\n".encode("cp932"))
    resp = client.post("/plans/import/", {"organization": cast.org.pk, "file": f})
    assert resp.status_code == 302 and resp.url.endswith("/mapping/")
    token = resp.url.split("/")[-3]
    stored = list((settings.STATE_DIR / "imports" / token).iterdir())
    assert sorted(p.name for p in stored) == ["name.txt", "source.csv"]
    page = client.get(resp.url).content.decode()
    assert "見出し「取組名」は「取組内容」の名前として登録されています" in page
    client.force_login(cast.ito)
    assert client.get(f"/plans/import/{token}/preview/").status_code == 404  # not this user's upload


def test_blank_template_has_instructions_validation_and_print_setup(client, cast, tmp_path):
    client.force_login(cast.sato)
    resp = client.get("/plans/import/template.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["記入方法", "取組一覧", "凡例"]
    ws = wb["取組一覧"]
    assert [dv.formula1 for dv in ws.data_validations.dataValidation] == ['"完了,順調,遅れ,未着手,変更,中止"']
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_filled_template_imports_with_its_proposed_mapping(tmp_path):
    path = build.filled_template(tmp_path / "filled.xlsx")
    assert proposed(path).policy_from == "column"
    outcome = run(path)
    assert Initiative.objects.filter(plan=outcome.plan).count() == 3
    assert outcome.preview.warnings == []
    assert not ImportProfile.objects.exists()
