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


def test_the_wizard_offers_the_name_and_proposes_it_beside_a_content_column(client, cast):
    """「取組名」+「取組概要」: the column choices hold 取組名, chosen for B, 取組内容 for C; the preview keeps both."""
    client.force_login(cast.sato)
    f = SimpleUploadedFile("計画.csv", "No.,取組名,取組概要,進捗状況\n1,電子申請,申請をオンライン化する,完了\n"
                                       "2,RPA,定型業務を自動化する,遅れ\n".encode("cp932"))
    resp = client.post("/plans/import/", {"organization": cast.org.pk, "file": f})
    page = client.get(resp.url).content.decode()
    assert '<option value="name" selected>取組名</option>' in page.split('id="s0-col-B"', 1)[1].split("</select>", 1)[0]
    assert '<option value="text" selected>取組内容</option>' in page.split('id="s0-col-C"', 1)[1].split("</select>", 1)[0]
    assert '<option value="name" >取組名</option>' in page.split('id="s0-col-D"', 1)[1].split("</select>", 1)[0]


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


def _form_values(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser submits for the form ``id=form_id``: text inputs, checked boxes and radios, each select's
    selected option (or its first)."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.values, self.select, self.options = False, [], None, []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = a.get("id") == form_id
            elif not self.inside:
                return
            elif tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                self.values.append((a["name"], a.get("value") or ""))
            elif tag == "select":
                self.select, self.options = a["name"], []
            elif tag == "option" and self.select:
                self.options.append((a.get("value") or "", "selected" in a))

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select" and self.select:
                chosen = next((v for v, sel in self.options if sel), self.options[0][0] if self.options else "")
                self.values.append((self.select, chosen))
                self.select = None

    parser = Form()
    parser.feed(html)
    return parser.values


def test_a_sheet_per_year_workbook_through_the_wizard(client, cast, tmp_path):
    """佐藤 uploads a workbook kept one sheet per fiscal year: the mapping page proposes each sheet's year, the
    form sent back as it is keeps them, and the plan has three initiatives with two annual results."""
    from tenken.reviews.models import InitiativeReview

    client.force_login(cast.sato)
    path = build.sheet_per_year(tmp_path / "進捗.xlsx")
    with open(path, "rb") as fh:
        res = client.post("/plans/import/", {"organization": cast.org.pk, "file": fh})
    assert res.status_code == 302 and res["Location"].endswith("/mapping/")
    page = client.get(res["Location"]).content.decode()
    assert 'id="s0-fiscal_year" value="2022"' in page and 'id="s1-fiscal_year" value="2023"' in page
    values = _form_values(page, "mapping-form")
    assert ("s0-fiscal_year", "2022") in values
    preview = client.post(res["Location"], dict(values))
    assert preview.status_code == 302 and preview["Location"].endswith("/preview/"), preview.content.decode()[:3000]
    token = preview["Location"].rstrip("/").split("/")[-2]
    shown = client.get(preview["Location"]).content.decode()
    assert 'id="import-form"' in shown, shown[shown.find("<main"):][:3000]
    done = client.post(f"/plans/import/{token}/import/", {"title": "年度別シートの計画", "fiscal_years": "R4-R8"})
    assert done.status_code == 200, done.content.decode()[:3000]
    plan = cast.org.plans.get(title="年度別シートの計画")
    assert Initiative.objects.filter(plan=plan, is_heading=False).count() == 3
    assert sorted(InitiativeReview.objects.filter(inspection__plan=plan).values_list("fiscal_year", flat=True)) == \
        [2022, 2022, 2022, 2023, 2023, 2023]
