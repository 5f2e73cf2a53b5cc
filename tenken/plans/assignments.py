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
