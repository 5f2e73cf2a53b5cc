"""The optional 取組名: on the public listing and detail page, and as the 取組名 column of the open data,
when set; the Kanagawa plan (no names) shows no trace of it."""

from __future__ import annotations

import csv
import io

import pytest

from tenken.opendata.package import plan_files

pytestmark = pytest.mark.django_db


def test_the_name_is_shown_on_the_public_pages_when_set(client, world):
    plan = world.plan
    first, second = plan.initiatives.filter(is_heading=False).order_by("order")[:2]
    listing = client.get(f"/public/plans/{plan.pk}/").content.decode()
    assert "<strong>" not in listing.split('<table class="initiatives">', 1)[1]
    first.name = "電子申請<テスト名>"
    first.save()
    listing = client.get(f"/public/plans/{plan.pk}/").content.decode()
    assert f'<a href="/public/plans/{plan.pk}/initiatives/{first.pk}/"><strong>電子申請&lt;テスト名&gt;</strong> ' in listing
    assert f'<a href="/public/plans/{plan.pk}/initiatives/{second.pk}/"><strong>' not in listing
    detail = client.get(f"/public/plans/{plan.pk}/initiatives/{first.pk}/").content.decode()
    assert "電子申請&lt;テスト名&gt;" in detail
    found = client.get(f"/public/plans/{plan.pk}/?q=テスト名").content.decode()
    assert f"/initiatives/{first.pk}/" in found


def test_the_open_data_has_a_name_column(world):
    plan = world.plan
    first = plan.initiatives.filter(is_heading=False).order_by("order").first()
    rows = list(csv.DictReader(io.StringIO(plan_files(plan=plan)["initiatives.csv"].decode("utf-8"))))
    assert list(rows[0]).index("取組名") == list(rows[0]).index("取組内容") - 1
    assert {r["取組名"] for r in rows} == {""}
    first.name = "電子申請の拡充"
    first.save()
    rows = list(csv.DictReader(io.StringIO(plan_files(plan=plan)["initiatives.csv"].decode("utf-8"))))
    row = next(r for r in rows if r["取組ID"] == str(first.pk))
    assert (row["取組名"], row["取組内容"]) == ("電子申請の拡充", first.text)
