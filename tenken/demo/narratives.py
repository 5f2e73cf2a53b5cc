"""The Kanagawa inspection narratives (tenken/demo/data/kanagawa/items.csv and inspection.toml), loaded through the
same reader and service as ``tenken import-inspection``."""

from __future__ import annotations

from tenken.demo import KANAGAWA_DIR, setup_account
from tenken.plans.models import Plan
from tenken.reviews.narratives import read_items_csv, read_report_text
from tenken.reviews.selectors import report_inspection
from tenken.reviews.services import NarrativeImportResult, inspection_import_narratives

ITEMS = KANAGAWA_DIR / "items.csv"
TEXT = KANAGAWA_DIR / "inspection.toml"


def load_kanagawa_narratives(*, plan: Plan) -> NarrativeImportResult:
    inspection = report_inspection(plan_id=plan.pk)
    if inspection is None:
        raise ValueError(f"計画「{plan}」には点検がありません")
    return inspection_import_narratives(
        user=setup_account(), inspection=inspection, items=read_items_csv(ITEMS), text=read_report_text(TEXT)
    )
