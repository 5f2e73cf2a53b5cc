"""The survey round run entirely in the web by the ICT division: the Tokyo default deadline, fixing
unassigned initiatives, the ZIP of workbooks, many uploads at once, the progress board, confirmed close
and reopen, notifications (mail and in-app), the approver's one-page view — and constant query counts."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tenken.orgs.access import AccessDenied
from tenken.plans.assignments import plan_assign_departments
from tenken.plans.models import Initiative, Plan, Section, Status
from tenken.reviews.models import InitiativeReview, Inspection
from tenken.surveys import selectors, services
from tenken.surveys.models import Notification, Response
from tenken.surveys.workbook import C_ID, C_REASON, C_STATUS, FIRST_ROW

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sized_plan(items_per_policy: int) -> Plan:
    """small_plan's shape with ``items_per_policy`` 取組項目 of two initiatives under each of three policies."""
    plan = small_plan()
    if items_per_policy == 1:
        return plan
    order = 1000
    for policy in Section.objects.filter(plan=plan, depth=0):
        for k in range(1, items_per_policy):
            order += 10
            item = Section.objects.create(plan=plan, parent=policy, depth=1, code=str(k), title=f"{policy.title}項目{k}",
                                          order=order)
            for n in range(2):
                Initiative.objects.create(plan=plan, section=item, number_label=f"{policy.code}-{k}-{n}",
                                          text=f"{item.title}の取組{n}", order=order + n + 1)
    return plan


@pytest.fixture
def world():
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    return cast, survey_round


def fill_all(data: bytes, status: str = "① 取組内容を達成した", reason: str | None = None) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["回答"]
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, C_ID).value is not None:
            ws.cell(r, C_STATUS).value = status
            ws.cell(r, C_REASON).value = reason
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- opening ------------------------------------------------------------------------------------------

def test_default_deadline_is_computed_on_the_date_in_tokyo(monkeypatch):
    """At 2019-04-30 20:00 UTC it is already 2019-05-01 in Japan: the default is 30 days after 5/1."""
    cast = cast_for(small_plan())
    monkeypatch.setattr(timezone, "now", lambda: datetime(2019, 4, 30, 20, 0, tzinfo=UTC))
    page = client_for(cast.sato).get(reverse("surveys:index")).content.decode()
    assert f'name="deadline" id="id_deadline-{cast.plan.pk}" value="2019-05-31"' in page
    assert "令和元年5月31日（2019-05-31）" in page  # 和暦 shown beside it
    assert '<option value="2018" selected>平成30年度（2018年度）</option>' in page  # the fiscal year in 和暦


def test_unassigned_initiatives_are_fixed_from_the_web_then_the_round_opens():
    cast = cast_for(small_plan())
    for i in Initiative.objects.filter(plan=cast.plan):
        i.departments.clear()
    sato = client_for(cast.sato)
    res = sato.post(reverse("surveys:open"), {"plan": cast.plan.pk, "fiscal_year": 2018, "deadline": "2019-05-31"},
                    follow=True)
    body = res.content.decode()
    assert res.redirect_chain[-1][0] == reverse("surveys:assignments", args=[cast.plan.pk])
    assert "担当所属が決まっていない取組が6件あります" in body and "担当所属を決めてから" in body
    items = list(Section.objects.filter(plan=cast.plan, depth=1).order_by("order"))
    singles = list(Initiative.objects.filter(section=items[2]).order_by("order"))
    url = reverse("surveys:assignments", args=[cast.plan.pk])
    # Bulk per 取組項目 for two items, one by one for the third item's two initiatives, and a new department.
    res = sato.post(url, {f"item-{items[0].pk}": cast.dept_a.pk, f"item-{items[1].pk}": cast.dept_b.pk,
                          f"initiative-{singles[0].pk}": cast.dept_c.pk, "new_departments": "情報統計局"})
    assert res.status_code == 302
    page = sato.get(url).content.decode()
    assert "担当所属が決まっていない取組が1件あります" in page and "情報統計局" in page
    new = next(d for d in selectors.department_choices(plan=cast.plan) if d.name == "情報統計局")
    assert sato.post(url, {f"initiative-{singles[1].pk}": new.pk}).status_code == 302
    assert "すべての取組に担当所属が決まっています" in sato.get(url).content.decode()
    # The item's bulk choice leaves already assigned initiatives alone unless 置き換える is ticked.
    sato.post(url, {f"item-{items[2].pk}": cast.dept_a.pk})
    assert set(singles[1].departments.values_list("name", flat=True)) == {"情報統計局"}
    res = sato.post(reverse("surveys:open"), {"plan": cast.plan.pk, "fiscal_year": 2018, "deadline": "2019-05-31"})
    assert res.status_code == 302
    assert Response.objects.filter(round__plan=cast.plan).count() == 4
    # Others may not assign.
    assert client_for(cast.suzuki).get(url).status_code == 403
    with pytest.raises(AccessDenied):
        plan_assign_departments(user=cast.suzuki, plan=cast.plan, by_section={items[0].pk: cast.dept_a.pk})


