"""Survey pages: rounds, the admin dashboard, a department's response, the answer form and its history.

Views only translate HTTP to service calls: objects come from the access gates
(:mod:`tenken.orgs.access`), reads from :mod:`tenken.surveys.selectors`, writes from
:mod:`tenken.surveys.services` / :mod:`tenken.surveys.exchange`. No model is queried here
(``tests/test_survey_views.py`` checks this).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tenken.common.errors import InputRejected
from tenken.common.wareki import fiscal_year_label
from tenken.orgs import access
from tenken.plans.assignments import plan_assign_departments
from tenken.spreadsheets.safety import check_upload_size
from tenken.spreadsheets.uploads import uploaded_file, uploaded_files

from . import indicator_answers, selectors, services, tasks
from .exchange import response_ingest_workbook, response_workbook, round_ingest_uploads, round_workbooks_zip
from .notifications import notification_mark_read

LOGIN_URL = settings.LOGIN_URL


def guarded(view):
    """Log-in required; :class:`~tenken.orgs.access.AccessDenied` becomes a Japanese 403 page."""

    @login_required(login_url=LOGIN_URL)
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except access.AccessDenied as exc:
            return render(request, "surveys/denied.html", {"message": exc.message}, status=403)

    return wrapper


class OpenRoundForm(forms.Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    fiscal_year = forms.IntegerField(label="対象年度", min_value=1990, max_value=2100)
    deadline = forms.DateField(label="回答期限", widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label="実施結果", required=False)
    change_reason = forms.CharField(label="変更の理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label="成果", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    issues = forms.CharField(label="課題", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "（選んでください）")] + [
            (s.label, s.long_label or s.label) for s in statuses
        ]


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    http = HttpResponse(data, content_type=content_type)
    http["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return http


@guarded
def index(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_manageable(user=request.user)
    deadline = services.default_deadline()
    forms_by_plan = [
        (p, OpenRoundForm(initial={"plan": p.pk, "fiscal_year": p.last_fiscal_year, "deadline": deadline}),
         len(selectors.unassigned_initiatives(plan=p)),
         [(fy, f"{fiscal_year_label(fy)}（{fy}年度）") for fy in p.fiscal_years])
        for p in plans
    ]
    return render(
        request,
        "surveys/index.html",
        {
            "rounds": selectors.rounds_for_user(user=request.user),
            "open_forms": forms_by_plan,
            "default_deadline_label": services.deadline_text(deadline),
            "notifications": selectors.notifications_for(request.user, limit=5),
            "my_responses": selectors.responses_for_editor(user=request.user),
            "awaiting": selectors.responses_awaiting(user=request.user),
        },
    )


@guarded
@require_POST
def round_open(request: HttpRequest) -> HttpResponse:
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, "対象年度と回答期限を正しく入力してください")
        return redirect("surveys:index")
    plan = access.plan_for_management(user=request.user, pk=form.cleaned_data["plan"])
    try:
        survey_round = services.round_open(
            user=request.user, plan=plan, fiscal_year=form.cleaned_data["fiscal_year"],
            deadline=form.cleaned_data["deadline"],
        )
    except InputRejected as exc:
        for m in exc.messages:
            messages.error(request, m)
        if any(p.location == "担当所属" for p in exc.problems):
            messages.info(request, "担当所属を決めてから、もう一度「照会を開始」を押してください")
            return redirect("surveys:assignments", plan_pk=plan.pk)
        return redirect("surveys:index")
    messages.success(request, f"{survey_round}を開始しました（回答期限 {survey_round.deadline_label}）")
    return redirect("surveys:round", pk=survey_round.pk)


def _ints(values) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


@guarded
def assignments(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Unassigned initiatives of a plan, fixed per 取組項目 in bulk or one by one."""
    plan = access.plan_for_management(user=request.user, pk=plan_pk)
    status = 200
    problems: list[str] = []
    if request.method == "POST":
        by_section = {
            int(k.removeprefix("item-")): v for k, v in request.POST.items()
            if k.startswith("item-") and k.removeprefix("item-").isdecimal() and v
        }
        by_initiative = {
            int(k.removeprefix("initiative-")): v for k, v in request.POST.items()
            if k.startswith("initiative-") and k.removeprefix("initiative-").isdecimal() and v
        }
        try:
            n = plan_assign_departments(
                user=request.user,
                plan=plan,
                by_section={k: int(v) for k, v in by_section.items() if v.isdecimal()},
                by_initiative={k: int(v) for k, v in by_initiative.items() if v.isdecimal()},
                replace_sections=_ints(request.POST.getlist("replace")),
                new_departments=request.POST.get("new_departments", "").splitlines(),
            )
        except InputRejected as exc:
            problems, status = exc.messages, 422
        else:
            messages.success(request, f"担当所属を設定しました（取組 {n} 件）")
            return redirect("surveys:assignments", plan_pk=plan.pk)
    items = selectors.plan_assignment_items(plan=plan)
    return render(
        request,
        "surveys/assignments.html",
        {
            "plan": plan,
            "items": items,
            "departments": selectors.department_choices(plan=plan),
            "unassigned": sum(len(i.unassigned) for i in items),
            "problems": problems,
        },
        status=status,
    )


