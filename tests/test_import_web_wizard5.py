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
from tenken.reviews.models import InitiativeReview

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


def row_years(path: Path) -> Path:
    """One row per initiative and year (年度 column)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "年度", "進捗状況"])
    for r in (("1", "電子申請", "R4", "順調"), ("1", "電子申請", "R5", "完了"),
              ("2", "研修", "R4", "遅れ"), ("2", "研修", "R5", "順調")):
        ws.append(list(r))
    wb.save(path)
    return path


def test_the_year_column_can_be_chosen_and_unchosen(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    path = row_years(tmp_path / "進捗.xlsx")
    token, _ = upload(client, cast, path)
    got, page = round_trip(client, settings, token)
    assert '<option value="fiscal_year" selected>' in _select(page, "s0-col-C")
    assert got.sheets[0].columns["fiscal_year"] == "C" and same(got, inspect_file(path).mapping)
    # Unchosen, the single result column's kind is asked: the question is on the page to answer.
    data = form_of(client.get(f"/plans/import/{token}/mapping/").content.decode()) | {"s0-col-C": ""}
    resp = client.post(f"/plans/import/{token}/mapping/", data)
    page = resp.content.decode()
    assert resp.status_code == 200 and "単一の実施結果列" in page and 'id="result-kind"' in page
    resp = client.post(f"/plans/import/{token}/mapping/", data | {"result": "final"})
    assert resp.status_code == 302 and "fiscal_year" not in stored(settings, token).sheets[0].columns
    page = client.get(f"/plans/import/{token}/mapping/").content.decode()
    assert '<option value="fiscal_year" selected>' not in _select(page, "s0-col-C")
    assert 'id="result-final" checked' in page or 'value="final" id="result-final" checked' in page
    got, _ = round_trip(client, settings, token, **{"s0-col-C": "fiscal_year"})
    assert got.sheets[0].columns["fiscal_year"] == "C"
    resp = client.post(f"/plans/import/{token}/import/", {"title": "年度別", "fiscal_years": "R4-R8"})
    assert resp.status_code == 200, resp.content.decode()


def test_footer_example_and_empty_form_rows_are_listed_as_skipped_in_the_preview(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    token, _ = upload(client, cast, named_flagged(tmp_path / "計画.xlsx"))
    round_trip(client, settings, token, result="final")
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    skipped = page.split("読み飛ばした行", 1)[1].split("</details>", 1)[0]
    for label, text in (("記入例・記入方法", "（記入例）○○の推進"), ("作成者・問い合わせ先などの行", "作成者: 情報政策課 山田"),
                        ("作成者・問い合わせ先などの行", "以上"), ("様式の空き行", "5")):
        assert label in skipped and text in skipped
    assert 'id="problems"' not in page


def progress_rate(path: Path, *, fractions: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "進捗率"])
    for r in (("1", "電子申請", 1 if fractions else "100%"), ("2", "研修", 0.5 if fractions else "50%"),
              ("3", "外部人材", 0 if fractions else "0%")):
        ws.append(list(r))
    wb.save(path)
    return path


def dashed(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "進捗状況"])
    for r in (("1", "電子申請", "完了"), ("2", "研修", "遅れ"), ("3", "外部人材", "－")):
        ws.append(list(r))
    wb.save(path)
    return path


def _scale_rows(data: dict[str, str]) -> dict[str, str]:
    """``{shown label: form prefix}`` of the scale rows."""
    return {v: k.removesuffix("-label") for k, v in data.items() if k.startswith("scale") and k.endswith("-label")}


@pytest.mark.parametrize("fractions", [False, True])
def test_a_progress_rate_scale_imports_through_the_form(client, cast, settings, tmp_path, fractions):
    client.force_login(cast.sato)
    path = progress_rate(tmp_path / "進捗率.xlsx", fractions=fractions)
    token, _ = upload(client, cast, path)
    got, page = round_trip(client, settings, token, result="final")
    assert set(_scale_rows(form_of(page))) == {"完了", "実施中", "未着手"}
    assert same(got, inspect_file(path).mapping)
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    assert 'id="problems"' not in page, page.split('id="problems"', 1)[1][:1500]
    resp = client.post(f"/plans/import/{token}/import/", {"title": "進捗率", "fiscal_years": "R4-R8"})
    assert resp.status_code == 200, resp.content.decode()
    got = {r.initiative.text: r.status.category
           for r in InitiativeReview.objects.filter(initiative__plan__title="進捗率").select_related("initiative", "status")}
    assert got == {"電子申請": "done", "研修": "in_progress", "外部人材": "not_started"}


def test_a_dash_is_asked_and_answered_in_the_scale_form(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    token, _ = upload(client, cast, dashed(tmp_path / "進捗.xlsx"))
    data = form_of(client.get(f"/plans/import/{token}/mapping/").content.decode()) | {"result": "final"}
    dash = _scale_rows(data)["－"]
    assert data[f"{dash}-category"] == ""
    assert client.post(f"/plans/import/{token}/mapping/", data).status_code == 302
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    assert 'id="problems"' in page and "進捗!C4" in page and 'id="import-form"' not in page
    data |= {f"{dash}-category": "cancelled", f"{dash}-label": "対象外", f"{dash}-reason": ""}
    assert client.post(f"/plans/import/{token}/mapping/", data).status_code == 302
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    assert 'id="problems"' not in page, page.split('id="problems"', 1)[1][:1500]
    resp = client.post(f"/plans/import/{token}/import/", {"title": "ダッシュ", "fiscal_years": "R4-R8"})
    assert resp.status_code == 200, resp.content.decode()
    one = InitiativeReview.objects.select_related("status").get(initiative__plan__title="ダッシュ",
                                                                initiative__text="外部人材")
    assert one.status.category == "cancelled" and one.status.label == "対象外"


def test_the_downloaded_mapping_uploaded_back_gives_the_same_preview(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    token, _ = upload(client, cast, named_flagged(tmp_path / "計画.xlsx"))
    round_trip(client, settings, token, result="final", **{"s0-label-x": None})
    before = client.get(f"/plans/import/{token}/preview/").content.decode()
    text = b"".join(client.get(f"/plans/import/{token}/mapping.toml").streaming_content
                    if False else [client.get(f"/plans/import/{token}/mapping.toml").content])
    assert text.decode("utf-8").startswith("# tenken")
    (settings.STATE_DIR / "imports" / token / "mapping.toml").unlink()
    resp = client.post(f"/plans/import/{token}/mapping/",
                       {"mapping_file": SimpleUploadedFile("対応表.toml", text, content_type="application/toml")})
    assert resp.status_code == 302
    after = client.get(f"/plans/import/{token}/preview/").content.decode()
    body = lambda p: p.split("<h1>", 1)[1].split('id="replace-form"', 1)[0]  # noqa: E731
    assert body(before) == body(after)


def test_next_year_imports_with_the_saved_profile_without_a_question(client, cast, settings, tmp_path):
    """Same layout, one more initiative and a status 「中止」 new to the file, listed in its legend."""
    client.force_login(cast.sato)
    token, _ = upload(client, cast, named_flagged(tmp_path / "R5.xlsx"))
    round_trip(client, settings, token, result="final")
    assert client.post(f"/plans/import/{token}/import/", {"title": "R5", "fiscal_years": "R4-R8"}).status_code == 200
    token, url = upload(client, cast, named_flagged(tmp_path / "R6.xlsx", extra=True))
    assert url.endswith("/preview/")
    page = client.get(url).content.decode()
    assert 'id="problems"' not in page, page.split('id="problems"', 1)[1][:1500]
    assert "凡例にある実施結果「中止」を区分「中止・廃止」として尺度に加えました" in page
    resp = client.post(f"/plans/import/{token}/import/", {"title": "R6", "fiscal_years": "R4-R8"})
    assert resp.status_code == 200, resp.content.decode()[:3000]
    plan = Plan.objects.get(title="R6")
    assert Initiative.objects.filter(plan=plan, text="デジタル職を採用する").exists()
    assert [e.value for e in from_toml(ImportProfile.objects.get(organization=cast.org).mapping_toml).scale][-1] == "中止"


def test_a_new_value_without_a_legend_is_still_a_located_problem_next_year(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    token, _ = upload(client, cast, dashed(tmp_path / "R5.xlsx"))
    data = form_of(client.get(f"/plans/import/{token}/mapping/").content.decode()) | {"result": "final"}
    data[f"{_scale_rows(data)['－']}-category"] = "cancelled"
    assert client.post(f"/plans/import/{token}/mapping/", data).status_code == 302
    assert client.post(f"/plans/import/{token}/import/", {"title": "R5", "fiscal_years": "R4-R8"}).status_code == 200
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "進捗状況"])
    ws.append(["1", "電子申請", "完了"])
    ws.append(["2", "研修", "ぼちぼち"])
    wb.save(tmp_path / "R6.xlsx")
    token, url = upload(client, cast, tmp_path / "R6.xlsx")
    page = client.get(url).content.decode()
    assert "進捗!C3" in page.split('id="problems"', 1)[1] and "尺度に加えました" not in page


def _nothing_written():
    return (Plan.objects.filter(title="誤り").count(), ImportProfile.objects.count())


def test_an_over_long_field_is_a_located_message_and_nothing_is_written(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    path = named_flagged(tmp_path / "計画.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["C5"] = "名" * 201  # 取組名: 200 characters at most
    wb.save(path)
    token, _ = upload(client, cast, path)
    round_trip(client, settings, token, result="final")
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    problems = page.split('id="problems"', 1)[1].split("</ul>", 1)[0]
    assert "取組一覧!C5" in problems and "200文字" in problems, problems
    resp = client.post(f"/plans/import/{token}/import/", {"title": "誤り", "fiscal_years": "R4-R8"})
    assert resp.status_code == 400 and "取組一覧!C5" in resp.content.decode()
    assert _nothing_written() == (0, 0)


def test_a_formula_cell_is_a_located_message_and_nothing_is_written(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    path = named_flagged(tmp_path / "計画.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["G6"] = '=IF(1=1,"遅れ","完了")'
    wb.save(path)
    token, _ = upload(client, cast, path)
    round_trip(client, settings, token, result="final")
    page = client.get(f"/plans/import/{token}/preview/").content.decode()
    problems = page.split('id="problems"', 1)[1].split("</ul>", 1)[0]
    assert "取組一覧!G6" in problems and "数式" in problems, problems
    resp = client.post(f"/plans/import/{token}/import/", {"title": "誤り", "fiscal_years": "R4-R8"})
    assert resp.status_code == 400 and "取組一覧!G6" in resp.content.decode()
    assert _nothing_written() == (0, 0)


def test_an_xlsm_is_refused_on_the_page_in_japanese(client, cast, settings, tmp_path):
    client.force_login(cast.sato)
    path = named_flagged(tmp_path / "計画.xlsx")
    resp = client.post("/plans/import/", {"organization": cast.org.pk,
                                          "file": SimpleUploadedFile("計画.xlsm", path.read_bytes())})
    page = resp.content.decode()
    assert resp.status_code == 200 and "計画.xlsm" in page and "対応していない形式（.xlsm）" in page
    assert not (settings.STATE_DIR / "imports").exists() or not any((settings.STATE_DIR / "imports").iterdir())
    assert _nothing_written() == (0, 0)


def test_an_unchanged_form_keeps_what_the_uploaded_mapping_said(client, cast, settings, tmp_path):
    """A mapping uploaded (or the saved profile) with skip_rows, a sheet's policy and a status no cell uses yet:
    「対応表を直す」 and the form sent unchanged keeps them all."""
    client.force_login(cast.sato)
    path = named_flagged(tmp_path / "計画.xlsx")
    token, _ = upload(client, cast, path)
    m = from_toml(to_toml(inspect_file(path).mapping))
    m.sheets[0].skip_rows = [8]
    m.scale[0].aliases = ["済"]
    from tenken.imports.scale import ScaleEntry

    m.scale.append(ScaleEntry("中止", "中止", "cancelled", True))
    resp = client.post(f"/plans/import/{token}/mapping/",
                       {"mapping_file": SimpleUploadedFile("対応表.toml", to_toml(m).encode())})
    assert resp.status_code == 302
    got, _ = round_trip(client, settings, token, result="final")
    assert got.sheets == from_toml(to_toml(m)).sheets
    assert got.scale == from_toml(to_toml(m)).scale
    assert same(got, m)


def test_block_headings_on_two_levels_go_through_the_form(client, cast, settings, tmp_path):
    """「第1章 …」 merged across the table over 「1-1 …」 measure rows: the form lists both kinds of heading rows, the
    unchanged form gives the CLI's proposal, and the import builds chapters over measures."""
    from tenken.plans.models import Section

    path = tmp_path / "章.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "進捗"
    ws.append(["No.", "取組名", "担当課", "進捗状況"])
    rows = [["第1章 行政のデジタル化"], ["1-1 手続のオンライン化"], ["1", "電子申請", "企画課", "完了"],
            ["1-2 窓口改革"], ["2", "書かない窓口", "市民課", "遅れ"],
            ["第2章 地域のデジタル化"], ["2-1 デジタルデバイド対策"], ["3", "スマホ教室", "地域課", "未着手"]]
    for r, row in enumerate(rows, start=2):
        ws.append(row)
        if row[0].startswith("第"):
            ws.merge_cells(f"A{r}:D{r}")
    wb.save(path)
    client.force_login(cast.sato)
    token, _ = upload(client, cast, path)
    got, page = round_trip(client, settings, token, result="final")
    assert "方針の見出し（結合セル）" in page and "施策の見出し" in page
    assert same(got, inspect_file(path).mapping)
    resp = client.post(f"/plans/import/{token}/import/", {"title": "章", "fiscal_years": "R4-R8"})
    assert resp.status_code == 200, resp.content.decode()
    plan = Plan.objects.get(title="章")
    assert list(Section.objects.filter(plan=plan, depth=1).order_by("order").values_list("code", flat=True)) == [
        "1-1", "1-2", "2-1"]


