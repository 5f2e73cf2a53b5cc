"""A worker killed in the middle of a job (SIGKILL, a machine restart): the job no longer says 実行中 for
ever. Once its heartbeat is older than ``TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS`` it is shown as failed with a
Japanese reason, nothing of it was written, and whoever may see it can run it again (「再実行」) — here with a
real ``db_worker`` process on a SQLite file, killed with SIGKILL while inside the job's transaction.

Personas: 佐藤 (sato) started the job; 鈴木 (suzuki), staff of another department, may not see or retry it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenken.jobs.models import Job
from tenken.jobs.services import job_start, jobs_fail_lost

from .personas import cast_for, small_plan

ROOT = Path(__file__).resolve().parents[1]
# The worker: the real db_worker command, with one slow job kind of the test's own (written inside one
# transaction, like every handler, then waiting to be killed when SLOW=1).
WORKER = textwrap.dedent("""
    import os, sys, time
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from tenken.jobs.registry import discover, job_handler
    discover()

    @job_handler("test.slow_import")
    def slow(job, progress):
        progress(10, "読み込み中")
        from tenken.orgs.models import Organization
        with transaction.atomic():
            Organization.objects.create(code="999997", name="再実行で作られる団体", kind="city")
            if os.environ.get("SLOW") == "1":
                sys.stderr.write("STARTED\\n")
                sys.stderr.flush()
                time.sleep(120)
        return {"message": "取り込みました"}

    call_command("db_worker", batch=os.environ.get("BATCH") == "1", startup_delay=False, interval=0.2,
                 reload=False, verbosity=0)
""")


def _sql(db: Path, query: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(query, args).fetchall()


def _shell(env: dict[str, str], code: str) -> str:
    out = subprocess.run([sys.executable, "-m", "tenken.cli", "shell", "-v", "0", "-c", textwrap.dedent(code)], env=env,
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout


def test_a_job_whose_worker_was_killed_is_failed_and_can_be_run_again(tmp_path):
    db = tmp_path / "jobs.sqlite3"
    env = os.environ | {
        "TENKEN_DB": "sqlite", "TENKEN_SQLITE_PATH": str(db), "TENKEN_STATE_DIR": str(tmp_path / "state"),
        "TENKEN_DEBUG": "1", "TENKEN_TASKS_BACKEND": "database", "DJANGO_SETTINGS_MODULE": "tenken.settings",
        "TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS": "2",
    }
    subprocess.run([sys.executable, "-m", "tenken.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    _shell(env, """
        from django.contrib.auth import get_user_model
        from django.db import transaction
        from tenken.jobs.services import job_start
        sato = get_user_model().objects.create_user("sato", last_name="佐藤")
        with transaction.atomic():
            job_start(kind="test.slow_import", title="遅い取込", user=sato)
    """)
    (job_id, state), = _sql(db, "SELECT id, state FROM jobs_job")
    assert state == "queued"

    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=env | {"SLOW": "1"}, cwd=ROOT,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        line = ""
        while time.time() < deadline and "STARTED" not in line:
            line = worker.stderr.readline()
            if line == "" and worker.poll() is not None:
                break
        assert "STARTED" in line, line + worker.stderr.read()
        time.sleep(1.0)  # the heartbeat thread writes while the handler is busy (every 0.4 s here)
        (state, started, beat), = _sql(db, "SELECT state, started_at, heartbeat_at FROM jobs_job")
        assert state == "running" and beat > started
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert _sql(db, "SELECT state FROM jobs_job") == [("running",)]  # nobody has noticed yet
    time.sleep(2.5)  # longer than the timeout

    out = _shell(env, """
        from tenken.jobs.models import Job
        from tenken.jobs.services import jobs_fail_lost
        print(jobs_fail_lost())
        job = Job.objects.get()
        print(job.state, job.lost)
        print(job.message)
    """).splitlines()
    assert out[0] == "1" and out[1] == "failed True"
    assert "処理を実行していたプロセスが途中で止まったため、処理を中断しました" in out[2] and "「再実行」" in out[2]
    assert _sql(db, "SELECT COUNT(*) FROM orgs_organization WHERE code = '999997'") == [(0,)]  # nothing written

    _shell(env, """
        from django.contrib.auth import get_user_model
        from django.db import transaction
        from tenken.jobs.models import Job
        from tenken.jobs.services import job_retry
        with transaction.atomic():
            job_retry(user=get_user_model().objects.get(username="sato"), job=Job.objects.get())
    """)
    subprocess.run([sys.executable, "-c", WORKER], env=env | {"BATCH": "1"}, cwd=ROOT, check=True, timeout=120)
    rows = _sql(db, "SELECT id, state, message, retry_of_id FROM jobs_job ORDER BY id")
    assert rows == [(job_id, "failed", rows[0][2], None), (rows[1][0], "done", "取り込みました", job_id)]
    assert _sql(db, "SELECT COUNT(*) FROM orgs_organization WHERE code = '999997'") == [(1,)]


@pytest.mark.django_db
def test_the_page_of_a_lost_job_says_so_and_offers_retry_to_who_may_see_it(settings):
    settings.TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS = 300
    cast = cast_for(small_plan())
    job = job_start(kind="test.page", title="台帳の取込", user=cast.sato, organization=cast.org)
    old = timezone.now() - timedelta(seconds=301)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=old, heartbeat_at=old)
    fresh = job_start(kind="test.page", title="台帳の取込（実行中）", user=cast.sato, organization=cast.org)
    Job.objects.filter(pk=fresh.pk).update(state=Job.State.RUNNING, started_at=old, heartbeat_at=timezone.now())

    sato = Client()
    sato.force_login(cast.sato)
    page = sato.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "処理を実行していたプロセスが途中で止まった" in page and 'id="job-retry"' in page
    assert Job.objects.get(pk=fresh.pk).state == "running"  # its worker is alive: untouched
    assert jobs_fail_lost() == 0

    suzuki = Client()
    suzuki.force_login(cast.suzuki)
    assert suzuki.post(reverse("jobs:retry", args=[job.pk])).status_code == 403
    assert sato.post(reverse("jobs:retry", args=[fresh.pk])).status_code == 403  # not lost: no retry

    res = sato.post(reverse("jobs:retry", args=[job.pk]))
    new = Job.objects.get(retry_of=job)
    assert res.status_code == 302 and res["Location"] == reverse("jobs:detail", args=[new.pk])
    same = {k: v for k, v in job.payload.items() if k != "request_id"}
    assert new.created_by == cast.sato and {k: v for k, v in new.payload.items() if k != "request_id"} == same
    again = sato.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-retry"' not in again and "この処理は再実行しました" in again
    assert sato.post(reverse("jobs:retry", args=[job.pk])).status_code == 403  # only once
