"""``tenken import-plan PATH --org 140007 --title ... --fiscal-years 2014-2018 --user NAME [--structure CSV] [--dry-run]``

``--inspect`` prints the proposed mapping of any plan file as TOML (reads only: no ``--user``);
``--mapping FILE.toml`` imports with a (confirmed, possibly edited) mapping. An import acts as ``--user``,
who must be the organization's ICT admin, as in the web wizard. Without ``--user`` it acts as the
installation's set-up account ``tenken-setup`` (the server operator: a superuser that cannot log in), so
``tenken import-plan PATH --mapping FILE.toml --org CODE --title T --fiscal-years A-B`` works as #11 states
it, and the plan's history still names who imported it. See docs/importing.md and docs/cli.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from tenken.common.commands import USER_HELP, TenkenCommand
from tenken.common.errors import InputRejected


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    # All or nothing, the set-up account and an organization created on first use included: a refused import
    # or a --dry-run leaves every table as it was.
    one_transaction = True
    help = "計画の取組一覧（別紙形式の .xlsx または .csv）を取り込みます。誤りが一つでもあれば何も登録しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="取り込むファイル（.xlsx / .csv）")
        parser.add_argument("--inspect", action="store_true", help="ファイルを調べ、提案する対応表を TOML で標準出力に書きます")
        parser.add_argument("--mapping", help="対応表（TOML）。--inspect の出力を確かめて（直して）指定します")
        parser.add_argument("--org", help="団体コード（6桁、例: 140007）")
        parser.add_argument("--title", help="計画名")
        parser.add_argument("--fiscal-years", help="計画期間（例: R4-R8、令和4年度～令和8年度、2022-2026）")
        parser.add_argument("--structure", help="方針・記号・取組項目の一覧（CSV）。取組のない取組項目も登録されます（別紙形式のみ）")
        parser.add_argument("--dry-run", action="store_true", help="検証だけ行い、登録する内容を表示します")
        parser.add_argument("--user", help=USER_HELP + "。団体の管理者のみ。省略するとサーバー運用者の設置用アカウント"
                            "（tenken-setup）として取り込み、履歴にもそう記録します。--inspect では使いません")

    def handle(self, *args: object, **opts: object) -> None:
        path = str(opts["path"])
        if opts["inspect"]:
            self._inspect(path)
            return
        self._import(path, opts)
        if opts["dry_run"]:
            from django.db import transaction

            transaction.set_rollback(True)  # not even the set-up account of a first run (one_transaction)

    def _import(self, path: str, opts: dict) -> None:
        missing = [f"--{k.replace('_', '-')}" for k in ("org", "title", "fiscal_years") if not opts.get(k)]
        if missing:
            raise CommandError(f"次の引数を指定してください: {'、'.join(missing)}", returncode=2)
        if opts.get("user"):
            user = self.acting_user(opts["user"])
        else:
            from tenken.demo import setup_account

            user = setup_account()
        try:
            if opts.get("mapping"):
                self._mapped(path, opts, user)
                return
            from tenken.plans.importing import import_plan_file

            result = import_plan_file(
                path,
                user=user,
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
        self._report(result.draft, result.warnings, result.plan)

    def _inspect(self, path: str) -> None:
        from tenken.imports.inspect import inspect_file
        from tenken.imports.mapping import to_toml

        try:
            result = inspect_file(path)
        except InputRejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError("ファイルを調べられませんでした") from exc
        sys.stdout.write(to_toml(result.mapping))
        sys.stdout.flush()

    def _mapped(self, path: str, opts: dict, user) -> None:
        from tenken.imports.mapping import decode_mapping, from_toml
        from tenken.imports.services import plan_import_mapped

        mpath = Path(str(opts["mapping"]))
        try:
            data = mpath.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"{mpath}: 対応表がありません") from exc
        except OSError as exc:
            raise CommandError(f"{mpath}: 対応表を読めません（{exc.strerror}）") from exc
        mapping = from_toml(decode_mapping(data, name=mpath.name), name=mpath.name)
        outcome = plan_import_mapped(path=path, mapping=mapping, org_code=str(opts["org"]), title=str(opts["title"]),
                                     fiscal_years=str(opts["fiscal_years"]), dry_run=bool(opts["dry_run"]), user=user)
        for s in outcome.preview.skipped:
            self.stdout.write(f"読み飛ばし {s.where}: {s.kind_label}「{s.text}」")
        self._report(outcome.preview.draft, outcome.preview.warnings, outcome.plan)

    def _report(self, draft, warnings, plan) -> None:
        s = draft.summary()
        statuses = "、".join(f"{k} {v}" for k, v in s["by_status"].items())
        line = (
            f"方針 {s['policies']} / 取組項目 {s['items']} / 小項目 {s['subitems']} / "
            f"取組 {s['countable']}（ほかに見出し行 {s['headings']}） / 実施結果: {statuses}"
        )
        for w in warnings:
            self.stdout.write(f"注意 {w}")
        if plan is None:
            self.stdout.write("検証のみ（--dry-run）。次の内容を登録できます（まだ登録していません）:")
            self.stdout.write(line)
            for sec in draft.sections:
                if sec.depth <= 1:
                    n = sum(1 for i in draft.initiatives if not i.is_heading and i.section_key[: len(sec.key)] == sec.key)
                    self.stdout.write(f"{'  ' * sec.depth}{sec.code} {sec.title}: {n}")
        else:
            self.stdout.write(self.style.SUCCESS(f"計画「{plan}」を登録しました（ID {plan.pk}）"))
            self.stdout.write(line)
