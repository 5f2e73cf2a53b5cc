"""The survey round asks each department for the year's actual of its initiatives' indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tenken.common.errors import InputRejected
from tenken.indicators.models import Observation
from tenken.plans.editing import initiative_indicator_create
from tenken.plans.models import Initiative
from tenken.surveys.exchange import response_ingest_workbook, response_workbook
from tenken.surveys.models import IndicatorAnswer
from tenken.surveys.services import response_approve, round_open
from tenken.surveys.workbook import C_ID, C_STATUS, FIRST_ROW, INDICATOR_SHEET, K_AS_OF, K_ID, K_VALUE


@pytest.fixture
def setup(cast):
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a, is_heading=False).order_by("order")[0]
    rpa = initiative_indicator_create(
        user=cast.sato, initiative=initiative, name="RPA導入業務数", unit="業務", direction="higher", kind="output",
        baseline=Decimal(0), baseline_as_of=date(2017, 3, 31), targets={2018: Decimal(2)},
    )
    survey_round = round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    return cast, initiative, rpa, response


def filled(path, value, as_of=None):
    wb = load_workbook(path)
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, C_ID).value is not None:
            ws.cell(r, C_STATUS).value = "② 取組内容を実施中である"
    ind = wb[INDICATOR_SHEET]
    ind.cell(FIRST_ROW, K_VALUE).value = value
    ind.cell(FIRST_ROW, K_AS_OF).value = as_of
    wb.save(path)
    return path


def test_workbook_collects_the_actual_and_refuses_a_non_number_with_its_cell(setup, tmp_path):
    cast, _initiative, rpa, response = setup
    name, data = response_workbook(user=cast.suzuki, response=response)
    path = tmp_path / name
    path.write_bytes(data)
    sheet = load_workbook(path)[INDICATOR_SHEET]
    assert sheet.cell(FIRST_ROW, K_ID).value == rpa.pk and sheet.cell(FIRST_ROW, 4).value == "RPA導入業務数"
    assert sheet.cell(FIRST_ROW, 8).value == 2  # the year's target
    with pytest.raises(InputRejected) as exc:
        response_ingest_workbook(user=cast.suzuki, path=filled(path, "約2件"), response=response)
    assert any("指標!I5" in m and "数値" in m for m in exc.value.messages), exc.value.messages
    assert not IndicatorAnswer.objects.exists() and not response.round.inspection.reviews.exists()
    with pytest.raises(InputRejected) as exc:
        response_ingest_workbook(user=cast.suzuki, path=filled(path, 2, "R2.3"), response=response)
    assert any("指標!J5" in m and "平成30年度の外" in m for m in exc.value.messages), exc.value.messages
    response_ingest_workbook(user=cast.suzuki, path=filled(path, "2業務", "H31.3"), response=response)
    answer = IndicatorAnswer.objects.get()
    assert (answer.value, answer.as_of, answer.recorded) == (Decimal(2), date(2019, 3, 31), False)
    assert not rpa.observations.filter(kind=Observation.Kind.ACTUAL).exists()  # not before approval
    response_approve(user=cast.takahashi, response=response)
    actual = rpa.observations.get(kind=Observation.Kind.ACTUAL)
    assert (actual.value, actual.as_of, actual.fiscal_year) == (Decimal(2), date(2019, 3, 31), 2018)


def test_web_form_collects_the_actual(setup):
    cast, initiative, rpa, response = setup
    client = Client()
    client.force_login(cast.suzuki)
    url = reverse("surveys:answer", args=[response.pk, initiative.pk])
    page = client.get(url).content.decode()
    assert "指標の実績値（平成30年度）" in page and f'name="indicator-{rpa.pk}-value"' in page
    data = {"status": "実施中", "change_reason": "", "outcome": "", "issues": "", "version": 0}
    bad = client.post(url, {**data, f"indicator-{rpa.pk}-value": "two", f"indicator-{rpa.pk}-as_of": ""})
    assert bad.status_code == 422 and "指標「RPA導入業務数」の実績値" in bad.content.decode()
    assert not response.round.inspection.reviews.exists() and not IndicatorAnswer.objects.exists()
    ok = client.post(url, {**data, f"indicator-{rpa.pk}-value": "２", f"indicator-{rpa.pk}-as_of": ""})
    assert ok.status_code == 302
    answer = IndicatorAnswer.objects.get()
    assert (answer.value, answer.as_of, answer.entered_by) == (Decimal(2), date(2019, 3, 31), cast.suzuki)
    other = Client()
    other.force_login(cast.tanaka)
    assert other.post(url, {**data, f"indicator-{rpa.pk}-value": "9"}).status_code == 403
