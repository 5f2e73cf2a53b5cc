"""Staff pages of the register (governance views, list, search, each system and its edit form) and the
municipal follow-up (record or upload each municipality's state, see the rollup).

Objects come from the gates of :mod:`tenken.orgs.access`, reads from :mod:`.selectors`, writes from
:mod:`.services` — the same functions the CLI and the Excel import call.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected
from tenken.common.wareki import fiscal_year_label
from tenken.imports.uploads import Upload, discard, get_upload, save_upload
from tenken.orgs import access
from tenken.orgs.access import organization_for_register, register_organizations
from tenken.spreadsheets.safety import check_upload_size
from tenken.spreadsheets.uploads import uploaded_file

from . import tasks
from .forms import CsvUploadForm, ProgressForm, SystemForm, SystemSearchForm
from .models import Hosting, Segment
from .register_format import CONFIRM_SEGMENTS_LABEL, register_workbook_bytes, segment_readings
from .selectors import (
    consolidations,
    contracts_ending,
    goal_municipalities,
    municipal_goals,
    municipal_rollup,
    municipal_rows,
    municipal_series,
    register_by_fiscal_year,
    register_departments,
    register_records,
    register_systems,
    system_costs,
    systems_by_segment_and_hosting,
    systems_search,
)
from .services import (
    municipal_progress_import,
    municipal_progress_set,
    register_import_file,
    register_preview_file,
    system_save,
)

UPLOADS_KEY = "tenken_register_uploads"  # this session's uploads awaiting confirmation: token → organization


def _today(request: HttpRequest) -> date:
    from tenken.common.wareki import WarekiError, parse_date

    try:
        return parse_date(request.GET["today"]).start if request.GET.get("today") else timezone.localdate()
    except WarekiError as exc:
        raise Http404(str(exc)) from exc


def _save_upload(upload, tmp: str) -> Path:
    name = Path(upload.name).name
    check_upload_size(size=upload.size, name=name)
    path = Path(tmp) / f"upload{Path(name).suffix.lower()}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


@login_required
def register_index(request: HttpRequest) -> HttpResponse:
    return render(request, "inventory/index.html", {"organizations": register_organizations(user=request.user)})


@login_required
def register_summary(request: HttpRequest, code: str) -> HttpResponse:
    organization = organization_for_register(user=request.user, code=code)
    today = _today(request)
    try:
        months = max(1, min(int(request.GET.get("months", 12)), 120))
    except ValueError:
        months = 12
    years = register_by_fiscal_year(organization=organization)
    grid = systems_by_segment_and_hosting(organization=organization, on=today)
    return render(request, "inventory/summary.html", {
        "organization": organization,
        "years": [(fiscal_year_label(y.fiscal_year), y) for y in years],
        "segments": [(s.label, [grid.get((s.value, h.value), 0) for h in Hosting], sum(grid.get((s.value, h.value), 0) for h in Hosting)) for s in Segment],
        "hostings": [h.label for h in Hosting],
        "today": today,
        "months": months,
        "contracts": contracts_ending(organization=organization, today=today, months=months),
        "consolidations": consolidations(organization=organization),
        "goals": municipal_goals(organization=organization),
        "can_update": access.can_update_register(request.user, organization),
        "segment_readings": segment_readings(),
        "confirm_segments_label": CONFIRM_SEGMENTS_LABEL,
    })


@login_required
def register_export(request: HttpRequest, code: str) -> HttpResponse:
    organization = organization_for_register(user=request.user, code=code)
    records, years = register_records(organization=organization)
    response = HttpResponse(
        register_workbook_bytes(records, years, organization=organization.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename=register-{organization.code}.xlsx"
    return response


@login_required
@require_POST
def register_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Check an uploaded register through the same service as the CLI's ``--dry-run`` and go on to the confirm
    step (:func:`register_upload_confirm`); all problems are shown on the register page, nothing written. A large
    register goes to the background as the import itself.

    Only the organization's admin or a 台帳編集者 may: the gate runs before the upload is read."""
    organization = access.organization_for_register_update(user=request.user, code=code)
    try:
        upload = uploaded_file(request, "file")
    except InputRejected as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("inventory:summary", code=code)
    if upload is None:
        messages.error(request, "ファイルを選択してください")
        return redirect("inventory:summary", code=code)
    confirm_segments = request.POST.get("confirm_segments") == "1"
    if tasks.register_in_background(upload):  # a large register: the same import as a job
        try:  # a hostile workbook is refused here, before anything is queued
            job = tasks.start_register_import(user=request.user, organization=organization, upload=upload,
                                              confirm_segments=confirm_segments)
        except InputRejected as exc:
            return _refused(request, code, exc)
        return redirect(job)
    try:  # kept between the steps as the plan import wizard keeps its upload (tenken.imports.uploads)
        stored = save_upload(upload)
    except InputRejected as exc:
        return _refused(request, code, exc)
    try:
        register_preview_file(user=request.user, organization=organization, path=stored.file, name=stored.name,
                              confirm_segments=confirm_segments)
    except InputRejected as exc:
        discard(stored)
        return _refused(request, code, exc)
    request.session.setdefault(UPLOADS_KEY, {})[stored.token] = {"code": organization.code,
                                                                 "confirm_segments": confirm_segments}
    request.session.modified = True
    return redirect("inventory:upload_confirm", code=code, token=stored.token)


