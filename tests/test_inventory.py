"""The information-system register: import/export, the seed's 162 → 110 figures, rules and queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tenken.common.errors import InputRejected
from tenken.inventory.models import InformationSystem, Segment
from tenken.inventory.register_format import register_workbook_bytes
from tenken.inventory.selectors import (
    consolidations,
    contracts_ending,
    contracts_ending_by_fiscal_year,
    register_by_fiscal_year,
    register_records,
    systems_by_segment_and_hosting,
)
from tenken.inventory.services import register_import_file, system_save
from tenken.inventory.synth import synthetic_kanagawa_register
from tenken.orgs.services import organization_for_code

from .conftest import db_snapshot
from .personas import operator

pytestmark = pytest.mark.django_db


def ADMIN():
    from tenken.demo import setup_account

    return setup_account()


@pytest.fixture
def kanagawa():
    return organization_for_code(code="140007")


def write(tmp_path: Path, records: list[dict], years: list[int], name: str = "register.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(register_workbook_bytes(records, years))
    return path


def system(**kw) -> dict:
    base = {
        "name": "財務会計システム", "department": "会計局", "purpose": "", "segment": "LGWAN接続系", "hosting": "データセンター",
        "internet_facing": False, "in_service_on": date(2010, 4, 1), "retired_on": None, "contract_end": None,
        "state": "稼働", "successor": "", "note": "", "costs": {},
    }
    return base | kw


def test_synthetic_register_reproduces_the_seed(tmp_path, kanagawa):
    path = write(tmp_path, synthetic_kanagawa_register(), list(range(2013, 2019)))
    counts = register_import_file(user=ADMIN(), organization=kanagawa, path=path)
    assert counts == {"created": 168, "updated": 0}
    figures = {f.fiscal_year: (f.systems, f.cost_yen) for f in register_by_fiscal_year(organization=kanagawa)}
    assert figures[2013] == (162, 7_200_000_000)
    assert figures[2018] == (110, 6_000_000_000)
    assert figures[2015][0] < figures[2014][0] <= 162
    merged = consolidations(organization=kanagawa)
    assert merged and all(s.state == "consolidated" and s.successor.segment == s.segment for s in merged)
    by_segment = systems_by_segment_and_hosting(organization=kanagawa, on=date(2018, 4, 1))
    assert sum(by_segment.values()) == 110


def test_export_reimports_to_the_same_register(tmp_path, kanagawa):
    register_import_file(user=ADMIN(), organization=kanagawa, path=write(tmp_path, synthetic_kanagawa_register(seed=7), [2013, 2018]))
    records, years = register_records(organization=kanagawa)
    exported = write(tmp_path, records, years, "exported.xlsx")
    other = organization_for_code(code="141003")  # 横浜市
    register_import_file(user=ADMIN(), organization=other, path=exported)
    again, again_years = register_records(organization=other)
    assert (again, again_years) == (records, years)


def test_mynumber_system_cannot_face_the_internet(tmp_path, kanagawa):
    path = write(tmp_path, [
        system(name="住基システム", segment="マイナンバー利用事務系", internet_facing=True),
        system(name="庁内ポータル", segment="LGWAN系", internet_facing=True),
        system(name="県ホームページ", segment="インターネット接続系", internet_facing=True),
    ], [])
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        register_import_file(user=ADMIN(), organization=kanagawa, path=path)
    assert exc.value.messages == [
        "情報システム一覧!F2: マイナンバー利用事務系のシステムはインターネットに接続できません（三層の構え）",
        "情報システム一覧!F3: LGWAN接続系のシステムはインターネットに直接接続できません（無害化を経由してください）",
    ]
    assert db_snapshot() == before
    bad = InformationSystem(organization=kanagawa, name="x", segment=Segment.MYNUMBER, hosting="cloud",
                            internet_facing=True, in_service_on=date(2020, 4, 1))
    with pytest.raises(InputRejected, match="三層の構え"):
        system_save(user=ADMIN(), system=bad)


def test_every_problem_of_a_register_at_once(tmp_path, kanagawa):
    path = write(tmp_path, [
        system(name="A", segment="謎の系", state="休止"),
        system(name="A"),
        system(name="B", state="統合", retired_on=date(2017, 3, 31), successor="存在しない"),
        system(name="C", in_service_on="H25年13月"),
    ], [2018])
    wb = load_workbook(path)
    wb.active["M3"] = "たくさん"
    wb.save(path)
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        register_import_file(user=ADMIN(), organization=kanagawa, path=path)
    assert exc.value.messages == [
        "情報システム一覧!D2: ネットワーク区分「謎の系」を解釈できません（マイナンバー利用事務系、LGWAN接続系、インターネット接続系）",
        "情報システム一覧!J2: 状態「休止」を解釈できません（稼働、廃止、統合）",
        "情報システム一覧!A3: システム名「A」が重複しています（情報システム一覧!A2）",
        "情報システム一覧!M3: 運用経費「たくさん」は円単位の数値で記入してください",
        "情報システム一覧!G5: 「H25年13月」: 存在しない日付です",
    ]
    assert db_snapshot() == before
    fixed = write(tmp_path, [system(name="B", state="統合", retired_on=date(2017, 3, 31), successor="存在しない")], [])
    with pytest.raises(InputRejected) as exc:
        register_import_file(user=ADMIN(), organization=kanagawa, path=fixed)
    assert exc.value.messages == ["情報システム一覧!K2: 統合先システム「存在しない」が台帳にもこのファイルにもありません"]
    assert db_snapshot() == before


def test_contracts_ending_across_fiscal_years(tmp_path, kanagawa):
    register_import_file(user=ADMIN(), organization=kanagawa, path=write(tmp_path, [
        system(name="年度末満了", contract_end="H30年度末"),          # 2019-03-31, FY2018
        system(name="翌年度4月満了", contract_end="2019年4月"),       # 2019-04-30, FY2019
        system(name="範囲外", contract_end=date(2019, 5, 2)),
        system(name="満了済", contract_end=date(2019, 1, 31)),
        system(name="廃止済", contract_end=date(2019, 3, 1), state="廃止", retired_on=date(2018, 12, 31)),
    ], []))
    ending = contracts_ending(organization=kanagawa, today=date(2019, 2, 1), months=3)
    assert [(s.name, s.contract_end) for s in ending] == [
        ("年度末満了", date(2019, 3, 31)), ("翌年度4月満了", date(2019, 4, 30)),
    ]
    assert contracts_ending_by_fiscal_year(organization=kanagawa, today=date(2019, 2, 1), months=3) == {2018: 1, 2019: 1}
    assert contracts_ending(organization=kanagawa, today=date(2019, 2, 1), months=2) == ending[:1]


def test_macro_enabled_register_is_refused(tmp_path, kanagawa):
    path = write(tmp_path, [system()], [], name="register.xlsm")
    with pytest.raises(InputRejected, match="マクロ有効ファイル"):
        register_import_file(user=ADMIN(), organization=kanagawa, path=path)


def test_governance_page(client, tmp_path, kanagawa, django_user_model):
    register_import_file(user=ADMIN(), organization=kanagawa, path=write(tmp_path, synthetic_kanagawa_register(), list(range(2013, 2019))))
    assert client.get("/inventory/140007/").status_code == 302  # login required
    user = django_user_model.objects.create_user("viewer", password="x")
    client.force_login(user)
    assert client.get("/inventory/140007/").status_code == 403
    user.is_staff = True
    user.save()
    assert client.get("/inventory/140007/").status_code == 403  # the admin-site flag grants no data (#14)
    from tenken.orgs.models import Membership

    Membership.objects.create(user=user, organization=kanagawa, role=Membership.Role.VIEWER)
    page = client.get("/inventory/140007/?today=2019-02-01&months=6").content.decode()
    assert "平成25年度</th><td>162</td><td>72</td>" in page
    assert "平成30年度</th><td>110</td><td>60</td>" in page


def test_upload_and_download_through_the_page(client, tmp_path, kanagawa, django_user_model):
    from tenken.orgs.models import Membership

    registrar = django_user_model.objects.create_user("registrar", password="x")
    Membership.objects.create(user=registrar, organization=kanagawa, role=Membership.Role.REGISTRAR)
    client.force_login(registrar)
    bad = write(tmp_path, [system(name="住基", segment="マイナンバー系", internet_facing=True)], [])
    before = db_snapshot()
    with open(bad, "rb") as fh:
        page = client.post("/inventory/140007/upload/", {"file": fh}, follow=True).content.decode()
    assert "情報システム一覧!F2: マイナンバー利用事務系のシステムはインターネットに接続できません（三層の構え）" in page
    assert "何も登録していません" in page
    assert db_snapshot() == before
    good = write(tmp_path, synthetic_kanagawa_register(), [2013, 2018], name="good.xlsx")
    with open(good, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh}, follow=True)
    assert "新規 168 件、変更 0 件、変更なし 0 件" in res.content.decode()  # the confirm step: nothing written yet
    assert db_snapshot() == before
    page = client.post(res.redirect_chain[-1][0], follow=True).content.decode()
    assert "新規 168 件" in page
    download = client.get("/inventory/140007/export.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    exported = tmp_path / "down.xlsx"
    exported.write_bytes(download.content)
    assert register_import_file(user=ADMIN(), organization=kanagawa, path=exported) == {"created": 0, "updated": 168}


def test_register_access_follows_organization_roles(client, kanagawa, django_user_model):
    from tenken.orgs.models import Membership

    yokohama = organization_for_code(code="141003")
    admin = django_user_model.objects.create_user("ict-admin", password="x")
    Membership.objects.create(user=admin, organization=kanagawa, role=Membership.Role.ADMIN)
    other = django_user_model.objects.create_user("yokohama-viewer", password="x")
    Membership.objects.create(user=other, organization=yokohama, role=Membership.Role.VIEWER)
    client.force_login(admin)
    assert client.get("/inventory/140007/").status_code == 200
    assert client.get("/inventory/141003/").status_code == 403
    client.force_login(other)
    assert client.get("/inventory/141003/").status_code == 200
    assert client.get("/inventory/140007/").status_code == 403


def test_register_feeds_the_indicators_with_the_seed_figures(tmp_path, kanagawa):
    from tenken.indicators.selectors import indicator_report_rows
    from tenken.indicators.services import observation_record
    from tenken.inventory.indicator_feed import register_feed_indicators

    register_import_file(user=ADMIN(), organization=kanagawa, path=write(tmp_path, synthetic_kanagawa_register(), list(range(2013, 2019))))
    assert register_feed_indicators(user=operator(), organization=kanagawa) == 12  # 6 years × 2 indicators
    assert register_feed_indicators(user=operator(), organization=kanagawa) == 0  # a re-run records nothing new
    rows = {r.name: r for r in indicator_report_rows(organization=kanagawa)}
    systems, cost = rows["情報システム数"], rows["情報システム運用経費"]
    assert (systems.actual, systems.actual_as_of, systems.direction) == (110, date(2018, 4, 1), "lower")
    assert (cost.actual, cost.unit) == (Decimal("60.0"), "億円/年")
    observation_record(indicator=systems_indicator(kanagawa), kind="baseline", value=Decimal(162), as_of=date(2013, 11, 30))
    observation_record(indicator=systems_indicator(kanagawa), kind="target", value=Decimal(110), as_of=date(2018, 4, 1))
    row = {r.name: r for r in indicator_report_rows(organization=kanagawa)}["情報システム数"]
    assert (row.baseline, row.actual, row.rate_text) == (162, 110, "100.0%")


def systems_indicator(org):
    from tenken.indicators.models import Indicator

    return Indicator.objects.get(organization=org, name="情報システム数", successor__isnull=True)


def test_register_index_lists_what_the_user_may_open(client, tmp_path, kanagawa, django_user_model):
    register_import_file(user=ADMIN(), organization=kanagawa, path=write(tmp_path, [system()], []))
    client.force_login(django_user_model.objects.create_user("staff2", password="x", is_staff=True))
    assert "/inventory/140007/" not in client.get("/inventory/").content.decode()  # staff flag alone: nothing
    client.force_login(ADMIN())
    assert "/inventory/140007/" in client.get("/inventory/").content.decode()
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert "/inventory/140007/" not in client.get("/inventory/").content.decode()
