"""工程表: an overdue milestone is shown to its department (and the ICT division), nobody else."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from tenken.common.errors import InputRejected
from tenken.orgs.access import AccessDenied
from tenken.plans.editing import milestone_create, milestone_set_done, parse_due
from tenken.plans.milestones import milestone_reminder_text, overdue_milestones_for
from tenken.plans.models import Initiative

TODAY = date(2020, 7, 1)


def first_of(cast, dept):
    return Initiative.objects.filter(plan=cast.plan, departments=dept, is_heading=False).order_by("order").first()


def test_fiscal_quarters_and_wareki():
    assert parse_due("R2年度第1四半期")[0] == date(2020, 6, 30)
    assert parse_due("令和2年度第4四半期")[0] == date(2021, 3, 31)
    assert parse_due("2020Q3")[0] == date(2020, 12, 31)
    assert parse_due("R元.11")[0] == date(2019, 11, 30)
    with pytest.raises(InputRejected, match="期限"):
        parse_due("そのうち")


def test_overdue_milestone_shown_to_the_right_department_only(cast):
    a_item, b_item = first_of(cast, cast.dept_a), first_of(cast, cast.dept_b)
    late = milestone_create(user=cast.sato, initiative=a_item, title="RPA 5業務の本格導入", due="R2年度第1四半期")
    milestone_create(user=cast.sato, initiative=a_item, title="説明会", due="R3.3")  # not yet due
    done = milestone_create(user=cast.sato, initiative=b_item, title="新サイトへ更新", due="R元.9")
    milestone_set_done(user=cast.tanaka, milestone=done, done=True, on=date(2019, 9, 30))

    def shown(user):
        return [m.milestone_id for m in overdue_milestones_for(user, today=TODAY)]

    assert shown(cast.suzuki) == [late.pk] and shown(cast.takahashi) == [late.pk]  # department A
    assert shown(cast.sato) == [late.pk] and shown(cast.ito) == [late.pk]  # ICT division, org-wide viewer
    for other in (cast.tanaka, cast.yamamoto, cast.kobayashi, cast.watanabe, cast.nakamura):
        assert shown(other) == []
    row = overdue_milestones_for(cast.suzuki, today=TODAY)[0]
    assert row.days_overdue == 1 and row.due_label == "R2年度第1四半期" and row.departments == ("政策局",)
    assert "RPA 5業務の本格導入" in milestone_reminder_text(department=cast.dept_a, today=TODAY)
    assert milestone_reminder_text(department=cast.dept_b, today=TODAY) == ""


def test_only_the_department_marks_its_milestone_done(cast):
    m = milestone_create(user=cast.sato, initiative=first_of(cast, cast.dept_a), title="x", due="2020-04-30")
    with pytest.raises(AccessDenied):
        milestone_set_done(user=cast.tanaka, milestone=m, done=True)
    with pytest.raises(AccessDenied):
        milestone_create(user=cast.suzuki, initiative=m.initiative, title="y", due="2020-04-30")
    milestone_set_done(user=cast.suzuki, milestone=m, done=True)
    assert overdue_milestones_for(cast.suzuki, today=TODAY) == []


def test_reminder_mail_lists_overdue_milestones(cast, settings):
    from tenken.surveys.services import round_open, round_remind

    milestone_create(user=cast.sato, initiative=first_of(cast, cast.dept_a), title="庁内説明会の実施", due="2018-06-30")
    survey_round = round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    round_remind(user=cast.sato, survey_round=survey_round)
    to_a = [m for m in mail.outbox if "suzuki@pref.kanagawa.example" in m.to]
    to_b = [m for m in mail.outbox if "tanaka@pref.kanagawa.example" in m.to]
    assert len(to_a) == 1 and "期限を過ぎた工程が1件" in to_a[0].body and "庁内説明会の実施" in to_a[0].body
    assert to_b and "期限を過ぎた工程" not in to_b[0].body


def test_home_page_lists_the_departments_overdue_milestones(cast):
    from django.test import Client

    milestone_create(user=cast.sato, initiative=first_of(cast, cast.dept_a), title="庁内説明会の実施", due="2018-06-30")
    for user, shown in ((cast.suzuki, True), (cast.sato, True), (cast.tanaka, False)):
        c = Client()
        c.force_login(user)
        page = c.get("/").content.decode()
        assert ("庁内説明会の実施" in page) is shown and ('id="overdue-milestones"' in page) is shown


@pytest.mark.parametrize("due", [date(2020, 3, 31), "2020-03-31"])
def test_a_due_date_given_as_a_date_is_shown_in_wareki(cast, client, due):
    """#12: no ISO dates shown to people — the home page's overdue list and the initiative's 工程表."""
    from django.urls import reverse

    initiative = first_of(cast, cast.dept_a)
    milestone_create(user=cast.sato, initiative=initiative, title="要件定義", due=due)
    client.force_login(cast.sato)
    for url in ("/", reverse("plans:initiative_history", args=[cast.plan.pk, initiative.pk]),
                reverse("plans:initiative_edit", args=[cast.plan.pk, initiative.pk])):
        html = client.get(url).content.decode()
        assert "令和2年3月31日" in html and "2020-03-31" not in html, url
