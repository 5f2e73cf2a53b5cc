"""Plan editing probed from outside (issue #11): every operation in the browser, who may do it, what is
recorded, validation, stale forms, the Django admin and CSRF.

The plan is :func:`tests.personas.small_plan` (three policies, one 取組項目 each, two initiatives per item)
with the personas of :func:`tests.personas.cast_with_operators`.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenken.plans.models import Initiative, PlanChange, Section, Status
from tenken.reviews.models import InitiativeReview, Inspection
from tenken.surveys.selectors import answering_departments

from .conftest import db_snapshot
from .personas import cast_with_operators, small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return cast_with_operators(small_plan())


def client_for(user, *, csrf: bool = False) -> Client:
    c = Client(enforce_csrf_checks=csrf)
    if user is not None:
        c.force_login(user)
    return c


def policies(plan) -> list[Section]:
    return list(Section.objects.filter(plan=plan, depth=0).order_by("order"))


def items(plan) -> list[Section]:
    return list(Section.objects.filter(plan=plan, depth=1).order_by("order"))


def inis(section) -> list[Initiative]:
    return list(Initiative.objects.filter(section=section).order_by("order"))


def last_change(plan) -> PlanChange:
    return PlanChange.objects.filter(plan=plan).order_by("-id").first()


def history_page(client, plan) -> str:
    res = client.get(reverse("plans:edit", args=[plan.pk]))
    assert res.status_code == 200
    return res.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def hidden(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)" name="{name}"', html)
    assert m, f"no hidden input {name}"
    return m.group(1)


# -- (1) every operation works for the ICT admin and is recorded ---------------------------------------

def test_section_operations_in_the_browser_are_recorded_with_who_when_old_new(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    p1, _p2, p3 = policies(plan)
    res = sato.post(reverse("plans:section_add", args=[plan.pk]), {"parent": p1.pk, "code": "イ", "title": "データ利活用"})
    assert res.status_code == 302
    new = Section.objects.get(plan=plan, title="データ利活用")
    assert (new.parent_id, new.depth) == (p1.pk, 1)
    c = last_change(plan)
    assert (c.action, c.changed_by, c.target_id) == ("create", cast.sato, new.pk)

    url = reverse("plans:section_edit", args=[plan.pk, new.pk])
    assert sato.get(url).status_code == 200
    form = {"code": "イ", "title": "データ利活用の推進", "parent": p1.pk}
    assert sato.post(url, form).status_code == 302
    c = last_change(plan)
    assert (c.action, c.field, c.old_value, c.new_value) == ("update", "名称", "データ利活用", "データ利活用の推進")

    assert sato.post(reverse("plans:section_action", args=[plan.pk, new.pk, "up"])).status_code == 302
    assert next(s.pk for s in Section.objects.filter(parent=p1).order_by("order")) == new.pk
    assert last_change(plan).action == "reorder"

    assert sato.post(url, {"code": "イ", "title": "データ利活用の推進", "parent": p3.pk}).status_code == 302
    new.refresh_from_db()
    assert new.parent_id == p3.pk
    c = last_change(plan)
    assert (c.action, c.old_value, c.new_value) == ("move", str(p1), str(p3))

    assert sato.post(reverse("plans:section_action", args=[plan.pk, new.pk, "retire"])).status_code == 302
    assert Section.objects.get(pk=new.pk).retired
    assert last_change(plan).action == "retire"
    assert sato.post(reverse("plans:section_action", args=[plan.pk, new.pk, "restore"])).status_code == 302
    assert not Section.objects.get(pk=new.pk).retired

    # orders stay contiguous after every structural change
    assert sorted(Section.objects.filter(plan=plan).values_list("order", flat=True)) == list(
        range(Section.objects.filter(plan=plan).count()))

    page = text_of(history_page(sato, plan))
    assert "変更履歴" in page
    for label in ("追加", "変更", "並べ替え", "移動", "廃止", "復活", "佐藤", "データ利活用の推進"):
        assert label in page, label
    local = timezone.localtime(last_change(plan).changed_at)
    assert f"{local:%H:%M}" in page  # shown in Asia/Tokyo
    assert "令和" in page or "平成" in page


def test_initiative_operations_in_the_browser_are_recorded(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    i1, i2, _i3 = items(plan)
    res = sato.post(reverse("plans:initiative_add", args=[plan.pk]), {
        "section": i1.pk, "number_label": "1-3", "initiative_name": "RPA", "text": "RPAの本格導入",
        "departments": [cast.dept_b.pk]})
    assert res.status_code == 302
    ini = Initiative.objects.get(plan=plan, number_label="1-3")
    assert (ini.name, ini.text, list(ini.departments.all())) == ("RPA", "RPAの本格導入", [cast.dept_b])
    assert inis(i1)[-1] == ini

    url = reverse("plans:initiative_edit", args=[plan.pk, ini.pk])
    assert sato.get(url).status_code == 200
    form = {"form": "initiative", "number_label": "1-3", "initiative_name": "RPAの導入", "text": "RPAの本格導入（5業務）",
            "section": i1.pk, "departments": [cast.dept_b.pk], "note": "備考あり"}
    assert sato.post(url, form).status_code == 302
    log = set(PlanChange.objects.filter(plan=plan, target="initiative", target_id=ini.pk).values_list(
        "field", "old_value", "new_value"))
    assert ("取組名", "RPA", "RPAの導入") in log
    assert ("取組内容", "RPAの本格導入", "RPAの本格導入（5業務）") in log
    assert ("備考", "", "備考あり") in log

    assert sato.post(url, {"form": "up"}).status_code == 302
    assert inis(i1)[-2] == ini and last_change(plan).action == "reorder"
    assert sato.post(url, {"form": "down"}).status_code == 302
    assert inis(i1)[-1] == ini

    assert sato.post(url, {**form, "section": i2.pk}).status_code == 302
    assert inis(i2)[-1].pk == ini.pk
    c = last_change(plan)
    assert (c.action, c.old_value, c.new_value) == ("move", str(i1), str(i2))
    orders = sorted(Initiative.objects.filter(plan=plan).values_list("order", flat=True))
    assert len(set(orders)) == len(orders)

    assert sato.post(url, {"form": "retire"}).status_code == 302
    assert Initiative.objects.get(pk=ini.pk).retired
    assert sato.post(url, {"form": "restore"}).status_code == 302
    assert not Initiative.objects.get(pk=ini.pk).retired

    page = text_of(history_page(sato, plan))
    for label in ("RPAの導入", "RPAの本格導入（5業務）", "移動", "廃止", "復活", "並べ替え"):
        assert label in page, label


def test_departments_in_bulk_one_by_one_and_unassigned(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    item = items(plan)[0]
    res = sato.post(reverse("plans:section_action", args=[plan.pk, item.pk, "assign"]),
                    {"departments": [cast.dept_c.pk, cast.dept_b.pk]})
    assert res.status_code == 302
    for i in inis(item):
        assert set(i.departments.values_list("name", flat=True)) == {"会計局", "総務局"}
    c = last_change(plan)
    assert (c.action, c.field) == ("assign", "担当所属（一括）") and "会計局" in c.new_value
    # the bulk change is per section: the other sections keep theirs
    assert set(inis(items(plan)[1])[0].departments.values_list("name", flat=True)) == {"総務局"}

    ini = inis(item)[0]
    url = reverse("plans:initiative_edit", args=[plan.pk, ini.pk])
    base = {"form": "initiative", "number_label": ini.number_label, "text": ini.text, "section": item.pk, "note": ""}
    assert sato.post(url, {**base, "departments": [cast.dept_a.pk]}).status_code == 302
    c = last_change(plan)
    assert (c.field, c.old_value, c.new_value) == ("担当所属", "総務局、会計局", "政策局")
    assert sato.post(url, base).status_code == 302  # no box ticked: unassigned
    assert not Initiative.objects.get(pk=ini.pk).departments.exists()
    c = last_change(plan)
    assert (c.field, c.old_value, c.new_value) == ("担当所属", "政策局", "")
    page = text_of(history_page(sato, plan))
    assert "未設定" in page and "担当所属（一括）" in page


# -- (2) everybody else is refused, and nothing is written --------------------------------------------

def operations(cast):
    plan = cast.plan
    s = items(plan)[0]
    i = inis(s)[0]
    p = policies(plan)
    edit_i = reverse("plans:initiative_edit", args=[plan.pk, i.pk])
    edit_s = reverse("plans:section_edit", args=[plan.pk, s.pk])
    gets = [reverse("plans:edit", args=[plan.pk]), edit_s, edit_i, reverse("plans:goals_edit", args=[plan.pk])]
    posts = [
        (reverse("plans:section_add", args=[plan.pk]), {"title": "x", "parent": p[0].pk}),
        (edit_s, {"title": "x", "code": "", "parent": p[1].pk}),
        *[(reverse("plans:section_action", args=[plan.pk, s.pk, a]), {"departments": [cast.dept_c.pk]})
          for a in ("up", "down", "retire", "restore", "assign")],
        (reverse("plans:initiative_add", args=[plan.pk]), {"section": s.pk, "text": "x"}),
        (edit_i, {"form": "initiative", "text": "x", "initiative_name": "x", "section": items(plan)[1].pk,
                  "departments": [cast.dept_c.pk]}),
        *[(edit_i, {"form": f}) for f in ("up", "down", "retire", "restore")],
    ]
    return gets, posts


@pytest.mark.parametrize("who", ["suzuki", "takahashi", "tanaka", "yamamoto", "ito", "kobayashi", "watanabe",
                                 "nakamura", "kato", "staff", None])
def test_every_other_persona_is_refused_and_nothing_changes(cast, who):
    user = getattr(cast, who) if who else None
    client = client_for(user)
    gets, posts = operations(cast)
    before = db_snapshot()
    for url in gets:
        res = client.get(url)
        assert res.status_code in (302, 403, 404), url
        if res.status_code == 302:
            assert who is None and "/login" in res["Location"]
        if res.status_code == 403:
            assert "ICT 所管課の管理者" in res.content.decode()
    for url, data in posts:
        res = client.post(url, data)
        assert res.status_code in (302, 403, 404), (url, data)
        if res.status_code == 302:
            assert who is None and "/login" in res["Location"], (url, data, res["Location"])
    assert db_snapshot() == before


def test_another_organizations_admin_cannot_reach_this_plan_through_their_own_plan_id(cast):
    yokohama = small_plan("141003")
    nakamura = client_for(cast.nakamura)
    assert nakamura.get(reverse("plans:edit", args=[yokohama.pk])).status_code == 200  # their own plan
    s = items(cast.plan)[0]
    i = inis(s)[0]
    before = db_snapshot()
    urls = [
        (reverse("plans:section_edit", args=[yokohama.pk, s.pk]), {"title": "乗っ取り", "code": ""}),
        (reverse("plans:section_action", args=[yokohama.pk, s.pk, "retire"]), {}),
        (reverse("plans:section_action", args=[yokohama.pk, s.pk, "assign"]), {"departments": [cast.dept_a.pk]}),
        (reverse("plans:initiative_edit", args=[yokohama.pk, i.pk]), {"form": "retire"}),
        (reverse("plans:initiative_edit", args=[yokohama.pk, i.pk]), {"form": "initiative", "text": "乗っ取り"}),
        (reverse("plans:initiative_add", args=[yokohama.pk]), {"section": s.pk, "text": "乗っ取り"}),
        (reverse("plans:section_add", args=[yokohama.pk]), {"parent": s.pk, "title": "乗っ取り"}),
    ]
    for url, data in urls:
        assert nakamura.post(url, data).status_code in (403, 404), url
    assert db_snapshot() == before
    # and their own plan's initiative cannot be moved into this plan's section
    theirs = Initiative.objects.filter(plan=yokohama).first()
    res = nakamura.post(reverse("plans:initiative_edit", args=[yokohama.pk, theirs.pk]),
                        {"form": "initiative", "text": theirs.text, "section": s.pk})
    assert res.status_code in (403, 404)
    assert Initiative.objects.get(pk=theirs.pk).section.plan_id == yokohama.pk


def test_the_superuser_counts_as_every_organizations_admin(cast):
    """Documented (docs/surveys.md, docs/plans.md): a Django superuser acts as the admin of every organization;
    what they change is recorded under their name like anybody's."""
    yoshida = client_for(cast.yoshida)
    item = items(cast.plan)[0]
    res = yoshida.post(reverse("plans:section_action", args=[cast.plan.pk, item.pk, "retire"]))
    assert res.status_code == 302
    assert last_change(cast.plan).changed_by == cast.yoshida


