"""Editing a plan after import: sections, initiatives, departments, goals, milestones, indicators.

The one write path for the web edit pages (``/plans/<id>/edit/...``), the CLI and tests. Every function
takes the acting ``user``, asks :func:`tenken.orgs.access.check_plan_editing` (the organization's ICT
admin only), writes in one transaction and records each change as a :class:`~tenken.plans.models.PlanChange`
(who, when, what, old → new). Nothing is deleted: sections and initiatives are *retired* (廃止), so past
inspections keep their rows.

Order: ``Section.order`` and ``Initiative.order`` are plan-wide. Sections are renumbered depth-first
after each structural change; a new or moved initiative goes after the last one of its section and the
ones after it shift by one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import fiscal_year_label
from tenken.orgs.access import check_plan_editing
from tenken.orgs.models import Department

from .assignments import initiative_assign_departments
from .models import Goal, Initiative, Milestone, Plan, PlanChange, Section


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


def record_change(
    *, user, plan: Plan, target: str, obj: object, action: str, field: str = "", old: object = "", new: object = ""
) -> PlanChange:
    """Write one history row (the services call this; nothing else writes :class:`PlanChange`)."""
    return PlanChange.objects.create(
        plan=plan,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
        target=target,
        target_id=getattr(obj, "pk", None),
        target_label=_short(str(obj), 190),
        action=action,
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
    )


def _need(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InputRejected(Problem(what, f"{what}を入力してください"))
    return value


def _fits(model, name: str, label: str, value: str | None) -> None:
    """Refuse ``value`` longer than the model field's ``max_length`` (a Japanese message, not a database error)."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if value is not None and limit and len(value.strip()) > limit:
        raise InputRejected(Problem(label, f"{label}が{limit}文字を超えています（{len(value.strip())}文字）。短くしてください"))


class EditConflict(InputRejected):
    """The form was opened before someone else saved a change to the same section or initiative."""


def edit_token(obj: Section | Initiative) -> str:
    """A short fingerprint of what the edit form of ``obj`` shows, sent back with the form (compare-and-swap):
    :func:`section_update` / :func:`initiative_update` refuse to save over a change made since."""
    import hashlib

    if isinstance(obj, Section):
        parts = [obj.title, obj.code, obj.parent_id, obj.retired]
    else:
        parts = [obj.name, obj.text, obj.number_label, obj.note, obj.section_id, obj.retired,
                 sorted(obj.departments.values_list("pk", flat=True))]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _check_token(obj: Section | Initiative, expected: str | None, what: str) -> None:
    if expected is None:
        return
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if edit_token(current) != expected:
        raise EditConflict(Problem("", f"この{what}は、画面を開いた後にほかの人が変更しました。入力した内容は保存していません。"
                                       "いま保存されている内容を確かめてから、もう一度修正してください"))


# -- sections ---------------------------------------------------------------------------------------

def _renumber_sections(plan: Plan) -> None:
    sections = list(Section.objects.filter(plan=plan).order_by("order", "pk"))
    children: dict[int | None, list[Section]] = {}
    for s in sections:
        children.setdefault(s.parent_id, []).append(s)
    out: list[Section] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for s in children.get(parent_id, []):
            s.depth = depth
            out.append(s)
            walk(s.pk, depth + 1)

    walk(None, 0)
    for n, s in enumerate(out):
        s.order = n
    Section.objects.bulk_update(out, ["order", "depth"])


def _subtree_ids(section: Section) -> list[int]:
    pairs = list(Section.objects.filter(plan_id=section.plan_id).values_list("id", "parent_id"))
    kids: dict[int | None, list[int]] = {}
    for sid, parent in pairs:
        kids.setdefault(parent, []).append(sid)
    out, stack = [], [section.pk]
    while stack:
        sid = stack.pop()
        out.append(sid)
        stack.extend(kids.get(sid, []))
    return out


