"""``tenken import-inspection --plan ID ITEMS.csv [--text REPORT.toml] --user NAME``: an inspection's narratives.

Loads the per-item narratives and declared counts (``items.csv`` layout) and, with ``--text``, the report
text (title, as-of date, 趣旨・考え方, 全体総括) into the plan's report inspection. All or nothing. Acts as
``--user``, who must be the organization's ICT admin; the changes are recorded under that name.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.common.errors import InputRejected
from tenken.plans.models import Plan
from tenken.reviews.narratives import read_items_csv, read_report_text
from tenken.reviews.selectors import report_inspection
from tenken.reviews.services import inspection_import_narratives


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "点検の取組項目ごとの記述・報告書記載の取組数（items.csv 形式）と報告書の文章（.toml）を取り込みます。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("items", help="items.csv 形式のファイル")
        parser.add_argument("--plan", type=int, required=True, help="計画ID")
        parser.add_argument("--text", help="報告書の文章（趣旨・考え方、全体総括など）の .toml")
        add_user_argument(parser)

    def handle(self, *args: object, **opts: object) -> None:
        user = self.acting_user(opts["user"])
        plan = Plan.objects.filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError(f"計画ID {opts['plan']} はありません")
        inspection = report_inspection(plan_id=plan.pk)
        if inspection is None:
            raise CommandError(f"計画「{plan}」には点検がありません")
        try:
            items = read_items_csv(opts["items"])
            text = read_report_text(opts["text"]) if opts["text"] else None
            result = inspection_import_narratives(user=user, inspection=inspection, items=items, text=text)
        except InputRejected as exc:
            raise CommandError("取り込めませんでした（何も登録していません）:\n" + "\n".join(exc.messages)) from exc
        for w in result.warnings:
            self.stderr.write(f"警告: {w}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{inspection}: 取組項目 {result.narratives} 件の記述を登録し、変更の理由を {result.reasons_filled} 件記入しました"
            )
        )
