"""``tenken opendata export --plan ID -o DIR``: write a plan's open-data files and datapackage.json."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenken.opendata.package import export_plan
from tenken.public.visibility import public_plans


class Command(BaseCommand):
    help = "オープンデータ（CSV・JSON・XLSX と datapackage.json、DCAT メタデータ）を書き出す"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="計画のオープンデータをディレクトリに書き出す")
        export.add_argument("--plan", type=int, required=True, help="計画ID")
        export.add_argument("-o", "--output", required=True, help="出力先ディレクトリ")
        export.add_argument(
            "--base-url", default="", help="DCAT の downloadURL の前に付ける公開URL（例: https://example.jp/opendata/）"
        )

    def handle(self, *args, **options) -> None:
        plan = public_plans().select_related("organization").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(
                f"--plan: 計画ID {options['plan']} の公表された計画はありません（点検を公表すると書き出せます）"
            )
        paths = export_plan(plan=plan, directory=Path(options["output"]), base_url=options["base_url"])
        for path in paths:
            self.stdout.write(f"{path}（{path.stat().st_size:,} バイト）")
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} ファイルを書き出しました: {plan}"))
