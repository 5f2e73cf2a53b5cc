"""Public pages (no login): plan list, plan overview with filters, initiative, open-data downloads.

Views only parse the request and call selectors (``tenken.public.selectors``) and the open-data
builders; what is visible is decided in ``tenken.public.visibility``.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from tenken.opendata.dcat import catalog_jsonld, dataset_jsonld
from tenken.opendata.package import LICENSE, datapackage, plan_distributions, plan_filenames

from . import charts
from . import indicators as public_indicators
from .forms import PlanFilterForm
from .listing import paginate, render_listing, render_pager
from .selectors import (
    filter_initiatives,
    initiative_detail,
    plan_for_downloads,
    plan_overview,
    plan_reports,
    public_lineage,
    public_logic,
    public_plan_list,
    report_artefact,
    section_blocks,
)

JSONLD = "application/ld+json; charset=utf-8"


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/plan_list.html", {"plans": public_plan_list()})


def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    overview = plan_overview(plan_id=plan_id)
    form = PlanFilterForm(request.GET or None, overview=overview)
    listed = filter_initiatives(overview, **form.filters())
    page = paginate(listed, request.GET.get("page", 1))
    policy_charts = [
        {
            "policy": p,
            "counts": [(s, overview.latest_counts[p.pk].get(s.code, 0)) for s in overview.statuses],
            "total": sum(overview.latest_counts[p.pk].values()),
            "svg": charts.stacked_bar(
                charts.segments(overview.statuses, overview.latest_counts[p.pk]), title=str(p)
            ),
        }
        for p in overview.policies
    ]
    history = [
        {
            "inspection": i,
            "counts": [(s, overview.inspection_counts[i.pk].get(s.code, 0)) for s in overview.statuses],
            "total": sum(overview.inspection_counts[i.pk].values()),
            "svg": charts.stacked_bar(
                charts.segments(overview.statuses, overview.inspection_counts[i.pk]), title=i.title, width=320
            ),
        }
        for i in overview.inspections
    ]
    total = overview.total_counts
    return render(
        request,
        "public/plan.html",
        {
            "overview": overview,
            "plan": overview.plan,
            "form": form,
            "listing": render_listing(
                plan_id=overview.plan.pk, blocks=section_blocks(overview, page.items), statuses=overview.statuses
            ),
            "listed_count": page.total,
            "page": page,
            "pager": render_pager(page, request.GET.dict()),
            "policy_charts": policy_charts,
            "total_svg": charts.stacked_bar(charts.segments(overview.statuses, total), title="計画全体"),
            "total_counts": [(s, total.get(s.code, 0)) for s in overview.statuses],
            "total": sum(total.values()),
            "history": history,
            "indicators": public_indicators.indicators_for_plan(plan=overview.plan),
            "reports": plan_reports(plan=overview.plan),
        },
    )


REPORT_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def report_file(request: HttpRequest, plan_id: int, inspection_id: int, version: int, fmt: str) -> HttpResponse:
    """A stored, published 点検報告書: the same bytes on every request (ETag = its sha256)."""
    from pathlib import Path

    from django.conf import settings
    from django.http import FileResponse
    from django.utils.cache import get_conditional_response
    from django.utils.http import http_date

    if fmt not in REPORT_MEDIA:
        raise Http404("その形式はありません")
    artefact = report_artefact(plan_id=plan_id, inspection_id=inspection_id, version=version, fmt=fmt)
    etag = f'"{artefact.sha256}"'
    published = artefact.publication.published_at
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(published.timestamp()))
    if not_modified is not None:
        return not_modified
    path = Path(settings.MEDIA_ROOT) / artefact.path
    if not path.is_file():
        raise Http404("報告書のファイルが見つかりません")
    response = FileResponse(path.open("rb"), content_type=REPORT_MEDIA[fmt])
    response["Content-Length"] = str(artefact.size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(published.timestamp())
    response["Cache-Control"] = "public, max-age=3600"
    name = f"{artefact.publication.inspection.plan.organization.code}_plan{plan_id}_inspection{inspection_id}_v{version}_report.{fmt}"
    response["Content-Disposition"] = f'{"inline" if fmt in ("pdf", "html") else "attachment"}; filename="{name}"'
    return response


def initiative_page(request: HttpRequest, plan_id: int, initiative_id: int) -> HttpResponse:
    detail = initiative_detail(plan_id=plan_id, initiative_id=initiative_id)
    return render(request, "public/initiative.html", {
        "detail": detail, "plan": detail.plan, "initiative": detail.initiative, "public": True,
        "steps": public_lineage(initiative=detail.initiative),
    })


def goals_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's logic model (目指すべき姿 → 施策 → 取組 → 指標) with public results only."""
    plan = plan_for_downloads(plan_id=plan_id)
    return render(request, "public/goals.html", {"plan": plan, "logic": public_logic(plan=plan), "public": True,
                                                 "predecessor": plan.predecessor,
                                                 "successors": list(plan.successors.order_by("first_fiscal_year"))})


