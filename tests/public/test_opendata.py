"""Open-data files: Frictionless-valid, machine-readable, formula-safe, CP932 variant, DCAT, CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import validate
from openpyxl import load_workbook

from tenken.opendata.dcat import dataset_jsonld
from tenken.opendata.formats import csv_cp932, csv_utf8, json_bytes, xlsx_bytes
from tenken.opendata.package import LICENSE_URI, plan_filenames, plan_files
from tenken.opendata.sanitize import REPLACEMENT, cp932_lossy_chars, neutralize, to_cp932
from tenken.opendata.tables import REVIEW_FIELDS, Table

from .conftest import add_review, publish

pytestmark = pytest.mark.django_db

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


@pytest.fixture
def exported(world, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    call_command("opendata", "export", "--plan", str(world.plan.pk), "-o", str(out),
                 "--base-url", "https://example.jp/opendata/", stdout=io.StringIO())
    return out


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_command_writes_every_file_and_a_valid_datapackage(exported: Path, world):
    names = {p.name for p in exported.iterdir()}
    assert names == set(plan_filenames(plan=world.plan)) | {"dcat.jsonld"}
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in descriptor["resources"]}
    assert described == names - {"datapackage.json", "dcat.jsonld"}
    assert descriptor["licenses"][0]["path"] == LICENSE_URI
    report = validate(exported / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]


def test_tables_follow_the_machine_readable_rules(exported: Path):
    initiatives = read_csv(exported / "initiatives.csv")
    assert len(initiatives) == 105  # 100 countable + 5 headings, one row each
    first = initiatives[0]
    assert first["全国地方公共団体コード"] == "140007" and first["地方公共団体名"] == "神奈川県"
    assert {r["最新の実施結果"] for r in initiatives if r["見出し行"] == "false"} == {"達成", "実施中", "変更"}
    reviews = read_csv(exported / "reviews.csv")
    final = [r for r in reviews if r["対象年度"] == "2018"]
    assert final[0]["時点"] == "2019-03-31" and final[0]["時点（和暦）"] == "平成31年3月31日"
    assert final[0]["対象年度（和暦）"] == "平成30年度"
    # one datum per cell: departments are a link table, one row per department
    links = read_csv(exported / "initiative_departments.csv")
    assert all("、" not in r["担当所属"] for r in links)
    assert len(links) == 101  # 100 countable rows + a second department on the first one
    # units in the header; counts are integers in the xlsx, not text
    counts = read_csv(exported / "status_counts.csv")
    assert "取組数（件）" in counts[0]
    ws = load_workbook(exported / "status_counts.xlsx").active
    header = [c.value for c in ws[1]]
    assert ws.max_row == len(counts) + 1 and not ws.merged_cells.ranges
    assert isinstance(ws.cell(row=2, column=header.index("取組数（件）") + 1).value, int)
    total_changed = sum(int(r["取組数（件）"]) for r in counts
                        if r["階層"] == "方針" and r["実施結果"] == "変更" and r["対象年度"] == "2018")
    assert total_changed == 5


def test_cells_that_look_like_formulas_are_neutralised(world):
    initiative = world.plan.initiatives.filter(is_heading=False).order_by("order").first()
    r = add_review(world.annual, world.plan.initiatives.filter(is_heading=False).order_by("-order").first(),
                   status="changed", approval="approved", change_reason=HOSTILE[0], outcome=HOSTILE[1], issues=HOSTILE[2])
    assert r.pk
    publish(world.annual, world.publisher)
    files = plan_files(plan=world.plan)
    rows = list(csv.DictReader(io.StringIO(files["reviews.csv"].decode("utf-8"))))
    row = next(x for x in rows if x["点検ID"] == str(world.annual.pk) and x["実施結果"] == "変更")
    assert row["変更の理由"] == "'" + HOSTILE[0]
    assert row["成果"] == "'+SUM(A1)" and row["課題"] == "'-2+3"
    data = json.loads(files["reviews.json"])
    assert any(d["変更の理由"] == "'" + HOSTILE[0] for d in data)
    ws = load_workbook(io.BytesIO(files["reviews.xlsx"])).active
    values = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in values)
    assert any(c.value == "'" + HOSTILE[0] for c in values)
    assert initiative  # the plain rows are untouched:
    assert all(not v.startswith(("=", "+", "@")) for x in rows for v in x.values())


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralize_prefixes_every_dangerous_start(value):
    assert neutralize(value) == "'" + value
    assert neutralize("取組を実施") == "取組を実施"
    assert neutralize(-3) == -3 and neutralize(None) is None


def test_every_format_neutralises_the_same_cell():
    table = Table("t", "表", "", REVIEW_FIELDS[:5], rows=[{REVIEW_FIELDS[3].name: v} for v in HOSTILE])
    text = csv_utf8(table).decode()
    for v in HOSTILE:
        assert ("'" + v) in text or ("'" + v).replace('"', '""') in text
    assert all(v.startswith("'") for v in [d[REVIEW_FIELDS[3].name] for d in json.loads(json_bytes(table))])
    ws = load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert all(str(ws.cell(row=i + 2, column=4).value).startswith("'") for i in range(len(HOSTILE)))
    assert csv_cp932(table).decode("cp932").count("'") >= len(HOSTILE)


def test_cp932_variant_replaces_what_cp932_cannot_hold(world):
    assert to_cp932("波〜線").decode("cp932") == "波～線"  # WAVE DASH mapped to its CP932 look-alike
    assert to_cp932("−1").decode("cp932") == "－1"
    assert to_cp932("𠮷野家😀").decode("cp932") == f"{REPLACEMENT}野家{REPLACEMENT}"
    assert cp932_lossy_chars("𠮷野家") == {"𠮷"}
    initiative = world.plan.initiatives.filter(is_heading=False).order_by("order").first()
    add_review(world.annual, world.plan.initiatives.filter(is_heading=False).order_by("-order")[1],
               status="achieved", approval="approved", outcome="𠮷田さんの報告〜完了")
    publish(world.annual, world.publisher)
    files = plan_files(plan=world.plan)
    utf8 = files["reviews.csv"].decode("utf-8")
    sjis = files["reviews_cp932.csv"].decode("cp932")
    assert "𠮷田さんの報告〜完了" in utf8
    assert f"{REPLACEMENT}田さんの報告～完了" in sjis
    assert len(utf8.splitlines()) == len(sjis.splitlines())
    assert initiative.text.replace("〜", "～") in files["initiatives_cp932.csv"].decode("cp932")


def test_dcat_catalogue_describes_every_distribution(client, world):
    body = client.get("/public/catalog.jsonld")
    assert body["Content-Type"].startswith("application/ld+json")
    catalog = body.json()
    assert catalog["@type"] == "dcat:Catalog"
    dataset = catalog["dcat:dataset"][0]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["dct:publisher"] == {
        "@type": "foaf:Organization", "foaf:name": "神奈川県", "dct:identifier": "140007"
    }
    urls = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]]
    assert all(d["@type"] == "dcat:Distribution" and d["dcat:mediaType"] for d in dataset["dcat:distribution"])
    for url in urls:
        path = url.removeprefix("http://testserver")
        assert client.get(path).status_code == 200, path
    assert len(urls) == len(plan_filenames(plan=world.plan))
    standalone = dataset_jsonld(plan=world.plan, base_url="", filenames=["reviews.csv"])
    assert standalone["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"


def test_download_page_states_the_licence_and_lists_files(client, world):
    html = client.get(f"/public/plans/{world.plan.pk}/data/").content.decode()
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    for name in plan_filenames(plan=world.plan):
        assert name in html
    response = client.get(f"/public/plans/{world.plan.pk}/data/reviews_cp932.csv")
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/public/plans/{world.plan.pk}/data/../../etc/passwd").status_code == 404
    assert client.get(f"/public/plans/{world.plan.pk}/data/nothing.csv").status_code == 404


def test_export_command_rejects_an_unknown_plan(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="計画ID 424242"):
        call_command("opendata", "export", "--plan", "424242", "-o", str(tmp_path))


def test_validation_would_catch_a_wrong_type(exported: Path):
    """Guard for the test above: the descriptor's types are really checked against the files."""
    path = exported / "reviews.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[7] = "平成30年度"  # 対象年度 must be an integer
    path.write_text("\r\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\r\n", encoding="utf-8")
    report = validate(exported / "datapackage.json")
    assert not report.valid
    assert any(e[1] == "対象年度" for e in report.flatten(["resourcePath", "fieldName"]))


