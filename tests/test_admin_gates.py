"""Issue #12: the ICT-division admin of the demo (a Membership admin, not a Django staff user) got 403
on the 点検報告書 and the indicators because the gates were called without the organization."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tenken.indicators.services import indicator_create, observation_record
from tenken.surveys import services

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    indicator = indicator_create(organization=cast.org, plan=cast.plan, name="電子申請の件数", unit="件",
                                 direction="higher")
    observation_record(indicator=indicator, kind="actual", value=10, as_of=date(2019, 3, 31))
    return cast, indicator


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_membership_admin_reads_the_report(world):
    cast, _ = world
    url = reverse("reports:plan_report", args=[cast.plan.pk])
    assert _get(cast.sato, url).status_code == 200
    assert _get(cast.sato, reverse("reports:plan_report_download", args=[cast.plan.pk, "xlsx"])).status_code == 200
    assert _get(cast.ito, url).status_code == 200  # organization-wide viewer
    for outsider in (cast.suzuki, cast.watanabe, cast.nakamura, cast.kobayashi):
        assert _get(outsider, url).status_code == 403, outsider.username


def test_membership_admin_reads_the_indicators(world):
    cast, indicator = world
    listing = _get(cast.sato, reverse("indicators:list"))
    assert listing.status_code == 200 and "電子申請の件数" in listing.content.decode()
    assert _get(cast.sato, reverse("indicators:detail", args=[indicator.pk])).status_code == 200
    assert _get(cast.sato, reverse("indicators:chart", args=[indicator.pk])).status_code == 200
    # 中村 is admin of 横浜市: the list opens, without 神奈川県's indicator; its page is refused
    other = _get(cast.nakamura, reverse("indicators:list"))
    assert other.status_code == 200 and "電子申請の件数" not in other.content.decode()
    assert _get(cast.nakamura, reverse("indicators:detail", args=[indicator.pk])).status_code == 403
    assert _get(cast.suzuki, reverse("indicators:list")).status_code == 403
