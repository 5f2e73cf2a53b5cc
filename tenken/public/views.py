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
    public_plan_list,
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
        },
    )


def initiative_page(request: HttpRequest, plan_id: int, initiative_id: int) -> HttpResponse:
    detail = initiative_detail(plan_id=plan_id, initiative_id=initiative_id)
    return render(request, "public/initiative.html", {"detail": detail, "plan": detail.plan})


def data_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_downloads(plan_id=plan_id)
    distributions = plan_distributions(plan=plan)
    tables = []
    for d in distributions:
        if not tables or tables[-1]["table"] is not d.table:
            tables.append({"table": d.table, "files": []})
        tables[-1]["files"].append(d)
    return render(request, "public/data.html", {"plan": plan, "tables": tables, "license": LICENSE})


def data_file(request: HttpRequest, plan_id: int, filename: str) -> HttpResponse:
    plan = plan_for_downloads(plan_id=plan_id)
    base = request.build_absolute_uri(reverse("public:data", args=[plan.pk]))
    if filename == "dcat.jsonld":
        body = json.dumps(dataset_jsonld(plan=plan, base_url=base, filenames=plan_filenames(plan=plan)), ensure_ascii=False, indent=1)
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
    response["Content-Disposition"] = f'attachment; filename="{plan.organization.code}_plan{plan.pk}_{filename}"'
    return response


def catalog(request: HttpRequest) -> HttpResponse:
    datasets = []
    for plan in public_plan_list():
        base = request.build_absolute_uri(reverse("public:data", args=[plan.pk]))
        datasets.append(dataset_jsonld(plan=plan, base_url=base, filenames=plan_filenames(plan=plan), with_context=False))
    body = catalog_jsonld(
        title="tenken 行動計画の点検データ", datasets=datasets, homepage=request.build_absolute_uri(reverse("public:plans"))
    )
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type=JSONLD)


def bench_ping(request: HttpRequest) -> JsonResponse:
    """A bare JSON view: the baseline the public page is benchmarked against (bench/bench_public.py)."""
    return JsonResponse({"ok": True, "service": "tenken"})
