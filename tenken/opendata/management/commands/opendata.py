"""``tenken opendata export --plan ID -o DIR``: write a plan's open-data files and datapackage.json."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import TenkenCommand
from tenken.opendata.package import export_plan
from tenken.public.visibility import public_plans


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "オープンデータ（CSV・JSON・XLSX と datapackage.json、DCAT メタデータ）を書き出す"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="計画のオープンデータをディレクトリに書き出す")
        export.add_argument("--plan", type=int, nargs="+", required=True,
                            help="計画ID（複数指定すると出力先の下に計画IDごとのフォルダを作る）")
        export.add_argument("-o", "--output", required=True, help="出力先ディレクトリ")
        export.add_argument(
            "--base-url", default="", help="DCAT の downloadURL の前に付ける公開URL（例: https://example.jp/opendata/）"
        )

    def handle(self, *args, **options) -> None:
        ids = list(options["plan"])
        plans = {p.pk: p for p in public_plans().select_related("organization").filter(pk__in=ids)}
        for pk in ids:
            if pk not in plans:
                raise CommandError(f"--plan: 計画ID {pk} の公表された計画はありません（点検を公表すると書き出せます）")
        base = Path(options["output"])
        for pk in self.progress(ids, total=len(ids), desc="オープンデータ", unit="計画"):
            plan = plans[pk]
            directory = base if len(ids) == 1 else base / str(pk)
            paths = export_plan(plan=plan, directory=directory, base_url=options["base_url"])
            write = self.stdout.write if len(ids) == 1 else self.detail  # one line per file: -v 2 for many
            for path in paths:
                write(f"{path}（{path.stat().st_size:,} バイト）")
            self.stdout.write(self.style.SUCCESS(f"{len(paths)} ファイルを書き出しました: {plan}"))
