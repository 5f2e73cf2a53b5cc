"""The national master list of local governments, shipped in ``tenken/data/japan`` (code4fukui/localgovjp, CC0).

``master_organizations()`` yields one :class:`MasterOrg` per 団体: 47 prefectures, 1,741 municipalities
and the wards (行政区) of designated cities; 1,788 = 47 + 1,741 excludes the wards.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .lgcode import clean_lgcode, prefecture_code_of

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "japan"


@dataclass(frozen=True)
class MasterOrg:
    code: str
    name: str
    kana: str
    kind: str
    parent_code: str | None


def _kind_of(name: str, designated: set[str]) -> str:
    if " " in name:
        return "ward"
    if name in designated:
        return "designated_city"
    if name.endswith("区"):
        return "special_ward"
    if name.endswith("市"):
        return "city"
    if name.endswith("町"):
        return "town"
    if name.endswith("村"):
        return "village"
    return "city"


@cache
def master_organizations() -> tuple[MasterOrg, ...]:
    out: list[MasterOrg] = []
    with open(DATA_DIR / "prefjp-utf8.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append(MasterOrg(clean_lgcode(row["lgcode"]), row["pref"], row["prefkana"], "prefecture", None))
    with open(DATA_DIR / "localgovjp-utf8.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    designated = {r["city"].split(" ")[0] for r in rows if " " in r["city"]}
    for row in rows:
        code = clean_lgcode(row["lgcode"])
        out.append(
            MasterOrg(
                code=code,
                name=row["city"].replace(" ", ""),
                kana=row["citykana"],
                kind=_kind_of(row["city"], designated),
                parent_code=prefecture_code_of(code),
            )
        )
    return tuple(out)


def master_by_code() -> dict[str, MasterOrg]:
    return {o.code: o for o in master_organizations()}


def iter_master(kinds: set[str] | None = None) -> Iterator[MasterOrg]:
    for org in master_organizations():
        if kinds is None or org.kind in kinds:
            yield org
