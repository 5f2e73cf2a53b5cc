"""``tenken municipal create-goal|import|feed-indicator|status`` — a prefecture's follow-up of its municipalities.

The writing subcommands act as ``--user``: ``create-goal`` and ``import`` need the prefecture's admin or
台帳編集者 (as the web's follow-up page), ``feed-indicator`` writes indicator values and needs its admin.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.common.errors import InputRejected
from tenken.common.wareki import format_date, parse_date
from tenken.orgs.services import organization_for_code

from ...models import MunicipalGoal
from ...selectors import municipal_rollup
from ...services import municipal_goal_create, municipal_progress_import


class Command(TenkenCommand):
    one_transaction = True  # a refused user leaves nothing behind, not even an organization row
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "都道府県による市町村の取組状況（例: オープンデータ取組済）の登録と集計。"
    result_on_stdout = True  # tables printed even at -v 0

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("create-goal", help="目標を作り、全市町村を未取組で登録する")
        p.add_argument("--prefecture", required=True, help="都道府県の団体コード（例: 140007）")
        p.add_argument("--name", required=True, help="目標の名前（例: オープンデータ取組済）")
        p.add_argument("--target", required=True, help="目標時期（例: R2年度末）")
        add_user_argument(p)
        p = sub.add_parser("import", help="取組状況のCSVを取り込む")
        p.add_argument("--goal", type=int, required=True, help="目標のID（create-goal が表示）")
        p.add_argument("path", help="取組状況の CSV")
        add_user_argument(p)
        p = sub.add_parser("feed-indicator", help="年度末ごとの未取組団体数を指標の実績として記録する")
        p.add_argument("--goal", type=int, required=True, help="目標のID（create-goal が表示）")
        p.add_argument("--name", default="オープンデータ未取組の県内市町村数", help="指標名")
        add_user_argument(p)
        p = sub.add_parser("status", help="集計を表示する")
        p.add_argument("--goal", type=int, required=True, help="目標のID（create-goal が表示）")
        p.add_argument("--on", help="基準日（既定: 今日）")

    def handle(self, *args: object, **opts: object) -> None:
        action = str(opts["action"])
        user = self.acting_user(opts["user"]) if action != "status" else None
        try:
            if action == "create-goal":
                target = parse_date(str(opts["target"]))
                goal = municipal_goal_create(
                    user=user, prefecture=organization_for_code(code=opts["prefecture"]), name=str(opts["name"]),
                    target_date=target.end, target_text=str(opts["target"]),
                )
                self.stdout.write(f"目標「{goal.name}」（ID {goal.pk}）を作成しました: 市町村 {goal.progress.count()}")
            elif action == "import":
                goal = MunicipalGoal.objects.get(pk=opts["goal"])
                n = municipal_progress_import(user=user, goal=goal, path=str(opts["path"]))
                self.stdout.write(f"{n} 団体の取組状況を登録しました")
            elif action == "feed-indicator":
                from ...indicator_feed import municipal_feed_indicator

                goal = MunicipalGoal.objects.get(pk=opts["goal"])
                n = municipal_feed_indicator(user=user, goal=goal, name=str(opts["name"]), today=date.today())
                self.stdout.write(f"指標「{opts['name']}」に {n} 件記録しました")
            else:
                goal = MunicipalGoal.objects.get(pk=opts["goal"])
                on = parse_date(str(opts["on"])).end if opts.get("on") else date.today()
                r = municipal_rollup(goal=goal, on=on)
                self.stdout.write(
                    f"{goal.name}（{format_date(on)}時点）: 取組済 {r.achieved} / {r.total}（{r.percent:.1f}%）、"
                    f"未取組 {r.not_achieved}、目標 {goal.target_text or format_date(goal.target_date)}"
                )
                for name in r.pending_names:
                    self.stdout.write(f"  未取組: {name}")
        except InputRejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(f"中止しました（{len(exc.problems)}件の誤り）。何も登録していません。") from exc
        except MunicipalGoal.DoesNotExist as exc:
            raise CommandError(f"目標 ID {opts['goal']} はありません") from exc