def _last_sibling_order(plan: Plan, parent: Section | None) -> int:
    qs = Section.objects.filter(plan=plan)
    if parent is not None:
        qs = Section.objects.filter(plan=plan, pk__in=_subtree_ids(parent))
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def section_create(*, user, plan: Plan, title: str, code: str = "", parent: Section | None = None) -> Section:
    check_plan_editing(user=user, plan=plan)
    title = _need(title, "名称")
    _fits(Section, "title", "名称", title)
    _fits(Section, "code", "記号", code)
    if parent is not None and parent.plan_id != plan.pk:
        raise InputRejected(Problem("上位", "上位の項目が別の計画のものです"))
    # Order strictly after the parent's subtree, so depth-first renumbering puts it last among siblings.
    section = Section.objects.create(
        plan=plan, parent=parent, depth=(parent.depth + 1) if parent else 0, code=code.strip(), title=title,
        order=_last_sibling_order(plan, parent) + 10_000,
    )
    _renumber_sections(plan)
    record_change(user=user, plan=plan, target="section", obj=section, action="create", new=section)
    return section


def _update_fields(*, user, obj, target: str, required: str, values) -> None:
    """Set each given ``(field, label, value)`` of a section or initiative (``None``: left as it is), saving and
    recording every field that changes; ``required`` may not be blank."""
    for name, label, value in values:
        if value is None:
            continue
        value = _need(value, label) if name == required else value.strip()
        _fits(type(obj), name, label, value)
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            obj.save(update_fields=[name])
            record_change(user=user, plan=obj.plan, target=target, obj=obj, action="update", field=label,
                          old=old, new=value)


@transaction.atomic
def section_update(*, user, section: Section, title: str | None = None, code: str | None = None,
                   expected_token: str | None = None) -> Section:
    """``expected_token``: the :func:`edit_token` the form was shown with (``None``: not checked)."""
    check_plan_editing(user=user, plan=section.plan)
    _check_token(section, expected_token, "項目")
    _update_fields(user=user, obj=section, target="section", required="title",
                   values=(("title", "名称", title), ("code", "記号", code)))
    return section


@transaction.atomic
def section_move(*, user, section: Section, parent: Section | None) -> Section:
    """Put ``section`` (with everything under it) under ``parent`` (``None``: top level), last."""
    plan = section.plan
    check_plan_editing(user=user, plan=plan)
    if parent is not None and (parent.plan_id != plan.pk or parent.pk in _subtree_ids(section)):
        raise InputRejected(Problem("移動先", "自分自身やその下位の項目の下には移動できません"))
    old = section.parent
    if (old.pk if old else None) == (parent.pk if parent else None):
        return section
    section.parent = parent
    section.order = _last_sibling_order(plan, parent) + 10_000
    section.save(update_fields=["parent", "order"])
    _renumber_sections(plan)
    record_change(user=user, plan=plan, target="section", obj=section, action="move", field="上位",
                  old=old or "（最上位）", new=parent or "（最上位）")
    section.refresh_from_db()
    return section


@transaction.atomic
def section_reorder(*, user, section: Section, direction: str) -> Section:
    """Swap ``section`` with its previous (``"up"``) or next (``"down"``) sibling."""
    plan = section.plan
    check_plan_editing(user=user, plan=plan)
    siblings = list(Section.objects.filter(plan=plan, parent_id=section.parent_id).order_by("order"))
    i = next(k for k, s in enumerate(siblings) if s.pk == section.pk)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(siblings):
        return section
    other = siblings[j]
    # Swap the subtrees: give each the other's first order, then renumber depth-first.
    a, b = section.order, other.order
    Section.objects.filter(pk=section.pk).update(order=b)
    Section.objects.filter(pk=other.pk).update(order=a)
    _renumber_sections(plan)
    record_change(user=user, plan=plan, target="section", obj=section, action="reorder", field="順序",
                  old=f"{i + 1}番目", new=f"{j + 1}番目")
    section.refresh_from_db()
    return section


