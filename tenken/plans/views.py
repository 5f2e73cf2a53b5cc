"""Staff pages of a plan: its logic model (goals → 施策 → 取組 → 指標), the edit pages (ICT admin only),
the successor plan and the carry-over of initiatives.

Views translate HTTP to service calls: objects come from the gates of :mod:`tenken.orgs.access`, reads
from :mod:`tenken.plans.selectors` / :mod:`tenken.plans.goals`, writes from :mod:`tenken.plans.editing`
and :mod:`tenken.plans.succession`. A refused write shows its Japanese problems on the page it came from.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import WarekiError, fiscal_year_label, parse_date
from tenken.orgs import access

from . import editing, goals, selectors, succession


def guarded(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except access.AccessDenied as exc:
            return render(request, "plans/denied.html", {"message": exc.message}, status=403)

    return wrapper


def _done(request: HttpRequest, action, success: str) -> bool:
    """Run a form's service calls (all or none); any refusal is shown as messages above the page."""
    return Attempt(request, {}).run(action, success)


class Attempt:
    """The outcome of a form's service calls: ``problems`` keyed by the form's field names (shown next to the
    field, ``aria-describedby``), the rest as messages; ``status`` 422 for refused input, 409 for a stale form."""

    def __init__(self, request: HttpRequest, fields: dict[str, str]):
        self.request, self.fields = request, fields
        self.errors: dict[str, str] = {}
        self.status = 200

    def run(self, action, success: str) -> bool:
        """Run ``action`` in one transaction (all of a form's changes or none)."""
        try:
            with transaction.atomic():
                action()
        except InputRejected as exc:
            self.status = 409 if isinstance(exc, editing.EditConflict) else 422
            rest = []
            for problem in exc.problems:
                key = self.fields.get(problem.location)
                if key and key not in self.errors:
                    self.errors[key] = problem.message
                else:
                    rest.append(problem)
            for m in InputRejected(rest).messages if rest else ():  # capped as every refusal is
                messages.error(self.request, m)
            if self.errors and self.status == 422:
                messages.error(self.request, "入力内容に誤りがあります。各欄のメッセージを確かめてください")
            return False
        messages.success(self.request, success)
        return True


SECTION_FIELDS = {"名称": "title", "記号": "code", "上位": "parent", "移動先": "parent"}
INITIATIVE_FIELDS = {"取組内容": "text", "取組名": "name", "取組No": "number_label", "備考": "note",
                     "方針・取組項目": "section", "移動先": "section", "所属": "departments"}


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# -- the plan page: logic model -------------------------------------------------------------------

@guarded
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_view(user=request.user, pk=plan_id)
    logic = goals.plan_logic(plan=plan)
    return render(request, "plans/plan.html", {
        "plan": plan,
        "logic": logic,
        "by_indicator": goals.achievement_by_indicator(logic),
        "rating_labels": goals.rating_labels(),
        "can_edit": access.can_edit_plan(request.user, plan),
        **selectors.plan_links(plan=plan),
    })


# -- editing ----------------------------------------------------------------------------------------

def _edit_page(request: HttpRequest, plan, *, form: str = "", attempt: Attempt | None = None) -> HttpResponse:
    """The edit page; after a refused add (``form``: ``section`` / ``initiative``) with the typed values and the
    problems next to their fields."""
    return render(request, "plans/edit.html", {
        "plan": plan,
        "outline": selectors.plan_edit_outline(plan=plan),
        "departments": selectors.organization_departments(plan=plan),
        "history": selectors.plan_history(plan=plan),
        "failed": form,
        "errors": attempt.errors if attempt else {},
        "typed": request.POST if attempt else {},
        "typed_departments": {_int(x) for x in request.POST.getlist("departments")} if attempt else set(),
    }, status=attempt.status if attempt else 200)


@guarded
def edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    return _edit_page(request, plan)


@guarded
@require_POST
def section_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    parent_id = _int(request.POST.get("parent"))
    parent = selectors.plan_section(plan=plan, pk=parent_id) if parent_id else None
    title = request.POST.get("title", "")
    attempt = Attempt(request, SECTION_FIELDS)
    if attempt.run(lambda: editing.section_create(user=request.user, plan=plan, title=title,
                                                  code=request.POST.get("code", ""), parent=parent),
                   f"項目「{title.strip()}」を追加しました"):
        return redirect("plans:edit", plan_id=plan.pk)
    return _edit_page(request, plan, form="section", attempt=attempt)


