"""The same tolerance for the other tables a city keeps: indicator tables kept wide (one row per
indicator, a column per year)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tenken.common.errors import InputRejected
from tenken.indicators.importing import import_indicators_file
from tenken.indicators.models import Observation

from .conftest import db_snapshot
from .personas import operator

pytestmark = pytest.mark.django_db


def test_wide_indicator_table(tmp_path):
    csv = tmp_path / "kpi.csv"
    csv.write_text(
        "指標,単位,H30基準値,R1,R2,R3,R4実績,R5目標\n"
        "電子申請の利用件数,件,1200,1500,1800,-,2600,3000\n"
        "窓口の平均待ち時間,分,30,28,,25,20,15\n", encoding="utf-8")
    (tmp_path / "indicator-meta.csv").write_text(
        "指標,direction\n電子申請の利用件数,higher\n窓口の平均待ち時間,lower\n", encoding="utf-8")
    result = import_indicators_file(csv, user=operator(), org_code="140007")
    assert result.observations_created == 10
    got = sorted((o.indicator.name, o.kind, o.as_of, o.value) for o in Observation.objects.select_related("indicator")
                 .filter(indicator__name="電子申請の利用件数"))
    assert got == [
        ("電子申請の利用件数", "actual", date(2020, 3, 31), D("1500")),
        ("電子申請の利用件数", "actual", date(2021, 3, 31), D("1800")),
        ("電子申請の利用件数", "actual", date(2023, 3, 31), D("2600")),
        ("電子申請の利用件数", "baseline", date(2019, 3, 31), D("1200")),
        ("電子申請の利用件数", "target", date(2024, 3, 31), D("3000")),
    ]


def test_wide_indicator_table_problems_are_located(tmp_path):
    csv = tmp_path / "kpi.csv"
    csv.write_text("指標,単位,R1,R2\n利用件数,件,約100,200\n,件,1,2\n", encoding="utf-8")
    (tmp_path / "indicator-meta.csv").write_text("指標,direction\n利用件数,higher\n", encoding="utf-8")
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        import_indicators_file(csv, user=operator(), org_code="140007")
    assert db_snapshot() == before
    assert exc.value.messages == [
        "kpi.csv:2「R1」: 「約100」は数値ではありません（数字だけを書き、単位や「約」は単位列・note 列へ）",
        "kpi.csv:3「指標」: 指標名が空です",
    ]


def city_register(path):
    """A register kept by a city: a title, システム名称, 所管課, 基幹系/内部情報系/インターネット系, costs in 千円."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "システム一覧"
    ws.append(["〇〇市 情報システム一覧（令和5年4月1日現在）"])
    ws.append(["システム名称", "所管課", "系統", "設置形態", "稼働開始日", "状態", "運用経費 R4年度（千円）"])
    ws.append(["住民記録システム", "市民課", "基幹系", "データセンター", "2015-04-01", "稼働", 12_345])
    ws.append(["文書管理システム", "総務課", "内部情報系", "クラウド", "2018-04", "稼働", "2,000"])
    ws.append(["市公式ウェブサイト", "広報課", "インターネット系", "クラウド", "R2.4", "稼働", 800.5])
    wb.save(path)
    return path


def test_city_register_with_informal_segments_and_thousand_yen(tmp_path):
    from tenken.inventory.models import InformationSystem
    from tenken.inventory.services import register_import_file
    from tenken.orgs.services import organization_for_code
    from tests.personas import make_user

    org = organization_for_code(code="140007")
    admin = make_user("registry-root", "管理")  # a superuser acts for any organization
    admin.is_superuser = True
    admin.save()
    path = city_register(tmp_path / "register.xlsx")
    before = db_snapshot()
    with pytest.raises(InputRejected) as exc:
        register_import_file(user=admin, organization=org, path=path)
    assert db_snapshot() == before
    assert exc.value.messages == [
        "システム一覧!C3: ネットワーク区分「基幹系」は「マイナンバー利用事務系」と読めます。この読み替えでよければ確認して取り込んでください（画面では「区分の読み替えを確認しました」にチェック、コマンドでは --confirm-segments）",
        "システム一覧!C4: ネットワーク区分「内部情報系」は「LGWAN接続系」と読めます。この読み替えでよければ確認して取り込んでください（画面では「区分の読み替えを確認しました」にチェック、コマンドでは --confirm-segments）",
    ]
    assert register_import_file(user=admin, organization=org, path=path, confirm_segments=True) == {"created": 3, "updated": 0}
    got = {s.name: (s.segment, s.costs.get(fiscal_year=2022).amount_yen) for s in InformationSystem.objects.all()}
    assert got == {"住民記録システム": ("mynumber", 12_345_000), "文書管理システム": ("lgwan", 2_000_000),
                   "市公式ウェブサイト": ("internet", 800_500)}


