"""``tenken import-indicators PATH --org 140007 --user NAME [--plan ID] [--meta CSV] [--sheet NAME] [--dry-run]``

Acts as ``--user``, who must be the organization's ICT admin, as in the web's upload.
"""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.common.errors import InputRejected
from tenken.indicators.importing import import_indicators_file


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "指標の基準値・目標値・実績値（CSV または .xlsx の指標の表）を取り込みます。誤りが一つでもあれば何も登録しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="取り込む指標の表（CSV または .xlsx。縦持ち: 指標,単位,値,時点,種別 / 横持ち: 指標名,単位,R4,R5,…）")
        parser.add_argument("--sheet", help=".xlsx の読むシート（既定: 指標の表があるすべてのシート）")
        parser.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        parser.add_argument("--plan", help="指標を結び付ける計画の ID")
        parser.add_argument("--meta", help="指標の向き・小数点以下の桁数（既定: 同じフォルダの indicator-meta.csv）")
        parser.add_argument("--dry-run", action="store_true", help="検証だけ行い、何も登録しません")
        add_user_argument(parser)

    def handle(self, *args: object, **opts: object) -> None:
        user = self.acting_user(opts["user"])
        try:
            result = import_indicators_file(
                str(opts["path"]),
                user=user,
                org_code=str(opts["org"]),
                plan_id=opts.get("plan") or None,  # type: ignore[arg-type]
                meta=opts.get("meta") or None,  # type: ignore[arg-type]
                sheet=opts.get("sheet") or None,  # type: ignore[arg-type]
                dry_run=bool(opts["dry_run"]),
            )
        except InputRejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(f"取り込みを中止しました（{len(exc.problems)}件の誤り）。何も登録していません。") from exc
        for line in result.not_read:
            self.stdout.write(f"読まなかった列・シート {line}")
        for name in result.inferred:
            self.stdout.write(f"注意 指標「{name}」の向きは基準値と目標値から判断しました")
        line = (
            f"指標 新規 {result.indicators_created} / 登録済み {result.indicators_existing}、"
            f"値 新規 {result.observations_created} / 登録済みと同じ {result.observations_unchanged}"
        )
        if opts["dry_run"]:
            self.stdout.write("検証のみ（--dry-run）。まだ登録していません: " + line)
        else:
            self.stdout.write(self.style.SUCCESS("取り込みました: " + line))