def data_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_downloads(plan_id=plan_id)
    distributions = plan_distributions(plan=plan)
    tables = []
    for d in distributions:
        if not tables or tables[-1]["table"] is not d.table:
            tables.append({"table": d.table, "files": []})
        tables[-1]["files"].append(d)
    return render(request, "public/data.html", {"plan": plan, "tables": tables, "license": LICENSE})


def _public_base(request: HttpRequest) -> str:
    """Absolute base of the public site: ``settings.TENKEN_PUBLIC_BASE_URL`` or this request's host."""
    from django.conf import settings

    return settings.TENKEN_PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def _dataset(request: HttpRequest, plan, *, with_context: bool = True) -> dict:
    from tenken.opendata.package import plan_files

    base = _public_base(request)
    sizes = {name: len(data) for name, data in plan_files(plan=plan).items()}
    return dataset_jsonld(
        plan=plan,
        base_url=base + reverse("public:data", args=[plan.pk]),
        filenames=plan_filenames(plan=plan),
        with_context=with_context,
        landing_page=base + reverse("public:plan", args=[plan.pk]),
        sizes=sizes,
    )


def data_file(request: HttpRequest, plan_id: int, filename: str) -> HttpResponse:
    plan = plan_for_downloads(plan_id=plan_id)
    if filename == "dcat.jsonld":
        body = json.dumps(_dataset(request, plan), ensure_ascii=False, indent=1)
        return HttpResponse(body, content_type=JSONLD)
    distributions = plan_distributions(plan=plan)
    if filename == "datapackage.json":
        body = json.dumps(datapackage(plan=plan, distributions=distributions), ensure_ascii=False, indent=1)
        return HttpResponse(body, content_type="application/json; charset=utf-8")
    match = next((d for d in distributions if d.filename == filename), None)
    if match is None:
        raise Http404("そのファイルはありません")
    content_type = match.variant.mediatype
    if match.variant.encoding == "utf-8":
        content_type += "; charset=utf-8"
    elif match.variant.encoding == "cp932":
        content_type += "; charset=Shift_JIS"
    response = HttpResponse(match.render(), content_type=content_type)
    # the very name datapackage.json gives the resource, so a downloaded set validates as it is
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def catalog(request: HttpRequest) -> HttpResponse:
    datasets = [_dataset(request, plan, with_context=False) for plan in public_plan_list()]
    body = catalog_jsonld(
        title="tenken 行動計画の点検データ", datasets=datasets, homepage=_public_base(request) + reverse("public:plans")
    )
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type=JSONLD)


def bench_ping(request: HttpRequest) -> JsonResponse:
    """A bare JSON view: the baseline the public page is benchmarked against (bench/bench_public.py)."""
    return JsonResponse({"ok": True, "service": "tenken"})