def test_a_register_with_other_column_names_and_no_state_column(tmp_path):
    """Another city's register: 設置場所 (庁舎内 / クラウド（SaaS）), 稼働開始 (a date, 和暦 text), no 状態 column
    (a system with a 廃止日 is 廃止, the others 稼働), costs in 千円 for two years."""
    from datetime import date, datetime

    from openpyxl import Workbook

    from tenken.inventory.models import InformationSystem
    from tenken.inventory.services import register_import_file
    from tenken.orgs.services import organization_for_code
    from tests.personas import make_user

    wb = Workbook()
    ws = wb.active
    ws.title = "台帳"
    ws.append(["〇〇市 情報システム台帳（令和6年4月1日現在）"])
    ws.append(["No", "システム名称", "所管課", "区分", "設置場所", "稼働開始", "廃止日", "運用経費 R4年度（千円）",
               "運用経費 R5年度（千円）"])
    ws.append([1, "住民記録システム", "市民課", "マイナンバー利用事務系", "データセンター", datetime(2015, 4, 1), None, 12000, 12500])
    ws.append([2, "財務会計システム", "会計課", "LGWAN接続系", "庁舎内", datetime(2012, 10, 1), None, 8000, 8100])
    ws.append([3, "旧CMS", "広報課", "インターネット接続系", "クラウド（SaaS）", "H30.4.1", "R5.3.31", 3000, None])
    wb.save(tmp_path / "台帳.xlsx")
    admin = make_user("registry-root", "管理")
    admin.is_superuser = True
    admin.save()
    org = organization_for_code(code="140007")
    assert register_import_file(user=admin, organization=org, path=tmp_path / "台帳.xlsx") == {"created": 3, "updated": 0}
    got = {s.name: (s.hosting, s.state, s.in_service_on, s.retired_on) for s in InformationSystem.objects.all()}
    assert got == {"住民記録システム": ("data_centre", "active", date(2015, 4, 1), None),
                   "財務会計システム": ("on_premises", "active", date(2012, 10, 1), None),
                   "旧CMS": ("cloud", "retired", date(2018, 4, 1), date(2023, 3, 31))}
    assert InformationSystem.objects.get(name="財務会計システム").costs.get(fiscal_year=2023).amount_yen == 8_100_000


def test_city_register_through_the_page_with_the_segment_readings_confirmed(client, tmp_path):
    """佐藤 (the ICT admin) imports the city's register in the browser: the upload form shows the proposed
    readings of 基幹系/内部情報系/インターネット系 and a checkbox to confirm them."""
    from tenken.inventory.models import InformationSystem
    from tenken.orgs.models import Membership
    from tenken.orgs.services import organization_for_code
    from tests.personas import make_user

    org = organization_for_code(code="140007")
    sato = make_user("sato", "佐藤")
    Membership.objects.create(user=sato, organization=org, role=Membership.Role.ADMIN)
    client.force_login(sato)
    page = client.get("/inventory/140007/").content.decode()
    assert 'type="checkbox" name="confirm_segments"' in page
    for informal, segment in (("基幹系", "マイナンバー利用事務系"), ("内部情報系", "LGWAN接続系"),
                              ("インターネット", "インターネット接続系")):
        assert f"<td>{informal}</td><td>{segment}</td>" in page
    path = city_register(tmp_path / "register.xlsx")
    before = db_snapshot()
    with open(path, "rb") as fh:
        page = client.post("/inventory/140007/upload/", {"file": fh}, follow=True).content.decode()
    assert "システム一覧!C3: ネットワーク区分「基幹系」は「マイナンバー利用事務系」と読めます" in page
    assert "「区分の読み替えを確認しました」" in page
    assert "何も登録していません" in page
    assert db_snapshot() == before
    with open(path, "rb") as fh:
        confirm = client.post("/inventory/140007/upload/", {"file": fh, "confirm_segments": "1"},
                              follow=True).redirect_chain[-1][0]
    page = client.post(confirm, follow=True).content.decode()  # the confirm step keeps the confirmed readings
    assert "新規 3 件" in page
    assert dict(InformationSystem.objects.values_list("name", "segment")) == {
        "住民記録システム": "mynumber", "文書管理システム": "lgwan", "市公式ウェブサイト": "internet"}
