"""``tenken setup-survey-demo``: the Kanagawa plan's departments, demo staff with roles, and an open round.

Run after ``tenken setup-demo``. Assigns departments from ``tenken/demo/data/kanagawa/departments.csv`` (an
illustrative mapping: the source names none), creates the demo users below with password
``TENKEN_DEMO_PASSWORD`` (default ``tenken-demo``) and opens the 平成30年度 round. Idempotent. Like
``setup-demo`` a bootstrap that takes no ``--user``: the assignments are made as the set-up account
``tenken-setup`` and the round is opened as the demo ICT admin ``sato`` it creates.
"""

from __future__ import annotations

import os
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from tenken.common.commands import TenkenCommand
from tenken.demo import KANAGAWA_DIR, KANAGAWA_TITLE, setup_account
from tenken.orgs.models import Department, Membership
from tenken.plans.assignments import plan_assign_departments_from_csv
from tenken.plans.models import Plan
from tenken.surveys.models import SurveyRound
from tenken.surveys.selectors import unassigned_initiatives
from tenken.surveys.services import round_open

# username, 姓, role, department (None: the whole organization)
DEMO_STAFF = (
    ("sato", "佐藤", Membership.Role.ADMIN, None),
    ("suzuki", "鈴木", Membership.Role.EDITOR, "政策局"),
    ("takahashi", "高橋", Membership.Role.APPROVER, "政策局"),
    ("tanaka", "田中", Membership.Role.EDITOR, "総務局"),
    ("yamamoto", "山本", Membership.Role.APPROVER, "総務局"),
    ("ito", "伊藤", Membership.Role.VIEWER, None),
)


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "照会のデモ（担当所属・役割付きの職員・平成30年度の照会）を準備します。"

    @transaction.atomic
    def handle(self, *args: object, **opts: object) -> None:
        plan = Plan.objects.filter(organization__code="140007", title=KANAGAWA_TITLE).first()
        if plan is None:
            raise CommandError("神奈川県の計画がありません。先に tenken setup-demo を実行してください")
        if unassigned_initiatives(plan=plan):
            counts = plan_assign_departments_from_csv(plan=plan, path=KANAGAWA_DIR / "departments.csv",
                                                      user=setup_account())
            self.stdout.write("担当所属を設定しました: " + "、".join(f"{k} {v}件" for k, v in counts.items()))
        password = os.environ.get("TENKEN_DEMO_PASSWORD", "tenken-demo")
        User = get_user_model()
        for username, last_name, role, dept_name in DEMO_STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username=username, password=password, last_name=last_name,
                                                email=f"{username}@pref.kanagawa.example")
            department = Department.objects.get(organization=plan.organization, name=dept_name) if dept_name else None
            Membership.objects.get_or_create(user=user, organization=plan.organization, department=department,
                                             role=role)
            where = dept_name or plan.organization.name
            self.stdout.write(f"  {username} / {password}: {last_name}（{where} {role.label}）")
        survey_round = SurveyRound.objects.filter(plan=plan, fiscal_year=2018).first()
        if survey_round is None:
            admin = User.objects.get(username="sato")
            survey_round = round_open(user=admin, plan=plan, fiscal_year=2018, deadline=date(2019, 5, 31))
            self.stdout.write(f"照会を開始しました: {survey_round}（所属 {survey_round.responses.count()}）")
        self.stdout.write(self.style.SUCCESS("照会の画面: http://127.0.0.1:8000/surveys/"))
