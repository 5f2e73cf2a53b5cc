"""Staff pages for indicators: list, detail with its trend chart and the value form, the chart as PNG,
and the table upload (CSV or .xlsx, with a check-only run that writes nothing).

Access is decided in :mod:`tenken.indicators.access`; data comes from selectors and charts; writes go
through :mod:`tenken.indicators.services` and :mod:`tenken.indicators.importing`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected
from tenken.orgs import access as orgs_access
from tenken.spreadsheets.safety import check_upload_size
from tenken.spreadsheets.uploads import uploaded_files

from . import tasks
from .access import can_update_indicator, indicator_for_update, indicator_for_view, indicators_for_user
from .charts import indicator_chart_png, indicator_chart_svg
from .forms import IndicatorUploadForm, ObservationForm
from .importing import import_indicators_file
from .selectors import format_value, indicator_observations, indicator_row, indicator_rows, indicator_versions
from .services import observation_record


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = indicators_for_user(user=request.user)
    return render(request, "indicators/list.html", {
        "rows": indicator_rows(indicators),
        "can_upload": bool(orgs_access.indicator_update_organizations(user=request.user)),
    })


def _detail(request: HttpRequest, indicator, form: ObservationForm | None = None, status: int = 200) -> HttpResponse:
    can_update = can_update_indicator(request.user, indicator)
    context = {
        "indicator": indicator,
        "row": indicator_row(indicator),
        "observations": [(o, format_value(o.value, indicator.decimals)) for o in indicator_observations(indicator)],
        "versions": indicator_versions(indicator),
        "sections": list(indicator.sections.all()),
        "initiatives": list(indicator.initiatives.all()),
        # matplotlib writes the SVG; text is drawn as paths, so no user string is inserted as markup.
        "chart_svg": mark_safe(indicator_chart_svg(indicator)),
        "can_update": can_update,
        "form": form or ObservationForm(),
    }
    return render(request, "indicators/detail.html", context, status=status)


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, indicator_for_view(user=request.user, pk=pk))


@login_required
@require_POST
def observation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a baseline, target or actual value through the same service as the CSV import."""
    indicator = indicator_for_update(user=request.user, pk=pk)
    form = ObservationForm(request.POST)
    if not form.is_valid():
        return _detail(request, indicator, form, status=422)
    d = form.cleaned_data
    try:
        _, created = observation_record(indicator=indicator, kind=d["kind"], value=d["value"], as_of=d["as_of"],
                                        source=d["source"], note=d["note"])
    except InputRejected as exc:
        for problem in exc.problems:
            form.add_error(None, str(problem))
        return _detail(request, indicator, form, status=422)
    kind = dict(form.fields["kind"].choices)[d["kind"]]
    if created:
        messages.success(request, f"{kind}（{d['as_of'].original}）を登録しました。グラフに反映しています")
    else:
        messages.info(request, f"{kind}（{d['as_of'].original}）は同じ値で登録済みです")
    return redirect("indicators:detail", pk=indicator.pk)


@login_required
def indicator_chart(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_for_view(user=request.user, pk=pk)
    return HttpResponse(indicator_chart_png(indicator), content_type="image/png")


@login_required
def indicator_upload(request: HttpRequest) -> HttpResponse:
    """Upload the indicator table (and optionally indicator-meta.csv): all rows or none, every problem listed.
    With 「確認だけ」 the same import runs and is rolled back: the page says what it would register."""
    organizations = orgs_access.indicator_update_organizations(user=request.user)
    if not organizations:
        raise orgs_access.AccessDenied("指標を取り込む権限がありません（ICT所管課の管理者のみ）")
    plans = orgs_access.plans_of_organizations(organizations=organizations)
    form = IndicatorUploadForm(request.POST or None, request.FILES or None, organizations=organizations, plans=plans)
    problems: list[str] = []
    preview: dict | None = None
    status = 200
    too_big = [p for f in ("observations", "meta") for p in uploaded_files(request, f)[1]]
    if too_big:  # cut off at the size limit: say so (the form alone would only see a missing file)
        problems, status = [str(p) for p in too_big], 413
    elif request.method == "POST":
        if form.is_valid():
            org_code = form.cleaned_data["organization"]
            plan_id = form.cleaned_data["plan"] or None
            if tasks.indicators_in_background(form.cleaned_data["observations"], form.cleaned_data.get("meta")):
                return _start_in_background(form, org_code=org_code, plan_id=plan_id, user=request.user)
            dry_run = bool(form.cleaned_data.get("dry_run"))
            try:
                result = _import_upload(form, org_code=org_code, plan_id=plan_id, user=request.user, dry_run=dry_run)
            except InputRejected as exc:
                problems = [str(p) for p in exc.problems]
                status = 422
            else:
                if dry_run:
                    preview = {"message": tasks.result_message(result, dry_run=True), "inferred": result.inferred,
                               "not_read": tasks.not_read_lines(result)}
                else:
                    messages.success(request, tasks.result_message(result))
                    for line in tasks.not_read_lines(result):
                        messages.info(request, f"読まなかった列・シート: {line}")
                    return redirect("indicators:list")
        else:
            status = 422
    return render(request, "indicators/upload.html", {"form": form, "problems": problems, "preview": preview},
                  status=status)


def _start_in_background(form: IndicatorUploadForm, *, org_code: str, plan_id, user) -> HttpResponse:
    """A large file: the same import as a job (tenken.indicators.tasks); its page shows the outcome."""
    organization = orgs_access.indicator_update_organization(user=user, code=org_code)
    if plan_id is not None:
        plan_id = orgs_access.plan_in_organization(pk=plan_id, organization=organization).pk
    return redirect(tasks.start_indicator_import(user=user, organization=organization, plan_id=plan_id,
                                                 observations=form.cleaned_data["observations"],
                                                 meta=form.cleaned_data.get("meta"),
                                                 sheet=form.cleaned_data.get("sheet") or "",
                                                 dry_run=bool(form.cleaned_data.get("dry_run"))))


def _import_upload(form: IndicatorUploadForm, *, org_code: str, plan_id, user, dry_run: bool = False):
    organization = orgs_access.indicator_update_organization(user=user, code=org_code)
    if plan_id is not None:
        orgs_access.plan_in_organization(pk=plan_id, organization=organization)
    upload = form.cleaned_data["observations"]
    meta = form.cleaned_data.get("meta")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for f, fallback in ((upload, "indicators.csv"), (meta, "indicator-meta.csv")):
            if f is None:
                paths.append(None)
                continue
            name = Path(f.name).name or fallback
            check_upload_size(size=f.size, name=name)
            path = Path(tmp) / ("meta" if f is meta else "data") / name
            path.parent.mkdir()
            with open(path, "wb") as fh:
                for chunk in f.chunks():
                    fh.write(chunk)
            paths.append(path)
        data_path, meta_path = paths
        return import_indicators_file(data_path, user=user, org_code=organization.code, plan_id=plan_id,
                                      meta=meta_path, sheet=form.cleaned_data.get("sheet") or None, dry_run=dry_run)
