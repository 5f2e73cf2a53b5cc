"""Writes for jobs: start one (queued on the task backend once the caller's transaction commits)."""

from __future__ import annotations

from django.db import transaction

from .models import Job


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def job_start(*, kind: str, title: str, subject: str = "", payload: dict | None = None, user=None) -> Job:
    """Record a job and queue it. With the immediate backend (tests) it has run when this returns
    (after commit); with the database backend a ``tenken db_worker`` process picks it up."""
    job = Job.objects.create(
        kind=kind, title=title, subject=subject, payload=payload or {},
        created_by=user if getattr(user, "pk", None) else None,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job