def test_assigning_a_department_of_another_organization_is_refused_whole():
    cast = cast_for(small_plan())
    yokohama_plan = small_plan("141003")
    from tenken.orgs.services import department_get_or_create

    other = department_get_or_create(organization=yokohama_plan.organization, name="横浜市の局")
    item = Section.objects.filter(plan=cast.plan, depth=1).first()
    res = client_for(cast.sato).post(reverse("surveys:assignments", args=[cast.plan.pk]),
                                     {f"item-{item.pk}": other.pk})
    assert res.status_code == 422 and "は「神奈川県」にありません" in res.content.decode()


# -- workbooks in bulk --------------------------------------------------------------------------------

def test_zip_of_every_workbook_and_many_uploads_with_a_result_per_file(world, tmp_path):
    cast, survey_round = world
    sato = client_for(cast.sato)
    res = sato.get(reverse("surveys:workbooks", args=[survey_round.pk]))
    assert res.status_code == 200 and res["Content-Type"] == "application/zip"
    assert "%E5%B9%B3%E6%88%9030%E5%B9%B4%E5%BA%A6" in res["Content-Disposition"]  # 平成30年度 in the name
    archive = zipfile.ZipFile(io.BytesIO(res.content))
    names = sorted(archive.namelist())
    assert len(names) == 3 and all(n.endswith(".xlsx") for n in names)
    books = {n.split("_")[-1].removesuffix(".xlsx"): archive.read(n) for n in names}
    good_a = fill_all(books["政策局"])
    bad_b = fill_all(books["総務局"], status="③ 取組内容を変更した")  # 変更 without a reason
    good_c = fill_all(books["会計局"])
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("返送/政策局.xlsx", good_a)
        z.writestr("返送/総務局.xlsx", bad_b)
        z.writestr("__MACOSX/._政策局.xlsx", b"junk")
    bundle.seek(0)
    bundle.name = "返送.zip"
    loose = io.BytesIO(good_c)
    loose.name = "会計局.xlsx"
    junk = io.BytesIO(b"not a workbook")
    junk.name = "メモ.xlsx"
    res = sato.post(reverse("surveys:round_upload", args=[survey_round.pk]), {"workbooks": [bundle, loose, junk]})
    body = res.content.decode()
    assert res.status_code == 422
    assert "4冊のうち、受付 2冊・受け付けなかったもの 2冊" in body
    assert "政策局の回答として登録し、提出しました" in body and "会計局の回答として登録し、提出しました" in body
    assert "総務局.xlsx:回答!J5: 実施結果を「変更」とする場合は変更の理由を入力してください" in body
    assert "メモ.xlsx" in body
    states = dict(survey_round.responses.values_list("department__name", "state"))
    assert states == {"政策局": "submitted", "総務局": "not_submitted", "会計局": "submitted"}
    assert not InitiativeReview.objects.filter(initiative__departments=cast.dept_b).exists()  # refused whole
    assert client_for(cast.suzuki).get(reverse("surveys:workbooks", args=[survey_round.pk])).status_code == 403


def test_a_zip_bomb_is_refused_without_unpacking(world, settings):
    cast, survey_round = world
    settings.TENKEN_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.xlsx", b"\0" * (2 * 1024 * 1024))
    bundle.seek(0)
    bundle.name = "bomb.zip"
    res = client_for(cast.sato).post(reverse("surveys:round_upload", args=[survey_round.pk]), {"workbooks": [bundle]})
    assert res.status_code == 422 and "bomb.zip: ZIP を展開すると大きすぎます" in res.content.decode()


