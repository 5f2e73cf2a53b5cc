"""Writes for jobs: start one (queued on the task backend once the caller's transaction commits)."""

from __future__ import annotations

from django.db import transaction

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