# -- (3) validation: Japanese errors next to the field, never a 500 -----------------------------------

def field_error(html: str, input_id: str) -> str:
    """The error text tied to the input ``input_id`` (aria-describedby → element)."""
    m = re.search(rf'<(?:input|textarea|select)[^>]*id="{input_id}"[^>]*>', html)
    assert m, f"no input {input_id}"
    tag = m.group(0)
    assert 'aria-invalid="true"' in tag, tag
    ref = re.search(r'aria-describedby="([^"]+)"', tag)
    assert ref, tag
    err = re.search(rf'id="{ref.group(1).split()[0]}"[^>]*>(.*?)</', html, re.S)
    assert err, ref.group(1)
    return err.group(1)


def test_section_edit_empty_and_over_long_title(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    s = items(plan)[0]
    url = reverse("plans:section_edit", args=[plan.pk, s.pk])
    before = db_snapshot()
    res = sato.post(url, {"title": "  ", "code": s.code, "parent": s.parent_id})
    assert res.status_code == 422
    assert "名称を入力してください" in field_error(res.content.decode(), "se-title")
    limit = Section._meta.get_field("title").max_length
    res = sato.post(url, {"title": "長" * (limit + 1), "code": s.code, "parent": s.parent_id})
    assert res.status_code == 422
    html = res.content.decode()
    assert f"{limit}文字" in field_error(html, "se-title")
    assert "長" * (limit + 1) in html  # what was typed is kept for correcting
    res = sato.post(url, {"title": s.title, "code": "記" * 21, "parent": s.parent_id})
    assert res.status_code == 422 and "20文字" in field_error(res.content.decode(), "se-code")
    assert db_snapshot() == before


def test_section_add_empty_and_over_long(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    url = reverse("plans:section_add", args=[plan.pk])
    before = db_snapshot()
    res = sato.post(url, {"title": "", "parent": ""})
    assert res.status_code == 422 and "名称を入力してください" in field_error(res.content.decode(), "sa-title")
    res = sato.post(url, {"title": "長" * 301, "parent": ""})
    assert res.status_code == 422 and "300文字" in field_error(res.content.decode(), "sa-title")
    assert db_snapshot() == before


def test_initiative_add_and_edit_empty_and_over_long(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    item = items(plan)[0]
    add = reverse("plans:initiative_add", args=[plan.pk])
    before = db_snapshot()
    res = sato.post(add, {"section": item.pk, "text": " "})
    assert res.status_code == 422 and "取組内容を入力してください" in field_error(res.content.decode(), "ia-text")
    res = sato.post(add, {"section": item.pk, "text": "x", "initiative_name": "名" * 201})
    assert res.status_code == 422 and "200文字" in field_error(res.content.decode(), "ia-name")
    res = sato.post(add, {"section": item.pk, "text": "x", "number_label": "1" * 41})
    assert res.status_code == 422 and "40文字" in field_error(res.content.decode(), "ia-label")
    ini = inis(item)[0]
    url = reverse("plans:initiative_edit", args=[plan.pk, ini.pk])
    base = {"form": "initiative", "number_label": ini.number_label, "text": ini.text, "section": item.pk,
            "departments": [cast.dept_a.pk], "note": ""}
    res = sato.post(url, {**base, "text": ""})
    assert res.status_code == 422 and "取組内容を入力してください" in field_error(res.content.decode(), "ie-text")
    res = sato.post(url, {**base, "initiative_name": "名" * 201})
    html = res.content.decode()
    assert res.status_code == 422 and "200文字" in field_error(html, "ie-name")
    res = sato.post(url, {**base, "number_label": "1" * 41})
    assert res.status_code == 422 and "40文字" in field_error(res.content.decode(), "ie-label")
    assert db_snapshot() == before


def test_moving_a_section_under_its_own_descendant_is_refused_and_nothing_else_is_saved(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    p1 = policies(plan)[0]
    child = items(plan)[0]
    assert child.parent_id == p1.pk
    before = db_snapshot()
    res = sato.post(reverse("plans:section_edit", args=[plan.pk, p1.pk]),
                    {"title": "改名してから移動", "code": p1.code, "parent": child.pk})
    assert res.status_code == 422
    assert "下位" in res.content.decode()
    assert Section.objects.get(pk=p1.pk).title == p1.title  # the rename is not half-saved
    assert db_snapshot() == before


def test_moving_an_initiative_to_another_plans_section_is_refused(cast):
    other = small_plan("141003")
    foreign = Section.objects.filter(plan=other, depth=1).first()
    plan, sato = cast.plan, client_for(cast.sato)
    ini = inis(items(plan)[0])[0]
    before = db_snapshot()
    res = sato.post(reverse("plans:initiative_edit", args=[plan.pk, ini.pk]),
                    {"form": "initiative", "text": "改めた内容", "section": foreign.pk, "number_label": ini.number_label})
    assert res.status_code in (404, 422)
    assert Initiative.objects.get(pk=ini.pk).text == ini.text
    assert db_snapshot() == before


def test_reorder_at_the_ends_is_a_no_op_and_orders_stay_contiguous(cast):
    plan, sato = cast.plan, client_for(cast.sato)
    first = policies(plan)[0]
    before = db_snapshot()
    assert sato.post(reverse("plans:section_action", args=[plan.pk, first.pk, "up"])).status_code == 302
    ini = inis(items(plan)[0])[0]
    assert sato.post(reverse("plans:initiative_edit", args=[plan.pk, ini.pk]), {"form": "up"}).status_code in (302, 422)
    assert db_snapshot() == before
    for _ in range(3):
        sato.post(reverse("plans:section_action", args=[plan.pk, first.pk, "down"]))
    assert policies(plan)[-1] == first
    orders = list(Section.objects.filter(plan=plan).order_by("order").values_list("order", "depth", "parent_id"))
    assert [o for o, _, _ in orders] == list(range(len(orders)))
    assert orders[-1][2] == first.pk  # its item moved with it


# -- retiring keeps history and reviews; new surveys no longer ask --------------------------------------

def test_retired_initiatives_stay_in_past_reviews_and_leave_new_surveys(cast):
    from tenken.surveys import services

    plan, sato = cast.plan, client_for(cast.sato)
    annual = Inspection.objects.create(plan=plan, kind=Inspection.Kind.ANNUAL, fiscal_year=2017,
                                       title="2017年度 点検", as_of=date(2018, 3, 31))
    achieved = Status.objects.get(plan=plan, code="achieved")
    for i in Initiative.objects.filter(plan=plan):
        InitiativeReview.objects.create(inspection=annual, initiative=i, fiscal_year=2017, status=achieved,
                                        outcome=f"{i.number_label}の成果", approval=InitiativeReview.Approval.APPROVED)
    item = items(plan)[0]
    retired = inis(item)[0]
    assert sato.post(reverse("plans:section_action", args=[plan.pk, item.pk, "retire"])).status_code == 302
    assert InitiativeReview.objects.filter(initiative=retired).count() == 1  # the past review is kept
    assert PlanChange.objects.filter(plan=plan, target="section", target_id=item.pk, action="retire").exists()
    assert retired.pk not in answering_departments(plan=plan)
    survey_round = services.round_open(user=cast.sato, plan=plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    assert not InitiativeReview.objects.filter(inspection=survey_round.inspection, initiative=retired).exists()
    page = client_for(cast.sato).get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert "（廃止）" in page  # still listed for the admin, marked 廃止
    # the new initiative form offers only sections that are not retired
    add_form = page.split('id="initiative-add"')[1].split("</form>")[0]
    assert f'<option value="{item.pk}"' not in add_form and '<option value=' in add_form


# -- (4) a stale form is not saved silently over someone else's change --------------------------------

def test_two_admins_editing_the_same_initiative_second_gets_a_conflict(cast):
    from tenken.orgs.models import Membership

    plan = cast.plan
    from .personas import make_user

    other = make_user("ogawa", "小川")
    Membership.objects.create(user=other, organization=plan.organization, role=Membership.Role.ADMIN)
    a, b = client_for(cast.sato), client_for(other)
    ini = inis(items(plan)[0])[0]
    url = reverse("plans:initiative_edit", args=[plan.pk, ini.pk])
    form_a, form_b = a.get(url).content.decode(), b.get(url).content.decode()
    token_a, token_b = hidden(form_a, "edit_token"), hidden(form_b, "edit_token")
    base = {"form": "initiative", "number_label": ini.number_label, "section": ini.section_id,
            "departments": [cast.dept_a.pk], "note": ""}
    assert a.post(url, {**base, "text": "佐藤の修正", "edit_token": token_a}).status_code == 302
    res = b.post(url, {**base, "text": "小川の修正", "edit_token": token_b})
    assert res.status_code == 409
    html = res.content.decode()
    assert "ほかの人" in html and "佐藤の修正" in html  # what is saved now is shown
    assert Initiative.objects.get(pk=ini.pk).text == "佐藤の修正"
    # after reloading, the second admin can save
    token = hidden(b.get(url).content.decode(), "edit_token")
    assert b.post(url, {**base, "text": "小川の修正", "edit_token": token}).status_code == 302
    assert Initiative.objects.get(pk=ini.pk).text == "小川の修正"


def test_two_admins_editing_the_same_section_second_gets_a_conflict(cast):
    plan = cast.plan
    a = b = client_for(cast.sato)
    s = items(plan)[0]
    url = reverse("plans:section_edit", args=[plan.pk, s.pk])
    token = hidden(a.get(url).content.decode(), "edit_token")
    assert a.post(url, {"title": "一人目", "code": s.code, "parent": s.parent_id, "edit_token": token}).status_code == 302
    res = b.post(url, {"title": "二人目", "code": s.code, "parent": s.parent_id, "edit_token": token})
    assert res.status_code == 409 and "ほかの人" in res.content.decode()
    assert Section.objects.get(pk=s.pk).title == "一人目"


# -- who is recorded for the side effects ---------------------------------------------------------------

def test_reassigning_in_the_web_records_the_admin_on_the_reset_reviews(cast):
    from tenken.surveys import services
    from tenken.surveys.models import ReviewChange

    plan = cast.plan
    annual = Inspection.objects.create(plan=plan, kind=Inspection.Kind.ANNUAL, fiscal_year=2018,
                                       title="2018年度 点検", as_of=date(2019, 3, 31))
    achieved = Status.objects.get(plan=plan, code="achieved")
    for i in Initiative.objects.filter(plan=plan):
        InitiativeReview.objects.create(inspection=annual, initiative=i, fiscal_year=2018, status=achieved,
                                        outcome="成果", approval=InitiativeReview.Approval.APPROVED)
    services.round_open(user=cast.sato, plan=plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    item = items(plan)[0]
    res = client_for(cast.sato).post(reverse("plans:section_action", args=[plan.pk, item.pk, "assign"]),
                                     {"departments": [cast.dept_b.pk]})
    assert res.status_code == 302
    resets = ReviewChange.objects.filter(review__initiative__section=item, field="approval")
    assert resets.exists() and set(resets.values_list("changed_by", flat=True)) == {cast.sato.pk}


# -- (5) the Django admin is read-only for the plan models ---------------------------------------------

@pytest.mark.parametrize("who", ["staff", "yoshida"])
def test_django_admin_cannot_write_plans(cast, who):
    user = getattr(cast, who)
    client = client_for(user)
    s = items(cast.plan)[0]
    i = inis(s)[0]
    before = db_snapshot()
    for model, obj, data in (("section", s, {"title": "admin", "plan": cast.plan.pk, "depth": 1, "order": 0}),
                             ("initiative", i, {"text": "admin", "plan": cast.plan.pk, "section": s.pk, "order": 0}),
                             ("plan", cast.plan, {"title": "admin"})):
        change = f"/admin/plans/{model}/{obj.pk}/change/"
        res = client.post(change, data)
        assert res.status_code in (302, 403), change
        if res.status_code == 302:
            assert "/login" in res["Location"]
        assert client.post(f"/admin/plans/{model}/add/", data).status_code in (302, 403)
        assert client.post(f"/admin/plans/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert db_snapshot() == before


# -- (6) CSRF on every edit POST ------------------------------------------------------------------------

def test_every_edit_post_needs_the_csrf_token(cast):
    client = client_for(cast.sato, csrf=True)
    _gets, posts = operations(cast)
    before = db_snapshot()
    for url, data in posts:
        assert client.post(url, data).status_code == 403, (url, data)
    assert db_snapshot() == before
    # with the token of the page, the same post goes through
    page = client.get(reverse("plans:edit", args=[cast.plan.pk])).content.decode()
    token = hidden(page, "csrfmiddlewaretoken")
    res = client.post(reverse("plans:section_add", args=[cast.plan.pk]),
                      {"title": "CSRFあり", "parent": "", "csrfmiddlewaretoken": token})
    assert res.status_code == 302 and Section.objects.filter(title="CSRFあり").exists()


# -- the goals and milestones forms: the same length rule -----------------------------------------------

def test_over_long_goal_and_milestone_titles_are_refused_in_japanese(cast):
    from tenken.plans.models import Goal, Milestone

    plan, sato = cast.plan, client_for(cast.sato)
    before = db_snapshot()
    res = sato.post(reverse("plans:goals_edit", args=[plan.pk]), {"form": "add", "title": "姿" * 301})
    assert res.status_code in (200, 422) and "目指すべき姿が300文字を超えています" in res.content.decode()
    ini = inis(items(plan)[0])[0]
    res = sato.post(reverse("plans:initiative_edit", args=[plan.pk, ini.pk]),
                    {"form": "milestone", "title": "工" * 301, "due": "R2.3"})
    assert res.status_code == 422 and "内容が300文字を超えています" in res.content.decode()
    assert db_snapshot() == before
    assert not Goal.objects.exists() and not Milestone.objects.exists()


# -- the API reads plans only ----------------------------------------------------------------------------

def test_the_api_does_not_write_plans(cast):
    sato = client_for(cast.sato)
    ini = inis(items(cast.plan)[0])[0]
    before = db_snapshot()
    for method in ("post", "put", "patch", "delete"):
        for url in ("/api/v1/initiatives/", f"/api/v1/initiatives/{ini.pk}/", f"/api/v1/sections/{ini.section_id}/"):
            res = getattr(sato, method)(url, {"text": "API"}, content_type="application/json")
            assert res.status_code in (401, 403, 404, 405), (method, url, res.status_code)
    assert db_snapshot() == before
