"""Importing the register writes exactly what it wrote before the set-based rewrite (bench/bench_register.py):
the same systems, costs and change history (who, field, old → new, how), for a first import and for a second
file with unchanged, changed, new and consolidated systems. The expected contents were recorded from the
row-by-row implementation (tests/fixtures/register/golden.json; ``TENKEN_RECORD_GOLDEN=1`` rewrites it)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from tenken.inventory.models import InformationSystem, InformationSystemChange, SystemCost
from tenken.inventory.register_format import register_workbook_bytes
from tenken.inventory.services import register_import_file

from .personas import cast_for, small_plan

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "fixtures" / "register" / "golden.json"
SEGMENTS = ("マイナンバー利用事務系", "LGWAN接続系", "インターネット接続系")


def record(n: int, **changes) -> dict:
    r = {"name": f"システム{n:03d}", "department": f"所属{n % 7}", "purpose": f"目的{n}",
         "segment": SEGMENTS[n % 3], "hosting": ("データセンター", "クラウド", "庁舎内設置")[n % 3],
         "internet_facing": n % 3 == 2 and n % 2 == 0, "in_service_on": date(2010 + n % 8, 4, 1),
         "retired_on": None, "contract_end": date(2025, 3, 31) if n % 4 == 0 else None, "state": "稼働",
         "successor": "", "note": "", "costs": {2021: 1000 * n, 2022: 1100 * n}}
    r.update(changes)
    return r


def first_file() -> list[dict]:
    return [record(n) for n in range(1, 31)]


def second_file() -> list[dict]:
    out = [record(n) for n in range(1, 11)]  # unchanged
    out += [record(n, department="情報企画課", note=f"更新{n}", costs={2022: 5, 2023: 7 * n}) for n in range(11, 21)]
    out += [record(n, state="統合", retired_on=date(2023, 3, 31), successor="システム101") for n in range(21, 24)]
    out += [record(n) for n in range(101, 106)]  # new, one of them the successor above
    return out


def dump(org) -> dict:
    systems = [
        [s.name, s.department.name if s.department else "", s.purpose, s.segment, s.hosting, s.internet_facing,
         str(s.in_service_on), str(s.retired_on), str(s.contract_end), s.state, s.successor.name if s.successor else "",
         s.note]
        for s in InformationSystem.objects.filter(organization=org).select_related("department", "successor")
        .order_by("name")
    ]
    costs = sorted([list(c) for c in SystemCost.objects.filter(system__organization=org)
                    .values_list("system__name", "fiscal_year", "amount_yen")])
    history = sorted([list(h) for h in InformationSystemChange.objects.filter(organization=org).values_list(
        "system_name", "changed_by__username", "field", "old_value", "new_value", "via")])
    return {"systems": systems, "costs": costs, "history": history}


def test_register_import_writes_what_it_wrote_before(tmp_path):
    cast = cast_for(small_plan())
    got = {}
    for step, records in (("first", first_file()), ("second", second_file())):
        path = tmp_path / f"{step}.xlsx"
        path.write_bytes(register_workbook_bytes(records, [2021, 2022, 2023]))
        got[f"{step}_counts"] = register_import_file(user=cast.sato, organization=cast.org, path=path)
        got[step] = dump(cast.org)
    if os.environ.get("TENKEN_RECORD_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got["first_counts"] == expected["first_counts"] == {"created": 30, "updated": 0}
    assert got["second_counts"] == expected["second_counts"]
    for step in ("first", "second"):
        for part in ("systems", "costs", "history"):
            assert got[step][part] == expected[step][part], (step, part)
