"""Issue #12: every link in a notification e-mail is absolute: ``TENKEN_BASE_URL`` when set, else the host of
the request that sent it; ``tenken check --deploy`` warns when the setting is unset."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from tenken.plans.models import Initiative
from tenken.surveys import services

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db

LINK = re.compile(r"^(https?://\S+)$", re.M)


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _every_mail_link_resolves(prefix: str) -> None:
    assert mail.outbox
    for message in mail.outbox:
        links = _links(message)
        assert links, (message.subject, message.body)
        for link in links:
            assert link.startswith(prefix + "/"), link
            resolve(link.removeprefix(prefix))  # a page of tenken, not a dead path


def test_mails_built_outside_a_request_use_the_base_url(settings, django_capture_on_commit_callbacks):
    settings.TENKEN_BASE_URL = "https://tenken.pref.example.lg.jp/"
    cast = cast_for(small_plan())
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018,
                                           deadline=date(2019, 5, 31))
        response = survey_round.responses.get(department=cast.dept_a)
        for i in Initiative.objects.filter(departments=cast.dept_a):
            services.review_answer(user=cast.suzuki, response=response,
                                   answer=services.Answer(initiative_id=i.pk, status="達成"))
        services.response_submit(user=cast.suzuki, response=response)
        services.response_return(user=cast.takahashi, response=response, comment="具体的に")
        services.round_close(user=cast.sato, survey_round=survey_round)
        services.round_reopen(user=cast.sato, survey_round=survey_round)
    services.round_remind(user=cast.sato, survey_round=survey_round)
    kinds = {m.subject[:m.subject.index("】") + 1] for m in mail.outbox}
    assert kinds == {"【照会】", "【承認依頼】", "【差戻し】", "【締切】", "【受付再開】", "【督促】"}
    _every_mail_link_resolves("https://tenken.pref.example.lg.jp")
    # and the link opens the response for the person it was sent to
    (returned,) = [m for m in mail.outbox if m.subject.startswith("【差戻し】")]
    client = Client()
    client.force_login(cast.suzuki)
    path = _links(returned)[0].removeprefix("https://tenken.pref.example.lg.jp")
    assert path == reverse("surveys:response", args=[response.pk])
    assert client.get(path).status_code == 200


def test_mails_sent_during_a_request_fall_back_to_its_host(settings, django_capture_on_commit_callbacks):
    settings.TENKEN_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["tenken.intra.example"]
    cast = cast_for(small_plan())
    client = Client(HTTP_HOST="tenken.intra.example")
    client.force_login(cast.sato)
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(reverse("surveys:open"), {"plan": cast.plan.pk, "fiscal_year": 2018,
                                                    "deadline": "2019-05-31"})
    assert res.status_code == 302
    assert {m.to[0] for m in mail.outbox} == {"suzuki@pref.kanagawa.example", "tanaka@pref.kanagawa.example"}
    _every_mail_link_resolves("http://tenken.intra.example")


def test_check_deploy_warns_without_a_base_url(settings, capsys):
    settings.TENKEN_BASE_URL = ""
    call_command("check", "--deploy", "--tag", "tenken")
    out = capsys.readouterr()
    assert "TENKEN_BASE_URL" in out.out + out.err
    settings.TENKEN_BASE_URL = "https://tenken.pref.example.lg.jp"
    call_command("check", "--deploy", "--tag", "tenken")
    out = capsys.readouterr()
    assert "TENKEN_BASE_URL" not in out.out + out.err
