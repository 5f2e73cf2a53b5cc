"""Issue #12: indicators, the municipal follow-up and the register in the web, through the services,
with 和暦 input; and each new page takes a constant number of queries whatever the plan size."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenken.indicators.models import Observation
from tenken.indicators.services import indicator_create
from tenken.inventory.models import InformationSystem, MunicipalProgress
from tenken.inventory.services import municipal_goal_create, system_save
from tenken.orgs.services import organization_for_code, organizations_load_master
from tenken.plans.models import Initiative, Section
from tenken.surveys import services

from .conftest import db_snapshot
from .personas import cast_for, operator, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return cast_for(small_plan())


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _system(user, org, name: str, **kw) -> InformationSystem:
    values = {"segment": "lgwan", "hosting": "cloud", "in_service_on": date(2015, 4, 1), "state": "active"}
    values.update(kw)
    return system_save(user=user, system=InformationSystem(organization=org, name=name, **values))


# -- indicators ---------------------------------------------------------------------------------------

def test_admin_records_an_actual_in_wareki_and_the_chart_updates(cast):
    indicator = indicator_create(organization=cast.org, plan=cast.plan, name="電子申請の件数", unit="件",
                                 direction="higher")
    client = _client(cast.sato)
    url = reverse("indicators:detail", args=[indicator.pk])
    before = client.get(url).content.decode()
    assert 'id="save-observation"' in before
    res = client.post(reverse("indicators:observation_add", args=[indicator.pk]),
                      {"kind": "actual", "value": "１,２００", "as_of": "R元年度末", "source": "利用実績", "note": ""})
    assert res.status_code == 302
    obs = Observation.objects.get(indicator=indicator)
    assert obs.value == 1200 and obs.as_of == date(2020, 3, 31) and obs.as_of_text == "R元年度末"
    after = client.get(url).content.decode()
    assert "を登録しました" in after and "令和2年3月31日" in after and "1,200" in after
    def chart(page: str) -> str:
        return page[page.index('<figure class="chart"'):page.index("</figure>")]

    assert chart(after) != chart(before)  # the trend chart is drawn again with the new value


def test_bad_indicator_input_is_refused_with_the_field_named(cast):
    indicator = indicator_create(organization=cast.org, name="指標", unit="件", direction="higher")
    client = _client(cast.sato)
    res = client.post(reverse("indicators:observation_add", args=[indicator.pk]),
                      {"kind": "actual", "value": "約56万", "as_of": "R99.13", "source": ""})
    page = res.content.decode()
    assert res.status_code == 422 and "数値ではありません" in page and 'aria-invalid="true"' in page
    assert not Observation.objects.exists()
    # a viewer reads but may not record
    assert _client(cast.ito).post(reverse("indicators:observation_add", args=[indicator.pk]),
                                  {"kind": "actual", "value": "1", "as_of": "R1.5", "source": "x"}).status_code == 403
    assert 'id="save-observation"' not in _client(cast.ito).get(
        reverse("indicators:detail", args=[indicator.pk])).content.decode()


def test_indicator_csv_upload_all_or_nothing(cast, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(cast.sato)
    page = client.get(reverse("indicators:upload")).content.decode()
    assert "神奈川県" in page and "横浜市" not in page
    good = "指標,単位,値,時点,種別,出典,note\nRPA導入業務数,業務,0,H29年度末,基準値,庁内調査,\nRPA導入業務数,業務,30,R4年度末,目標値,計画,\nRPA導入業務数,業務,12,R元.11,実績値,庁内調査,\n"
    bad = good + "RPA導入業務数,業務,約3,H31.2,実績値,庁内調査,\n"
    before = db_snapshot()
    res = client.post(reverse("indicators:upload"), {
        "organization": "140007", "plan": "", "observations": SimpleUploadedFile("kpi.csv", bad.encode("utf-8")),
    })
    page = res.content.decode()
    assert res.status_code == 422 and "kpi.csv:5「値」" in page and db_snapshot() == before
    res = client.post(reverse("indicators:upload"), {
        "organization": "140007", "plan": str(cast.plan.pk),
        "observations": SimpleUploadedFile("kpi.csv", good.encode("utf-8")),
    })
    assert res.status_code == 302
    assert Observation.objects.filter(indicator__name="RPA導入業務数").count() == 3
    assert _client(cast.suzuki).get(reverse("indicators:upload")).status_code == 403
    # 中村 (admin of 横浜市) may not import into 神奈川県
    res = _client(cast.nakamura).post(reverse("indicators:upload"), {
        "organization": "140007", "observations": SimpleUploadedFile("kpi.csv", good.encode("utf-8")),
    })
    assert res.status_code == 422 and Observation.objects.count() == 3


# -- register -----------------------------------------------------------------------------------------

def test_register_list_search_open_and_edit(cast):
    org = cast.org
    payroll = _system(cast.sato, org, "給与システム", department=cast.dept_b, purpose="職員の給与計算", contract_end=date(2027, 3, 31))
    _system(cast.sato, org, "電子申請システム", segment="internet", internet_facing=True)
    client = _client(cast.sato)
    listing = client.get(reverse("inventory:systems", args=["140007"])).content.decode()
    assert "給与システム" in listing and "電子申請システム" in listing
    found = client.get(reverse("inventory:systems", args=["140007"]), {"q": "給与"}).content.decode()
    assert "給与システム" in found and "電子申請システム" not in found and "1 件" in found
    by_dept = client.get(reverse("inventory:systems", args=["140007"]), {"q": "総務局"}).content.decode()
    assert "給与システム" in by_dept
    detail = client.get(reverse("inventory:system", args=["140007", payroll.pk])).content.decode()
    assert "令和9年3月31日（2027年3月31日）" in detail and "編集する" in detail
    edit = reverse("inventory:system_edit", args=["140007", payroll.pk])
    form = client.get(edit).content.decode()
    assert 'value="平成27年4月1日"' in form
    data = {"name": "給与システム", "department": str(cast.dept_b.pk), "purpose": "給与", "segment": "mynumber",
            "hosting": "cloud", "internet_facing": "on", "in_service_on": "H27.4.1", "retired_on": "",
            "contract_end": "R10.3.31", "state": "active", "successor": "", "note": ""}
    refused = client.post(edit, data)
    assert refused.status_code == 422 and "三層の構え" in refused.content.decode()
    payroll.refresh_from_db()
    assert payroll.segment == "lgwan"
    del data["internet_facing"]
    assert client.post(edit, data).status_code == 302
    payroll.refresh_from_db()
    assert payroll.segment == "mynumber" and payroll.contract_end == date(2028, 3, 31)
    # a viewer reads, but neither sees nor reaches the edit form
    viewer = _client(cast.ito)
    assert "編集する" not in viewer.get(reverse("inventory:system", args=["140007", payroll.pk])).content.decode()
    assert viewer.get(edit).status_code == 403 and viewer.post(edit, data).status_code == 403
    # another organization's system is not found through this organization's address
    yokohama = _system(cast.nakamura, organization_for_code(code="141003"), "横浜のシステム")
    assert client.get(reverse("inventory:system", args=["140007", yokohama.pk])).status_code == 404


# -- municipal follow-up ------------------------------------------------------------------------------

def test_prefecture_records_and_uploads_municipal_state(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    organizations_load_master(user=operator())
    goal = municipal_goal_create(user=operator(), prefecture=cast.org, name="オープンデータ取組済", target_date=date(2021, 3, 31),
                                 target_text="R2年度末")
    client = _client(cast.sato)
    url = reverse("inventory:municipal", args=[goal.pk])
    page = client.get(url).content.decode()
    assert "取組済 <strong>0</strong> / 33" in page
    res = client.post(reverse("inventory:municipal_record", args=[goal.pk]),
                      {"municipality": "141003", "achieved_on": "H29.3", "note": "ポータル公開"})
    assert res.status_code == 302
    assert MunicipalProgress.objects.get(goal=goal, municipality__code="141003").achieved_on == date(2017, 3, 31)
    page = client.get(url).content.decode()
    assert "取組済 <strong>1</strong> / 33" in page and "平成29年3月31日" in page
    bad = client.post(reverse("inventory:municipal_upload", args=[goal.pk]), {
        "file": SimpleUploadedFile("m.csv", "団体コード,取組済となった日,備考\n141305,R1.6,\n131016,R1.6,\n".encode())})
    assert bad.status_code == 422 and "神奈川県 の市町村ではありません" in bad.content.decode()
    assert MunicipalProgress.objects.filter(goal=goal, achieved_on__isnull=False).count() == 1
    ok = client.post(reverse("inventory:municipal_upload", args=[goal.pk]), {
        "file": SimpleUploadedFile("m.csv", "団体コード,取組済となった日,備考\n141305,R1.6,\n".encode())})
    assert ok.status_code == 302
    assert "取組済 <strong>2</strong> / 33" in client.get(url).content.decode()
    assert _client(cast.ito).post(reverse("inventory:municipal_record", args=[goal.pk]),
                                  {"municipality": "141003", "achieved_on": ""}).status_code == 403


# -- query counts: constant in plan size ----------------------------------------------------------------

def _grow(cast, times: int, tag: str) -> None:
    """Add ``times``× the small plan's size: initiatives under each item, departments, indicators, systems."""
    from tenken.orgs.services import department_get_or_create
    from tenken.plans.assignments import initiative_assign_departments

    items = list(Section.objects.filter(plan=cast.plan, depth=1))
    extra = Initiative.objects.bulk_create(
        Initiative(plan=cast.plan, section=item, number_label=f"{tag}{k}", text=f"追加の取組{tag}{k}", order=1000 + k)
        for item in items for k in range(times * 2)
    )
    depts = [department_get_or_create(organization=cast.org, name=f"追加の所属{tag}{n}") for n in range(times * 3)]
    for n, initiative in enumerate(extra):
        initiative_assign_departments(initiatives=Initiative.objects.filter(pk=initiative.pk).select_related("plan"),
                                      departments=[depts[n % len(depts)]])
    for i, item in enumerate(items):
        indicator_create(organization=cast.org, plan=cast.plan, name=f"指標{tag}{i}", unit="件",
                         direction="higher", sections=[item])
    for n in range(times * 3):
        _system(cast.sato, cast.org, f"システム{tag}{n}", department=cast.dept_a)