BUILDERS = ["multi_sheet", "three_row_header", "cp932_legacy", "numeric_scale", "yearly_r1_r4", "dated_labels",
            "wizard_book", "city_dx_progress", "city_status_and_actuals", "numbered_outline", "year_group_header",
            "example_sheet_and_side_legend", "stacked_tables", "sheet_per_year", "town_cp932_csv", "merged_policy",
            "filled_template"]


@pytest.mark.parametrize("builder", BUILDERS)
def test_an_unchanged_form_gives_the_cli_proposal(client, cast, settings, tmp_path, builder):
    """Every fixture plan file: the form sent as shown (the result kind answered as the CLI proposes it) is the
    mapping ``import-plan --inspect`` prints."""
    from .fixtures.imports import build

    fn = getattr(build, builder)
    suffix = ".csv" if "csv" in builder or builder == "cp932_legacy" else ".xlsx"
    path = fn(tmp_path / f"plan{suffix}")
    cli = from_toml(to_toml(inspect_file(path).mapping))
    client.force_login(cast.sato)
    token, _ = upload(client, cast, path)
    got, _ = round_trip(client, settings, token, result=cli.result,
                        result_year=str(cli.result_year) if cli.result_year else None)
    if cli.result_year is None:
        got.result_year = None
    assert got.sheets == cli.sheets
    assert got.scale == cli.scale
    assert same(got, cli)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_name_flag_footer_and_next_years_legend(live_server, monkeypatch, tmp_path, settings):
    """佐藤 in a browser: 取組名 + 取組概要 and the 重点 flag proposed and kept, the footer and 記入例 rows skipped in
    the preview with their labels, next year's legend status added without a question."""
    from .personas import PASSWORD
    from .test_import_wizard_browser import CHROMIUM, shoot

    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.STATE_DIR = tmp_path / "state"
    cast = cast_for(small_plan())
    cast.sato.set_password(PASSWORD)
    cast.sato.save()
    first = named_flagged(tmp_path / "R5取組.xlsx")
    second = named_flagged(tmp_path / "R6取組.xlsx", extra=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_page(locale="ja-JP", viewport={"width": 1366, "height": 900})
            page.goto(f"{live_server.url}/plans/import/")
            page.fill("#id_username", "sato")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            page.goto(f"{live_server.url}/plans/import/")
            page.set_input_files("#id_file", str(first))
            page.click("#upload")
            expect(page.locator("h1")).to_have_text("対応表の確認")
            assert page.input_value("#s0-col-C") == "name"
            assert page.input_value("#s0-col-D") == "text"
            assert page.input_value("#s0-col-E") == "flag"
            shoot(page, "wizard5-mapping")
            page.check("#result-final")
            page.click("#save-mapping")
            expect(page.locator("h1")).to_have_text("取込内容の確認")
            expect(page.locator("#problems")).to_have_count(0)
            page.click("summary:has-text('読み飛ばした行')")
            expect(page.locator("details")).to_contain_text("作成者・問い合わせ先などの行")
            expect(page.locator("details")).to_contain_text("記入例・記入方法")
            page.fill("#id_title", "DX推進計画")
            page.fill("#id_fiscal_years", "R5-R9")
            shoot(page, "wizard5-preview")
            page.click("#do-import")
            expect(page.locator("#done")).to_contain_text("取組 4 件")

            page.goto(f"{live_server.url}/plans/import/")
            page.set_input_files("#id_file", str(second))
            page.click("#upload")
            expect(page.locator("h1")).to_have_text("取込内容の確認")
            expect(page.locator(".msg.info").last).to_contain_text("凡例にある実施結果「中止」")
            expect(page.locator("#problems")).to_have_count(0)
            shoot(page, "wizard5-next-year")
            page.fill("#id_title", "DX推進計画 R6")
            page.fill("#id_fiscal_years", "R5-R9")
            page.click("#do-import")
            expect(page.locator("#done")).to_contain_text("取組 5 件")
        finally:
            browser.close()
    one = Initiative.objects.get(plan__title="DX推進計画 R6", name="電子申請")
    assert "重点: ○" in one.note