@transaction.atomic
def section_retire(*, user, section: Section, retired: bool = True) -> Section:
    """Retire (廃止) a section and every initiative under it, or restore them."""
    plan = section.plan
    check_plan_editing(user=user, plan=plan)
    ids = _subtree_ids(section)
    Section.objects.filter(pk__in=ids).update(retired=retired)
    n = Initiative.objects.filter(section_id__in=ids).exclude(retired=retired).update(retired=retired)
    record_change(user=user, plan=plan, target="section", obj=section, action="retire" if retired else "restore",
                  field="廃止", old="廃止" if not retired else "", new=f"{'廃止' if retired else ''}（取組{n}件）")
    section.retired = retired
    return section


@transaction.atomic
def section_assign_departments(*, user, section: Section, departments: Iterable[Department]) -> int:
    """Make ``departments`` responsible for every initiative under ``section`` (bulk, per section)."""
    plan = section.plan
    check_plan_editing(user=user, plan=plan)
    departments = list(departments)
    initiatives = list(
        Initiative.objects.filter(plan=plan, section_id__in=_subtree_ids(section)).select_related("plan")
    )
    n = initiative_assign_departments(initiatives=initiatives, departments=departments, user=user)
    record_change(user=user, plan=plan, target="section", obj=section, action="assign", field="担当所属（一括）",
                  new=f"{'、'.join(d.name for d in departments)}（取組{n}件）")
    return n


# -- initiatives ------------------------------------------------------------------------------------

def _insert_order(plan: Plan, section: Section) -> int:
    """The plan-wide order a new last initiative of ``section`` gets (later ones shift by one)."""
    last = Initiative.objects.filter(plan=plan, section_id__in=_subtree_ids(section)).aggregate(m=Max("order"))["m"]
    if last is None:
        earlier = Section.objects.filter(plan=plan, order__lt=section.order).values("pk")
        last = Initiative.objects.filter(plan=plan, section_id__in=earlier).aggregate(m=Max("order"))["m"]
    position = (last if last is not None else -1) + 1
    Initiative.objects.filter(plan=plan, order__gte=position).update(order=F("order") + 1)
    return position


def _check_name(name: str | None) -> None:
    _fits(Initiative, "name", "取組名", name)


@transaction.atomic
def initiative_create(
    *, user, plan: Plan, section: Section, text: str, number_label: str = "", departments: Iterable[Department] = (),
    note: str = "", name: str = "",
) -> Initiative:
    check_plan_editing(user=user, plan=plan)
    text = _need(text, "取組内容")
    _check_name(name)
    _fits(Initiative, "number_label", "取組No", number_label)
    if section.plan_id != plan.pk:
        raise InputRejected(Problem("方針・取組項目", "別の計画の項目です"))
    initiative = Initiative.objects.create(
        plan=plan, section=section, name=name.strip(), text=text, number_label=number_label.strip(),
        order=_insert_order(plan, section), note=note,
    )
    record_change(user=user, plan=plan, target="initiative", obj=initiative, action="create",
                  new=f"{section} に追加")
    departments = list(departments)
    if departments:
        initiative_set_departments(user=user, initiative=initiative, departments=departments)
    return initiative


@transaction.atomic
def initiative_update(
    *, user, initiative: Initiative, text: str | None = None, number_label: str | None = None, note: str | None = None,
    name: str | None = None, expected_token: str | None = None,
) -> Initiative:
    """Change the given fields (``None``: left as it is); each change is recorded in the plan's history.

    ``expected_token``: the :func:`edit_token` the form was shown with; a change saved since by someone else
    raises :class:`EditConflict` (``None``: not checked, for the CLI and imports)."""
    check_plan_editing(user=user, plan=initiative.plan)
    _check_token(initiative, expected_token, "取組")
    _check_name(name)
    _update_fields(user=user, obj=initiative, target="initiative", required="text",
                   values=(("name", "取組名", name), ("text", "取組内容", text), ("number_label", "取組No", number_label),
                           ("note", "備考", note)))
    return initiative


