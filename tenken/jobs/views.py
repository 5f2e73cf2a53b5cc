"""The one page of a background job (every kind): state, progress, and when it has finished its result
or why it failed, in Japanese. While it runs the page reloads itself (``<meta http-equiv="refresh">``,
no script: the CSP forbids inline script). A file the job produced is downloaded from here.

Access: :func:`tenken.orgs.access.job_for_view` / :func:`~tenken.orgs.access.job_for_download`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenken.orgs import access

from . import files
from .registry import result_template_for
from .services import job_retry, jobs_fail_lost

REFRESH_SECONDS = 3
LIST_SIZE = 50


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The jobs the user may see (their own; an admin: the organization's), the newest first."""
    jobs_fail_lost()
    jobs = list(access.visible_jobs(user=request.user)[:LIST_SIZE])
    return render(request, "jobs/list.html", {"jobs": jobs, "limit": LIST_SIZE,
                                              "refresh": REFRESH_SECONDS if any(not j.finished for j in jobs) else 0})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    jobs_fail_lost()  # a job whose worker died says so here instead of 実行中 for ever
    job = access.job_for_view(user=request.user, pk=pk)
    return render(request, "jobs/detail.html", {
        "job": job, "result": job.result or {}, "result_template": result_template_for(job.kind),
        "refresh": REFRESH_SECONDS,
    })


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    jobs_fail_lost()
    job = access.job_for_view(user=request.user, pk=pk)
    return JsonResponse({"state": job.state, "label": job.get_state_display(), "progress": job.progress,
                         "step": job.step, "message": job.message, "finished": job.finished})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = access.job_for_download(user=request.user, pk=pk)
    stored = (job.result or {}).get("file")
    if job.state != job.State.DONE or not stored:
        raise Http404("この処理にはダウンロードできるファイルがありません")
    try:
        path = files.path_in(job, stored)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    if not path.is_file():
        raise Http404("ファイルは保存期間を過ぎたため削除しました。もう一度作成してください")
    return FileResponse(open(path, "rb"), as_attachment=True,  # FileResponse closes it
                        filename=job.result.get("filename") or path.name,
                        content_type=job.result.get("content_type") or "application/octet-stream")


@login_required
@require_POST
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「再実行」 on the page of a job whose worker died: the same work as a new job, started by this user."""
    job = access.job_for_retry(user=request.user, pk=pk)
    new = job_retry(user=request.user, job=job)
    messages.info(request, f"処理「{job.title}」をもう一度実行します")
    return redirect("jobs:detail", pk=new.pk)
