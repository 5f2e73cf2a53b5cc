"""The optional 取組名 of an initiative, edited in the web through the plan-editing service (recorded in the
plan's history) and shown on the edit pages when it is set."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tenken.common.errors import InputRejected
from tenken.plans import editing
from tenken.plans.models import Initiative, PlanChange


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_name_is_edited_in_the_web_and_recorded_in_history(cast):
    sato = client_for(cast.sato)
    plan = cast.plan
    ini = plan.initiatives.filter(is_heading=False).order_by("order").first()
    text = ini.text
    url = reverse("plans:initiative_edit", args=[plan.pk, ini.pk])
    assert 'name="initiative_name"' in sato.get(url).content.decode()
    res = sato.post(url, {"form": "initiative", "initiative_name": "  電子申請の拡充 ", "text": text,
                          "number_label": ini.number_label, "section": ini.section_id,
                          "departments": [d.pk for d in ini.departments.all()], "note": ini.note})
    assert res.status_code == 302
    ini.refresh_from_db()
    assert (ini.name, ini.text) == ("電子申請の拡充", text)
    change = PlanChange.objects.get(plan=plan, target="initiative", target_id=ini.pk, field="取組名")
    assert (change.changed_by, change.old_value, change.new_value) == (cast.sato, "", "電子申請の拡充")
    assert not PlanChange.objects.filter(plan=plan, target_id=ini.pk, field="取組内容").exists()
    edit_page = sato.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert "<strong>電子申請の拡充</strong>" in edit_page
    assert "電子申請の拡充" in sato.get(reverse("plans:initiative_history", args=[plan.pk, ini.pk])).content.decode()
    # a form without the field (an older page) leaves the name as it is
    sato.post(url, {"form": "initiative", "text": text, "number_label": ini.number_label, "section": ini.section_id})
    ini.refresh_from_db()
    assert ini.name == "電子申請の拡充"


def test_a_new_initiative_takes_a_name_and_an_over_long_one_is_refused(cast):
    plan = cast.plan
    section = plan.sections.filter(depth=1).order_by("order").first()
    res = client_for(cast.sato).post(reverse("plans:initiative_add", args=[plan.pk]), {
        "section": section.pk, "number_label": "新1", "initiative_name": "RPA", "text": "定型業務を自動化する"})
    assert res.status_code == 302
    ini = Initiative.objects.get(plan=plan, number_label="新1")
    assert (ini.name, ini.text) == ("RPA", "定型業務を自動化する")
    with pytest.raises(InputRejected, match="取組名が200文字を超えています"):
        editing.initiative_update(user=cast.sato, initiative=ini, name="名" * 201)
    ini.refresh_from_db()
    assert ini.name == "RPA"