@guarded
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = access.round_for_view(user=request.user, pk=pk)
    manage = access.can_manage_organization(request.user, survey_round.plan.organization)
    departments = None if manage else access.visible_departments(user=request.user,
                                                                  organization=survey_round.plan.organization)
    progress = selectors.round_progress(survey_round=survey_round, departments=departments)
    return render(request, "surveys/round.html", {"round": survey_round, "progress": progress, "manage": manage})


@guarded
@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = access.round_for_management(user=request.user, pk=pk)
    result = services.round_remind(user=request.user, survey_round=survey_round)  # links: this request's host
    if result.sent:
        messages.success(request, f"督促メールを送りました: {'、'.join(result.sent)}")
    else:
        messages.info(request, "督促が必要な所属はありません")
    if result.no_address:
        messages.error(request, f"入力者のメールアドレスが登録されていないため送れませんでした: {'、'.join(result.no_address)}")
    return redirect("surveys:round", pk=pk)


class CloseForm(forms.Form):
    confirm = forms.BooleanField(label="未提出の所属があっても締め切ります", required=True)


@guarded
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what closing means and who has not answered; POST (with the confirmation ticked): close."""
    survey_round = access.round_for_management(user=request.user, pk=pk)
    progress = selectors.round_progress(survey_round=survey_round)
    form = CloseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.round_close(user=request.user, survey_round=survey_round)
            except InputRejected as exc:
                for m in exc.messages:
                    messages.error(request, m)
            else:
                messages.success(request, f"{survey_round}を締め切りました")
            return redirect("surveys:round", pk=pk)
        status = 422
    return render(request, "surveys/round_close.html", {"round": survey_round, "progress": progress, "form": form},
                  status=status)


class ReopenForm(forms.Form):
    deadline = forms.DateField(label="新しい回答期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@guarded
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = access.round_for_management(user=request.user, pk=pk)
    form = ReopenForm(request.POST if request.method == "POST" else None, initial={"deadline": max(survey_round.deadline, services.default_deadline())})
    if request.method == "POST" and form.is_valid():
        try:
            services.round_reopen(user=request.user, survey_round=survey_round, deadline=form.cleaned_data["deadline"])
        except InputRejected as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, f"{survey_round}の受付を再開しました")
        return redirect("surveys:round", pk=pk)
    return render(request, "surveys/round_reopen.html", {"round": survey_round, "form": form},
                  status=422 if request.method == "POST" else 200)


@guarded
def round_workbooks(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = access.round_for_management(user=request.user, pk=pk)
    if tasks.workbooks_in_background(survey_round):  # a large round: made by a job, downloaded from its page
        return redirect(tasks.start_round_workbooks(user=request.user, survey_round=survey_round))
    filename, data = round_workbooks_zip(user=request.user, survey_round=survey_round)
    return _attachment(data, filename, "application/zip")


@guarded
@require_POST
def round_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Many returned workbooks (or ZIPs of them) at once; a result per file."""
    survey_round = access.round_for_management(user=request.user, pk=pk)
    uploads, too_big = uploaded_files(request, "workbooks")
    if not uploads and not too_big:
        messages.error(request, "回答票（.xlsx）または ZIP を選んでください")
        return redirect("surveys:round", pk=pk)
    # a file over the size limit is a refused result of its own; the others are read as usual
    results = [services_result(p.location, InputRejected(p)) for p in too_big]
    if uploads and tasks.ingest_in_background(uploads):  # large or many files: the same ingest as a job
        for problem in too_big:
            messages.error(request, f"受け付けなかったファイル: {problem}")
        return redirect(tasks.start_round_ingest(user=request.user, survey_round=survey_round, uploads=uploads))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, upload in enumerate(uploads):
            name = Path(upload.name).name
            try:
                check_upload_size(size=upload.size, name=name)
            except InputRejected as exc:
                results.append(services_result(name, exc))
                continue
            path = Path(tmp) / f"upload{n}{Path(name).suffix.lower()}"
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            files.append((name, path))
        results += round_ingest_uploads(user=request.user, survey_round=survey_round, files=files)
    accepted = sum(1 for r in results if r.ok)
    return render(
        request,
        "surveys/round_upload.html",
        {"round": survey_round, "results": results, "accepted": accepted, "refused": len(results) - accepted},
        status=200 if accepted == len(results) else 422,
    )


