"""The one django-tasks task: run a :class:`~tenken.jobs.models.Job` by id."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from tenken.common.errors import InputRejected

from .models import Job
from .registry import handler_for

log = logging.getLogger(__name__)


def failure_message(exc: BaseException) -> str:
    """The Japanese reason shown on the page."""
    if isinstance(exc, InputRejected):
        return "処理できませんでした: " + "／".join(exc.messages)
    if isinstance(exc, LookupError | ValueError) and str(exc):
        return f"処理できませんでした: {exc}"
    return f"処理中に予期しない誤りが起きました（{type(exc).__name__}）。何も書き込んでいません。管理者に連絡してください。"


def execute_job(job_id: int) -> Job:
    """Run the job now, in this process (the task body; also used by ``setup-demo``)."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=timezone.now(), progress=0)

    def progress(percent: int, step: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), step=step[:200])

    try:
        result = handler_for(job.kind)(job, progress)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, message=failure_message(exc), finished_at=timezone.now()
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.DONE, progress=100, step="完了", result=result or {},
            message=(result or {}).get("message", "完了しました"), finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: int) -> str:
    return execute_job(job_id).state
