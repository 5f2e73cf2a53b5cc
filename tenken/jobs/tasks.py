"""The one django-tasks task: run a :class:`~tenken.jobs.models.Job` by id."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from tenken.common.errors import InputRejected
from tenken.common.security import bound_request_id
from tenken.orgs.access import AccessDenied

from . import files
from .models import Job
from .registry import handler_for

log = logging.getLogger(__name__)


def failure_message(exc: BaseException, job: Job | None = None) -> str:
    """The Japanese reason shown on the page (never a traceback: that goes to the log)."""
    if isinstance(exc, InputRejected):
        if len(exc.problems) > 1:
            return f"処理できませんでした（問題 {len(exc.problems):,} 件）。何も書き込んでいません。"
        return "処理できませんでした: " + "／".join(exc.messages)
    if isinstance(exc, AccessDenied):
        return f"処理できませんでした: {exc.message}"
    if isinstance(exc, LookupError | ValueError) and str(exc):
        return f"処理できませんでした: {exc}"
    number = f"（処理番号 {job.pk}）" if job is not None else ""
    return f"処理中に予期しない誤りが起きました{number}。何も書き込んでいません。管理者に連絡してください。"


def execute_job(job_id: int) -> Job:
    """Run the job now, in this process (the task body; also used by ``setup-demo``)."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=timezone.now(), progress=0)

    def progress(percent: int, step: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), step=step[:200])

    with bound_request_id(str((job.payload or {}).get("request_id") or "-")):
        try:
            result = handler_for(job.kind)(job, progress)
        except Exception as exc:
            failed: dict = {}
            if isinstance(exc, InputRejected | AccessDenied):  # the user's input or rights: said on the page
                log.info("job %s (%s) refused: %s", job.pk, job.kind, exc)
                if isinstance(exc, InputRejected):
                    failed = {"problems": exc.messages, "problem_total": len(exc.problems)}
            else:
                log.exception("job %s (%s) failed", job.pk, job.kind)
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.FAILED, message=failure_message(exc, job), result=failed, finished_at=timezone.now()
            )
        else:
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.DONE, progress=100, step="完了", result=result or {},
                message=(result or {}).get("message", "完了しました"), finished_at=timezone.now(),
            )
        job.refresh_from_db()
        try:
            files.finished(job)
        except OSError:
            log.exception("job %s: working files not removed", job.pk)
    return job


@task()
def run_job(job_id: int) -> str:
    return execute_job(job_id).state
