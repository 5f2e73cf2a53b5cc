"""``tenken check --plan ID``: reconciliation of declared against computed counts, per item.

Prints every item that declared counts, marks differences, and exits with status 0 — a difference is
a finding for the report, not an error. Without ``--plan`` this is Django's own ``check`` (system
checks), which this command extends rather than hides.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand

from tenken.common.commands import TenkenCommand
from tenken.plans.models import Plan
from tenken.reviews.reconciliation import inspection_reconciliation
from tenken.reviews.selectors import report_inspection


def _fmt(values: tuple[int, ...]) -> str:
    return "/".join(str(v) for v in values) + f"（計 {sum(values)}）"


_SYSTEM_CHECK_HELP = {
    "args": "チェックするアプリのラベル（省略時はすべて）",
    "tags": "指定したタグのチェックだけを実行します",
    "list_tags": "チェックのタグを一覧表示します（--deploy と併せると本番用のタグも）",
    "deploy": "本番運用向けの設定もチェックします",
    "fail_level": "この水準以上のメッセージで終了コードを0以外にします（既定: ERROR）",
    "databases": "データベースに関するチェックを行う接続名",
}


class Command(TenkenCommand, SystemCheckCommand):
    result_on_stdout = True
    help = "--plan ID: 報告書記載の取組数と集計した取組数を取組項目ごとに照合します。省略時は Django のシステムチェック。"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        for action in parser._actions:
            action.help = _SYSTEM_CHECK_HELP.get(action.dest, action.help)
        parser.add_argument("--plan", type=int, help="照合する計画ID")

    def handle(self, *app_labels: str, **opts: object) -> None:
        if opts.get("plan") is None:
            return super().handle(*app_labels, **opts)
        plan = Plan.objects.filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError(f"計画ID {opts['plan']} はありません")
        inspection = report_inspection(plan_id=plan.pk)
        if inspection is None:
            raise CommandError(f"計画「{plan}」には点検がありません")
        recon = inspection_reconciliation(inspection=inspection)
        labels = "/".join(recon.labels)
        self.stdout.write(f"{inspection} — 報告書記載の取組数（記載）と集計（{labels}）")
        for row in recon.rows:
            mark = "一致" if row.matches else "差あり"
            self.stdout.write(
                f"  [{mark}] {row.label}: 記載 {_fmt(row.declared.values)} 集計 {_fmt(row.computed.values)}"
                + ("" if row.matches else f" 差 {'/'.join(f'{v:+d}' for v in row.difference.values)}")
            )
        self.stdout.write(
            f"合計: 記載 {_fmt(recon.declared_total.values)} 集計 {_fmt(recon.computed_total.values)}"
        )
        diffs = recon.differences
        if not recon.rows:
            self.stdout.write("報告書記載の取組数が登録されていません（tenken import-inspection で取り込めます）")
        elif diffs:
            self.stdout.write(f"差がある取組項目: {len(diffs)} 件（{'、'.join(r.title for r in diffs)}）")
        else:
            self.stdout.write("差はありません")