def test_windows_zip_names_in_cp932_are_read_as_japanese():
    from types import SimpleNamespace

    from tenken.surveys.exchange import _zip_member_name

    raw = "総務局.xlsx".encode("cp932").decode("cp437")
    assert _zip_member_name(SimpleNamespace(flag_bits=0, filename=raw)) == "総務局.xlsx"


# -- board, close, reopen -----------------------------------------------------------------------------

def test_board_by_department_with_overdue_in_red(world):
    cast, survey_round = world  # deadline 2019-05-31: long past
    a = survey_round.responses.get(department=cast.dept_a)
    for i in Initiative.objects.filter(departments=cast.dept_a):
        services.review_answer(user=cast.suzuki, response=a, answer=services.Answer(initiative_id=i.pk, status="達成"))
    services.response_submit(user=cast.suzuki, response=a)
    page = client_for(cast.sato).get(reverse("surveys:round", args=[survey_round.pk])).content.decode()
    board = page[page.index('id="board"'):page.index("未回答の所属（")]
    submitted = board[board.index('data-board="submitted"'):board.index('data-board="returned"')]
    assert "政策局" in submitted and "期限超過" not in submitted
    not_submitted = board[board.index('data-board="not_submitted"'):board.index('data-board="submitted"')]
    assert "総務局" in not_submitted and '<span class="overdue">期限超過</span>' in not_submitted
    assert "期限超過 2所属" in page
    # A deadline two days ahead (in Tokyo) is 期限間近.
    survey_round.deadline = timezone.localdate() + timedelta(days=2)
    survey_round.save()
    page = client_for(cast.sato).get(reverse("surveys:round", args=[survey_round.pk])).content.decode()
    assert '<span class="soon">期限間近</span>' in page and "期限超過" not in page


def test_close_asks_first_clerks_see_closed_and_reopen_lets_them_answer(world, django_capture_on_commit_callbacks):
    cast, survey_round = world
    sato = client_for(cast.sato)
    url = reverse("surveys:close", args=[survey_round.pk])
    confirm = sato.get(url).content.decode()
    assert "照会を締め切りますか" in confirm and "まだ回答していない所属が3あります" in confirm
    assert sato.post(url).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        sato.post(url, {"confirm": "on"})
    survey_round.refresh_from_db()
    assert survey_round.state == "closed" and survey_round.closed_by == cast.sato
    response = survey_round.responses.get(department=cast.dept_a)
    page = client_for(cast.suzuki).get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert "<strong>締切済</strong>: この照会は" in page and "回答の入力・提出はできません" in page
    assert 'id="submit-response"' not in page
    assert any(m.subject.startswith("【締切】") and m.to == ["suzuki@pref.kanagawa.example"] for m in mail.outbox)
    assert sato.get(reverse("surveys:reopen", args=[survey_round.pk])).status_code == 200
    assert client_for(cast.suzuki).post(reverse("surveys:reopen", args=[survey_round.pk])).status_code == 403
    sato.post(reverse("surveys:reopen", args=[survey_round.pk]), {"deadline": "2030-06-30"})
    survey_round.refresh_from_db()
    assert (survey_round.state, survey_round.deadline) == ("open", date(2030, 6, 30))
    page = client_for(cast.suzuki).get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert "締切済" not in page and 'id="submit-response"' in page


# -- notifications -------------------------------------------------------------------------------------

