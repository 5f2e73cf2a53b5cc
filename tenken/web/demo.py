"""The Kanagawa demo data set (data/kanagawa), loaded through the normal import path."""

from __future__ import annotations

from pathlib import Path

from tenken.plans.importing import import_plan_file
from tenken.plans.models import Plan

KANAGAWA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "kanagawa"
KANAGAWA_TITLE = "電子化全開宣言行動計画"


def load_kanagawa() -> Plan:
    result = import_plan_file(
        KANAGAWA_DIR / "action-plan.xlsx",
        org_code="140007",
        title=KANAGAWA_TITLE,
        fiscal_years="2014-2018",
        structure=KANAGAWA_DIR / "items.csv",
    )
    assert result.plan is not None
    return result.plan


def load_kanagawa_indicators() -> None:
    """data/kanagawa/indicators.csv against the Kanagawa plan (idempotent: a re-run records nothing new)."""
    from tenken.indicators.importing import import_indicators_file

    plan = Plan.objects.get(organization__code="140007", title=KANAGAWA_TITLE)
    import_indicators_file(KANAGAWA_DIR / "indicators.csv", org_code="140007", plan_id=plan.pk)
