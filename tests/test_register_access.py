"""Finding 3 of issue #14: the information-system register is written only by the organization's
admin (or a 台帳編集者), every change is recorded (who/when/old→new), and ``is_staff`` alone reads no
organization's reports, indicators or register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tenken.inventory.models import InformationSystem, InformationSystemChange
from tenken.inventory.register_format import register_workbook_bytes
from tenken.inventory.services import register_import_file, system_save
from tenken.orgs.access import AccessDenied
from tenken.orgs.models import Membership

from .conftest import db_snapshot
from .personas import cast_for, make_user, small_plan

pytestmark = pytest.mark.django_db


def system(**kw) -> dict:
    base = {
        "name": "財務会計システム", "department": "会計局", "purpose": "", "segment": "LGWAN接続系",
        "hosting": "データセンター", "internet_facing": False, "in_service_on": date(2010, 4, 1), "retired_on": None,
        "contract_end": None, "state": "稼働", "successor": "", "note": "", "costs": {2018: 1000},
    }
    return base | kw


def register_file(tmp_path: Path, *records: dict, name: str = "register.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(register_workbook_bytes(list(records) or [system()], [2018]))
    return path


@pytest.fixture
def cast():
    cast = cast_for(small_plan())
    staff = make_user("staff", "職員")
    staff.is_staff = True
    staff.save()
    cast.staff = staff
    cast.registrar = make_user("kato", "加藤")
    Membership.objects.create(user=cast.registrar, organization=cast.org, role=Membership.Role.REGISTRAR)
    return cast


@pytest.mark.parametrize("persona", ["ito", "kobayashi", "suzuki", "takahashi", "watanabe", "nakamura", "staff"])
def test_upload_is_refused_for_anyone_but_admin_and_registrar(cast, tmp_path, persona):
    path = register_file(tmp_path)
    before = db_snapshot()
    client = Client()
    client.force_login(getattr(cast, persona))
    with open(path, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh})
    assert res.status_code == 403
    assert "権限がありません" in res.content.decode()
    assert db_snapshot() == before
    with pytest.raises(AccessDenied):
        register_import_file(user=getattr(cast, persona), organization=cast.org, path=path)


@pytest.mark.parametrize("persona", ["sato", "registrar"])
def test_admin_and_registrar_upload_and_history_is_kept(cast, tmp_path, persona):
    user = getattr(cast, persona)
    client = Client()
    client.force_login(user)
    with open(register_file(tmp_path), "rb") as fh:
        confirm = client.post("/inventory/140007/upload/", {"file": fh}, follow=True).redirect_chain[-1][0]
    page = client.post(confirm, follow=True).content.decode()
    assert "新規 1 件" in page
    changed = register_file(tmp_path, system(hosting="クラウド", costs={2018: 800}), name="v2.xlsx")
    with open(changed, "rb") as fh:
        res = client.post("/inventory/140007/upload/", {"file": fh}, follow=True)
    assert "変更 1 件" in res.content.decode()
    page = client.post(res.redirect_chain[-1][0], follow=True).content.decode()
    assert "更新 1 件" in page
    rows = {(c.field, c.old_value, c.new_value) for c in InformationSystemChange.objects.filter(field__in=["hosting", "運用経費2018"])}
    assert ("hosting", "data_centre", "cloud") in rows and ("運用経費2018", "1000", "800") in rows
    assert {c.changed_by for c in InformationSystemChange.objects.all()} == {user}
    assert InformationSystemChange.objects.filter(field="登録", new_value="財務会計システム").count() == 1


def test_edit_through_the_service_is_checked_and_recorded(cast, tmp_path):
    register_import_file(user=cast.sato, organization=cast.org, path=register_file(tmp_path))
    entry = InformationSystem.objects.get()
    entry.note = "更新予定"
    with pytest.raises(AccessDenied):
        system_save(user=cast.ito, system=entry)
    system_save(user=cast.registrar, system=entry)
    change = InformationSystemChange.objects.get(field="note")
    assert (change.old_value, change.new_value, change.changed_by, change.via) == ("", "更新予定", cast.registrar, "web")


def test_cli_import_acts_as_a_named_user(cast, tmp_path):
    path = register_file(tmp_path)
    with pytest.raises(CommandError, match="権限がありません"):
        call_command("inventory", "import", str(path), "--org", "140007", "--user", "ito")
    with pytest.raises(CommandError, match="登録されていません"):
        call_command("inventory", "import", str(path), "--org", "140007", "--user", "nobody")
    assert not InformationSystem.objects.exists()
    call_command("inventory", "import", str(path), "--org", "140007", "--user", "kato")
    assert InformationSystemChange.objects.filter(changed_by=cast.registrar, via="cli").exists()


def test_staff_flag_alone_reads_no_reports_indicators_or_register(cast, tmp_path):
    register_import_file(user=cast.sato, organization=cast.org, path=register_file(tmp_path))
    client = Client()
    client.force_login(cast.staff)
    for url in ("/inventory/140007/", "/inventory/140007/export.xlsx", "/indicators/",
                f"/plans/{cast.plan.pk}/report/"):
        assert client.get(url).status_code in (403, 404), url
    client.force_login(cast.nakamura)  # admin of 横浜市 only
    assert client.get("/inventory/140007/").status_code == 403


def test_history_rows_are_read_only_in_admin(cast, tmp_path):
    register_import_file(user=cast.sato, organization=cast.org, path=register_file(tmp_path))
    cast.sato.is_staff = cast.sato.is_superuser = True
    cast.sato.save()
    client = Client()
    client.force_login(cast.sato)
    change = InformationSystemChange.objects.first()
    url = f"/admin/inventory/informationsystemchange/{change.pk}/"
    assert client.get(f"{url}change/").status_code == 200  # a read view
    assert client.post(f"{url}change/", {"field": "x"}).status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    entry = InformationSystem.objects.get()
    assert client.post(f"/admin/inventory/informationsystem/{entry.pk}/change/", {"name": "x"}).status_code == 403
    assert InformationSystemChange.objects.filter(pk=change.pk).exists()
