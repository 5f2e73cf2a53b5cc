"""The indicator parts (pages, open data) against the documented expected interface.

Indicators are recorded through the indicators app's services. Without the app (simulated by
switching ``indicators_available`` off), nothing about indicators is published (first test).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import validate

from tenken.indicators.services import indicator_create, observation_record
from tenken.opendata.package import plan_filenames, plan_files
from tenken.public import indicators as public_indicators

pytestmark = pytest.mark.django_db


def record_indicator(plan) -> None:
    """A real indicator of the plan, through the indicators app's services."""
    indicator = indicator_create(
        organization=plan.organization, plan=plan, name="公衆無線LANアクセスポイント設置台数(県有施設)", unit="台",
        direction="higher",
    )
    for kind, value, day, source in (
        ("baseline", 120, date(2014, 3, 31), "点検報告書"),
        ("target", 500, date(2019, 3, 31), "計画"),
        ("actual", 591, date(2019, 3, 31), "002 全体総括(2)ア"),
    ):
        observation_record(indicator=indicator, kind=kind, value=Decimal(value), as_of=day, source=source)


def test_without_the_indicators_app_nothing_is_published(monkeypatch, client, world):
    record_indicator(world.plan)
    monkeypatch.setattr(public_indicators, "indicators_available", lambda: False)
    assert "indicators.csv" not in plan_filenames(plan=world.plan)
    assert 'id="indicators"' not in client.get(f"/public/plans/{world.plan.pk}/").content.decode()


def test_indicator_rows_reach_the_page_the_api_and_the_files(client, world, tmp_path: Path):
    record_indicator(world.plan)
    api = client.get(f"/api/v1/indicators/?plan={world.plan.pk}").json()["results"]
    assert [(o["kind"], o["value"]) for o in api[0]["observations"]] == [("baseline", 120), ("target", 500), ("actual", 591)]
    html = client.get(f"/public/plans/{world.plan.pk}/").content.decode()
    assert 'id="indicators"' in html and "公衆無線LANアクセスポイント設置台数" in html and "591" in html
    files = plan_files(plan=world.plan)
    assert "indicators.csv" in files and "indicators.csv" in plan_filenames(plan=world.plan)
    rows = list(csv.DictReader(io.StringIO(files["indicators.csv"].decode("utf-8"))))
    assert [r["値の種別"] for r in rows] == ["基準値", "目標値", "実績値"]
    actual = rows[2]
    assert actual["値"] == "591" and actual["単位"] == "台" and actual["方向"] == "高いほどよい"
    assert actual["時点"] == "2019-03-31" and actual["時点（和暦）"] == "平成31年3月31日"
    assert actual["全国地方公共団体コード"] == "140007"
    out = tmp_path / "out"
    call_command("opendata", "export", "--plan", str(world.plan.pk), "-o", str(out), stdout=io.StringIO())
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "fieldName", "note"])[:5]
