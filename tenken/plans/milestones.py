"""Reads for milestones (工程表): what is overdue, for whom, and the lines a reminder e-mail carries.

A milestone is *overdue* when it is not done and its due date is before today (Asia/Tokyo). Who sees
which is decided by :func:`tenken.orgs.access.milestone_departments`: the ICT admin (and organization-wide
viewers) every department's, a department's people their own department's only — a milestone belongs to
the departments responsible for its initiative.

Contract for other pages: :func:`overdue_milestones_for` (home pages) and
:func:`overdue_milestones_for_department` / :func:`milestone_reminder_text` (reminder e-mails). Both run
a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tenken.orgs.access import milestone_departments, visible_organizations
from tenken.orgs.models import Department

from .models import Milestone, milestone_due_label


@dataclass(frozen=True)
class OverdueMilestone:
    milestone_id: int
    title: str
    due_date: date
    due_text: str
    days_overdue: int
    plan_id: int
    plan_title: str
    initiative_id: int
    initiative_label: str
    initiative_text: str
    departments: tuple[str, ...]

    @property
    def due_label(self) -> str:
        return milestone_due_label(self.due_text, self.due_date)


def _overdue(qs, today: date) -> list[OverdueMilestone]:
    rows = list(
        qs.filter(done=False, due_date__lt=today, initiative__retired=False)
        .select_related("initiative", "initiative__plan")
        .prefetch_related("initiative__departments")
        .order_by("due_date", "initiative__plan_id", "initiative__order", "order")
    )
    return [
        OverdueMilestone(
            milestone_id=m.pk,
            title=m.title,
            due_date=m.due_date,
            due_text=m.due_text,
            days_overdue=(today - m.due_date).days,
            plan_id=m.initiative.plan_id,
            plan_title=m.initiative.plan.title,
            initiative_id=m.initiative_id,
            initiative_label=m.initiative.number_label,
            initiative_text=m.initiative.text,
            departments=tuple(d.name for d in m.initiative.departments.all()),
        )
        for m in rows
    ]


def overdue_milestones_for(user, *, today: date | None = None) -> list[OverdueMilestone]:
    """Overdue milestones ``user`` should act on or watch, oldest due first (for the home page)."""
    today = today or timezone.localdate()
    out: list[OverdueMilestone] = []
    for organization in visible_organizations(user=user):
        everything, departments = milestone_departments(user=user, organization=organization)
        qs = Milestone.objects.filter(initiative__plan__organization=organization)
        if not everything:
            if not departments:
                continue
            qs = qs.filter(initiative__departments__in=departments).distinct()
        out.extend(_overdue(qs, today))
    out.sort(key=lambda m: (m.due_date, m.plan_id, m.milestone_id))
    return out


def overdue_milestones_for_department(*, department: Department, today: date | None = None) -> list[OverdueMilestone]:
    """Overdue milestones of the initiatives ``department`` is responsible for."""
    today = today or timezone.localdate()
    return _overdue(Milestone.objects.filter(initiative__departments=department).distinct(), today)


def milestone_reminder_text(*, department: Department, today: date | None = None) -> str:
    """The paragraph a reminder e-mail to ``department`` carries ("" when nothing is overdue)."""
    rows = overdue_milestones_for_department(department=department, today=today)
    if not rows:
        return ""
    lines = [f"期限を過ぎた工程が{len(rows)}件あります:"]
    for m in rows:
        lines.append(f"・取組{m.initiative_label or '（番号なし）'} {m.title}（期限 {m.due_label}、{m.days_overdue}日超過）")
    return "\n".join(lines) + "\n"
