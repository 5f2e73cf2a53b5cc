"""The web wizard on files using the newer importer features (取組名, 年度 rows, flags, footer / example rows,
進捗率 scales, dashes): what the ICT admin sees, an unchanged form gives the CLI's proposal, and the saved
profile is reused next year without questions."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tenken.imports.inspect import inspect_file
from tenken.imports.mapping import from_toml, to_toml
from tenken.plans.models import ImportProfile, Initiative, Plan

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(settings, tmp_path):
    settings.STATE_DIR = tmp_path / "state"
    return cast_for(small_plan())


class _Form(HTMLParser):
    """The fields of the form ``form_id`` as a browser would submit them unchanged."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.select, self.data = form_id, False, None, {}
        self.first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "on")
            else:
                self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
                self.data.setdefault(self.select, self.first_option)
            if "selected" in a:
                self.data[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form":
            self.inside = False


def form_of(page: str, form_id: str = "mapping-form") -> dict[str, str]:
    p = _Form(form_id)
    p.feed(page)
    return p.data


def upload(client, cast, path: Path):
    with open(path, "rb") as fh:
        resp = client.post("/plans/import/", {"organization": cast.org.pk,
                                              "file": SimpleUploadedFile(path.name, fh.read())})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return resp.url.split("/")[-3], resp.url


def stored(settings, token: str):
    return from_toml((settings.STATE_DIR / "imports" / token / "mapping.toml").read_text(encoding="utf-8"))


def same(a, b) -> bool:
    """Two mappings alike once written (comments and the order of the columns aside)."""
    return from_toml(to_toml(a)) == from_toml(to_toml(b))


def round_trip(client, settings, token: str, **changes):
    page = client.get(f"/plans/import/{token}/mapping/").content.decode()
    data = form_of(page) | changes
    data = {k: v for k, v in data.items() if v is not None}
    resp = client.post(f"/plans/import/{token}/mapping/", data)
    assert resp.status_code == 302, resp.content.decode()
    return stored(settings, token), page


# --- files --------------------------------------------------------------------------------------

def named_flagged(path: Path, *, extra: bool = False) -> Path:
    """取組名 + 取組概要, a 重点 flag column, a legend, a 作成者 footer and a 記入例 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "取組一覧"
    ws.append(["DX推進計画 取組一覧"])
    ws.append(["凡例: 完了 / 順調 / 遅れ / 未着手" + (" / 中止" if extra else "")])
    ws.append(["No.", "施策", "取組名", "取組概要", "重点", "担当課", "進捗状況"])
    ws.append(["例", "（記入例）施策名", "（記入例）○○の推進", "○○を進める", "○", "○○課", "順調"])
    rows = [("1", "行政手続", "電子申請", "申請をオンライン化する", "○", "情報政策課", "完了"),
            ("2", "行政手続", "キャッシュレス", "窓口の支払いを電子化する", "", "会計課", "遅れ"),
            ("3", "人材", "研修", "全職員に研修を行う", "○", "人事課", "順調"),
            ("4", "人材", "外部人材", "CIO補佐官を置く", "", "人事課", "未着手")]
    if extra:
        rows.append(("5", "人材", "採用", "デジタル職を採用する", "○", "人事課", "中止"))
    for r in rows:
        ws.append(list(r))
    ws.append(["5" if not extra else "6"])
    ws.append([])
    ws.append(["作成者: 情報政策課 山田"])
    ws.append(["以上"])
    wb.save(path)
    return path


def _select(page: str, name: str) -> str:
    return page.split(f'id="{name}"', 1)[1].split("</select>", 1)[0]


def test_name_and_flag_columns_are_shown_editable_and_survive_the_form(client, cast, settings, tmp_path):
    """取組名 (C) + 取組概要 (D) and a 重点 flag column (E): the unchanged form gives the CLI's --inspect mapping, the
    flag column is offered as a flag and can be unchosen, and the import saves the name and flag in the profile."""
    client.force_login(cast.sato)
    path = named_flagged(tmp_path / "計画.xlsx")
    token, _ = upload(client, cast, path)
    got, page = round_trip(client, settings, token, result="final")
    assert '<option value="name" selected>' in _select(page, "s0-col-C")
    assert '<option value="flag" selected>' in _select(page, "s0-col-E")
    cli = from_toml(to_toml(inspect_file(path).mapping))
    assert same(got, cli)
    assert got.sheets[0].flags == ["E"] and got.sheets[0].columns["name"] == "C"
    # unchosen: no flag; chosen again: the flag
    got2, _ = round_trip(client, settings, token, result="final", **{"s0-col-E": ""})
    assert got2.sheets[0].flags == []
    got3, _ = round_trip(client, settings, token, result="final", **{"s0-col-E": "flag"})
    assert got3.sheets[0].flags == ["E"]
    page3 = client.get(f"/plans/import/{token}/mapping/").content.decode()
    assert '<option value="flag" selected>' in _select(page3, "s0-col-E")
    resp = client.post(f"/plans/import/{token}/import/", {"title": "DX推進計画", "fiscal_years": "R4-R8"})
    assert resp.status_code == 200, resp.content.decode()
    profile = from_toml(ImportProfile.objects.get(organization=cast.org).mapping_toml)
    assert profile.sheets[0].flags == ["E"] and profile.sheets[0].columns["name"] == "C"
    plan = Plan.objects.get(title="DX推進計画", organization=cast.org)
    one = Initiative.objects.get(plan=plan, text__contains="オンライン化")
    assert one.name == "電子申請" and "重点: ○" in one.note