def _refused(request: HttpRequest, code: str, exc: InputRejected) -> HttpResponse:
    for message in exc.messages:
        messages.error(request, message)
    messages.error(request, "取り込みを中止しました。何も登録していません。")
    return redirect("inventory:summary", code=code)


def _forget(request: HttpRequest, stored: Upload) -> None:
    discard(stored)
    request.session.get(UPLOADS_KEY, {}).pop(stored.token, None)
    request.session.modified = True


@login_required
def register_upload_confirm(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The confirm step of an upload: what the import would do (GET), then the import or nothing (POST).

    The file is the one checked at the upload, kept under its token for this session and organization only."""
    organization = access.organization_for_register_update(user=request.user, code=code)
    state = request.session.get(UPLOADS_KEY, {}).get(token)
    if state is None or state.get("code") != organization.code:
        raise Http404("アップロードが見つかりません。もう一度アップロードしてください")
    try:
        stored = get_upload(token)
    except InputRejected as exc:
        raise Http404("、".join(exc.messages)) from exc
    confirm_segments = bool(state.get("confirm_segments"))
    kwargs = {"user": request.user, "organization": organization, "path": stored.file, "name": stored.name,
              "confirm_segments": confirm_segments}
    if request.method == "POST":
        if request.POST.get("cancel"):
            _forget(request, stored)
            messages.info(request, "取り込みをやめました。何も登録していません。")
            return redirect("inventory:summary", code=code)
        try:
            counts = register_import_file(**kwargs)
        except InputRejected as exc:  # the register changed since the check (a 統合先 removed …)
            _forget(request, stored)
            return _refused(request, code, exc)
        _forget(request, stored)
        messages.success(request, f"台帳を取り込みました: 新規 {counts['created']} 件、更新 {counts['updated']} 件")
        return redirect("inventory:summary", code=code)
    try:
        preview = register_preview_file(**kwargs)
    except InputRejected as exc:
        _forget(request, stored)
        return _refused(request, code, exc)
    return render(request, "inventory/upload_confirm.html", {
        "organization": organization, "upload": stored, "preview": preview, "confirm_segments": confirm_segments,
    })


@login_required
def system_list(request: HttpRequest, code: str) -> HttpResponse:
    organization = organization_for_register(user=request.user, code=code)
    form = SystemSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    systems = systems_search(organization=organization, q=filters.get("q", ""), segment=filters.get("segment", ""),
                             state=filters.get("state", ""))
    return render(request, "inventory/systems.html", {
        "organization": organization, "form": form, "systems": systems, "searched": bool(request.GET),
        "today": _today(request),
    })


@login_required
def system_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    system = access.system_for_view(user=request.user, code=code, pk=pk)
    return render(request, "inventory/system.html", {
        "organization": system.organization,
        "system": system,
        "costs": [(fiscal_year_label(c.fiscal_year), c) for c in system_costs(system=system)],
        "can_update": access.can_update_register(request.user, system.organization),
    })


@login_required
def system_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Edit one system; validated by the register rules in :func:`.services.system_save`."""
    system = access.system_for_update(user=request.user, code=code, pk=pk)
    organization = system.organization
    departments = register_departments(organization=organization)
    others = register_systems(organization=organization, exclude=system)
    initial = {
        "name": system.name, "department": str(system.department_id or ""), "purpose": system.purpose,
        "segment": system.segment, "hosting": system.hosting, "internet_facing": system.internet_facing,
        "in_service_on": system.in_service_on, "retired_on": system.retired_on, "contract_end": system.contract_end,
        "state": system.state, "successor": str(system.successor_id or ""), "note": system.note,
    }
    form = SystemForm(request.POST or None, initial=initial, departments=departments, systems=others)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            by_pk = {str(d_.pk): d_ for d_ in departments}
            successors = {str(s.pk): s for s in others}
            for field in ("name", "purpose", "segment", "hosting", "internet_facing", "in_service_on", "retired_on",
                          "contract_end", "state", "note"):
                setattr(system, field, d[field])
            system.department = by_pk.get(d["department"])
            system.successor = successors.get(d["successor"])
            try:
                system_save(user=request.user, system=system)
            except InputRejected as exc:
                for problem in exc.problems:
                    form.add_error(None, str(problem))
                status = 422
            else:
                messages.success(request, f"「{system.name}」を保存しました")
                return redirect("inventory:system", code=code, pk=system.pk)
        else:
            status = 422
    return render(request, "inventory/system_edit.html",
                  {"organization": organization, "system": system, "form": form}, status=status)


@login_required
def municipal_goal(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.municipal_goal_for_view(user=request.user, pk=pk)
    return _municipal_page(request, goal)


def _municipal_page(request: HttpRequest, goal, *, form: ProgressForm | None = None, problems=(), status: int = 200):
    today = _today(request)
    last_fy = max(goal.target_date.year - (1 if goal.target_date.month < 4 else 0), today.year)
    series = municipal_series(goal=goal, fiscal_years=range(last_fy - 5, last_fy + 1))
    can_update = access.can_update_register(request.user, goal.prefecture)
    return render(request, "inventory/municipal.html", {
        "goal": goal,
        "organization": goal.prefecture,
        "rollup": municipal_rollup(goal=goal, on=today),
        "series": [(fiscal_year_label(s.on.year - 1), s) for s in series],
        "rows": municipal_rows(goal=goal),
        "today": today,
        "can_update": can_update,
        "form": form or (ProgressForm(municipalities=goal_municipalities(goal=goal)) if can_update else None),
        "upload_form": CsvUploadForm() if can_update else None,
        "problems": list(problems),
    }, status=status)


@login_required
@require_POST
def municipal_record(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.municipal_goal_for_update(user=request.user, pk=pk)
    municipalities = goal_municipalities(goal=goal)
    form = ProgressForm(request.POST, municipalities=municipalities)
    if not form.is_valid():
        return _municipal_page(request, goal, form=form, status=422)
    d = form.cleaned_data
    municipality = {m.code: m for m in municipalities}[d["municipality"]]
    try:
        municipal_progress_set(user=request.user, goal=goal, municipality=municipality, achieved_on=d["achieved_on"], note=d["note"])
    except InputRejected as exc:
        return _municipal_page(request, goal, form=form, problems=[str(p) for p in exc.problems], status=422)
    state = "取組済" if d["achieved_on"] else "未取組"
    messages.success(request, f"{municipality.name}を「{state}」として記録しました")
    return redirect("inventory:municipal", pk=goal.pk)


@login_required
@require_POST
def municipal_upload(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.municipal_goal_for_update(user=request.user, pk=pk)
    try:
        upload = uploaded_file(request, "file")
    except InputRejected as exc:
        return _municipal_page(request, goal, problems=[str(p) for p in exc.problems], status=422)
    if upload is None:
        return _municipal_page(request, goal, problems=["CSV ファイルを選んでください"], status=422)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = _save_upload(upload, tmp)
            n = municipal_progress_import(user=request.user, goal=goal, path=path, name=Path(upload.name).name)
        except InputRejected as exc:
            return _municipal_page(request, goal, problems=[str(p) for p in exc.problems], status=422)
    messages.success(request, f"{n} 市町村の取組状況を取り込みました")
    return redirect("inventory:municipal", pk=goal.pk)