@guarded
def section_edit(request: HttpRequest, plan_id: int, section_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    section = selectors.plan_section(plan=plan, pk=section_id)
    attempt = Attempt(request, SECTION_FIELDS)
    if request.method == "POST":
        parent_id = _int(request.POST.get("parent"))
        parent = selectors.plan_section(plan=plan, pk=parent_id) if parent_id else None

        def save() -> None:
            editing.section_update(user=request.user, section=section, title=request.POST.get("title", ""),
                                   code=request.POST.get("code", ""),
                                   expected_token=request.POST.get("edit_token") or None)
            if (parent.pk if parent else None) != section.parent_id:
                editing.section_move(user=request.user, section=section, parent=parent)

        if attempt.run(save, "保存しました"):
            return redirect("plans:edit", plan_id=plan.pk)
        section.refresh_from_db()  # nothing was saved: show what is stored
    return render(request, "plans/section_edit.html", {
        "plan": plan, "section": section, "outline": selectors.plan_edit_outline(plan=plan),
        "departments": selectors.organization_departments(plan=plan),
        "edit_token": editing.edit_token(section), "errors": attempt.errors,
        # after refused input, what was typed (to correct it); after a conflict, what is stored now
        "typed": request.POST if attempt.status == 422 else {},
    }, status=attempt.status)


@guarded
@require_POST
def section_action(request: HttpRequest, plan_id: int, section_id: int, action: str) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    section = selectors.plan_section(plan=plan, pk=section_id)
    if action in ("up", "down"):
        _done(request, lambda: editing.section_reorder(user=request.user, section=section, direction=action),
              f"「{section}」を並べ替えました")
    elif action in ("retire", "restore"):
        _done(request, lambda: editing.section_retire(user=request.user, section=section, retired=action == "retire"),
              f"「{section}」を{'廃止' if action == 'retire' else '復活'}しました")
    elif action == "assign":
        chosen = {_int(x) for x in request.POST.getlist("departments")}
        departments = [d for d in selectors.organization_departments(plan=plan) if d.pk in chosen]
        if not departments:
            messages.error(request, "担当所属を一つ以上選んでください")
        else:
            _done(request, lambda: editing.section_assign_departments(user=request.user, section=section,
                                                                      departments=departments),
                  f"「{section}」の取組の担当所属を{'、'.join(d.name for d in departments)}にしました")
    return redirect("plans:edit", plan_id=plan.pk)


@guarded
@require_POST
def initiative_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    attempt = Attempt(request, INITIATIVE_FIELDS)
    section_id = _int(request.POST.get("section"))
    if not section_id:
        attempt.errors["section"], attempt.status = "方針・取組項目を選んでください", 422
        return _edit_page(request, plan, form="initiative", attempt=attempt)
    section = selectors.plan_section(plan=plan, pk=section_id)
    chosen = {_int(x) for x in request.POST.getlist("departments")}
    departments = [d for d in selectors.organization_departments(plan=plan) if d.pk in chosen]
    if attempt.run(lambda: editing.initiative_create(
        user=request.user, plan=plan, section=section, text=request.POST.get("text", ""),
        number_label=request.POST.get("number_label", ""), departments=departments,
        name=request.POST.get("initiative_name", ""),
    ), "取組を追加しました"):
        return redirect("plans:edit", plan_id=plan.pk)
    return _edit_page(request, plan, form="initiative", attempt=attempt)


def _targets(request: HttpRequest, plan) -> tuple[dict[int, Decimal], list[Problem]]:
    targets, problems = {}, []
    for fy in plan.fiscal_years:
        raw = request.POST.get(f"target-{fy}", "").strip().replace(",", "")
        if not raw:
            continue
        try:
            targets[fy] = Decimal(raw)
        except InvalidOperation:
            problems.append(Problem(f"目標値（{fiscal_year_label(fy)}）", f"「{raw}」は数値ではありません"))
    return targets, problems


@guarded
def initiative_edit(request: HttpRequest, plan_id: int, initiative_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    initiative = selectors.plan_initiative(plan=plan, pk=initiative_id)
    status = 200
    attempt = Attempt(request, INITIATIVE_FIELDS)
    form = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST":
        if form == "initiative":
            section = selectors.plan_section(plan=plan, pk=_int(request.POST.get("section")) or initiative.section_id)
            chosen = {_int(x) for x in request.POST.getlist("departments")}
            departments = [d for d in selectors.organization_departments(plan=plan) if d.pk in chosen]

            def save() -> None:
                editing.initiative_update(user=request.user, initiative=initiative, text=request.POST.get("text", ""),
                                          number_label=request.POST.get("number_label", ""),
                                          note=request.POST.get("note", ""), name=request.POST.get("initiative_name"),
                                          expected_token=request.POST.get("edit_token") or None)
                if section.pk != initiative.section_id:
                    editing.initiative_move(user=request.user, initiative=initiative, section=section)
                editing.initiative_set_departments(user=request.user, initiative=initiative, departments=departments)

            ok = attempt.run(save, "取組を保存しました")
            if not ok:
                initiative.refresh_from_db()  # nothing was saved: the page shows what is stored
        elif form in ("up", "down"):
            ok = _done(request, lambda: editing.initiative_reorder(user=request.user, initiative=initiative,
                                                                   direction=form), "並べ替えました")
        elif form in ("retire", "restore"):
            ok = _done(request, lambda: editing.initiative_retire(user=request.user, initiative=initiative,
                                                                  retired=form == "retire"),
                       "廃止しました" if form == "retire" else "復活しました")
        elif form == "milestone":
            ok = _done(request, lambda: editing.milestone_create(
                user=request.user, initiative=initiative, title=request.POST.get("title", ""),
                due=request.POST.get("due", "")), "工程を追加しました")
        elif form == "indicator":
            ok = _indicator_add(request, plan, initiative)
        else:
            ok = False
        if ok:
            back = request.POST.get("next")
            if back == "edit":
                return redirect("plans:edit", plan_id=plan.pk)
            return redirect("plans:initiative_edit", plan_id=plan.pk, initiative_id=initiative.pk)
        status = attempt.status if form == "initiative" else 422
    return render(request, "plans/initiative_edit.html", {
        "plan": plan,
        "initiative": initiative,
        "outline": selectors.plan_edit_outline(plan=plan),
        "departments": selectors.organization_departments(plan=plan),
        "chosen": selectors.initiative_department_ids(initiative=initiative),
        "milestones": selectors.initiative_milestones(initiative=initiative),
        "indicators": selectors.initiative_indicator_table(initiative=initiative),
        "goals": selectors.plan_goals(plan=plan),
        "years": [(fy, fiscal_year_label(fy)) for fy in plan.fiscal_years],
        "post": request.POST if request.method == "POST" else {},
        "edit_token": editing.edit_token(initiative), "errors": attempt.errors,
        # after refused input, what was typed in the initiative form (to correct it); after a conflict, the stored
        "typed": request.POST if form == "initiative" and status == 422 else {},
        "typed_departments": {_int(x) for x in request.POST.getlist("departments")},
        "conflict_text": request.POST.get("text", "") if status == 409 else "",
    }, status=status)


def _indicator_add(request: HttpRequest, plan, initiative) -> bool:
    targets, problems = _targets(request, plan)
    baseline = baseline_as_of = None
    raw = request.POST.get("baseline", "").strip().replace(",", "")
    if raw:
        try:
            baseline = Decimal(raw)
        except InvalidOperation:
            problems.append(Problem("基準値", f"「{raw}」は数値ではありません"))
    raw_as_of = request.POST.get("baseline_as_of", "").strip()
    if raw_as_of:
        try:
            baseline_as_of = parse_date(raw_as_of).as_of
        except WarekiError as exc:
            problems.append(Problem("基準値の時点", str(exc)))
    goal_ids = {_int(x) for x in request.POST.getlist("goals")}
    chosen_goals = [g for g in selectors.plan_goals(plan=plan) if g.pk in goal_ids]
    if problems:
        for p in problems:
            messages.error(request, str(p))
        return False
    return _done(request, lambda: editing.initiative_indicator_create(
        user=request.user, initiative=initiative, name=request.POST.get("name", ""),
        unit=request.POST.get("unit", ""), direction=request.POST.get("direction", "higher"),
        kind=request.POST.get("kind", "output"), baseline=baseline, baseline_as_of=baseline_as_of,
        targets=targets, goals=chosen_goals,
    ), "指標を追加しました")


@guarded
@require_POST
def milestone_done(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = access.milestone_for_update(user=request.user, pk=milestone_id)
    done = request.POST.get("done") == "1"
    _done(request, lambda: editing.milestone_set_done(user=request.user, milestone=milestone, done=done),
          "工程を完了にしました" if done else "工程を未完了に戻しました")
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("plans:initiative_history", plan_id=milestone.initiative.plan_id,
                    initiative_id=milestone.initiative_id)


# -- goals ------------------------------------------------------------------------------------------

@guarded
def goals_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "add":
            if _done(request, lambda: editing.goal_create(user=request.user, plan=plan, title=request.POST.get("title", ""),
                                                          description=request.POST.get("description", "")),
                     "目指すべき姿を追加しました"):
                return redirect("plans:goals_edit", plan_id=plan.pk)
        elif form == "link":
            goal = selectors.plan_goal(plan=plan, pk=_int(request.POST.get("goal")))
            sids = {_int(x) for x in request.POST.getlist("sections")}
            iids = {_int(x) for x in request.POST.getlist("initiatives")}
            outline = selectors.plan_edit_outline(plan=plan)
            sections = [s for s, _ in outline if s.pk in sids]
            inis = [i for _, items in outline for i in items if i.pk in iids]

            def save() -> None:
                editing.goal_update(user=request.user, goal=goal, title=request.POST.get("title", goal.title),
                                    description=request.POST.get("description", goal.description))
                editing.goal_link(user=request.user, goal=goal, sections=sections, initiatives=inis)
                ind_id = _int(request.POST.get("indicator"))
                if ind_id:
                    indicator = next((i for i in selectors.plan_indicators(plan=plan) if i.pk == ind_id), None)
                    if indicator is not None:
                        editing.goal_indicator_link(user=request.user, goal=goal, indicator=indicator)

            if _done(request, save, f"「{goal}」を保存しました"):
                return redirect("plans:goals_edit", plan_id=plan.pk)
    return render(request, "plans/goals_edit.html", {
        "plan": plan,
        "goals": selectors.plan_goals(plan=plan),
        "outline": selectors.plan_edit_outline(plan=plan),
        "indicators": selectors.plan_indicators(plan=plan),
    })


# -- the next plan ----------------------------------------------------------------------------------

@guarded
def successor_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    values = {"title": "", "first": plan.last_fiscal_year + 1, "last": plan.last_fiscal_year + 4, "copy": True}
    if request.method == "POST":
        values = {"title": request.POST.get("title", ""), "first": _int(request.POST.get("first_fiscal_year")),
                  "last": _int(request.POST.get("last_fiscal_year")), "copy": request.POST.get("copy_structure") == "1"}
        if values["first"] is None or values["last"] is None:
            messages.error(request, "計画期間（開始年度・終了年度）を西暦で入力してください")
        else:
            created = []
            if _done(request, lambda: created.append(succession.plan_create_successor(
                user=request.user, predecessor=plan, title=values["title"], first_fiscal_year=values["first"],
                last_fiscal_year=values["last"], copy_structure=values["copy"],
                description=request.POST.get("description", ""),
            )), "後継計画を作成しました。前計画の取組の引継ぎを決めてください"):
                return redirect("plans:carry_over", plan_id=created[0].pk)
    return render(request, "plans/successor.html", {"plan": plan, "values": values}, status=200)


@guarded
def carry_over(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(user=request.user, pk=plan_id)
    predecessor = plan.predecessor
    if predecessor is None:
        messages.error(request, "この計画には前計画がありません")
        return redirect("plans:plan", plan_id=plan.pk)
    candidates = succession.carry_over_candidates(plan=predecessor, successor=plan)
    achieved = succession.achieved_initiatives(plan=predecessor, successor=plan)
    if request.method == "POST":
        decisions = []
        for c in candidates + achieved:
            choice = request.POST.get(f"choice-{c.initiative.pk}", "")
            if not choice or c.decision is not None:
                continue
            decisions.append(succession.Decision(
                c.initiative.pk, choice, section_id=_int(request.POST.get(f"section-{c.initiative.pk}")),
                merge_into=_int(request.POST.get(f"merge-{c.initiative.pk}")),
            ))
        if not decisions:
            messages.error(request, "引継ぎを選んだ取組がありません")
        elif _done(request, lambda: succession.carry_over_apply(user=request.user, successor=plan, decisions=decisions),
                   f"{len(decisions)}件の取組の引継ぎを記録しました"):
            return redirect("plans:carry_over", plan_id=plan.pk)
    sections = [s for s, _ in selectors.plan_edit_outline(plan=plan)]
    return render(request, "plans/carry_over.html", {
        "plan": plan, "predecessor": predecessor, "candidates": candidates, "achieved": achieved,
        "sections": sections, "post": request.POST if request.method == "POST" else {},
    })


@guarded
def initiative_history(request: HttpRequest, plan_id: int, initiative_id: int) -> HttpResponse:
    """An initiative across the plans it was carried through (staff side: approved results)."""
    plan = access.plan_for_view(user=request.user, pk=plan_id)
    initiative = access.initiative_for_view(user=request.user, pk=initiative_id)
    if initiative.plan_id != plan.pk:
        return redirect("plans:initiative_history", plan_id=initiative.plan_id, initiative_id=initiative.pk)
    return render(request, "plans/initiative_history.html", {
        "plan": plan, "initiative": initiative, "steps": succession.initiative_lineage(initiative=initiative),
        "milestones": selectors.initiative_milestones(initiative=initiative),
        "indicators": selectors.initiative_indicator_table(initiative=initiative),
        "can_edit": access.can_edit_plan(request.user, plan),
        "can_mark": access.can_edit_initiative(request.user, initiative),
    })
