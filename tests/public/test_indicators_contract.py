"""The indicator parts (pages, open data) against the documented expected interface.

The indicators app (issue 4) is not merged yet. Until it is, these tests stand in for it with
in-memory objects shaped like the expected models (``Indicator(name, unit, direction)`` with
``observations`` of kind baseline/target/actual, value, as_of) — replace them by real rows once
the app exists. Without the app, nothing about indicators is published (first test).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from frictionless import validate

from tenken.opendata.package import plan_filenames, plan_files
from tenken.public import indicators as public_indicators

pytestmark = pytest.mark.django_db


class FakeQuerySet(list):
    def filter(self, **kwargs):
        return self

    def prefetch_related(self, *names):
        return self

    def order_by(self, *names):
        return self


def fake_indicator_models(monkeypatch):
    obs = [
        SimpleNamespace(kind="baseline", value=120, as_of=date(2014, 3, 31), source="点検報告書"),
        SimpleNamespace(kind="target", value=500, as_of=date(2019, 3, 31), source="計画"),
        SimpleNamespace(kind="actual", value=591, as_of=date(2019, 3, 31), source="002 全体総括(2)ア"),
    ]
    indicator = SimpleNamespace(
        pk=7, name="公衆無線LANアクセスポイント設置台数(県有施設)", unit="台", direction="higher",
        observations=SimpleNamespace(all=lambda: obs),
    )
    model = SimpleNamespace(objects=FakeQuerySet([indicator]), _meta=SimpleNamespace(get_fields=lambda: []))
    monkeypatch.setattr(public_indicators, "indicators_available", lambda: True)
    monkeypatch.setattr(public_indicators, "_models", lambda: (model, None))


def test_without_the_indicators_app_nothing_is_published(client, world):
    assert not public_indicators.indicators_available()
    assert "indicators.csv" not in plan_filenames()
    assert client.get("/api/v1/indicators/?plan=1").status_code == 404
    assert 'id="indicators"' not in client.get(f"/public/plans/{world.plan.pk}/").content.decode()


def test_indicator_rows_reach_the_page_and_the_files(monkeypatch, client, world, tmp_path: Path):
    fake_indicator_models(monkeypatch)
    html = client.get(f"/public/plans/{world.plan.pk}/").content.decode()
    assert 'id="indicators"' in html and "公衆無線LANアクセスポイント設置台数" in html and "591" in html
    files = plan_files(plan=world.plan)
    assert "indicators.csv" in files and "indicators.csv" in plan_filenames()
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
