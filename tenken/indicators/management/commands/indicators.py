"""``tenken indicators --plan ID | --org 140007 [--as-of 2019-03]``: latest actual, target, rate, rating."""

from __future__ import annotations

import unicodedata

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import TenkenCommand
from tenken.common.wareki import WarekiError, parse_date
from tenken.indicators.selectors import indicator_report_rows
from tenken.orgs.lgcode import LgCodeError, clean_lgcode
from tenken.orgs.models import Organization
from tenken.plans.models import Plan


def _width(text: str) -> int:
    # East Asian wide characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "指標ごとに最新の実績値・目標値・達成率・評価を表で表示します。"
    result_on_stdout = True  # tables printed even at -v 0

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--plan", type=int, help="計画の ID")
        group.add_argument("--org", help="団体コード（6桁）")
        parser.add_argument("--as-of", help="この時点までの実績で集計（例: 2019-03, H30年度末）")

    def handle(self, *args: object, **opts: object) -> None:
        as_of = None
        if opts.get("as_of"):
            try:
                as_of = parse_date(str(opts["as_of"])).as_of
            except WarekiError as exc:
                raise CommandError(f"--as-of: {exc}") from exc
        if opts.get("plan") is not None:
            plan = Plan.objects.filter(pk=opts["plan"]).first()
            if plan is None:
                raise CommandError(f"--plan: 計画 ID「{opts['plan']}」は登録されていません")
            rows = indicator_report_rows(plan=plan, as_of=as_of)
            title = str(plan)
        else:
            try:
                code = clean_lgcode(opts["org"])
            except LgCodeError as exc:
                raise CommandError(f"--org: {exc}") from exc
            org = Organization.objects.filter(code=code).first()
            if org is None:
                raise CommandError(f"--org: 団体コード「{code}」の団体は登録されていません")
            rows = indicator_report_rows(organization=org, as_of=as_of)
            title = str(org)
        header = ("指標", "単位", "基準値", "最新の実績値", "時点", "目標値", "時点", "達成率", "評価")
        table = [
            (r.name, r.unit, r.baseline_display, r.actual_display, r.actual_label, r.target_display,
             r.target_label, r.rate_text, r.rating)
            for r in rows
        ]
        numeric = {2, 3, 5}
        widths = [max([_width(h)] + [_width(t[i]) for t in table]) for i, h in enumerate(header)]
        self.stdout.write(f"{title} の指標（{len(rows)}件）")
        self.stdout.write("  ".join(_pad(h, widths[i]) for i, h in enumerate(header)).rstrip())
        for t in table:
            self.stdout.write("  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(t)).rstrip())
