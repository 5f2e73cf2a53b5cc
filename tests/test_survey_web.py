"""The web form: answering with the reason rule, concurrent edits (one wins, one is told), history,
the admin dashboard, uploads refused whole, and views that query no model directly."""

from __future__ import annotations

import ast
import io
import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tenken.orgs.services import department_get_or_create
from tenken.plans.assignments import initiative_assign_departments
from tenken.plans.models import Initiative
from tenken.reviews.models import InitiativeReview
from tenken.surveys import services
from tenken.surveys.models import ReviewChange
from tenken.surveys.workbook import C_REASON, C_STATUS, FIRST_ROW

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order").first()
    return cast, survey_round, response, initiative


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post_answer(client, response, initiative, **data):
    url = reverse("surveys:answer", args=[response.pk, initiative.pk])
    return client.post(url, {"change_reason": "", "outcome": "", "issues": "", **data})


def test_changed_needs_a_reason_on_the_web_form_too(world):
    cast, _, response, initiative = world
    suzuki = client_for(cast.suzuki)
    page = suzuki.get(reverse("surveys:answer", args=[response.pk, initiative.pk]))
    assert page.status_code == 200 and "③ 取組内容を変更した" in page.content.decode()
    res = post_answer(suzuki, response, initiative, status="変更", version=0)
    assert res.status_code == 422
    assert "変更の理由: 実施結果を「変更」とする場合は変更の理由を入力してください" in res.content.decode()
    assert not InitiativeReview.objects.exists()
    res = post_answer(suzuki, response, initiative, status="変更", change_reason="国の方針転換", version=0)
    assert res.status_code == 302
    review = InitiativeReview.objects.get()
    assert (review.status.code, review.change_reason, review.version, review.entered_by) == (
        "changed", "国の方針転換", 1, cast.suzuki,
    )


def test_two_sessions_edit_the_same_review_one_wins_one_is_told(world):
    cast, _, response, initiative = world
    services.review_answer(
        user=cast.suzuki, response=response,
        answer=services.Answer(initiative_id=initiative.pk, status="実施中", expected_version=0),
    )
    suzuki, sato = client_for(cast.suzuki), client_for(cast.sato)
    url = reverse("surveys:answer", args=[response.pk, initiative.pk])
    # Both open the form at version 1.
    for c in (suzuki, sato):
        assert 'name="version" value="1"' in c.get(url).content.decode()
    won = post_answer(suzuki, response, initiative, status="達成", outcome="鈴木の成果", version=1)
    assert won.status_code == 302
    lost = post_answer(sato, response, initiative, status="変更", change_reason="佐藤の理由", version=1)
    assert lost.status_code == 409
    body = lost.content.decode()
    assert "鈴木 さんが" in body and "この取組の回答を更新したため、保存しませんでした（開いたときの版 1、現在の版 2）" in body
    assert "現在の内容（版 2）: 実施結果「達成」" in body
    assert "佐藤の理由" in body  # the loser's input is kept on the page, not lost
    review = InitiativeReview.objects.get()
    assert (review.status.code, review.outcome, review.version) == ("achieved", "鈴木の成果", 2)
    assert list(review.changes.order_by("id").values_list("field", "new_value", "changed_by__username")) == [
        ("status", "実施中", "suzuki"), ("status", "達成", "suzuki"), ("outcome", "鈴木の成果", "suzuki"),
    ]
    # Re-opened at version 2, the admin's edit goes through and is recorded.
    assert post_answer(sato, response, initiative, status="変更", change_reason="佐藤の理由", version=2).status_code == 302
    page = sato.get(url).content.decode()
    assert "<td>達成</td><td>変更</td>" in page and "<td>佐藤</td>" in page


