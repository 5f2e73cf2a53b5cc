"""A plan's open-data files and their Frictionless ``datapackage.json``.

:func:`plan_files` is the one builder: the download views and ``tenken opendata export`` both call
it, so the files on the site and on disk are the same. Each table is published four ways:
``NAME.csv`` (UTF-8, authoritative), ``NAME_cp932.csv`` (CP932 for Excel, see sanitize.to_cp932),
``NAME.json`` and ``NAME.xlsx``. Licence: CC BY 4.0.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tenken.plans.models import Plan

from . import formats
from .tables import Table, plan_tables

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "クリエイティブ・コモンズ 表示 4.0 国際",
}
LICENSE_URI = LICENSE["path"]


@dataclass(frozen=True)
class Variant:
    suffix: str
    format: str
    mediatype: str
    encoding: str | None
    title: str
    render: Callable[[Table], bytes]


VARIANTS = (
    Variant(".csv", "csv", "text/csv", "utf-8", "CSV（UTF-8）", formats.csv_utf8),
    Variant("_cp932.csv", "csv", "text/csv", "cp932", "CSV（Shift_JIS/CP932、Excel 向け）", formats.csv_cp932),
    Variant(".json", "json", "application/json", "utf-8", "JSON", formats.json_bytes),
    Variant(
        ".xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        None,
        "Excel（xlsx）",
        formats.xlsx_bytes,
    ),
)


@dataclass(frozen=True)
class Distribution:
    filename: str
    table: Table
    variant: Variant

    @property
    def resource_name(self) -> str:
        return self.filename.replace(".", "-").lower()

    def render(self) -> bytes:
        return self.variant.render(self.table)


def plan_distributions(*, plan: Plan) -> list[Distribution]:
    return [Distribution(t.name + v.suffix, t, v) for t in plan_tables(plan=plan) for v in VARIANTS]


TABLE_NAMES = ("initiatives", "initiative_departments", "reviews", "status_counts")


def plan_filenames(*, plan: Plan) -> list[str]:
    """The file names :func:`plan_files` produces, without building the tables (for catalogues).

    The indicators table is published only for a plan that has indicator values: an empty table
    would be a file with no data (and Frictionless cannot describe an empty JSON table).
    """
    from tenken.public import indicators as public_indicators

    has_indicators = public_indicators.indicators_available() and public_indicators.plan_has_indicators(plan=plan)
    names = [*TABLE_NAMES, *(["indicators"] if has_indicators else [])]
    return [n + v.suffix for n in names for v in VARIANTS] + ["datapackage.json"]


def dataset_name(plan: Plan) -> str:
    return f"tenken-{plan.organization.code}-plan-{plan.pk}"


def datapackage(*, plan: Plan, distributions: list[Distribution]) -> dict[str, object]:
    """The Frictionless Data Package descriptor (v1) describing every file."""
    resources = []
    for d in distributions:
        resource: dict[str, object] = {
            "name": d.resource_name,
            "path": d.filename,
            "title": f"{d.table.title}（{d.variant.title}）",
            "description": d.table.description,
            "profile": "tabular-data-resource",
            "format": d.variant.format,
            "mediatype": d.variant.mediatype,
            "schema": {
                "fields": [
                    {
                        "name": f.name,
                        "title": f.name,
                        "type": f.type,
                        "description": f.description,
                        **({"constraints": {"required": True}} if f.required else {}),
                    }
                    for f in d.table.fields
                ],
            },
            "licenses": [LICENSE],
        }
        if d.variant.encoding:
            resource["encoding"] = d.variant.encoding
        if d.variant.format == "csv":
            resource["dialect"] = {"delimiter": ",", "header": True, "lineTerminator": "\r\n"}
        if d.variant.format == "xlsx":
            resource["dialect"] = {"header": True, "excel": {"sheet": 1}}
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": dataset_name(plan),
        "title": f"{plan.organization.name} {plan.title}（{plan.period_label}）の取組と点検結果",
        "description": "計画の取組、承認済みの点検結果、方針・取組項目別の取組数。"
        "tenken（自治体の行動計画点検システム）が出力。",
        "licenses": [LICENSE],
        "publisher": {"name": plan.organization.name, "identifier": plan.organization.code},
        "keywords": ["行動計画", "点検", "ICT", plan.organization.name],
        "resources": resources,
    }


def plan_files(*, plan: Plan) -> dict[str, bytes]:
    """Every file of the plan's dataset, ``datapackage.json`` included, by file name."""
    distributions = plan_distributions(plan=plan)
    files = {d.filename: d.render() for d in distributions}
    files["datapackage.json"] = json.dumps(
        datapackage(plan=plan, distributions=distributions), ensure_ascii=False, indent=1
    ).encode("utf-8")
    return files


def export_plan(*, plan: Plan, directory: Path, base_url: str = "") -> list[Path]:
    """Write every file plus ``datapackage.json`` and ``dcat.jsonld`` into ``directory``."""
    from .dcat import dataset_jsonld

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    files = plan_files(plan=plan)
    files["dcat.jsonld"] = json.dumps(
        dataset_jsonld(plan=plan, base_url=base_url, filenames=list(files)), ensure_ascii=False, indent=1
    ).encode("utf-8")
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written
