"""Chapter 5 of a published 点検報告書 (目指すべき姿と取組の体系) shows the results as published, like the rest of
the report: a review approved after the publication must not appear in that version (it would leak an
unpublished result into the public PDF/HTML), and the published version stays the same until the next one.

Personas (tests/public/conftest.py): 佐藤 publishes; Alice's follow-up answer for one initiative is later
approved with 変更 — 花子 reading the published report must still see the published 達成."""

from __future__ import annotations

import pytest

from tenken.plans import editing
from tenken.plans.models import Section
from tenken.publications.models import Publication
from tenken.reports.context import build_report_context
from tenken.reviews.models import InitiativeReview, Inspection

pytestmark = pytest.mark.django_db


def _status_in_chapter_5(ctx, initiative_id: int) -> str:
    labels = {n.initiative_id: n.status_label for g in ctx.logic.goals for n in g.all_initiatives}
    return labels[initiative_id]


def test_published_chapter_5_ignores_results_approved_after_publication(world):
    plan, sato, secret = world.plan, world.publisher, world.secret_initiative
    goal = editing.goal_create(user=sato, plan=plan, title="行政の電子化が進んだ姿")
    editing.goal_link(user=sato, goal=goal, sections=Section.objects.filter(plan=plan, depth=0))
    final = plan.inspections.get(kind=Inspection.Kind.FINAL)
    current = Publication.objects.get(inspection=final, state="current")

    before = build_report_context(plan_id=plan.pk, publication=current)
    assert _status_in_chapter_5(before, secret.pk) == "達成"

    # after the publication, the follow-up answer (変更) is approved — but not published
    InitiativeReview.objects.filter(inspection=world.followup, initiative=secret).update(
        approval=InitiativeReview.Approval.APPROVED)
    live = build_report_context(plan_id=plan.pk)
    assert _status_in_chapter_5(live, secret.pk) == "変更"  # the staff's working report sees it

    after = build_report_context(plan_id=plan.pk, publication=current)
    assert _status_in_chapter_5(after, secret.pk) == "達成"
    assert [(g.title, [(n.number_label, n.status_label) for n in g.all_initiatives]) for g in after.logic.goals] == \
        [(g.title, [(n.number_label, n.status_label) for n in g.all_initiatives]) for g in before.logic.goals]
