"""A deterministic synthetic register reproducing the Kanagawa figures of the seed report.

全体総括(2)イ: 162 systems and about 7.2 billion yen a year (H25 棚卸し), reduced to 110 systems and about
6.0 billion yen by April 2018. The generator makes 162 systems in service before FY2013, adds a few new
ones, and retires or consolidates enough of them during FY2014–FY2017 that 110 are in service on
2018-04-01; costs are scaled so that FY2013 totals exactly 7,200,000,000 yen and FY2018 6,000,000,000 yen.
"""

from __future__ import annotations

import random
from datetime import date

from .models import Hosting, Segment, SystemState

DEPARTMENTS = ["総務局", "政策局", "福祉子どもみらい局", "健康医療局", "環境農政局", "産業労働局", "県土整備局", "会計局", "教育局", "警察本部"]
KINDS = ["管理", "情報提供", "申請受付", "台帳", "統計", "会計", "人事", "文書", "施設予約", "相談記録"]


def _allocate(rng: random.Random, systems: list[dict], year: int, total: int) -> None:
    weights = [rng.lognormvariate(0, 1) for _ in systems]
    scale = total / sum(weights)
    amounts = [int(w * scale) for w in weights]
    amounts[0] += total - sum(amounts)
    for s, a in zip(systems, amounts, strict=True):
        s["costs"][year] = a


def synthetic_kanagawa_register(*, seed: int = 2013, start: int = 162, end: int = 110, new: int = 6,
                                cost_start: int = 7_200_000_000, cost_end: int = 6_000_000_000) -> list[dict[str, object]]:
    rng = random.Random(seed)
    segments = [Segment.MYNUMBER.label] * 2 + [Segment.LGWAN.label] * 6 + [Segment.INTERNET.label] * 2
    hostings = [h.label for h in Hosting]
    systems: list[dict[str, object]] = []
    for i in range(start + new):
        segment = rng.choice(segments)
        is_new = i >= start
        systems.append({
            "name": f"{rng.choice(DEPARTMENTS)}{rng.choice(KINDS)}システム{i + 1:03d}",
            "department": rng.choice(DEPARTMENTS),
            "purpose": "合成データ（ベンチマーク・試験用）",
            "segment": segment,
            "hosting": rng.choice(hostings),
            "internet_facing": segment == Segment.INTERNET.label and rng.random() < 0.5,
            "in_service_on": date(rng.randint(2015, 2017), 4, 1) if is_new else date(rng.randint(1995, 2012), rng.randint(1, 12), 1),
            "retired_on": None,
            "contract_end": date(rng.randint(2016, 2024), 3, 31),
            "state": SystemState.ACTIVE.label,
            "successor": "",
            "note": "",
            "costs": {},
        })
    retire_count = start + new - end
    old = systems[:start]
    leaving = rng.sample(old, retire_count)
    staying = [s for s in systems if s not in leaving]
    for s in leaving:
        s["retired_on"] = date(rng.randint(2014, 2017), 3, 31) if rng.random() < 0.1 else date(rng.randint(2015, 2018), 3, 31)
        s["contract_end"] = None
        if rng.random() < 0.6:
            # Consolidated into a system of the same segment that stays (segment rules must hold).
            candidates = [t for t in staying if t["segment"] == s["segment"]] or staying
            s["successor"] = rng.choice(candidates)["name"]
            s["state"] = SystemState.CONSOLIDATED.label
        else:
            s["state"] = SystemState.RETIRED.label
    for year in range(2013, 2019):
        on = date(year, 4, 1)
        active = [s for s in systems if s["in_service_on"] <= on and (s["retired_on"] is None or s["retired_on"] >= on)]
        total = round(cost_start + (cost_end - cost_start) * (year - 2013) / 5)
        _allocate(rng, active, year, total)
    return systems