@pytest.mark.django_db(transaction=True)
def test_compare_and_swap_lets_exactly_one_of_two_simultaneous_writers_through():
    """Two threads (two database connections) save the same version at the same moment."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers with a file lock; the race is exercised on PostgreSQL")
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    initiative = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).first()
    services.review_answer(user=cast.suzuki, response=response,
                           answer=services.Answer(initiative_id=initiative.pk, status="実施中"))
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def write(user, text):
        try:
            barrier.wait()
            services.review_answer(user=user, response=response, answer=services.Answer(
                initiative_id=initiative.pk, status="達成", outcome=text, expected_version=1))
            outcomes[user.username] = "saved"
        except services.EditConflict as exc:
            outcomes[user.username] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(u, u.username)) for u in (cast.suzuki, cast.sato)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v == "saved" for v in outcomes.values()) == [False, True]
    winner = next(k for k, v in outcomes.items() if v == "saved")
    loser_message = next(v for v in outcomes.values() if v != "saved")
    assert "保存しませんでした" in loser_message
    review = InitiativeReview.objects.get()
    assert (review.outcome, review.version) == (winner, 2)
    assert ReviewChange.objects.filter(field="outcome").count() == 1


def test_submitted_answers_are_locked_until_returned(world):
    cast, _, response, initiative = world
    suzuki = client_for(cast.suzuki)
    second = Initiative.objects.filter(plan=cast.plan, departments=cast.dept_a).order_by("order").last()
    post_answer(suzuki, response, initiative, status="達成", version=0)
    res = suzuki.post(reverse("surveys:submit", args=[response.pk]), follow=True)
    assert "未回答の取組が1件あります（1-2）" in res.content.decode()
    post_answer(suzuki, response, second, status="実施中", version=0)
    res = suzuki.post(reverse("surveys:submit", args=[response.pk]), follow=True)
    assert "提出しました（提出済）" in res.content.decode()
    res = post_answer(suzuki, response, initiative, status="変更", change_reason="x", version=2)
    body = res.content.decode()
    assert res.status_code == 422 and 'id="save-answer"' not in body  # read-only now
    assert "回答は「提出済」のため変更できません（差戻しされた場合に修正できます）" in body
    assert InitiativeReview.objects.get(initiative=initiative).status.code == "achieved"
    takahashi = client_for(cast.takahashi)
    res = takahashi.post(reverse("surveys:return", args=[response.pk]), {"comment": "成果を具体的に"}, follow=True)
    assert "差し戻しました" in res.content.decode() and "差戻しの理由: 成果を具体的に" in res.content.decode()
    assert post_answer(suzuki, response, initiative, status="達成", outcome="具体的な成果",
                       version=3).status_code == 302


def test_dashboard_counts_who_has_not_answered(world):
    cast, survey_round, response, initiative = world
    services.review_answer(user=cast.suzuki, response=response,
                           answer=services.Answer(initiative_id=initiative.pk, status="達成"))
    page = client_for(cast.sato).get(reverse("surveys:round", args=[survey_round.pk])).content.decode()
    assert '<td class="num" data-state="not_submitted">3</td>' in page
    assert "回答済みの取組 1 / 6 件" in page
    assert "未回答の所属（3）" in page and "政策局（未提出、回答済み 1 / 2 件）" in page
    assert client_for(cast.tanaka).post(reverse("surveys:close", args=[survey_round.pk])).status_code == 403
    sato = client_for(cast.sato)
    unconfirmed = sato.post(reverse("surveys:close", args=[survey_round.pk]))  # closing needs the confirmation
    assert unconfirmed.status_code == 422 and "確認の欄にチェックを入れてください" in unconfirmed.content.decode()
    page = sato.post(reverse("surveys:close", args=[survey_round.pk]), {"confirm": "on"}, follow=True).content.decode()
    assert "を締め切りました" in page and "締切済" in page and 'id="close-round"' not in page
    res = post_answer(client_for(cast.suzuki), response, initiative, status="実施中", version=1)
    assert res.status_code == 422 and "この照会は締め切られています" in res.content.decode()
    assert "のため変更できません" not in res.content.decode()
    # An editor sees the round but only its own department, and no dashboard.
    page = client_for(cast.tanaka).get(reverse("surveys:round", args=[survey_round.pk])).content.decode()
    assert "回答状況" not in page and "総務局" in page and "政策局" not in page


def test_upload_for_another_department_is_refused_with_nothing_written(world):
    cast, survey_round, response, _ = world
    sato = client_for(cast.sato)
    other = survey_round.responses.get(department=cast.dept_b)
    data = sato.get(reverse("surveys:workbook", args=[other.pk])).content
    wb = load_workbook(io.BytesIO(data))
    ws = wb["回答"]
    ws.cell(FIRST_ROW, C_STATUS).value = "③ 取組内容を変更した"
    ws.cell(FIRST_ROW, C_REASON).value = None
    out = io.BytesIO()
    wb.save(out)
    for target, expected in ((response, "この回答票は「総務局」用です。「政策局」の回答としては受け付けません"),
                             (other, "実施結果を「変更」とする場合は変更の理由を入力してください")):
        upload = io.BytesIO(out.getvalue())
        upload.name = "総務局.xlsx"
        res = sato.post(reverse("surveys:upload", args=[target.pk]), {"workbook": upload})
        assert res.status_code == 422
        assert expected in res.content.decode() and "何も登録していません" in res.content.decode()
    assert not InitiativeReview.objects.exists()


@pytest.mark.parametrize("module", ["surveys", "reviews"])
def test_views_query_no_model_directly(module):
    source = Path(__file__).resolve().parent.parent / "tenken" / module / "views.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "objects" not in attributes
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.endswith("models") for m in imported)


def test_macro_hidden_in_an_xlsx_upload_is_refused(world, tmp_path):
    import zipfile

    cast, _, response, _ = world
    suzuki = client_for(cast.suzuki)
    data = suzuki.get(reverse("surveys:workbook", args=[response.pk])).content
    disguised = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(disguised, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00")
    disguised.seek(0)
    disguised.name = "回答.xlsx"
    res = suzuki.post(reverse("surveys:upload", args=[response.pk]), {"workbook": disguised})
    assert res.status_code == 422
    assert "回答.xlsx: マクロ（VBAプロジェクト vbaProject.bin）が含まれているため受け付けません" in res.content.decode()
    assert not InitiativeReview.objects.exists()


def _queries(client, url) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_the_number_of_initiatives(kanagawa_plan):
    """The Kanagawa 政策局 response (60 initiatives, all answered) costs what a 2-initiative one does."""
    big = cast_for(kanagawa_plan)
    big_round = services.round_open(user=big.sato, plan=big.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    big_response = big_round.responses.get(department=big.dept_a)
    for i in Initiative.objects.filter(plan=big.plan, departments=big.dept_a, is_heading=False):
        services.review_answer(user=big.suzuki, response=big_response,
                               answer=services.Answer(initiative_id=i.pk, status="達成"))
    small = small_plan("141003")  # 横浜市: six initiatives, two answered
    admin = big.nakamura  # 横浜市's admin

    dept = department_get_or_create(organization=small.organization, name="デジタル統括本部")
    initiative_assign_departments(initiatives=small.initiatives.select_related("plan"), departments=[dept])
    small_round = services.round_open(user=admin, plan=small, fiscal_year=2018, deadline=date(2019, 5, 31))
    small_response = small_round.responses.get()
    for i in small.initiatives.all()[:2]:
        services.review_answer(user=admin, response=small_response,
                               answer=services.Answer(initiative_id=i.pk, status="達成"))
    c_big, c_small = client_for(big.sato), client_for(admin)
    assert _queries(c_big, reverse("surveys:response", args=[big_response.pk])) == _queries(
        c_small, reverse("surveys:response", args=[small_response.pk])
    )
    assert _queries(c_big, reverse("surveys:round", args=[big_round.pk])) == _queries(
        c_small, reverse("surveys:round", args=[small_round.pk])
    )
