"""Writes for jobs: start one (queued on the task backend once the caller's transaction commits), mark
the ones whose worker died as failed, and run such a job again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tenken.common.security import current_request_id

from .models import Job


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def job_start(*, kind: str, title: str, subject: str = "", payload: dict | None = None, user=None,
              organization=None) -> Job:
    """Record a job and queue it. With the immediate backend (tests) it has run when this returns
    (after commit); with the database backend a ``tenken db_worker`` process picks it up.

    ``user`` and ``organization`` decide who sees the job's page (:func:`tenken.orgs.access.job_for_view`);
    the request id of the web request that started it goes with it into the worker's log lines."""
    payload = dict(payload or {})
    payload.setdefault("request_id", current_request_id())
    job = Job.objects.create(
        kind=kind, title=title[:200], subject=subject, payload=payload,
        created_by=user if getattr(user, "pk", None) else None,
        organization=organization,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS", 300)))


def jobs_fail_lost(*, now=None) -> int:
    """Mark as failed every running job whose worker stopped answering (no heartbeat within
    ``TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS``: the process was killed, the machine restarted). Its handler
    writes in one transaction at the end, so nothing of it was written; its uploaded inputs are kept for
    :func:`job_retry`. Called when job pages are shown and when a worker starts. Returns how many."""
    from tenken.common.wareki import format_datetime

    now = now or timezone.now()
    cutoff = now - heartbeat_timeout()
    lost = list(Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
                .values_list("pk", "heartbeat_at"))
    for pk, last in lost:
        Job.objects.filter(pk=pk, state=Job.State.RUNNING, heartbeat_at=last).update(
            state=Job.State.FAILED, finished_at=now, result={"lost": True},
            message=Job.LOST_MESSAGE.format(last=format_datetime(last, seconds=True)),
        )
    return len(lost)


def job_retry(*, user, job: Job) -> Job:
    """Run a job whose worker died once more, as a new job (the failed one stays, as the record of what
    happened), with the same inputs; ``user`` (who may retry it: :func:`tenken.orgs.access.job_for_retry`)
    starts it."""
    from tenken.orgs.access import AccessDenied

    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not locked.lost:
            raise AccessDenied("再実行できるのは、処理していたプロセスが止まって中断した処理だけです")
        if locked.retries.exists():
            raise AccessDenied("この処理は既に再実行しています")
        payload = dict(locked.payload or {})
        payload["request_id"] = current_request_id()
        new = job_start(kind=locked.kind, title=locked.title, subject=locked.subject, payload=payload, user=user,
                        organization=locked.organization)
        Job.objects.filter(pk=new.pk).update(retry_of=locked)
    new.retry_of = locked
    return new
