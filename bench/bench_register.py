"""The information-system register import (a city's whole register, 6,000 systems × 5 years of costs), first
into an empty register and then again with a tenth of the systems changed, against reading the same workbook
with python-calamine and openpyxl (the floor, measured in the same run)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from .harness import Figure, timed

SYSTEMS = 6_000
YEARS = [2020, 2021, 2022, 2023, 2024]
SEGMENTS = ("マイナンバー利用事務系", "LGWAN接続系", "インターネット接続系")


def _records(changed_every: int = 0) -> list[dict]:
    out = []
    for n in range(SYSTEMS):
        changed = changed_every and n % changed_every == 0
        out.append({
            "name": f"業務システム{n:05d}", "department": f"所属{n % 120}", "purpose": f"業務{n}の処理",
            "segment": SEGMENTS[n % 3], "hosting": ("データセンター", "クラウド", "庁舎内設置")[n % 3],
            "internet_facing": False, "in_service_on": date(2005 + n % 15, 4, 1), "retired_on": None,
            "contract_end": date(2026, 3, 31) if n % 5 == 0 else None, "state": "稼働", "successor": "",
            "note": "更新あり" if changed else "",
            "costs": {fy: 1000 * (n % 997) + fy + (7 if changed else 0) for fy in YEARS},
        })
    return out


def run() -> list[Figure]:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    from tenken.demo import setup_account
    from tenken.inventory.models import InformationSystem
    from tenken.inventory.register_format import register_workbook_bytes
    from tenken.inventory.services import register_import_file
    from tenken.orgs.models import Organization
    from tenken.orgs.services import organizations_load_master

    user = setup_account()
    organizations_load_master(user=user)
    org = Organization.objects.get(code="140007")
    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    first, second = tmp / "台帳.xlsx", tmp / "台帳-更新.xlsx"
    first.write_bytes(register_workbook_bytes(_records(), YEARS))
    second.write_bytes(register_workbook_bytes(_records(changed_every=10), YEARS))

    calamine = timed(lambda: [s.to_python() for s in (CalamineWorkbook.from_path(str(first)).get_sheet_by_index(0),)],
                     repeat=3)
    openpyxl = timed(lambda: list(load_workbook(first, read_only=True).active.iter_rows(values_only=True)), repeat=3)

    def clear() -> None:
        InformationSystem.objects.filter(organization=org).delete()

    created = timed(lambda: register_import_file(user=user, organization=org, path=first), repeat=3, setup=clear)
    assert InformationSystem.objects.filter(organization=org).count() == SYSTEMS
    updated = timed(lambda: register_import_file(user=user, organization=org, path=second), repeat=3,
                    setup=lambda: (clear(), register_import_file(user=user, organization=org, path=first)))
    return [
        Figure(f"python-calamine: read the {SYSTEMS:,}-system register (floor)", calamine * 1000, "ms"),
        Figure(f"openpyxl (read-only): read the {SYSTEMS:,}-system register", openpyxl * 1000, "ms",
               "calamine read", calamine * 1000),
        Figure(f"register import, {SYSTEMS:,} new systems × {len(YEARS)} years (SQLite; was 62.2 s row by row)",
               created * 1000, "ms", "calamine read", calamine * 1000),
        Figure("register import again, a tenth changed (SQLite; was 42.9 s row by row)", updated * 1000, "ms",
               "calamine read", calamine * 1000),
    ]
