"""``tenken inventory import|export|synth|summary|contracts|feed-indicators`` — the information-system register.

``import`` acts as ``--user`` (the organization's admin or 台帳編集者, as on the web) and records each change
under that name (``--dry-run``: checks everything and reports new / changed / unchanged systems, writing nothing); ``feed-indicators`` writes indicator values as ``--user`` (the organization's admin). The
others read the database or write files only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.common.errors import InputRejected
from tenken.orgs.services import organization_for_code

from ...register_format import register_workbook_bytes
from ...selectors import contracts_ending, register_by_fiscal_year, register_records
from ...services import register_import_file, register_preview_file
from ...synth import synthetic_kanagawa_register


class Command(TenkenCommand):
    one_transaction = True  # a refused user leaves nothing behind, not even an organization row
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "情報システム台帳の取込・出力・集計を行います。"
    result_on_stdout = True  # tables printed even at -v 0

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="台帳（.xlsx / .csv）を取り込む（誤りがあれば何も登録しない）")
        p.add_argument("path", help="台帳のファイル（.xlsx、または UTF-8 / Shift_JIS の .csv）")
        p.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        add_user_argument(p)
        p.add_argument("--confirm-segments", action="store_true",
                       help="基幹系・内部情報系などをマイナンバー利用事務系・LGWAN接続系として読むことを確認する")
        p.add_argument("--dry-run", action="store_true",
                       help="すべて検査し、新規・変更・変更なしのシステム数を表示するだけで何も登録しない")
        p = sub.add_parser("export", help="台帳を .xlsx に出力する")
        p.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        p.add_argument("-o", "--output", required=True, help="出力先ファイル（.xlsx）")
        p = sub.add_parser("synth", help="神奈川県の数値（162→110システム、72→60億円）を再現する合成台帳を出力する")
        p.add_argument("-o", "--output", required=True, help="出力先ファイル（.xlsx）")
        p.add_argument("--seed", type=int, default=2013, help="乱数の種（同じ種なら同じ内容。既定: 2013）")
        p = sub.add_parser("feed-indicators", help="台帳の年度ごとの数値を指標（情報システム数・運用経費）の実績として記録する")
        p.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        p.add_argument("--plan", type=int, help="指標を新しく作るときに結び付ける計画ID")
        add_user_argument(p)
        p = sub.add_parser("summary", help="年度ごとのシステム数と運用経費")
        p.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        p = sub.add_parser("contracts", help="今後Nか月以内に契約・リースが満了するシステム")
        p.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        p.add_argument("--months", type=int, default=12, help="何か月先までを表示するか（既定: 12）")
        p.add_argument("--today", help="基準日（既定: 今日）")

    def handle(self, *args: object, **opts: object) -> None:
        try:
            getattr(self, f"do_{str(opts['action']).replace('-', '_')}")(**opts)
        except InputRejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(f"中止しました（{len(exc.problems)}件の誤り）。何も登録していません。") from exc

    def do_import(self, *, path: str, org: str, user: str, confirm_segments: bool = False, dry_run: bool = False,
                  **_: object) -> None:
        from django.db import transaction

        from tenken.inventory.models import InformationSystemChange

        if dry_run:
            preview = register_preview_file(user=self.acting_user(user), organization=organization_for_code(code=org),
                                            path=path, confirm_segments=confirm_segments)
            transaction.set_rollback(True)  # not even an organization created from the national list on first use
            if self.verbosity >= 2:
                for name in preview.new:
                    self.stdout.write(f"新規\t{name}")
                for name, items in preview.changed:
                    self.stdout.write(f"変更\t{name}\t{'、'.join(items)}")
            for note in preview.notes:
                self.stdout.write(f"注: {note}")
            self.stdout.write(f"確認のみ（何も登録していません）: {preview.summary()}")
            return
        notes: list[str] = []
        counts = register_import_file(user=self.acting_user(user), organization=organization_for_code(code=org),
                                      path=path, via=InformationSystemChange.Via.CLI, confirm_segments=confirm_segments,
                                      notes=notes)
        for note in notes:
            self.stdout.write(f"注: {note}")
        self.stdout.write(f"台帳を取り込みました: 新規 {counts['created']} 件、更新 {counts['updated']} 件")

    def do_export(self, *, org: str, output: str, **_: object) -> None:
        organization = organization_for_code(code=org)
        records, years = register_records(organization=organization)
        Path(output).write_bytes(register_workbook_bytes(records, years, organization=organization.name))
        self.stdout.write(f"{len(records)} 件を {output} に出力しました")

    def do_synth(self, *, output: str, seed: int, **_: object) -> None:
        records = synthetic_kanagawa_register(seed=seed)
        Path(output).write_bytes(register_workbook_bytes(records, list(range(2013, 2019))))
        self.stdout.write(f"合成台帳 {len(records)} 件を {output} に出力しました")

    def do_feed_indicators(self, *, org: str, plan: int | None, user: str, **_: object) -> None:
        from tenken.plans.models import Plan

        from ...indicator_feed import register_feed_indicators

        n = register_feed_indicators(user=self.acting_user(user), organization=organization_for_code(code=org),
                                     plan=Plan.objects.get(pk=plan) if plan else None)
        self.stdout.write(f"指標の実績を {n} 件記録しました（既にあるものは記録しません）")

    def do_summary(self, *, org: str, **_: object) -> None:
        from tenken.common.wareki import fiscal_year_label

        for f in register_by_fiscal_year(organization=organization_for_code(code=org)):
            self.stdout.write(f"{fiscal_year_label(f.fiscal_year)}\tシステム数 {f.systems}\t運用経費 {f.cost_yen / 1e8:,.1f}億円")

    def do_contracts(self, *, org: str, months: int, today: str | None, **_: object) -> None:
        from tenken.common.wareki import parse_date

        day = parse_date(today).start if today else date.today()
        for s in contracts_ending(organization=organization_for_code(code=org), today=day, months=months):
            self.stdout.write(f"{s.contract_end}\t{s.name}\t{s.department or ''}")
