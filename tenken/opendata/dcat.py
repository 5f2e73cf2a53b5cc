"""DCAT-style JSON-LD catalogue metadata (dcat:Catalog → dcat:Dataset → dcat:Distribution).

Fields map onto CKAN's (the software of the e-Gov data portal and most Japanese local portals, harvested
with ckanext-dcat): dct:title → title, dct:publisher → organization, dcat:landingPage → url,
dcat:contactPoint → maintainer / maintainer_email, dct:spatial → spatial (the 全国地方公共団体コード),
dct:accrualPeriodicity → frequency, dct:issued / dct:modified → metadata_created / metadata_modified
(from the publications, never "today"), dct:license (with its title) → license_url / license_title,
dcat:distribution → resources (dcat:accessURL / dcat:downloadURL → url, dcat:byteSize → size,
dct:format → format). URLs are absolute: ``settings.TENKEN_PUBLIC_BASE_URL`` or the request's host.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, Min

from tenken.plans.models import Plan

from .package import LICENSE, LICENSE_URI, VARIANTS, dataset_name

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
ANNUAL = "http://purl.org/cld/freq/annual"

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


def publication_dates(plan: Plan) -> tuple[datetime | None, datetime | None]:
    """``(issued, modified)``: the plan's first publication, and its latest publication or withdrawal."""
    from tenken.publications.models import Publication

    agg = Publication.objects.filter(inspection__plan=plan).aggregate(
        first=Min("published_at"), last=Max("published_at"), pulled=Max("withdrawn_at")
    )
    stamps = [t for t in (agg["last"], agg["pulled"]) if t is not None]
    return agg["first"], max(stamps) if stamps else None


def _date(value: datetime) -> dict[str, str]:
    from django.utils import timezone

    return {"@value": timezone.localtime(value).date().isoformat(), "@type": "xsd:date"}


def license_ref() -> dict[str, str]:
    return {"@id": LICENSE_URI, "dct:title": LICENSE["title"]}


def contact_point(plan: Plan) -> dict[str, object]:
    org = plan.organization
    point: dict[str, object] = {"@type": "vcard:Organization",
                                "vcard:fn": " ".join(x for x in (org.name, org.publisher_department) if x)}
    if org.publisher_email:
        point["vcard:hasEmail"] = {"@id": f"mailto:{org.publisher_email}"}
    if org.publisher_phone:
        point["vcard:hasTelephone"] = org.publisher_phone
    if org.publisher_url:
        point["vcard:hasURL"] = {"@id": org.publisher_url}
    return point


def dataset_jsonld(
    *,
    plan: Plan,
    base_url: str,
    filenames: list[str],
    with_context: bool = True,
    landing_page: str = "",
    sizes: dict[str, int] | None = None,
) -> dict[str, object]:
    """A dcat:Dataset for the plan; ``base_url`` (the data page, ending in ``/``) prefixes each file name."""
    issued, modified = publication_dates(plan)
    sizes = sizes or {}
    dataset: dict[str, object] = {
        "@type": "dcat:Dataset",
        "@id": f"{base_url}#{dataset_name(plan)}" if base_url else dataset_name(plan),
        "dct:identifier": dataset_name(plan),
        "dct:title": f"{plan.organization.name} {plan.title}（{plan.period_label}）の取組と点検結果",
        "dct:description": "計画の取組、承認済みの点検結果、方針・取組項目別の取組数",
        "dct:publisher": publisher(plan),
        "dcat:contactPoint": contact_point(plan),
        "dct:spatial": {
            "@type": "dct:Location",
            "dct:identifier": plan.organization.code,
            "skos:prefLabel": plan.organization.name,
        },
        "dct:accrualPeriodicity": {"@id": ANNUAL},
        "dct:license": license_ref(),
        "dct:language": "ja",
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{plan.first_fiscal_year}-04-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{plan.last_fiscal_year + 1}-03-31", "@type": "xsd:date"},
        },
        "dcat:keyword": ["行動計画", "点検", "ICT"],
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{name}（{_media(name)[2]}）" if _media(name)[2] else name,
                "dcat:accessURL": {"@id": base_url},
                "dcat:downloadURL": {"@id": base_url + name},
                "dcat:mediaType": _media(name)[0],
                "dct:format": _media(name)[1],
                "dct:license": license_ref(),
                **({"dcat:byteSize": {"@value": str(sizes[name]), "@type": "xsd:decimal"}} if name in sizes else {}),
                **({"dct:modified": _date(modified)} if modified else {}),
            }
            for name in filenames
        ],
    }
    if landing_page:
        dataset["dcat:landingPage"] = {"@id": landing_page}
    if issued:
        dataset["dct:issued"] = _date(issued)
    if modified:
        dataset["dct:modified"] = _date(modified)
    if with_context:
        return {"@context": CONTEXT, **dataset}
    return dataset


def catalog_jsonld(*, title: str, datasets: list[dict[str, object]], homepage: str) -> dict[str, object]:
    return {
        "@context": CONTEXT,
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:language": "ja",
        "dct:license": license_ref(),
        "foaf:homepage": {"@id": homepage},
        "dcat:dataset": datasets,
    }
