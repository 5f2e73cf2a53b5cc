"""Finding 1 of issue #14: any write to a review's content resets its approval and re-enters the workflow.

Set-up as measured: a plan whose 2018 results were imported (approved), then a 2018 survey round that
reuses that annual inspection. Every write path — web form, workbook upload, the inspection import,
reassignment of the initiative to another department, Django admin — must leave the edited text off
the public surface (pages, API, every download, the catalogue) until an approver approves it.

With pub's publication rule (tenken/public/visibility.py) the public surface is stronger still: it shows
the *published* version of an inspection, so an edit stays off it through approval until the ICT admin
publishes again; the imported results are published once in the set-up.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tenken.opendata.package import plan_files
from tenken.plans.assignments import initiative_assign_departments
from tenken.plans.models import Initiative, Status
from tenken.reviews.models import InitiativeReview, Inspection
from tenken.surveys import services
from tenken.surveys.models import ReviewChange
from tenken.surveys.workbook import C_OUTCOME, C_STATUS, FIRST_ROW, build_workbook

from .personas import cast_for, operator, small_plan
from .public.conftest import publish

pytestmark = pytest.mark.django_db

SECRET = "未承認の編集内容"


def public_text(plan) -> str:
    """Everything an anonymous visitor can read about ``plan``: pages, API, downloads, catalogue."""
    client = Client()
    parts = []
    urls = ["/public/", f"/public/plans/{plan.pk}/", f"/public/plans/{plan.pk}/data/", "/public/catalog.jsonld",
            f"/public/plans/{plan.pk}/?q={SECRET}"]
    urls += [f"/public/plans/{plan.pk}/initiatives/{i.pk}/" for i in Initiative.objects.filter(plan=plan)]
    for url in urls:
        res = client.get(url)
        assert res.status_code == 200, url
        parts.append(res.content.decode().replace(f"q={SECRET}", "").replace(f'value="{SECRET}"', ""))
    api = f"/api/v1/reviews/?plan={plan.pk}&limit=100"
    while api:
        data = client.get(api).json()
        parts.append(json.dumps(data, ensure_ascii=False))
        api = data["next"]
    for name in plan_files(plan=plan):
        res = client.get(f"/public/plans/{plan.pk}/data/{name}")
        assert res.status_code == 200, name
        body = b"".join(res.streaming_content) if res.streaming else res.content
        if name.endswith(".xlsx"):
            wb = load_workbook(io.BytesIO(body))
            parts += [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
        elif name.endswith("_cp932.csv"):
            parts.append(body.decode("cp932"))
        else:
            parts.append(body.decode("utf-8"))
    return "\n".join(parts)


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    annual = Inspection.objects.create(plan=cast.plan, kind=Inspection.Kind.ANNUAL, fiscal_year=2018,
                                       title="2018年度 点検", as_of=date(2019, 3, 31))
    achieved = Status.objects.get(plan=cast.plan, code="achieved")
    for initiative in Initiative.objects.filter(plan=cast.plan):
        InitiativeReview.objects.create(inspection=annual, initiative=initiative, fiscal_year=2018, status=achieved,
                                        outcome="取込時の成果", approval=InitiativeReview.Approval.APPROVED)
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    assert survey_round.inspection_id == annual.pk
    publish(annual, cast.sato)  # the imported results, published
    return cast, survey_round


def a_review(cast, dept) -> InitiativeReview:
    initiative = Initiative.objects.filter(plan=cast.plan, departments=dept).order_by("order").first()
    return InitiativeReview.objects.get(initiative=initiative, inspection__fiscal_year=2018)


def approve(cast, survey_round, dept, approver) -> None:
    response = survey_round.responses.get(department=dept)
    if response.state in response.EDITABLE:
        services.response_submit(user=cast.sato, response=response)
    services.response_approve(user=approver, response=response)


def assert_secret_public_only_after_approval(cast, survey_round, dept, approver, review_pk):
    review = InitiativeReview.objects.get(pk=review_pk)
    assert review.approval != InitiativeReview.Approval.APPROVED
    assert ReviewChange.objects.filter(review=review, field="approval", new_value="下書き").exists()
    assert SECRET not in public_text(cast.plan)
    approve(cast, survey_round, dept, approver)
    assert_public_after_publication(cast, survey_round)


def assert_public_after_publication(cast, survey_round) -> None:
    """Approved: still the published version until the ICT admin publishes again, then the new text."""
    assert SECRET not in public_text(cast.plan)
    publish(survey_round.inspection, cast.sato)
    assert SECRET in public_text(cast.plan)


def test_the_imported_results_are_public_to_begin_with(world):
    cast, _ = world
    assert "取込時の成果" in public_text(cast.plan)


def test_web_form_edit_of_an_approved_review_is_not_public_until_approved(world):
    cast, survey_round = world
    review = a_review(cast, cast.dept_a)
    client = Client()
    client.force_login(cast.suzuki)
    response = survey_round.responses.get(department=cast.dept_a)
    res = client.post(reverse("surveys:answer", args=[response.pk, review.initiative_id]), {
        "status": "達成", "change_reason": "", "outcome": SECRET, "issues": "", "version": review.version})
    assert res.status_code == 302
    assert_secret_public_only_after_approval(cast, survey_round, cast.dept_a, cast.takahashi, review.pk)


def test_workbook_upload_is_not_public_until_approved(world, tmp_path: Path):
    cast, survey_round = world
    response = survey_round.responses.get(department=cast.dept_b)
    wb = load_workbook(io.BytesIO(build_workbook(response=response)))
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=1).value:
            ws.cell(row=r, column=C_STATUS, value="① 取組内容を達成した")
            ws.cell(row=r, column=C_OUTCOME, value=SECRET)
    path = tmp_path / "b.xlsx"
    wb.save(path)
    client = Client()
    client.force_login(cast.tanaka)
    with open(path, "rb") as fh:
        res = client.post(reverse("surveys:upload", args=[response.pk]), {"workbook": fh})
    assert res.status_code == 302, res.content.decode()[:2000]
    review = a_review(cast, cast.dept_b)
    assert review.approval == InitiativeReview.Approval.SUBMITTED  # uploaded = submitted, not approved
    assert SECRET not in public_text(cast.plan)
    services.response_approve(user=cast.yamamoto, response=response)
    assert_public_after_publication(cast, survey_round)


def test_inspection_import_of_a_change_reason_resets_approval(world):
    from tenken.reviews.narratives import ItemNarrative
    from tenken.reviews.services import inspection_import_narratives

    cast, survey_round = world
    review = a_review(cast, cast.dept_a)
    changed = Status.objects.get(plan=cast.plan, code="changed")
    InitiativeReview.objects.filter(pk=review.pk).update(status=changed, change_reason="当初の理由")
    item = review.initiative.section
    narrative = ItemNarrative(
        where="items.csv:2行目", policy=item.parent.title, code=item.code, item=item.title, declared={},
        texts={"changed_initiatives": f"{review.initiative.text}（理由）{SECRET}"},
    )
    assert narrative.changed_statements[0].reason == SECRET
    inspection_import_narratives(user=operator(), inspection=survey_round.inspection, items=[narrative])
    assert InitiativeReview.objects.get(pk=review.pk).change_reason == SECRET
    assert_secret_public_only_after_approval(cast, survey_round, cast.dept_a, cast.takahashi, review.pk)


def test_reassignment_resets_approval_and_the_new_departments_draft_stays_private(world):
    cast, survey_round = world
    review = a_review(cast, cast.dept_a)
    approve(cast, survey_round, cast.dept_b, cast.yamamoto)  # B was done before it was given A's initiative
    initiative_assign_departments(initiatives=[review.initiative], departments=[cast.dept_b], user=cast.sato)
    review.refresh_from_db()
    assert review.approval == InitiativeReview.Approval.DRAFT
    response_b = survey_round.responses.get(department=cast.dept_b)
    assert response_b.state in response_b.EDITABLE  # re-enters the workflow
    services.review_answer(user=cast.tanaka, response=response_b, answer=services.Answer(
        initiative_id=review.initiative_id, status="達成", outcome=SECRET, expected_version=review.version))
    assert_secret_public_only_after_approval(cast, survey_round, cast.dept_b, cast.yamamoto, review.pk)


def test_cli_survey_assign_resets_approval(world, tmp_path: Path):
    from django.core.management import call_command

    cast, _ = world
    review = a_review(cast, cast.dept_a)
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"取組項目,所属\n{review.initiative.section.title},総務局\n", encoding="utf-8")
    call_command("survey", "assign", str(mapping), "--user", "sato", "--plan", str(cast.plan.pk))
    review.refresh_from_db()
    assert review.approval == InitiativeReview.Approval.DRAFT
    assert "取込時の成果" in InitiativeReview.objects.get(pk=review.pk).outcome


def test_admin_cannot_edit_or_approve_a_review(world):
    cast, _ = world
    review = a_review(cast, cast.dept_a)
    cast.sato.is_staff = cast.sato.is_superuser = True
    cast.sato.save()
    client = Client()
    client.force_login(cast.sato)
    url = reverse("admin:reviews_initiativereview_change", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200
    res = client.post(url, {"inspection": review.inspection_id, "initiative": review.initiative_id,
                            "fiscal_year": 2018, "status": review.status_id, "outcome": SECRET,
                            "approval": "approved", "version": 1})
    assert res.status_code == 403
    assert InitiativeReview.objects.get(pk=review.pk).outcome == "取込時の成果"
    assert SECRET not in public_text(cast.plan)
