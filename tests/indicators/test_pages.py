"""Staff pages: list, detail with the inline SVG chart, PNG chart; access decided in one module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tenken.indicators.models import Indicator

VIEWS = Path(__file__).resolve().parents[2] / "tenken" / "indicators" / "views.py"


def test_alice_sees_the_list(client, alice, kanagawa_indicators):
    client.force_login(alice)
    page = client.get("/indicators/").content.decode()
    assert len(re.findall(r'href="/indicators/\d+/"', page)) == 15
    assert "RPA導入業務数" in page and "40.0%" in page and "低いほど良い" in page


def test_alice_sees_a_detail_page_with_its_chart(client, alice, kanagawa_indicators):
    client.force_login(alice)
    rpa = Indicator.objects.get(name="RPA導入業務数")
    response = client.get(f"/indicators/{rpa.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>RPA導入業務数</h1>" in page
    assert page.count("<svg") == 1 and "<path" in page
    assert "H30年度 実証事業" in page and "2019-03" in page  # note and original time text
    # Offline: scripts, stylesheets and images come only from this server's static files.
    fetched = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"', page)
    assert fetched and all(url.startswith("/static/tenken/") for url in fetched), fetched
    assert not re.search(r'(src|href)="https?://', page)


def test_chart_png_draws_actuals_and_targets(client, alice, kanagawa_indicators):
    client.force_login(alice)
    od = Indicator.objects.get(name="オープンデータ未取組の県内市町村数")
    response = client.get(f"/indicators/{od.pk}/chart.png")
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n") and len(response.content) > 10_000


def test_chart_uses_the_japanese_font(kanagawa_indicators):
    from tenken.indicators import charts
    from tenken.indicators.services import indicator_create

    assert charts.FONT_FILE.exists()
    assert charts._font_family() == "Noto Sans CJK JP"
    # Glyphs are drawn as paths, so the page needs no font; an indicator without values still draws.
    empty = indicator_create(organization=kanagawa_indicators.organization, name="空の指標", unit="件",
                             direction="higher")
    svg = charts.indicator_chart_svg(empty)
    assert svg.startswith("<svg") and "<text" not in svg


def test_bob_without_staff_flag_is_refused(client, bob, kanagawa_indicators):
    client.force_login(bob)
    pk = Indicator.objects.first().pk
    assert client.get("/indicators/").status_code == 403
    assert client.get(f"/indicators/{pk}/").status_code == 403
    assert client.get(f"/indicators/{pk}/chart.png").status_code == 403


def test_anonymous_is_sent_to_login(client, kanagawa_indicators):
    response = client.get("/indicators/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_indicator_is_404(client, alice, db):
    client.force_login(alice)
    assert client.get("/indicators/999999/").status_code == 404


@pytest.mark.parametrize("forbidden", [".objects", "is_staff", "is_superuser", "PermissionDenied"])
def test_views_neither_query_models_nor_decide_access(forbidden):
    # Access belongs to tenken.indicators.access and reads to selectors; views only call them.
    source = ast.unparse(ast.parse(VIEWS.read_text(encoding="utf-8")))
    assert forbidden not in source


@pytest.mark.django_db
def test_the_charts_time_axis_is_in_wareki():
    from datetime import date

    from tenken.indicators import charts
    from tenken.indicators.services import indicator_create, observation_record
    from tenken.orgs.services import organization_for_code

    indicator = indicator_create(organization=organization_for_code(code="140007"), name="電子申請", unit="件",
                                 direction="higher")
    observation_record(indicator=indicator, kind="baseline", value=100, as_of=date(2014, 3, 31), source="実績")
    observation_record(indicator=indicator, kind="actual", value=800, as_of=date(2019, 3, 31), source="実績")
    observation_record(indicator=indicator, kind="target", value=900, as_of=date(2021, 3, 31), source="計画")
    svg = charts.indicator_chart_svg(indicator)
    ticks = re.findall(r"<!-- ([^<>]*?) -->", svg)  # matplotlib names each text it draws as paths
    assert "R2.1" in ticks or "H31.1" in ticks, ticks
    assert not any(re.fullmatch(r"\d{4}-\d{2}", t) for t in ticks), ticks  # no 西暦 ISO months
