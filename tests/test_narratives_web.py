"""Report texts written in the browser: a 取組項目's narrative prefilled from the approved answers (変更
reasons gathered), saved as a draft, approved, made a draft again by any change, with who/when/old→new;
the chapter texts likewise; and who may write what."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tenken.orgs.access import AccessDenied
from tenken.plans.models import Initiative, Section
from tenken.reports.context import build_report_context
from tenken.reviews import services as review_services
from tenken.reviews.models import NarrativeChange, SectionNarrative
from tenken.surveys import services

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    first, second = Initiative.objects.filter(departments=cast.dept_a).order_by("order")
    services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
        initiative_id=first.pk, status="変更", change_reason="国の補助制度が終わったため", outcome="実証を終えた",
        issues="民間への展開"))
    services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
        initiative_id=second.pk, status="達成", outcome="全庁に導入した"))
    services.response_submit(user=cast.suzuki, response=response)
    services.response_approve(user=cast.takahashi, response=response)
    item = Section.objects.get(plan=cast.plan, depth=1, title="取組項目1ア")
    return cast, survey_round.inspection, item, first, second


def test_prefilled_from_approved_answers_saved_approved_and_reset(world):
    cast, inspection, item, _first, _second = world
    url = reverse("reviews:narrative", args=[inspection.pk, item.pk])
    suzuki = client_for(cast.suzuki)  # editor of the lead department 政策局
    page = suzuki.get(url).content.decode()
    assert "承認済みの回答から下書きを作りました" in page
    assert "方針1の取組1 (理由) 国の補助制度が終わったため" in page  # 変更 reason gathered automatically
    assert "実証を終えた\n全庁に導入した" in page and "民間への展開" in page
    assert not SectionNarrative.objects.exists()  # a prefill is not a write
    form = {"main_initiatives": "方針1の取組2", "results": "実証を終えた\n全庁に導入した",
            "issues_and_plans": "民間への展開", "changed_initiatives": "方針1の取組1 (理由) 国の補助制度が終わったため"}
    assert suzuki.post(url, form).status_code == 302
    narrative = SectionNarrative.objects.get()
    assert (narrative.state, narrative.updated_by, narrative.results) == ("draft", cast.suzuki, "実証を終えた\n全庁に導入した")
    assert client_for(cast.tanaka).post(url, form).status_code == 403  # another department
    assert client_for(cast.takahashi).post(url, {"action": "approve"}).status_code == 302  # lead's approver
    narrative.refresh_from_db()
    assert narrative.state == "approved"
    # Any change makes it a draft again; the history tells who changed what from what to what.
    client_for(cast.sato).post(url, {**form, "results": "実証を終え、全庁に導入した"})
    narrative.refresh_from_db()
    assert (narrative.state, narrative.results) == ("draft", "実証を終え、全庁に導入した")
    history = list(NarrativeChange.objects.filter(section=item).order_by("id").values_list(
        "field", "old_value", "new_value", "changed_by__username"))
    assert history[-3:] == [
        ("state", "下書き", "承認", "takahashi"),
        ("results", "実証を終えた\n全庁に導入した", "実証を終え、全庁に導入した", "sato"),
        ("state", "承認", "下書き", "sato"),
    ]
    page = suzuki.get(url).content.decode()
    assert "承認済みの回答から下書きを作りました" not in page and "<td>佐藤</td>" in page
    # The report shows the texts.
    ctx = build_report_context(plan_id=cast.plan.pk)
    assert "実証を終え、全庁に導入した" in str(ctx.__dict__)


def test_chapter_texts_by_the_ict_division_only(world):
    cast, inspection, *_ = world
    url = reverse("reviews:texts", args=[inspection.pk])
    assert client_for(cast.suzuki).post(url, {"purpose": "x", "conclusion": "y"}).status_code == 403
    sato = client_for(cast.sato)
    assert sato.post(url, {"action": "approve"}).status_code == 422  # nothing written yet
    sato.post(url, {"purpose": "計画の進み具合を確かめる", "conclusion": "おおむね順調"})
    sato.post(url, {"action": "approve"})
    inspection.refresh_from_db()
    assert (inspection.purpose, inspection.conclusion, inspection.text_state) == (
        "計画の進み具合を確かめる", "おおむね順調", "approved")
    page = client_for(cast.ito).get(url).content.decode()  # a viewer reads, cannot write
    assert "おおむね順調" in page and 'id="save-texts"' not in page
    assert client_for(cast.nakamura).get(url).status_code == 403
    with pytest.raises(AccessDenied):
        review_services.inspection_texts_update(user=cast.tanaka, inspection=inspection, purpose="", conclusion="")


def test_narratives_list_shows_lead_department_and_state(world):
    cast, inspection, item, *_ = world
    page = client_for(cast.suzuki).get(reverse("reviews:narratives", args=[inspection.pk])).content.decode()
    row = page[page.index(f'id="item-{item.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "政策局" in row and "2 / 2" in row and "未作成" in row and "（書けます）" in row
    other = Section.objects.get(plan=cast.plan, depth=1, title="取組項目2ア")
    row = page[page.index(f'id="item-{other.pk}"'):]
    assert "（書けます）" not in row[:row.index("</tr>")]
