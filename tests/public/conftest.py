"""Fixtures for the public site, open data and API tests.

Personas: 花子 (Hanako) is a resident with no login; she sees only published results. 佐藤 (sato), the
ICT division admin of 神奈川県, publishes the 平成28年度 and final inspections. Alice, staff
of 情報企画課, has typed answers that are still draft, submitted or returned — Hanako must never see
them. The Kanagawa plan gets departments and an earlier approved annual inspection (平成28年度) so
pages have a history across fiscal years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from tenken.orgs.services import department_get_or_create
from tenken.plans.models import Initiative, Plan, Status
from tenken.reviews.models import InitiativeReview, Inspection

SECRET = "未承認の秘密メモ"  # appears only in unapproved answers


@dataclass
class PublicWorld:
    plan: Plan
    annual: Inspection  # FY2016, approved and published
    followup: Inspection  # FY2019, unapproved answers only
    secret_initiative: Initiative  # approved 達成 in the final inspection, draft 変更 in the follow-up
    departments: dict[str, object]
    publisher: object  # 佐藤, ICT admin of 神奈川県


def add_inspection(plan: Plan, *, fiscal_year: int, kind: str = Inspection.Kind.ANNUAL, title: str = "") -> Inspection:
    return Inspection.objects.create(
        plan=plan, kind=kind, fiscal_year=fiscal_year, title=title or f"{fiscal_year}年度 点検",
        as_of=date(fiscal_year + 1, 3, 31),
    )


def add_review(inspection: Inspection, initiative: Initiative, *, status: str, approval: str, **texts) -> InitiativeReview:
    return InitiativeReview.objects.create(
        inspection=inspection,
        initiative=initiative,
        fiscal_year=inspection.fiscal_year,
        status=Status.objects.get(plan=inspection.plan, code=status),
        approval=approval,
        **texts,
    )


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password="x-not-used")


@pytest.fixture
def sato(db):
    from tenken.orgs.models import Membership, Organization

    user = get_user_model().objects.create_user("sato", last_name="佐藤")
    Membership.objects.create(user=user, organization=Organization.objects.get(code="140007"),
                              role=Membership.Role.ADMIN)
    return user


def publish(inspection: Inspection, user, note: str = ""):
    from tenken.publications.services import inspection_publish

    return inspection_publish(user=user, inspection_id=inspection.pk, note=note)


@pytest.fixture
def world(kanagawa_plan, alice, sato) -> PublicWorld:
    plan = kanagawa_plan
    countable = list(plan.initiatives.filter(is_heading=False).order_by("order"))
    depts = {
        name: department_get_or_create(organization=plan.organization, name=name)
        for name in ("情報企画課", "環境計画課", "教育局総務室")
    }
    for i, initiative in enumerate(countable):
        initiative.departments.add(depts["情報企画課"] if i % 2 == 0 else depts["環境計画課"])
    countable[0].departments.add(depts["教育局総務室"])

    annual = add_inspection(plan, fiscal_year=2016, title="平成28年度 点検")
    for initiative in countable[:40]:
        add_review(annual, initiative, status="in_progress", approval=InitiativeReview.Approval.APPROVED,
                   outcome=f"平成28年度の成果（{initiative.number_label}）")

    final = plan.inspections.get(kind=Inspection.Kind.FINAL)
    secret_initiative = next(
        r.initiative for r in final.reviews.select_related("initiative").order_by("initiative__order")
        if r.status.code == "achieved"
    )
    followup = add_inspection(plan, fiscal_year=2019, title="令和元年度 追跡点検")
    for approval, initiative in zip(
        (InitiativeReview.Approval.DRAFT, InitiativeReview.Approval.SUBMITTED, InitiativeReview.Approval.RETURNED),
        [secret_initiative, *countable[50:52]],
        strict=True,
    ):
        r = add_review(followup, initiative, status="changed", approval=approval,
                       outcome=f"{SECRET}（{approval}）", change_reason=f"{SECRET}の理由", issues=SECRET)
        r.entered_by = alice
        r.save()
    publish(annual, sato)
    publish(final, sato)
    return PublicWorld(plan=plan, annual=annual, followup=followup, secret_initiative=secret_initiative,
                       departments=depts, publisher=sato)