@transaction.atomic
def initiative_move(*, user, initiative: Initiative, section: Section) -> Initiative:
    plan = initiative.plan
    check_plan_editing(user=user, plan=plan)
    if section.plan_id != plan.pk:
        raise InputRejected(Problem("移動先", "別の計画の項目には移動できません"))
    old = initiative.section
    if old.pk == section.pk:
        return initiative
    Initiative.objects.filter(plan=plan, order__gt=initiative.order).update(order=F("order") - 1)
    Initiative.objects.filter(pk=initiative.pk).update(order=10**9)  # out of the way of the shift below
    initiative.order = _insert_order(plan, section)
    initiative.section = section
    initiative.parent = None
    initiative.save(update_fields=["order", "section", "parent"])
    record_change(user=user, plan=plan, target="initiative", obj=initiative, action="move", field="方針・取組項目",
                  old=old, new=section)
    return initiative


@transaction.atomic
def initiative_reorder(*, user, initiative: Initiative, direction: str) -> Initiative:
    """Swap with the previous / next initiative of the same section."""
    plan = initiative.plan
    check_plan_editing(user=user, plan=plan)
    qs = Initiative.objects.filter(plan=plan, section_id=initiative.section_id)
    other = (
        qs.filter(order__lt=initiative.order).order_by("-order").first()
        if direction == "up"
        else qs.filter(order__gt=initiative.order).order_by("order").first()
    )
    if other is None:
        return initiative
    a, b = initiative.order, other.order
    Initiative.objects.filter(pk=initiative.pk).update(order=b)
    Initiative.objects.filter(pk=other.pk).update(order=a)
    initiative.order = b
    record_change(user=user, plan=plan, target="initiative", obj=initiative, action="reorder", field="順序",
                  old=f"{other.number_label or other.pk} の{'後' if direction == 'up' else '前'}",
                  new=f"{other.number_label or other.pk} の{'前' if direction == 'up' else '後'}")
    return initiative


@transaction.atomic
def initiative_retire(*, user, initiative: Initiative, retired: bool = True) -> Initiative:
    """Retire (廃止) an initiative: it stays in past inspections, is no longer asked in surveys."""
    plan = initiative.plan
    check_plan_editing(user=user, plan=plan)
    if initiative.retired != retired:
        initiative.retired = retired
        initiative.save(update_fields=["retired"])
        record_change(user=user, plan=plan, target="initiative", obj=initiative,
                      action="retire" if retired else "restore", field="廃止",
                      old="" if retired else "廃止", new="廃止" if retired else "")
    return initiative


@transaction.atomic
def initiative_set_departments(*, user, initiative: Initiative, departments: Iterable[Department]) -> Initiative:
    """One initiative's 担当所属, replacing the earlier ones."""
    plan = initiative.plan
    check_plan_editing(user=user, plan=plan)
    departments = list(departments)
    old = "、".join(d.name for d in initiative.departments.order_by("order", "name"))
    initiative_assign_departments(initiatives=[initiative], departments=departments, user=user)
    new = "、".join(d.name for d in sorted(departments, key=lambda d: (d.order, d.name)))
    if old != new:
        record_change(user=user, plan=plan, target="initiative", obj=initiative, action="assign", field="担当所属",
                      old=old, new=new)
    return initiative


# -- goals ------------------------------------------------------------------------------------------

@transaction.atomic
def goal_create(*, user, plan: Plan, title: str, description: str = "") -> Goal:
    check_plan_editing(user=user, plan=plan)
    order = (plan.goals.aggregate(m=Max("order"))["m"] or 0) + 1
    title = _need(title, "目指すべき姿")
    _fits(Goal, "title", "目指すべき姿", title)
    goal = Goal.objects.create(plan=plan, title=title, description=description.strip(),
                               order=order)
    record_change(user=user, plan=plan, target="goal", obj=goal, action="create", new=goal.title)
    return goal


