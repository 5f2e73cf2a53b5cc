"""``tenken rollup-refresh --user NAME`` — rebuild the national rollup from the reviews (a superuser only)."""

from django.core.management.base import CommandParser

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.national.rollups import rollup_refresh


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "全国集計（年度×団体×方針×実施結果の件数）を点検結果から作り直します（システム管理者のみ）。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)

    def handle(self, *args: object, **opts: object) -> None:
        n = rollup_refresh(user=self.acting_user(opts["user"]))
        self.stdout.write(f"全国集計を作り直しました（{n:,} 行）")
