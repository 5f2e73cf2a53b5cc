"""``tenken survey open|generate|ingest|remind|close|assign``: the yearly survey round from the console.

Every subcommand acts as ``--user`` (a user name): permissions are those of that person
(:mod:`tenken.orgs.access`), exactly as on the web. A round is named by ``--round ID`` or by
``--plan ID --fiscal-year 2018`` (和暦 such as 平成30年度 is accepted).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from tenken.common.commands import TenkenCommand, add_user_argument
from tenken.common.errors import InputRejected
from tenken.common.wareki import WarekiError, parse_date, parse_fiscal_year
from tenken.orgs.access import plan_for_management, round_for_management
from tenken.surveys.exchange import ingest_directory, round_workbooks_generate
from tenken.surveys.models import SurveyRound
from tenken.surveys.services import round_close, round_open, round_remind


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "年度の照会（所属への調査）を開始・回答票作成・取込み・督促します。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def common(p: CommandParser, *, round_args: bool = True) -> None:
            add_user_argument(p)
            p.add_argument("--plan", help="計画のID")
            if round_args:
                p.add_argument("--fiscal-year", help="対象年度（2018、H30、平成30年度）")
                p.add_argument("--round", help="照会のID（--plan と --fiscal-year の代わり）")

        p = sub.add_parser("open", help="照会を開始する")
        common(p)
        p.add_argument("--deadline", required=True, help="回答期限（2019-05-31、R1.5.31 など）")
        p = sub.add_parser("generate", help="所属ごとの回答票（.xlsx）を作成する")
        common(p)
        p.add_argument("--out", required=True, help="出力先フォルダ")
        p = sub.add_parser("ingest", help="フォルダ内の回答票を取り込む（誤りのある回答票は全体を受け付けない）")
        p.add_argument("directory", help="返送された回答票（.xlsx）を置いたフォルダ")
        common(p)
        p = sub.add_parser("remind", help="未提出・差戻し中の所属の入力者に督促メールを送る")
        common(p)
        p.add_argument("--base-url", default="", help="メールに載せる画面のURL（例: https://tenken.example）")
        p = sub.add_parser("close", help="照会を締め切る（以後の回答・提出を受け付けない。承認・差戻しは可能）")
        common(p)
        p = sub.add_parser("assign", help="取組項目→所属の対応表（CSV）で担当所属を設定する")
        p.add_argument("mapping", help="取組項目→所属の対応表（CSV）")
        common(p, round_args=False)

    def handle(self, *args: object, **opts) -> None:
        user = self.acting_user(opts["user"])
        try:
            getattr(self, f"do_{opts['action']}")(user, opts)
        except InputRejected as exc:
            raise CommandError("\n".join(exc.messages)) from exc

    def _round(self, user, opts) -> SurveyRound:
        if opts.get("round"):
            return round_for_management(user=user, pk=opts["round"])
        plan = self._plan(user, opts)
        fy = self._fiscal_year(opts)
        survey_round = plan.survey_rounds.filter(fiscal_year=fy).first()
        if survey_round is None:
            raise CommandError(f"計画「{plan.title}」の{fy}年度の照会はまだ開始されていません")
        return round_for_management(user=user, pk=survey_round.pk)

    def _plan(self, user, opts):
        if not opts.get("plan"):
            raise CommandError("--plan（計画のID）を指定してください")
        return plan_for_management(user=user, pk=opts["plan"])

    def _fiscal_year(self, opts) -> int:
        if not opts.get("fiscal_year"):
            raise CommandError("--fiscal-year（対象年度）を指定してください")
        try:
            return parse_fiscal_year(opts["fiscal_year"])
        except WarekiError as exc:
            raise CommandError(f"--fiscal-year: {exc}") from exc

    def do_open(self, user, opts) -> None:
        plan = self._plan(user, opts)
        try:
            deadline = parse_date(opts["deadline"]).end
        except WarekiError as exc:
            raise CommandError(f"--deadline: {exc}") from exc
        survey_round = round_open(user=user, plan=plan, fiscal_year=self._fiscal_year(opts), deadline=deadline)
        self.stdout.write(
            f"照会を開始しました: {survey_round}（ID {survey_round.pk}、回答期限 {deadline:%Y-%m-%d}、"
            f"所属 {survey_round.responses.count()}）"
        )

    def do_generate(self, user, opts) -> None:
        paths = round_workbooks_generate(user=user, survey_round=self._round(user, opts), directory=opts["out"],
                                         progress=partial(self.progress, desc="回答票", unit="冊"))
        for path in paths:
            self.stdout.write(f"作成: {path}")
        self.stdout.write(f"回答票を{len(paths)}件作成しました")

    def do_ingest(self, user, opts) -> None:
        directory = Path(opts["directory"])
        if not directory.is_dir():
            raise CommandError(f"フォルダ「{directory}」がありません")
        survey_round = self._round(user, opts) if (opts.get("round") or opts.get("plan")) else None
        results = ingest_directory(user=user, directory=directory, survey_round=survey_round,
                                   progress=partial(self.progress, desc="取込", unit="冊"))
        refused = 0
        for r in results:
            if r.ok:
                self.stdout.write(f"受付: {r.name} → {r.response.department.name}（{r.response.get_state_display()}）")
            else:
                refused += 1
                self.stdout.write(f"拒否: {r.name}")
                for problem in r.problems:
                    self.stdout.write(f"  {problem}")
        self.stdout.write(f"受付 {len(results) - refused}件、拒否 {refused}件")
        if refused:
            raise CommandError(f"{refused}件の回答票を受け付けませんでした（理由は上記のとおり。受け付けた回答票は登録済みです）")

    def do_remind(self, user, opts) -> None:
        result = round_remind(user=user, survey_round=self._round(user, opts), base_url=opts["base_url"])
        self.stdout.write("督促しました: " + ("、".join(result.sent) or "（なし）"))
        if result.no_address:
            self.stdout.write("入力者のメールアドレスが登録されていない所属: " + "、".join(result.no_address))

    def do_close(self, user, opts) -> None:
        survey_round = round_close(user=user, survey_round=self._round(user, opts))
        self.stdout.write(f"締め切りました: {survey_round}")

    def do_assign(self, user, opts) -> None:
        from tenken.plans.assignments import plan_assign_departments_from_csv

        plan = self._plan(user, opts)
        with transaction.atomic():
            counts = plan_assign_departments_from_csv(plan=plan, path=opts["mapping"], user=user)
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n}件")
