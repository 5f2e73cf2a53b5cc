"""``tenken import-plan PATH --org 140007 --title ... --fiscal-years 2014-2018 [--structure CSV] [--dry-run]``"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenken.common.errors import InputRejected
from tenken.plans.importing import import_plan_file


class Command(BaseCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "計画の取組一覧（別紙形式の .xlsx または .csv）を取り込みます。誤りが一つでもあれば何も登録しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="取り込むファイル（.xlsx / .csv）")
        parser.add_argument("--org", required=True, help="団体コード（6桁、例: 140007）")
        parser.add_argument("--title", required=True, help="計画名")
        parser.add_argument("--fiscal-years", required=True, help="計画期間（例: 2014-2018, H26-H30）")
        parser.add_argument("--structure", help="方針・記号・取組項目の一覧（CSV）。取組のない取組項目も登録されます")
        parser.add_argument("--dry-run", action="store_true", help="検証だけ行い、登録する内容を表示します")

    def handle(self, *args: object, **opts: object) -> None:
        try:
            result = import_plan_file(
                str(opts["path"]),
                org_code=str(opts["org"]),
                title=str(opts["title"]),
                fiscal_years=str(opts["fiscal_years"]),
                structure=opts.get("structure") or None,  # type: ignore[arg-type]
                dry_run=bool(opts["dry_run"]),
            )
        except InputRejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(f"取り込みを中止しました（{len(exc.problems)}件の誤り）。何も登録していません。") from exc
        s = result.draft.summary()
        statuses = "、".join(f"{k} {v}" for k, v in s["by_status"].items())  # type: ignore[union-attr]
        line = (
            f"方針 {s['policies']} / 取組項目 {s['items']} / 小項目 {s['subitems']} / "
            f"取組 {s['countable']}（ほかに見出し行 {s['headings']}） / 実施結果: {statuses}"
        )
        for w in result.warnings:
            self.stdout.write(f"注意 {w}")
        if result.plan is None:
            self.stdout.write("検証のみ（--dry-run）。次の内容を登録できます（まだ登録していません）:")
            self.stdout.write(line)
            for sec in result.draft.sections:
                if sec.depth <= 1:
                    n = sum(1 for i in result.draft.initiatives if not i.is_heading and i.section_key[: len(sec.key)] == sec.key)
                    self.stdout.write(f"{'  ' * sec.depth}{sec.code} {sec.title}: {n}")
        else:
            self.stdout.write(self.style.SUCCESS(f"計画「{result.plan}」を登録しました（ID {result.plan.pk}）"))
            self.stdout.write(line)
