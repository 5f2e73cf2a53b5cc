"""Which department (担当所属) answers for which initiative.

``initiative_assign_departments`` is the one write; ``plan_assign_departments_from_csv`` reads a mapping
file (取組項目 → 所属, e.g. ``tenken/demo/data/kanagawa/departments.csv``) and calls it for every initiative under each
取組項目, all or nothing. The Kanagawa 別紙 names no departments, so the demo mapping is illustrative.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.common.text import normalize
from tenken.orgs.models import Department
from tenken.orgs.services import department_get_or_create
from tenken.spreadsheets.csvfile import read_csv

from .models import Initiative, Plan, Section


@transaction.atomic
def initiative_assign_departments(
    *, initiatives: Iterable[Initiative], departments: Iterable[Department], replace: bool = True, user=None
) -> int:
    """Make ``departments`` responsible for each initiative (replacing earlier ones unless ``replace=False``).

    Every department must belong to the organization of the initiative's plan. Returns how many
    initiatives were assigned. When an initiative changes hands, its reviews in surveyed inspections
    lose their approval (the new department answers and its approver approves: issue #14), and the
    new department's response in those rounds is open for answers again.
    """
    departments = list(departments)
    n = 0
    moved: list[tuple[Initiative, set[int]]] = []
    for initiative in initiatives:
        foreign = [d.name for d in departments if d.organization_id != initiative.plan.organization_id]
        if foreign:
            raise InputRejected(Problem("所属", f"所属「{'、'.join(foreign)}」は計画の団体に属していません"))
        before = set(initiative.departments.values_list("pk", flat=True))
        if replace:
            initiative.departments.set(departments)
        else:
            initiative.departments.add(*departments)
        gained = {d.pk for d in departments} - before
        if gained or (replace and before - {d.pk for d in departments}):
            moved.append((initiative, gained))
        n += 1
    if moved:
        _reenter_workflow(moved, user=user)
    return n


def _reenter_workflow(moved: list[tuple[Initiative, set[int]]], *, user) -> None:
    from tenken.reviews.models import InitiativeReview
    from tenken.reviews.services import reviews_reset_approval
    from tenken.surveys.models import Response, ReviewChange, SurveyRound

    plan_ids = {i.plan_id for i, _ in moved}
    rounds = list(SurveyRound.objects.filter(plan_id__in=plan_ids))
    if not rounds:
        return
    review_ids = InitiativeReview.objects.filter(
        inspection_id__in=[r.inspection_id for r in rounds], initiative_id__in=[i.pk for i, _ in moved]
    ).values_list("pk", flat=True)
    reviews_reset_approval(review_ids=review_ids, user=user, via=ReviewChange.Via.ASSIGN)
    for survey_round in rounds:
        gained = {d for i, g in moved if i.plan_id == survey_round.plan_id for d in g}
        for department_id in gained:
            response, created = Response.objects.get_or_create(round=survey_round, department_id=department_id)
            if created or response.state in Response.EDITABLE:
                continue
            response.state = Response.State.RETURNED if response.submission_count else Response.State.NOT_SUBMITTED
            response.return_comment = "担当する取組が変わりました。追加された取組に回答し、もう一度提出してください"
            response.save(update_fields=["state", "return_comment"])


@transaction.atomic
def plan_assign_departments_from_csv(
    *, plan: Plan, path: Path | str, name: str | None = None, user=None
) -> dict[str, int]:
    """Assign every initiative under each listed 取組項目 to the listed 所属 (created when missing).

    The file has the columns ``取組項目`` and ``所属`` (a 取組項目 may appear on several lines for several
    所属). Unknown 取組項目 and blank cells are reported together, and nothing is written.
    Returns ``{department name: number of countable initiatives}`` (heading rows are assigned too, not counted).
    """
    name = name or Path(path).name
    header, rows = read_csv(path, name=name)
    problems: list[Problem] = []
    missing = [h for h in ("取組項目", "所属") if h not in header]
    if missing:
        raise InputRejected(Problem(name, f"見出し「{'」「'.join(missing)}」がありません"))
    i_item, i_dept = header.index("取組項目"), header.index("所属")
    items = {normalize(s.title): s for s in Section.objects.filter(plan=plan, depth=1)}
    wanted: dict[int, list[str]] = {}
    for line, cells in rows:
        item = cells[i_item] if i_item < len(cells) else ""
        dept = (cells[i_dept] if i_dept < len(cells) else "").strip()
        section = items.get(normalize(item))
        if section is None:
            problems.append(Problem(f"{name}:{line}行目", f"取組項目「{item}」は計画「{plan.title}」にありません"))
        if not dept:
            problems.append(Problem(f"{name}:{line}行目", "所属が空です"))
        if section is not None and dept:
            wanted.setdefault(section.pk, []).append(dept)
    if problems:
        raise InputRejected(problems)
    children: dict[int | None, list[int]] = {}
    for sid, parent in Section.objects.filter(plan=plan).values_list("id", "parent_id"):
        children.setdefault(parent, []).append(sid)
    counts: dict[str, int] = {}
    for section_id, names in wanted.items():
        subtree, stack = [], [section_id]
        while stack:
            sid = stack.pop()
            subtree.append(sid)
            stack.extend(children.get(sid, []))
        depts = [department_get_or_create(organization=plan.organization, name=n) for n in names]
        initiatives = list(Initiative.objects.filter(plan=plan, section_id__in=subtree).select_related("plan"))
        initiative_assign_departments(initiatives=initiatives, departments=depts, user=user)
        countable = sum(1 for i in initiatives if not i.is_heading)
        for d in depts:
            counts[d.name] = counts.get(d.name, 0) + countable
    return counts


@transaction.atomic
def plan_assign_departments(
    *,
    user,
    plan: Plan,
    by_section: dict[int, int] | None = None,
    by_initiative: dict[int, int] | None = None,
    replace_sections: Iterable[int] = (),
    new_departments: Iterable[str] = (),
) -> int:
    """The web's assignment page: make a department answer for the initiatives of a 取組項目 (``by_section``:
    section id → department id; only its initiatives without a department, or all of them for the ids in
    ``replace_sections``) and for single initiatives (``by_initiative``). ``new_departments`` are created
    first. ICT division only; everything is checked before anything is written. Returns how many initiatives
    were assigned."""
    from tenken.orgs.access import AccessDenied, can_manage_organization

    if not can_manage_organization(user, plan.organization):
        raise AccessDenied("担当所属を設定できるのは ICT 所管課の管理者だけです")
    by_section, by_initiative = dict(by_section or {}), dict(by_initiative or {})
    replace = set(replace_sections)
    for name in new_departments:
        if name.strip():
            department_get_or_create(organization=plan.organization, name=name)
    departments = {d.pk: d for d in Department.objects.filter(organization_id=plan.organization_id)}
    problems: list[Problem] = []
    for what, mapping in (("取組項目", by_section), ("取組", by_initiative)):
        for key, dept_id in mapping.items():
            if dept_id not in departments:
                problems.append(Problem(f"{what}（ID {key}）", f"所属（ID {dept_id}）は「{plan.organization.name}」にありません"))
    sections = {s.pk: s for s in Section.objects.filter(plan=plan)}
    for sid in by_section:
        if sid not in sections:
            problems.append(Problem(f"取組項目（ID {sid}）", "この計画の取組項目ではありません"))
    initiatives = {
        i.pk: i
        for i in Initiative.objects.filter(plan=plan).select_related("plan").prefetch_related("departments")
    }
    for iid in by_initiative:
        if iid not in initiatives:
            problems.append(Problem(f"取組（ID {iid}）", "この計画の取組ではありません"))
    if problems:
        raise InputRejected(problems)
    children: dict[int | None, list[int]] = {}
    for s in sections.values():
        children.setdefault(s.parent_id, []).append(s.pk)
    targets: dict[int, int] = {}
    for sid, dept_id in by_section.items():
        subtree, stack = set(), [sid]
        while stack:
            node = stack.pop()
            subtree.add(node)
            stack.extend(children.get(node, []))
        for i in initiatives.values():
            if i.section_id in subtree and (sid in replace or not i.departments.all()):
                targets[i.pk] = dept_id
    targets.update(by_initiative)  # a choice for one initiative wins over its 取組項目's
    by_dept: dict[int, list[Initiative]] = {}
    for iid, dept_id in targets.items():
        by_dept.setdefault(dept_id, []).append(initiatives[iid])
    for dept_id, chosen in by_dept.items():
        initiative_assign_departments(initiatives=chosen, departments=[departments[dept_id]])
    return len(targets)
