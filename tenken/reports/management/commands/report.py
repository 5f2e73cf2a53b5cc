"""``tenken report --plan ID --format html|docx|pdf|xlsx -o FILE``: write the plan's 点検報告書."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenken.reports.context import ReportUnavailable, build_report_context
from tenken.reports.renderers import RENDERERS, render_report


class Command(BaseCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "計画の点検報告書を HTML・Word・PDF・Excel（別紙）で書き出します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="計画ID")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="pdf", help="出力形式")
        parser.add_argument("-o", "--output", required=True, help="出力先ファイル")

    def handle(self, *args: object, **opts: object) -> None:
        try:
            ctx = build_report_context(plan_id=opts["plan"])
        except ReportUnavailable as exc:
            raise CommandError(str(exc)) from exc
        data = render_report(ctx, opts["format"])
        Path(opts["output"]).write_bytes(data)
        self.stderr.write(f"{opts['output']} に書き出しました（{RENDERERS[opts['format']].verbose_name}, {len(data):,} バイト）")
