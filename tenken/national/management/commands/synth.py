"""``tenken synth --orgs 1788 --initiatives 200 --years 5 -o DIR [--seed N] [--format xlsx|csv]``"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import CommandParser

from tenken.common.commands import TenkenCommand
from tenken.national.synth import iter_national, write_csv, write_xlsx


class Command(TenkenCommand):
    # A data command: no system checks (they import every view, and with them matplotlib and DRF);
    # `tenken check`, migrate and the server still run them (docs/speed.md).
    requires_system_checks: list[str] = []
    help = "全国の地方公共団体の合成データ（団体ごとの計画ブック）を作ります。同じ seed なら同じ内容です。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=1788, help="団体数（既定: 1788）")
        parser.add_argument("--initiatives", type=int, default=200, help="1団体あたりの取組数（既定: 200）")
        parser.add_argument("--years", type=int, default=5, help="計画の年度数（既定: 5）")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（同じ種なら同じ内容。既定: 1）")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="ブックの形式（既定: xlsx）")
        parser.add_argument("-o", "--output", required=True, help="出力先フォルダ")

    def handle(self, *args: object, **opts: object) -> None:
        out = Path(str(opts["output"]))
        out.mkdir(parents=True, exist_ok=True)
        write = write_xlsx if opts["format"] == "xlsx" else write_csv
        t0, rows, n = time.perf_counter(), 0, 0
        plans = iter_national(orgs=int(opts["orgs"]), initiatives=int(opts["initiatives"]),
                              years=int(opts["years"]), seed=int(opts["seed"]))
        for plan in self.progress(plans, total=int(opts["orgs"]), desc="合成", unit="団体"):
            path = out / f"{plan.org.code}.{opts['format']}"
            write(plan, path)
            n += 1
            rows += len(plan.rows)
            self.detail(f"{path}（{len(plan.rows):,} 行）")
        self.stdout.write(f"{n} 団体分（{rows:,} 行）を {out} に出力しました（{time.perf_counter() - t0:.1f} 秒）")
