"""The staff pages of plan editing, goals, successor and carry-over: ICT admin only, one write path."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tenken.plans.models import CarryOver, Goal, Initiative, Plan, PlanChange, Section


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("name", ["plans:edit", "plans:goals_edit", "plans:successor"])
def test_edit_pages_are_for_the_ict_admin_only(cast, name):
    url = reverse(name, args=[cast.plan.pk])
    assert client_for(cast.sato).get(url).status_code == 200
    for who in (cast.suzuki, cast.ito, cast.nakamura, cast.watanabe):
        res = client_for(who).get(url)
        assert res.status_code == 403 and "ICT 所管課の管理者" in res.content.decode()
    assert Client().get(url).status_code == 302  # to the log-in page


def test_edit_in_the_web_records_history(cast):
    sato = client_for(cast.sato)
    plan = cast.plan
    item = Section.objects.filter(plan=plan, depth=1).order_by("order").first()
    res = sato.post(reverse("plans:initiative_add", args=[plan.pk]),
                    {"section": item.pk, "number_label": "新1", "text": "RPAの本格導入",
                     "departments": [cast.dept_b.pk]}, follow=True)
    assert "取組を追加しました" in res.content.decode()
    ini = Initiative.objects.get(plan=plan, number_label="新1")
    assert list(ini.departments.all()) == [cast.dept_b]
    url = reverse("plans:initiative_edit", args=[plan.pk, ini.pk])
    res = sato.post(url, {"form": "initiative", "text": "RPAの本格導入（5業務）", "number_label": "新1",
                          "section": item.pk, "departments": [cast.dept_a.pk], "note": ""})
    assert res.status_code == 302
    res = sato.post(url, {"form": "indicator", "name": "RPA導入業務数", "unit": "業務", "kind": "output",
                          "direction": "higher", "baseline": "2", "baseline_as_of": "H31.3", "target-2018": "x"})
    assert res.status_code == 422 and "「x」は数値ではありません" in res.content.decode()
    res = sato.post(url, {"form": "milestone", "title": "本格導入", "due": "H30年度第4四半期"})
    assert res.status_code == 302 and ini.milestones.get().due_date.isoformat() == "2019-03-31"
    page = sato.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert "RPAの本格導入（5業務）" in page and "佐藤" in page
    assert PlanChange.objects.filter(plan=plan, changed_by=cast.sato, field="取組内容",
                                     old_value="RPAの本格導入", new_value="RPAの本格導入（5業務）").exists()
    res = sato.post(reverse("plans:section_action", args=[plan.pk, item.pk, "assign"]),
                    {"departments": [cast.dept_c.pk]}, follow=True)
    assert "会計局" in res.content.decode()
    assert set(Initiative.objects.filter(section=item).values_list("departments__name", flat=True)) == {"会計局"}
    # an editor cannot post either
    assert client_for(cast.suzuki).post(url, {"form": "retire"}).status_code == 403
    assert not Initiative.objects.get(pk=ini.pk).retired


def test_successor_and_carry_over_in_the_web(cast):
    sato = client_for(cast.sato)
    res = sato.post(reverse("plans:successor", args=[cast.plan.pk]),
                    {"title": "かながわICT・データ利活用推進計画", "first_fiscal_year": "2019", "last_fiscal_year": "2022",
                     "copy_structure": "1"})
    new = Plan.objects.get(predecessor=cast.plan)
    assert res.status_code == 302 and res.url == reverse("plans:carry_over", args=[new.pk])
    page = sato.get(res.url).content.decode()
    assert page.count('<tr id="candidate-') == 40
    first = [c for c in Initiative.objects.filter(plan=cast.plan, is_heading=False).order_by("order")]
    ids = [int(x.split('"')[0]) for x in page.split('<tr id="candidate-')[1:4]]
    res = sato.post(res.url, {f"choice-{ids[0]}": "continue", f"choice-{ids[1]}": "merge", f"merge-{ids[1]}": ids[0],
                              f"choice-{ids[2]}": "end"}, follow=True)
    assert "3件の取組の引継ぎを記録しました" in res.content.decode()
    assert CarryOver.objects.filter(successor=new).count() == 3 and first
    Goal.objects.create(plan=new, title="x")  # the plan page shows goals and both plan links
    page = sato.get(reverse("plans:plan", args=[new.pk])).content.decode()
    assert 'id="predecessor-link"' in page and "x" in page
    assert "successor-link" in sato.get(reverse("plans:plan", args=[cast.plan.pk])).content.decode()
    co = CarryOver.objects.get(successor=new, choice="continue")
    page = sato.get(reverse("plans:initiative_history", args=[new.pk, co.new_initiative_id])).content.decode()
    assert cast.plan.title in page and new.title in page and "継続" in page


def test_public_goal_tree_and_history_show_published_results_only(cast):
    from tenken.plans import editing
    from tenken.plans.succession import (
        Decision,
        carry_over_apply,
        carry_over_candidates,
        plan_create_successor,
    )
    from tenken.reviews.models import InitiativeReview

    new = plan_create_successor(user=cast.sato, predecessor=cast.plan, title="後継", first_fiscal_year=2019,
                                last_fiscal_year=2022)
    old = carry_over_candidates(plan=cast.plan)[0].initiative
    carry_over_apply(user=cast.sato, successor=new, decisions=[Decision(old.pk, "continue")])
    new_ini = new.initiatives.get()
    goal = editing.goal_create(user=cast.sato, plan=new, title="誰もがデジタルの恩恵を受けられる神奈川")
    editing.goal_link(user=cast.sato, goal=goal, initiatives=[new_ini])
    anonymous = Client()
    # a plan is public only once something of it is published (the publication rule, issue #13)
    assert anonymous.get(reverse("public:goals", args=[new.pk])).status_code == 404
    _publish_first_year(user=cast.sato, plan=cast.plan)
    _publish_first_year(user=cast.sato, plan=new)
    page = anonymous.get(reverse("public:goals", args=[new.pk])).content.decode()
    assert "誰もがデジタルの恩恵を受けられる神奈川" in page and new_ini.text[:20] in page
    page = anonymous.get(reverse("public:initiative", args=[new.pk, new_ini.pk])).content.decode()
    assert "計画をまたいだ経過" in page and cast.plan.title in page
    assert reverse("public:initiative", args=[cast.plan.pk, old.pk]) in page  # back to the old plan
    page = anonymous.get(reverse("public:initiative", args=[cast.plan.pk, old.pk])).content.decode()
    assert reverse("public:initiative", args=[new.pk, new_ini.pk]) in page  # and forward
    # an unpublished result of the old initiative never shows: withdraw the old plan's publication
    from tenken.publications.models import Publication
    from tenken.publications.services import publication_withdraw

    for pub in Publication.objects.filter(inspection__plan=cast.plan, state=Publication.State.CURRENT):
        publication_withdraw(user=cast.sato, publication_id=pub.pk, reason="試験")
    InitiativeReview.objects.filter(initiative=old).update(approval=InitiativeReview.Approval.SUBMITTED)
    page = anonymous.get(reverse("public:initiative", args=[new.pk, new_ini.pk])).content.decode()
    assert "年度 実施中" not in page and "年度 変更" not in page


def _publish_first_year(*, user, plan) -> None:
    """Publish the plan's report inspection; a plan without one gets an annual inspection of its first year
    with one approved result (the test's set-up, as a year's round would leave it)."""
    from datetime import date

    from tenken.publications.services import inspection_publish
    from tenken.reviews.models import InitiativeReview, Inspection
    from tenken.reviews.selectors import report_inspection

    inspection = report_inspection(plan_id=plan.pk)
    if inspection is None:
        inspection = Inspection.objects.create(plan=plan, kind=Inspection.Kind.ANNUAL, fiscal_year=plan.first_fiscal_year,
                                               title=f"{plan.title} 年度点検", as_of=date(plan.first_fiscal_year + 1, 3, 31))
        initiative = plan.initiatives.first()
        InitiativeReview.objects.create(inspection=inspection, initiative=initiative, fiscal_year=plan.first_fiscal_year,
                                        status=plan.statuses.order_by("order").first(),
                                        approval=InitiativeReview.Approval.APPROVED)
    inspection_publish(user=user, inspection_id=inspection.pk)