def test_every_step_notifies_the_right_people_by_mail_and_in_the_app(django_capture_on_commit_callbacks):
    cast = cast_for(small_plan())
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018,
                                           deadline=date(2019, 5, 31))
    opened = {tuple(m.to) for m in mail.outbox}
    assert opened == {("suzuki@pref.kanagawa.example",), ("tanaka@pref.kanagawa.example",)}  # 会計局 has no editor
    assert "回答期限: 令和元年5月31日（2019-05-31）" in mail.outbox[0].body
    response = survey_round.responses.get(department=cast.dept_a)
    for i in Initiative.objects.filter(departments=cast.dept_a):
        services.review_answer(user=cast.suzuki, response=response,
                               answer=services.Answer(initiative_id=i.pk, status="達成"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(user=cast.suzuki, response=response)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["takahashi@pref.kanagawa.example"], "【承認依頼】政策局の回答が提出されました（テスト計画 平成30年度 照会）")
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_return(user=cast.takahashi, response=response, comment="成果を具体的に書いてください")
    (returned,) = mail.outbox
    assert returned.to == ["suzuki@pref.kanagawa.example"] and "差戻しの理由: 成果を具体的に書いてください" in returned.body
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(user=cast.suzuki, response=response)
        services.response_approve(user=cast.takahashi, response=response)
    assert mail.outbox[-1].to == ["suzuki@pref.kanagawa.example"] and mail.outbox[-1].subject.startswith("【承認】")
    assert "再提出されました" in mail.outbox[-2].subject
    kinds = [n.kind for n in reversed(selectors.notifications_for(cast.suzuki))]
    assert kinds == ["opened", "returned", "approved"]
    assert [n.kind for n in selectors.notifications_for(cast.takahashi)] == ["submitted", "submitted"]
    assert selectors.notifications_for(cast.watanabe) == []
    # In the app: the badge, the list, mark as read.
    suzuki = client_for(cast.suzuki)
    page = suzuki.get(reverse("surveys:index")).content.decode()
    assert "お知らせ（未読 3件）" in page and "【差戻し】テスト計画 平成30年度 照会（政策局）" in page
    page = suzuki.get(reverse("surveys:notifications")).content.decode()
    assert "差戻しの理由: 成果を具体的に書いてください" in page
    suzuki.post(reverse("surveys:notifications"))
    assert "未読" not in suzuki.get(reverse("surveys:index")).content.decode()


def test_a_failed_write_sends_nothing(django_capture_on_commit_callbacks):
    cast = cast_for(small_plan())
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        services.response_submit(user=cast.suzuki, response=response)  # nothing answered: refused
    assert mail.outbox == [] and not Notification.objects.filter(kind="submitted").exists()


def test_smtp_is_chosen_by_settings(monkeypatch):
    import importlib

    import tenken.settings as tenken_settings

    monkeypatch.setenv("TENKEN_EMAIL_HOST", "mail.pref.example")
    monkeypatch.setenv("TENKEN_EMAIL_PORT", "587")
    monkeypatch.setenv("TENKEN_EMAIL_USE_TLS", "1")
    monkeypatch.delenv("TENKEN_EMAIL_BACKEND", raising=False)
    try:
        reloaded = importlib.reload(tenken_settings)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (reloaded.EMAIL_HOST, reloaded.EMAIL_PORT, reloaded.EMAIL_USE_TLS) == ("mail.pref.example", 587, True)
    finally:
        monkeypatch.undo()
        importlib.reload(tenken_settings)


# -- the approver's page -------------------------------------------------------------------------------

def test_approver_reads_every_answer_and_the_change_since_last_year_on_one_page(world):
    cast, survey_round = world
    plan = cast.plan
    first, second = Initiative.objects.filter(departments=cast.dept_a).order_by("order")
    last_year = Inspection.objects.create(plan=plan, fiscal_year=2017, title="前年度", as_of=date(2018, 3, 31))
    statuses = {s.code: s for s in Status.objects.filter(plan=plan)}
    for i in (first, second):
        InitiativeReview.objects.create(inspection=last_year, initiative=i, fiscal_year=2017,
                                        status=statuses["in_progress"], approval="approved")
    response = survey_round.responses.get(department=cast.dept_a)
    services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
        initiative_id=first.pk, status="変更", change_reason="国の制度変更", outcome="手続を3件電子化",
        issues="利用率の向上"))
    services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
        initiative_id=second.pk, status="実施中", outcome="継続中"))
    services.response_submit(user=cast.suzuki, response=response)
    page = client_for(cast.takahashi).get(reverse("surveys:response", args=[response.pk])).content.decode()
    row = page[page.index(f'id="i{first.pk}"'):page.index(f'id="i{second.pk}"')]
    for text in ("国の制度変更", "手続を3件電子化", "利用率の向上", "実施中 → 変更"):
        assert text in row
    assert "変化なし" in page[page.index(f'id="i{second.pk}"'):]
    assert 'id="approve"' in page and 'id="return"' in page and "承認待ちです" in page
    # The approver of another department sees neither the page nor the buttons.
    assert client_for(cast.yamamoto).get(reverse("surveys:response", args=[response.pk])).status_code == 403


