"""``tenken load-orgs --user NAME`` — the national organization master (a superuser only)."""

from django.core.management.base import CommandParser

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.orgs.services import organizations_load_master


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "全国の地方公共団体（47都道府県・1,741市区町村・行政区）を団体マスタに登録します（システム管理者のみ）。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)

    def handle(self, *args: object, **opts: object) -> None:
        n = organizations_load_master(user=self.acting_user(opts["user"]))
        self.stdout.write(f"団体を {n} 件登録しました。")
