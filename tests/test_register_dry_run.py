"""The register's dry run: what an import would do — new, changed and unchanged systems — with everything
checked and nothing written; on the console (``tenken inventory import --dry-run``) and as the confirm step of
the upload page, both through :func:`tenken.inventory.services.register_preview_file`."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from tenken.inventory.models import InformationSystem, InformationSystemChange, SystemCost
from tenken.inventory.services import register_import_file, register_preview_file
from tenken.orgs.access import AccessDenied
from tenken.orgs.models import Membership

from .conftest import db_snapshot
from .personas import cast_for, make_user, small_plan

pytestmark = pytest.mark.django_db

HEAD = ["システム名称", "所管課", "区分", "設置場所", "稼働開始", "契約期間", "運用経費（千円）", None]
SUB = [None, None, None, None, None, None, "R4", "R5"]
MERGES = ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:H3")


def city_register(path: Path, *systems: list) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台帳"
    for row in [["○○市 情報システム台帳"], [], HEAD, SUB, *systems]:
        ws.append(row)
    for m in MERGES:
        ws.merge_cells(m)
    wb.save(path)
    return path


RESIDENT = ["住民記録システム", "市民課", "マイナンバー系", "データセンター", "H25.4", "R3.4.1～R8.3.31", 1200, 1300]
FINANCE = ["財務会計システム", "会計課", "LGWAN系", "クラウド", "H27.4", "R2.4～R7.3", 800, 850]
WEB = ["市公式ウェブサイト", "広報課", "インターネット系", "クラウド", "R元.5.1", None, 300, None]


@pytest.fixture
def cast():
    cast = cast_for(small_plan())
    cast.registrar = make_user("kato", "加藤")
    Membership.objects.create(user=cast.registrar, organization=cast.org, role=Membership.Role.REGISTRAR)
    return cast


@pytest.fixture
def second_file(cast, tmp_path) -> Path:
    """After a first import: one system unchanged, one with a new hosting and cost, one new."""
    register_import_file(user=cast.sato, organization=cast.org, path=city_register(tmp_path / "first.xlsx", RESIDENT, FINANCE))
    changed = [*FINANCE[:3], "データセンター", *FINANCE[4:7], 900]
    return city_register(tmp_path / "second.xlsx", RESIDENT, changed, WEB)


def test_the_preview_says_new_changed_unchanged_and_writes_nothing(cast, second_file):
    before = db_snapshot()
    preview = register_preview_file(user=cast.sato, organization=cast.org, path=second_file)
    assert db_snapshot() == before
    assert preview.counts() == {"new": 1, "changed": 1, "unchanged": 1}
    assert preview.new == ["市公式ウェブサイト"] and preview.unchanged == ["住民記録システム"]
    assert preview.changed == [("財務会計システム", ["設置形態", "運用経費（令和5年度）"])]
    # the import then does what was said: history for the changed and the new system only
    since = InformationSystemChange.objects.count()
    assert register_import_file(user=cast.sato, organization=cast.org, path=second_file) == {"created": 1, "updated": 2}
    changed = set(InformationSystemChange.objects.all()[since:].values_list("system_name", flat=True))
    assert changed == {"財務会計システム", "市公式ウェブサイト"}
    assert SystemCost.objects.get(system__name="財務会計システム", fiscal_year=2023).amount_yen == 900_000


def test_the_preview_refuses_what_the_import_refuses(cast, tmp_path):
    bad = city_register(tmp_path / "bad.xlsx", [*RESIDENT[:5], "R8.3.31～R3.4.1", 1, 2])
    with pytest.raises(Exception) as exc:
        register_preview_file(user=cast.sato, organization=cast.org, path=bad)
    assert [m.split(":")[0] for m in exc.value.messages] == ["台帳!F5"]
    with pytest.raises(AccessDenied):
        register_preview_file(user=cast.ito, organization=cast.org, path=bad)


def test_cli_dry_run_reports_counts_and_writes_nothing(cast, second_file):
    before = db_snapshot()
    out = io.StringIO()
    call_command("inventory", "import", str(second_file), "--org", "140007", "--user", "kato", "--dry-run", stdout=out)
    assert db_snapshot() == before
    text = out.getvalue()
    assert "新規 1 件、変更 1 件、変更なし 1 件" in text and "何も登録していません" in text, text
    bad = city_register(second_file.parent / "bad.xlsx", [*RESIDENT[:5], "5年間", 1, 2])
    err = io.StringIO()
    with pytest.raises(CommandError, match="何も登録していません"):
        call_command("inventory", "import", str(bad), "--org", "140007", "--user", "kato", "--dry-run", stderr=err)
    assert "台帳!F5: 契約期間「5年間」" in err.getvalue()
    assert db_snapshot() == before


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_upload_page_asks_before_writing(cast, second_file):
    client = _client(cast.registrar)
    before = db_snapshot()
    with open(second_file, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh}, follow=True)
    page = res.content.decode()
    assert db_snapshot() == before
    assert "新規 1 件、変更 1 件、変更なし 1 件" in page
    assert "市公式ウェブサイト" in page and "設置形態" in page
    confirm = res.redirect_chain[-1][0]
    assert re.fullmatch(r"/inventory/140007/upload/[A-Za-z0-9_-]+/", confirm), res.redirect_chain
    # someone else cannot take over the stored upload
    assert _client(cast.ito).post(confirm).status_code == 403
    assert _client(cast.sato).post(confirm, follow=True).status_code == 404  # not this session's upload
    assert db_snapshot() == before
    page = client.post(confirm, follow=True).content.decode()
    assert "台帳を取り込みました: 新規 1 件、更新 2 件" in page
    assert InformationSystem.objects.get(name="財務会計システム").hosting == "data_centre"
    assert InformationSystem.objects.get(name="住民記録システム").contract_end == date(2026, 3, 31)
    assert client.post(confirm).status_code == 404  # used once


def test_the_confirm_step_can_be_cancelled(cast, second_file):
    client = _client(cast.sato)
    before = db_snapshot()
    with open(second_file, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh}, follow=True)
    confirm = res.redirect_chain[-1][0]
    page = client.post(confirm, {"cancel": "1"}, follow=True).content.decode()
    assert "取り込みをやめました" in page
    assert db_snapshot() == before
    assert client.get(confirm).status_code == 404


def test_a_refused_upload_shows_its_problems_on_the_register_page(cast, tmp_path):
    bad = city_register(tmp_path / "bad.xlsx", [*RESIDENT[:5], "5年間", 1, 2])
    before = db_snapshot()
    with open(bad, "rb") as fh:
        res = _client(cast.sato).post("/inventory/140007/upload/", {"file": fh}, follow=True)
    page = res.content.decode()
    assert res.redirect_chain[-1][0] == "/inventory/140007/"
    assert "台帳!F5: 契約期間「5年間」" in page and "何も登録していません" in page
    assert db_snapshot() == before


def test_a_csv_register_goes_through_the_confirm_step(cast, tmp_path):
    path = tmp_path / "台帳.csv"
    path.write_bytes("システム名,区分,設置形態,稼働開始日,契約期間\r\n財務会計システム,LGWAN系,クラウド,H27.4,R3.4～R8.3\r\n"
                     .encode("cp932"))
    client = _client(cast.sato)
    with open(path, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh}, follow=True)
    assert "新規 1 件、変更 0 件、変更なし 0 件" in res.content.decode()
    client.post(res.redirect_chain[-1][0])
    assert InformationSystem.objects.get().contract_end == date(2026, 3, 31)
