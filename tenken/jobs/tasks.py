"""The one django-tasks task: run a :class:`~tenken.jobs.models.Job` by id."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone
from django_tasks import task

from tenken.common.errors import InputRejected
from tenken.common.security import bound_request_id
from tenken.orgs.access import AccessDenied

from . import files
from .models import Job
from .registry import handler_for
from .services import heartbeat_timeout, jobs_fail_lost

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


def heartbeat_interval() -> float:
    """How often a running job says it is alive: a fifth of the timeout, at most a minute."""
    return min(60.0, heartbeat_timeout().total_seconds() / 5)


@contextmanager
def _heartbeat(job_id: int, enabled: bool) -> Iterator[None]:
    """While the handler runs, a thread writes ``heartbeat_at`` every :func:`heartbeat_interval` (a handler
    busy in one long step cannot). Only in a worker: a job run inside a request or a test has no worker to
    lose, and its thread would contend with the request's transaction."""
    if not enabled:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        from django.db import connection

        try:
            while not stop.wait(heartbeat_interval()):
                Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def execute_job(job_id: int, *, heartbeat: bool = False) -> Job:
    """Run the job now, in this process (the task body; also used by ``setup-demo``). ``heartbeat``: keep
    ``heartbeat_at`` fresh while it runs (a worker does; see :func:`~tenken.jobs.services.jobs_fail_lost`)."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=now, heartbeat_at=now, progress=0)

    def progress(percent: int, step: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), step=step[:200],
                                             heartbeat_at=timezone.now())

    with bound_request_id(str((job.payload or {}).get("request_id") or "-")), _heartbeat(job.pk, heartbeat):
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
    from django_tasks.backends.immediate import ImmediateBackend

    in_worker = not isinstance(run_job.get_backend(), ImmediateBackend)
    if in_worker:
        jobs_fail_lost()  # a worker that starts after a crash tells the users about the jobs it lost
    return execute_job(job_id, heartbeat=in_worker).state