@transaction.atomic
def goal_update(*, user, goal: Goal, title: str | None = None, description: str | None = None,
                order: int | None = None) -> Goal:
    plan = goal.plan
    check_plan_editing(user=user, plan=plan)
    for name, label, value in (("title", "目指すべき姿", title), ("description", "説明", description), ("order", "順序", order)):
        if value is None:
            continue
        if name == "title":
            value = _need(value, label)
            _fits(Goal, "title", label, value)
        old = getattr(goal, name)
        if old != value:
            setattr(goal, name, value)
            goal.save(update_fields=[name])
            record_change(user=user, plan=plan, target="goal", obj=goal, action="update", field=label, old=old, new=value)
    return goal


@transaction.atomic
def goal_link(*, user, goal: Goal, sections: Iterable[Section] = (), initiatives: Iterable[Initiative] = ()) -> Goal:
    """Set the 施策 (sections) and 取組 (initiatives) that serve ``goal`` (replacing earlier links)."""
    plan = goal.plan
    check_plan_editing(user=user, plan=plan)
    sections, initiatives = list(sections), list(initiatives)
    if any(s.plan_id != plan.pk for s in sections) or any(i.plan_id != plan.pk for i in initiatives):
        raise InputRejected(Problem("関連付け", "別の計画の項目・取組は関連付けられません"))
    old = "、".join(str(s) for s in goal.sections.order_by("order"))
    goal.sections.set(sections)
    goal.initiatives.set(initiatives)
    new = "、".join(str(s) for s in sorted(sections, key=lambda s: s.order))
    record_change(user=user, plan=plan, target="goal", obj=goal, action="link", field="施策・取組",
                  old=old, new=f"{new}（取組{len(initiatives)}件）")
    return goal


# -- milestones -------------------------------------------------------------------------------------

def parse_due(text: str) -> tuple[date, str]:
    """``R2年度第1四半期`` / ``2020Q1`` / ``R3.3`` / ``2021-03-31`` → (last day, original text).

    A fiscal quarter ends in June, September, December or March (第4四半期 is January–March of the
    next calendar year).
    """
    import re
    import unicodedata

    from tenken.common.wareki import WarekiError, parse_date, parse_fiscal_year

    s = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if not s:
        raise InputRejected(Problem("期限", "期限を入力してください（例: R2年度第1四半期、R3.3、2021-03-31）"))
    m = re.fullmatch(r"(.+?)(?:年度)?(?:第([1-4])四半期|Q([1-4]))", s)
    if m:
        try:
            fy = parse_fiscal_year(m.group(1))
        except WarekiError as exc:
            raise InputRejected(Problem("期限", str(exc))) from exc
        q = int(m.group(2) or m.group(3))
        ends = {1: date(fy, 6, 30), 2: date(fy, 9, 30), 3: date(fy, 12, 31), 4: date(fy + 1, 3, 31)}
        return ends[q], text.strip()
    try:
        return parse_date(s).end, text.strip()
    except WarekiError as exc:
        raise InputRejected(Problem("期限", f"{exc}（四半期は「R2年度第1四半期」のように書けます）")) from exc


@transaction.atomic
def milestone_create(*, user, initiative: Initiative, title: str, due: str | date) -> Milestone:
    plan = initiative.plan
    check_plan_editing(user=user, plan=plan)
    title = _need(title, "内容")
    _fits(Milestone, "title", "内容", title)
    day, text = (due, due.isoformat()) if isinstance(due, date) else parse_due(due)
    order = (initiative.milestones.aggregate(m=Max("order"))["m"] or 0) + 1
    milestone = Milestone.objects.create(initiative=initiative, title=title, due_date=day, due_text=text, order=order)
    record_change(user=user, plan=plan, target="milestone", obj=milestone, action="create",
                  new=f"取組{initiative.number_label}: {milestone}")
    return milestone