# -- constant query counts -----------------------------------------------------------------------------

def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        res = client.get(url)
    assert res.status_code == 200, url
    return len(ctx.captured_queries)


def _world_of_size(k: int):
    cast = cast_for(sized_plan(k))
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    response = survey_round.responses.get(department=cast.dept_a)
    for i in Initiative.objects.filter(departments=cast.dept_a):
        services.review_answer(user=cast.suzuki, response=response, answer=services.Answer(
            initiative_id=i.pk, status="変更", change_reason="理由", outcome="成果"))
    services.response_submit(user=cast.suzuki, response=response)
    services.response_approve(user=cast.takahashi, response=response)
    item = Section.objects.filter(plan=cast.plan, depth=1).order_by("order").first()
    return cast, survey_round, response, item


def _page_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    sato = get_user_model().objects.get(username="sato")
    survey_round = selectors.rounds_for_user(user=sato)[0]
    response = survey_round.responses.order_by("department__order").first()
    item = Section.objects.filter(plan=survey_round.plan, depth=1).order_by("order").first()
    inspection = survey_round.inspection
    c = client_for(sato)
    return {
        "index": _count(c, reverse("surveys:index")),
        "round": _count(c, reverse("surveys:round", args=[survey_round.pk])),
        "assignments": _count(c, reverse("surveys:assignments", args=[survey_round.plan_id])),
        "response": _count(c, reverse("surveys:response", args=[response.pk])),
        "notifications": _count(c, reverse("surveys:notifications")),
        "narratives": _count(c, reverse("reviews:narratives", args=[inspection.pk])),
        "narrative": _count(c, reverse("reviews:narrative", args=[inspection.pk, item.pk])),
        "texts": _count(c, reverse("reviews:texts", args=[inspection.pk])),
    }


@pytest.mark.django_db(transaction=True)
def test_page_queries_do_not_grow_with_the_plan():
    from django.core.management import call_command

    counts = {}
    for k in (1, 10):
        _world_of_size(k)
        counts[k] = _page_counts()
        call_command("flush", verbosity=0, interactive=False)
    assert Initiative.objects.count() == 0
    print("queries per page (1x, 10x):", counts)
    assert counts[1] == counts[10], counts


def test_an_oversized_file_among_many_is_refused_by_name_and_the_others_still_go_in(world, settings):
    """Three returned workbooks, the middle one over the size limit: it is a named refusal, and the file
    after it is still received and registered (the upload of the rest is not silently dropped)."""
    cast, survey_round = world
    archive = zipfile.ZipFile(io.BytesIO(client_for(cast.sato).get(
        reverse("surveys:workbooks", args=[survey_round.pk])).content))
    books = {n.split("_")[-1].removesuffix(".xlsx"): archive.read(n) for n in archive.namelist()}
    first, last = io.BytesIO(fill_all(books["政策局"])), io.BytesIO(fill_all(books["会計局"]))
    first.name, last.name = "政策局.xlsx", "会計局.xlsx"
    settings.TENKEN_MAX_UPLOAD_BYTES = max(len(first.getvalue()), len(last.getvalue())) + 1000
    big = io.BytesIO(b"PK" + b"\0" * (settings.TENKEN_MAX_UPLOAD_BYTES * 3))
    big.name = "大きすぎる.xlsx"
    res = client_for(cast.sato).post(reverse("surveys:round_upload", args=[survey_round.pk]),
                                     {"workbooks": [first, big, last]})
    body = res.content.decode()
    assert res.status_code == 422
    assert "3冊のうち、受付 2冊・受け付けなかったもの 1冊" in body
    assert "大きすぎる.xlsx" in body and "ファイルサイズが上限" in body
    states = dict(survey_round.responses.values_list("department__name", "state"))
    assert states["政策局"] == "submitted" and states["会計局"] == "submitted"
