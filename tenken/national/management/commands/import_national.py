"""``tenken import-national DIR --user NAME [--workers 2] [--strict]`` — bulk import of one workbook per organization.

Writes every organization's plans at once: ``--user`` must be a superuser (the national operator).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.national.bulk import bulk_import


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "団体ごとの計画ブック（.xlsx）を一括で取り込みます。全体が一つのトランザクションです。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="団体ごとの計画ブック（.xlsx）を置いたフォルダ")
        parser.add_argument("--workers", type=int, default=None, help="読み込みのプロセス数（既定: コア数、最大2）")
        parser.add_argument("--strict", action="store_true", help="誤りのあるブックが一つでもあれば何も登録しない")
        add_user_argument(parser)
        parser.add_argument("--pause-after", type=int, default=None, help=argparse_suppress())

    def handle(self, *args: object, **opts: object) -> None:
        from tenken.orgs.access import national_data_check

        user = self.acting_user(opts["user"])
        national_data_check(user=user)  # before listing the folder
        paths = sorted(Path(str(opts["directory"])).glob("*.xlsx"))
        if not paths:
            raise CommandError(f"{opts['directory']} に .xlsx がありません")

        bar = self.progress(total=len(paths), desc="取込", unit="ブック")

        def progress(done: int, total: int, reviews: int) -> None:
            bar.update(done - bar.n)
            bar.set_postfix_str(f"点検結果 {reviews:,} 件", refresh=False)

        try:
            result = bulk_import(paths, user=user, workers=opts["workers"], strict=bool(opts["strict"]),  # type: ignore[arg-type]
                                 progress=progress, pause_after=opts["pause_after"])  # type: ignore[arg-type]
        finally:
            bar.close()
        for problems in result.refused.values():
            for p in problems:
                self.stderr.write(p)
        if opts["strict"] and result.refused:
            raise CommandError(f"{len(result.refused)} 件のブックに誤りがあるため、何も登録していません。")
        self.stdout.write(
            f"{result.imported}/{result.workbooks} ブックを登録しました（取組の点検結果 {result.reviews:,} 件、"
            f"{result.seconds:.1f} 秒、{result.reviews_per_second:,.0f} 件/秒）"
        )
        self.detail("内訳（秒）: " + "、".join(f"{k} {v:.1f}" for k, v in result.timings.items()))
        if result.refused:
            self.stdout.write(f"誤りのため取り込まなかったブック: {len(result.refused)} 件（上記）")


def argparse_suppress() -> str:
    import argparse

    return argparse.SUPPRESS
