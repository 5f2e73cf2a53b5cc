"""The Kanagawa inspection narratives (data/kanagawa/items.csv and inspection.toml), loaded through the
same reader and service as ``tenken import-inspection``."""

from __future__ import annotations

from pathlib import Path

from tenken.plans.models import Plan

from .narratives import read_items_csv, read_report_text
from .selectors import report_inspection
from .services import NarrativeImportResult, inspection_import_narratives

KANAGAWA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "kanagawa"
ITEMS = KANAGAWA_DIR / "items.csv"
TEXT = KANAGAWA_DIR / "inspection.toml"


def load_kanagawa_narratives(*, plan: Plan) -> NarrativeImportResult:
    inspection = report_inspection(plan_id=plan.pk)
    if inspection is None:
        raise ValueError(f"計画「{plan}」には点検がありません")
    return inspection_import_narratives(
        inspection=inspection, items=read_items_csv(ITEMS), text=read_report_text(TEXT)
    )
