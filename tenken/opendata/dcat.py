"""DCAT-style JSON-LD catalogue metadata (dcat:Catalog → dcat:Dataset → dcat:Distribution).

Fields map onto CKAN's (the software of the e-Gov data portal and most Japanese local portals):
dct:title → title, dct:publisher → organization, dct:license → license_url, dcat:distribution →
resources (dcat:downloadURL → url, dct:format → format). Licence: CC BY 4.0 (URI).
"""

from __future__ import annotations

from django.utils import timezone

from tenken.plans.models import Plan

from .package import LICENSE_URI, VARIANTS, dataset_name

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_MEDIA = {v.suffix: (v.mediatype, v.format.upper(), v.title) for v in VARIANTS}
_MEDIA["datapackage.json"] = ("application/json", "JSON", "Frictionless Data Package 記述子")


def _media(filename: str) -> tuple[str, str, str]:
    if filename in _MEDIA:
        return _MEDIA[filename]
    for suffix in sorted((s for s in _MEDIA if s.startswith((".", "_"))), key=len, reverse=True):
        if filename.endswith(suffix):
            return _MEDIA[suffix]
    return ("application/octet-stream", "", "")


def publisher(plan: Plan) -> dict[str, object]:
    return {
        "@type": "foaf:Organization",
        "foaf:name": plan.organization.name,
        "dct:identifier": plan.organization.code,
    }


def dataset_jsonld(*, plan: Plan, base_url: str, filenames: list[str], with_context: bool = True) -> dict[str, object]:
    """A dcat:Dataset for the plan; ``base_url`` (ending in ``/``) prefixes each file name."""
    dataset: dict[str, object] = {
        "@type": "dcat:Dataset",
        "@id": f"{base_url}#{dataset_name(plan)}" if base_url else dataset_name(plan),
        "dct:identifier": dataset_name(plan),
        "dct:title": f"{plan.organization.name} {plan.title}（{plan.period_label}）の取組と点検結果",
        "dct:description": "計画の取組、承認済みの点検結果、方針・取組項目別の取組数",
        "dct:publisher": publisher(plan),
        "dct:license": {"@id": LICENSE_URI},
        "dct:language": "ja",
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{plan.first_fiscal_year}-04-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{plan.last_fiscal_year + 1}-03-31", "@type": "xsd:date"},
        },
        "dcat:keyword": ["行動計画", "点検", "ICT"],
        "dct:modified": {"@value": timezone.now().date().isoformat(), "@type": "xsd:date"},
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{name}（{_media(name)[2]}）" if _media(name)[2] else name,
                "dcat:downloadURL": {"@id": base_url + name},
                "dcat:mediaType": _media(name)[0],
                "dct:format": _media(name)[1],
                "dct:license": {"@id": LICENSE_URI},
            }
            for name in filenames
        ],
    }
    if with_context:
        return {"@context": CONTEXT, **dataset}
    return dataset


def catalog_jsonld(*, title: str, datasets: list[dict[str, object]], homepage: str) -> dict[str, object]:
    return {
        "@context": CONTEXT,
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:language": "ja",
        "dct:license": {"@id": LICENSE_URI},
        "foaf:homepage": {"@id": homepage},
        "dcat:dataset": datasets,
    }