def _queries(user, urls: list[str]) -> list[int]:
    client = _client(user)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts.append(len(ctx.captured_queries))
    return counts


def test_new_pages_query_counts_do_not_grow_with_the_plan(cast):
    organizations_load_master(user=operator())
    goal = municipal_goal_create(user=operator(), prefecture=cast.org, name="目標", target_date=date(2021, 3, 31))
    indicator = indicator_create(organization=cast.org, name="電子申請", unit="件", direction="higher")
    system = _system(cast.sato, cast.org, "基幹システム", department=cast.dept_a)
    pages = ["/", reverse("indicators:list"), reverse("indicators:detail", args=[indicator.pk]),
             reverse("indicators:upload"), reverse("inventory:systems", args=["140007"]),
             reverse("inventory:system", args=["140007", system.pk]),
             reverse("inventory:system_edit", args=["140007", system.pk]),
             reverse("inventory:municipal", args=[goal.pk]), reverse("inventory:summary", args=["140007"])]

    def measure() -> dict[str, list[int]]:
        return {"sato": _queries(cast.sato, pages), "suzuki": _queries(cast.suzuki, ["/"]),
                "takahashi": _queries(cast.takahashi, ["/"]), "ito": _queries(cast.ito, ["/"])}

    # 1×: the small plan, one round open
    _grow(cast, 1, "a")
    services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2017, deadline=date(2018, 5, 31))
    one = measure()
    # 10×: ten times the initiatives, departments, indicators and systems, and a second open round
    _grow(cast, 9, "b")
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    assert survey_round.responses.count() == 3 + 3 + 27
    ten = measure()
    assert one == ten, (one, ten)