def test_a_set_downloaded_through_the_site_validates(client, world, tmp_path: Path):
    """Each download carries the file name the datapackage gives it, so the set validates as saved."""
    package = client.get(f"/public/plans/{world.plan.pk}/data/datapackage.json")
    (tmp_path / "datapackage.json").write_bytes(package.content)
    for resource in package.json()["resources"]:
        r = client.get(f"/public/plans/{world.plan.pk}/data/{resource['path']}")
        name = r["Content-Disposition"].split('filename="')[1].rstrip('"')
        assert name == resource["path"]
        (tmp_path / name).write_bytes(r.content)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_dcat_dates_come_from_publications_and_carry_what_ckan_needs(client, world, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tenken.publications.models import Publication

    tokyo = ZoneInfo("Asia/Tokyo")
    Publication.objects.filter(inspection=world.annual).update(published_at=datetime(2017, 6, 1, 10, tzinfo=tokyo))
    Publication.objects.exclude(inspection=world.annual).update(published_at=datetime(2019, 9, 2, 10, tzinfo=tokyo))
    settings.TENKEN_PUBLIC_BASE_URL = "https://opendata.pref.kanagawa.example"
    org = world.plan.organization
    org.publisher_department, org.publisher_email = "政策局デジタル戦略本部室", "digital@pref.kanagawa.example"
    org.save()
    dataset = client.get("/public/catalog.jsonld").json()["dcat:dataset"][0]
    assert dataset["dct:issued"]["@value"] == "2017-06-01"
    assert dataset["dct:modified"]["@value"] == "2019-09-02"
    base = "https://opendata.pref.kanagawa.example"
    assert dataset["dcat:landingPage"]["@id"] == f"{base}/public/plans/{world.plan.pk}/"
    assert dataset["dct:spatial"]["dct:identifier"] == "140007"
    assert dataset["dct:accrualPeriodicity"]["@id"] == "http://purl.org/cld/freq/annual"
    assert dataset["dcat:contactPoint"]["vcard:fn"] == "神奈川県 政策局デジタル戦略本部室"
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == "mailto:digital@pref.kanagawa.example"
    assert dataset["dct:license"]["dct:title"] == "クリエイティブ・コモンズ 表示 4.0 国際"
    csv_dist = next(d for d in dataset["dcat:distribution"] if d["dcat:downloadURL"]["@id"].endswith("/reviews.csv"))
    assert csv_dist["dcat:accessURL"]["@id"] == f"{base}/public/plans/{world.plan.pk}/data/"
    size = len(client.get(f"/public/plans/{world.plan.pk}/data/reviews.csv").content)
    assert csv_dist["dcat:byteSize"]["@value"] == str(size)
    # no publication event, no change: the same catalogue tomorrow (the date is not "today")
    assert client.get("/public/catalog.jsonld").json()["dcat:dataset"][0]["dct:modified"] == dataset["dct:modified"]
