"""``tenken report --plan ID --format html|docx|pdf|xlsx -o FILE``: write the plan's 点検報告書."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import CommandError

from tenken.common.commands import TenkenCommand
from tenken.reports.context import ReportUnavailable, build_report_context
from tenken.reports.renderers import RENDERERS, render_report


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "計画の点検報告書を HTML・Word・PDF・Excel（別紙）で書き出します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plan", type=int, nargs="+", required=True,
                            help="計画ID（複数指定すると -o はフォルダで、計画ごとに report-ID.形式 を書き出す）")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="pdf", help="出力形式")
        parser.add_argument("-o", "--output", required=True, help="出力先ファイル（計画が複数ならフォルダ）")

    def handle(self, *args: object, **opts: object) -> None:
        plans, fmt = list(opts["plan"]), str(opts["format"])
        if len(plans) == 1:
            self._write(plans[0], fmt, Path(opts["output"]), announce=True)
            return
        directory = Path(opts["output"])
        directory.mkdir(parents=True, exist_ok=True)
        for plan_id in self.progress(plans, total=len(plans), desc="報告書", unit="計画"):
            self._write(plan_id, fmt, directory / f"report-{plan_id}.{RENDERERS[fmt].extension}",
                        announce=self.verbosity >= 2)
        self.stdout.write(f"{len(plans)} 件の報告書を {directory} に書き出しました")

    def _write(self, plan_id: int, fmt: str, path: Path, *, announce: bool) -> None:
        t0 = time.perf_counter()
        try:
            ctx = build_report_context(plan_id=plan_id)
        except ReportUnavailable as exc:
            raise CommandError(str(exc)) from exc
        t1 = time.perf_counter()
        data = render_report(ctx, fmt)
        path.write_bytes(data)
        self.detail(f"計画 {plan_id}: 集計 {t1 - t0:.2f} 秒、出力 {time.perf_counter() - t1:.2f} 秒")
        if announce:
            self.stdout.write(f"{path} に書き出しました（{RENDERERS[fmt].verbose_name}, {len(data):,} バイト）")
