"""Working files of jobs, under ``TENKEN_STATE_DIR/jobs/<token>/``: ``in/`` holds what the request
received (streamed there chunk by chunk, never into memory), ``out/`` what the job produced (a ZIP to
download). Inputs are removed as soon as the job has finished, whatever the outcome; outputs of a finished
job are kept ``TENKEN_JOB_FILE_RETENTION_HOURS`` and then removed by ``tenken jobs_cleanup``, which
also removes directories no job refers to (a request that died between storing and queueing).
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ORPHAN_SECONDS = 24 * 3600


def root() -> Path:
    return Path(settings.STATE_DIR) / "jobs"


def retention_hours() -> int:
    return int(getattr(settings, "TENKEN_JOB_FILE_RETENTION_HOURS", 7 * 24))


def workdir_create() -> str:
    """A new, empty working directory; its token goes into the job's payload as ``workdir``."""
    token = secrets.token_urlsafe(18)
    (root() / token / "in").mkdir(parents=True)
    return token


def workdir_of(job) -> Path | None:
    token = (job.payload or {}).get("workdir", "")
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    return root() / token


def store_upload(f: UploadedFile, token: str, n: int) -> tuple[str, str]:
    """Stream ``f`` into ``in/`` of ``token``; ``(name shown, path relative to the working directory)``."""
    name = Path(f.name or "upload").name.replace("\x00", "")[-200:] or "upload"
    relative = f"in/{n:04d}/{name}"  # the file keeps its name: services locate problems by it
    (root() / token / relative).parent.mkdir(parents=True, exist_ok=True)
    with open(root() / token / relative, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    return name, relative


def path_in(job, relative: str) -> Path:
    """A file of the job's working directory (``relative`` as stored in the payload/result)."""
    base = workdir_of(job)
    if base is None:
        raise LookupError("処理の作業ファイルが見つかりません")
    path = (base / relative).resolve()
    if base.resolve() not in path.parents:
        raise LookupError("処理の作業ファイルが見つかりません")
    return path


def output_dir(job) -> Path:
    base = workdir_of(job)
    if base is None:
        raise LookupError("処理の作業ファイルが見つかりません")
    (base / "out").mkdir(parents=True, exist_ok=True)
    return base / "out"


def finished(job) -> None:
    """After the job: inputs go at once; a failed job keeps nothing (its outputs are incomplete)."""
    base = workdir_of(job)
    if base is None:
        return
    shutil.rmtree(base / "in", ignore_errors=True)
    if job.state == job.State.FAILED or not (base / "out").exists():
        shutil.rmtree(base, ignore_errors=True)


def cleanup(*, now: float | None = None) -> list[str]:
    """Remove outputs of jobs finished more than the retention ago, and directories of no job.
    Directories of queued or running jobs stay. Returns the removed tokens."""
    from .models import Job

    base = root()
    if not base.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for d in sorted(base.iterdir()):
        if not d.is_dir():
            continue
        job = Job.objects.filter(payload__workdir=d.name).first()
        if job is None:
            expired = now - d.stat().st_mtime > ORPHAN_SECONDS
        elif not job.finished:
            expired = False
        else:
            finished_at = job.finished_at.timestamp() if job.finished_at else d.stat().st_mtime
            expired = now - finished_at > retention_hours() * 3600
        if expired:
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d.name)
    return removed