def services_result(name: str, exc: InputRejected):
    from .exchange import IngestResult

    return IngestResult(name, None, exc.problems)


@guarded
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notification_mark_read(user=request.user)
        return redirect("surveys:notifications")
    return render(request, "surveys/notifications.html",
                  {"notifications": selectors.notifications_for(request.user, limit=100)})


def _response_context(request: HttpRequest, response) -> dict:
    flag = selectors.ResponseProgress(response, 0, 0)
    return {
        "deadline_flag": flag.deadline_flag,
        "deadline_flag_label": flag.deadline_flag_label,
        "response": response,
        "round": response.round,
        "rows": selectors.response_rows(response=response),
        "can_edit": access.can_edit_department(request.user, response.department) and response.is_editable,
        "can_download": access.can_edit_department(request.user, response.department),
        "can_decide": access.can_approve_department(request.user, response.department)
        and response.state in response.AWAITING_DECISION,
        "manage": access.can_manage_organization(request.user, response.round.plan.organization),
    }


@guarded
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.response_for_view(user=request.user, pk=pk)
    return render(request, "surveys/response.html", _response_context(request, response))


@guarded
def response_download(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.response_for_update(user=request.user, pk=pk)
    filename, data = response_workbook(user=request.user, response=response)
    return _attachment(data, filename, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@guarded
@require_POST
def response_upload(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.response_for_update(user=request.user, pk=pk)
    try:
        upload = uploaded_file(request, "workbook")
    except InputRejected as exc:
        context = _response_context(request, response)
        context["upload_problems"] = exc.messages
        return render(request, "surveys/response.html", context, status=413)
    if upload is None:
        messages.error(request, "回答票（.xlsx）を選んでください")
        return redirect("surveys:response", pk=pk)
    name = Path(upload.name).name
    try:
        check_upload_size(size=upload.size, name=name)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / ("upload" + Path(name).suffix.lower())
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            response_ingest_workbook(user=request.user, path=path, name=name, response=response)
    except InputRejected as exc:
        context = _response_context(request, response)
        context["upload_problems"] = exc.messages
        context["upload_name"] = name
        return render(request, "surveys/response.html", context, status=422)
    messages.success(request, f"回答票「{name}」を受け付け、提出しました")
    return redirect("surveys:response", pk=pk)


def _transition(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Run a workflow service; its problems become error messages on the response page."""
    try:
        action()
    except InputRejected as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect("surveys:response", pk=pk)


@guarded
@require_POST
def response_submit(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.response_for_update(user=request.user, pk=pk)
    label = "再提出" if response.state == response.State.RETURNED else "提出済"
    return _transition(
        request, pk, lambda: services.response_submit(user=request.user, response=response), f"提出しました（{label}）"
    )


@guarded
@require_POST
def response_approve(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.response_for_approval(user=request.user, pk=pk)
    return _transition(request, pk, lambda: services.response_approve(user=request.user, response=response),
                       "承認しました")


@guarded
@require_POST
def response_return(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.response_for_approval(user=request.user, pk=pk)
    comment = request.POST.get("comment", "")
    return _transition(
        request, pk, lambda: services.response_return(user=request.user, response=response, comment=comment),
        "差し戻しました",
    )


@guarded
def answer(request: HttpRequest, pk: int, initiative_pk: int) -> HttpResponse:
    """The web form for one initiative's answer, with the initiative's change history."""
    response = access.response_for_view(user=request.user, pk=pk)
    initiative = access.initiative_for_view(user=request.user, pk=initiative_pk)
    row = selectors.answer_row(response=response, initiative=initiative)
    if row is None:
        raise Http404("この取組はこの所属の回答対象ではありません")
    statuses = selectors.plan_statuses(plan=response.round.plan)
    can_edit = access.can_edit_initiative(request.user, initiative) and access.can_edit_department(
        request.user, response.department
    ) and response.is_editable
    status_code = 200
    conflict = None
    indicators = indicator_answers.response_indicators(response=response, initiative_ids=[initiative.pk])
    given = indicator_answers.current_answers(response=response)
    targets = indicator_answers.targets_of_year(indicators, response.round.fiscal_year)
    indicator_rows = [
        {
            "indicator": ind,
            "target": targets.get(ind.pk),
            "value": request.POST.get(f"indicator-{ind.pk}-value") if request.method == "POST"
            else (f"{given[ind.pk].value.normalize():f}" if ind.pk in given else ""),
            "as_of": request.POST.get(f"indicator-{ind.pk}-as_of") if request.method == "POST"
            else (given[ind.pk].as_of_text if ind.pk in given else ""),
        }
        for ind in indicators
    ]
    if request.method == "POST":
        response = access.response_for_update(user=request.user, pk=pk)
        initiative = access.initiative_for_update(user=request.user, pk=initiative_pk)
        form = AnswerForm(request.POST, statuses=statuses)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.review_answer(
                    user=request.user,
                    response=response,
                    answer=services.Answer(
                        initiative_id=initiative.pk,
                        status=d["status"],
                        change_reason=d["change_reason"],
                        outcome=d["outcome"],
                        issues=d["issues"],
                        expected_version=d["version"],
                        field_locations={f: AnswerForm.base_fields[f].label for f in AnswerForm.base_fields},
                    ),
                    indicator_entries=[
                        indicator_answers.IndicatorEntry(
                            ind.pk,
                            request.POST.get(f"indicator-{ind.pk}-value", ""),
                            request.POST.get(f"indicator-{ind.pk}-as_of", ""),
                            f"指標「{ind.name}」の実績値",
                            f"指標「{ind.name}」の時点",
                        )
                        for ind in indicators
                    ],
                )
            except services.EditConflict as exc:
                conflict = exc.messages
                status_code = 409
                row = selectors.answer_row(response=response, initiative=initiative)
            except InputRejected as exc:
                for problem in exc.problems:
                    form.add_error(None, str(problem))
                    for ir in indicator_rows:  # also beside the indicator's own field
                        if problem.location in (f"指標「{ir['indicator'].name}」の実績値",
                                                f"指標「{ir['indicator'].name}」の時点"):
                            ir["error"] = problem.message
                status_code = 422
            else:
                messages.success(request, f"取組{initiative.number_label}の回答を保存しました")
                return redirect(reverse("surveys:response", args=[pk]) + f"#i{initiative.pk}")
        else:
            status_code = 422
    else:
        current = row.review
        form = AnswerForm(
            statuses=statuses,
            initial={
                "status": current.status.label if current else (row.previous.status.label if row.previous else ""),
                "change_reason": current.change_reason if current else "",
                "outcome": current.outcome if current else "",
                "issues": current.issues if current else "",
                "version": row.version,
            },
        )
    context = {
        "response": response,
        "round": response.round,
        "row": row,
        "initiative": initiative,
        "form": form,
        "can_edit": can_edit,
        "conflict": conflict,
        "history": selectors.initiative_history(initiative=initiative),
        "indicator_rows": indicator_rows,
        "fiscal_year_label": fiscal_year_label(response.round.fiscal_year),
    }
    return render(request, "surveys/answer.html", context, status=status_code)
