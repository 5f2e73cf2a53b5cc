"""``tenken setup-demo``: migrate, load the organization master and the Kanagawa plan, create a staff login.

Idempotent: a second run finds the plan and the user already there and only prints the login. A bootstrap
command, so it takes no ``--user``: it acts as the documented set-up account ``tenken-setup``
(:func:`tenken.demo.setup_account`, a superuser without a usable password) for the loads, and as the admin
login it creates for the publication and the successor plan; every write goes through the checked services.
"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management import call_command

from tenken.common.commands import TenkenCommand
from tenken.demo import (
    KANAGAWA_DIR,
    load_kanagawa,
    load_kanagawa_governance,
    load_kanagawa_indicators,
    publish_kanagawa_final,
)
from tenken.plans.models import Plan


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "デモ環境を準備します（神奈川県の行動計画を登録し、職員ログインを表示します）。"

    def handle(self, *args: object, **opts: object) -> None:
        call_command("migrate", verbosity=0)
        from tenken.demo import setup_account
        from tenken.orgs.services import organizations_load_master

        organizations_load_master(user=setup_account())
        if not Plan.objects.filter(organization__code="140007").exists():
            plan = load_kanagawa()
            self.stdout.write(f"計画を登録しました: {plan}（{KANAGAWA_DIR}）")
            from tenken.demo.narratives import load_kanagawa_narratives

            load_kanagawa_narratives(plan=plan)  # 点検報告書の記述（items.csv, inspection.toml）
        load_kanagawa_indicators()
        load_kanagawa_governance()  # synthetic register and municipal follow-up, feeding the indicators
        username = os.environ.get("TENKEN_ADMIN_USER", "admin")
        password = os.environ.get("TENKEN_ADMIN_PASSWORD", "tenken-admin")
        User = get_user_model()
        admin = User.objects.filter(username=username).first()
        if admin is None:
            admin = User.objects.create_superuser(username=username, email="", password=password)
        publish_kanagawa_final(user=admin)  # the public site shows it
        from tenken.demo.successor import kanagawa_successor, load_kanagawa_successor

        if kanagawa_successor() is None:
            successor = load_kanagawa_successor(user=admin)  # the next plan, carried over from the first
            self.stdout.write(f"後継計画を登録しました: {successor}（前計画: {successor.predecessor}）")
        self.stdout.write(self.style.SUCCESS(f"職員ログイン: ユーザー名 {username} / パスワード {password}"))
        self.stdout.write("画面: http://127.0.0.1:8000/  管理: http://127.0.0.1:8000/admin/")