@transaction.atomic
def milestone_set_done(*, user, milestone: Milestone, done: bool, on: date | None = None) -> Milestone:
    """Mark a milestone done (完了) or not. The ICT admin or an editor of the initiative's department."""
    from tenken.orgs.access import AccessDenied, can_edit_initiative

    initiative = milestone.initiative
    if not can_edit_initiative(user, initiative):
        raise AccessDenied("この取組の工程を更新する権限がありません（担当所属の入力者ではありません）")
    if milestone.done != done:
        from django.utils import timezone

        milestone.done = done
        milestone.done_at = (on or timezone.localdate()) if done else None
        milestone.save(update_fields=["done", "done_at"])
        record_change(user=user, plan=initiative.plan, target="milestone", obj=milestone, action="update",
                      field="完了", old="未完了" if done else "完了", new="完了" if done else "未完了")
    return milestone


# -- indicators of an initiative --------------------------------------------------------------------

@transaction.atomic
def initiative_indicator_create(
    *,
    user,
    initiative: Initiative,
    name: str,
    unit: str,
    direction: str,
    kind: str = "output",
    baseline: Decimal | None = None,
    baseline_as_of: date | None = None,
    targets: dict[int, Decimal] | None = None,
    goals: Iterable[Goal] = (),
    decimals: int = 0,
):
    """An indicator of one initiative (output/outcome) with its baseline and yearly targets.

    A target of fiscal year ``fy`` is recorded as of the last day of that year (``fy+1``-03-31); years
    outside the plan period are refused.
    """
    from tenken.indicators.services import indicator_create, observation_record

    plan = initiative.plan
    check_plan_editing(user=user, plan=plan)
    targets = dict(targets or {})
    problems = [
        Problem(f"目標値（{fiscal_year_label(fy)}）", f"{fiscal_year_label(fy)}は計画期間（{plan.period_label}）の外です")
        for fy in targets
        if fy not in plan.fiscal_years
    ]
    if not (unit or "").strip():
        problems.append(Problem("単位", "単位を入力してください"))
    if problems:
        raise InputRejected(problems)
    indicator = indicator_create(
        organization=plan.organization, name=name, unit=unit, direction=direction, decimals=decimals, plan=plan,
        initiatives=[initiative], department=initiative.departments.order_by("order", "name").first(),
    )
    indicator.kind = kind
    indicator.save(update_fields=["kind"])
    goals = list(goals)
    if goals:
        indicator.goals.set(goals)
    if baseline is not None:
        observation_record(indicator=indicator, kind="baseline", value=baseline,
                           as_of=baseline_as_of or date(plan.first_fiscal_year, 3, 31))
    for fy, value in sorted(targets.items()):
        observation_record(indicator=indicator, kind="target", value=value, as_of=date(fy + 1, 3, 31))
    shown = "、".join(f"{fiscal_year_label(fy)} {v.normalize():f}" for fy, v in sorted(targets.items()))
    record_change(user=user, plan=plan, target="indicator", obj=indicator, action="create",
                  field=f"取組{initiative.number_label}の指標",
                  new=f"{indicator.name}（{indicator.unit}、{indicator.get_kind_display()}）目標: {shown or 'なし'}")
    return indicator


@transaction.atomic
def goal_indicator_link(*, user, goal: Goal, indicator) -> None:
    """Make ``indicator`` one of the outcome indicators of ``goal``."""
    plan = goal.plan
    check_plan_editing(user=user, plan=plan)
    if indicator.organization_id != plan.organization_id:
        raise InputRejected(Problem("指標", "別の団体の指標です"))
    indicator.goals.add(goal)
    record_change(user=user, plan=plan, target="goal", obj=goal, action="link", field="成果指標", new=indicator.name)
