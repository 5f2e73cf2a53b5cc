"""Editing a plan after import: the ICT admin only; every change recorded with who/when/old → new."""

from __future__ import annotations

import pytest

from tenken.common.errors import InputRejected
from tenken.orgs.access import AccessDenied
from tenken.plans import editing
from tenken.plans.models import Initiative, PlanChange, Section
from tenken.surveys.selectors import answering_departments


def tree(plan):
    return [(s.depth, s.title) for s in Section.objects.filter(plan=plan).order_by("order")]


def test_sections_add_edit_reorder_move_retire(cast):
    plan, sato = cast.plan, cast.sato
    policies = list(Section.objects.filter(plan=plan, depth=0).order_by("order"))
    new = editing.section_create(user=sato, plan=plan, title="データ利活用", parent=policies[0])
    assert new.depth == 1 and tree(plan).index((1, "データ利活用")) < tree(plan).index((0, policies[1].title))
    kids = list(Section.objects.filter(parent=policies[0]).order_by("order"))
    assert kids[-1] == new
    editing.section_reorder(user=sato, section=new, direction="up")
    kids = list(Section.objects.filter(parent=policies[0]).order_by("order"))
    assert kids[-2].pk == new.pk
    editing.section_update(user=sato, section=new, title="データ利活用の推進")
    editing.section_move(user=sato, section=new, parent=policies[2])
    new.refresh_from_db()
    assert new.parent == policies[2] and new.depth == 1 and tree(plan)[-1] == (1, "データ利活用の推進")
    with pytest.raises(InputRejected, match="下位"):
        editing.section_move(user=sato, section=policies[2], parent=new)
    editing.section_retire(user=sato, section=new)
    assert Section.objects.get(pk=new.pk).retired
    changes = list(PlanChange.objects.filter(plan=plan, target="section", target_id=new.pk).order_by("id"))
    assert [c.action for c in changes] == ["create", "reorder", "update", "move", "retire"]
    upd = changes[2]
    assert (upd.field, upd.old_value, upd.new_value, upd.changed_by) == ("名称", "データ利活用", "データ利活用の推進", sato)
    assert changes[3].old_value == str(policies[0]) and changes[3].new_value == str(policies[2])
    assert all(c.changed_at is not None for c in changes)


def test_initiatives_add_edit_reorder_move_retire_and_departments(cast):
    plan, sato = cast.plan, cast.sato
    item = Section.objects.filter(plan=plan, depth=1).order_by("order").first()
    before = list(Initiative.objects.filter(plan=plan).order_by("order").values_list("pk", flat=True))
    ini = editing.initiative_create(user=sato, plan=plan, section=item, text="RPAの本格導入", number_label="新1")
    order = list(Initiative.objects.filter(plan=plan).order_by("order").values_list("pk", flat=True))
    assert len(order) == len(before) + 1 and sorted(Initiative.objects.values_list("order", flat=True)) == list(range(len(order)))
    in_item = list(Initiative.objects.filter(section=item).order_by("order"))
    assert in_item[-1] == ini
    editing.initiative_reorder(user=sato, initiative=ini, direction="up")
    assert list(Initiative.objects.filter(section=item).order_by("order"))[-2] == ini
    editing.initiative_update(user=sato, initiative=ini, text="RPAの本格導入（5業務）")
    other = Section.objects.filter(plan=plan, depth=1).order_by("order")[3]
    editing.initiative_move(user=sato, initiative=ini, section=other)
    assert list(Initiative.objects.filter(section=other).order_by("order"))[-1].pk == ini.pk
    editing.initiative_set_departments(user=sato, initiative=ini, departments=[cast.dept_b])
    assert answering_departments(plan=plan)[ini.pk] == cast.dept_b.pk
    editing.initiative_retire(user=sato, initiative=ini)
    assert ini.pk not in answering_departments(plan=plan)  # a retired initiative is no longer asked
    # bulk per section
    n = editing.section_assign_departments(user=sato, section=other, departments=[cast.dept_c])
    assert n == Initiative.objects.filter(section__in=[other, *other.children.all()]).count()
    log = list(PlanChange.objects.filter(plan=plan).order_by("id").values_list("action", "field", "old_value", "new_value"))
    assert ("update", "取組内容", "RPAの本格導入", "RPAの本格導入（5業務）") in log
    assert ("assign", "担当所属", "", "総務局") in log and ("retire", "廃止", "", "廃止") in log
    assert any(a == "assign" and f == "担当所属（一括）" and new.startswith("会計局") for a, f, _o, new in log)


@pytest.mark.parametrize("who", ["suzuki", "takahashi", "ito", "nakamura", "watanabe"])
def test_only_the_organizations_ict_admin_edits(cast, who):
    item = Section.objects.filter(plan=cast.plan, depth=1).first()
    before = PlanChange.objects.count()  # the plan's import is recorded (「取込」)
    with pytest.raises(AccessDenied):
        editing.section_create(user=getattr(cast, who), plan=cast.plan, title="x")
    with pytest.raises(AccessDenied):
        editing.initiative_create(user=getattr(cast, who), plan=cast.plan, section=item, text="x")
    assert PlanChange.objects.count() == before
