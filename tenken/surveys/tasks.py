"""Background jobs of a survey round: many returned workbooks at once, and every department's workbook
as one ZIP, when they are large (``TENKEN_BACKGROUND_UPLOAD_BYTES`` / ``TENKEN_BACKGROUND_UPLOAD_FILES``,
``TENKEN_BACKGROUND_ZIP_RESPONSES``). Each runs the same function as the synchronous page
(:func:`~tenken.surveys.exchange.round_ingest_uploads`, :func:`~tenken.surveys.exchange.round_workbooks_zip`)
as the user who started it, whose access to the round is checked again when the job runs.

Ingest keeps the synchronous rule: each workbook stands alone, refused whole with its located messages or
written whole; the job page lists the result of every file as the synchronous page does. The ZIP is
written to a temporary name in the job's working directory and renamed when complete; it is downloaded
from the job page (:func:`tenken.orgs.access.job_for_download`) and kept for the retention of job files.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from tenken.common.errors import InputRejected
from tenken.jobs import files
from tenken.jobs.registry import Progress, job_handler
from tenken.jobs.services import job_start
from tenken.jobs.uploads import in_background, stash
from tenken.orgs import access
from tenken.spreadsheets.safety import check_upload_size

INGEST = "round_ingest"
WORKBOOKS = "round_workbooks"


def ingest_in_background(uploads) -> bool:
    return in_background(uploads)


def start_round_ingest(*, user, survey_round, uploads):
    token, stored = stash(uploads)
    return job_start(
        kind=INGEST, title=f"回答票の一括取込み（{survey_round}、{len(stored)}ファイル）",
        subject=f"round:{survey_round.pk}", payload={"round_id": survey_round.pk, "workdir": token, "files": stored},
        user=user, organization=survey_round.plan.organization,
    )


def _result_row(r) -> dict:
    """An :class:`~tenken.surveys.exchange.IngestResult` as the results table reads it."""
    if r.ok:
        response = {"department": {"name": r.response.department.name},
                    "get_state_display": r.response.get_state_display()}
        return {"name": r.name, "ok": True, "response": response, "problems": []}
    return {"name": r.name, "ok": False, "response": None, "problems": InputRejected(r.problems).messages}


@job_handler(INGEST, result_template="surveys/job_round_upload.html")
def run_round_ingest(job, progress: Progress) -> dict:
    from .exchange import IngestResult, round_ingest_uploads

    survey_round = access.round_for_management(user=job.created_by, pk=job.payload["round_id"])
    results = []
    stored = []
    for name, relative in job.payload["files"]:
        path = files.path_in(job, relative)
        try:
            check_upload_size(size=path.stat().st_size, name=name)
        except InputRejected as exc:
            results.append(IngestResult(name, None, exc.problems))
            continue
        stored.append((name, path))

    def step(done: int, total: int, name: str) -> None:
        progress(5 + 90 * done // max(total, 1), f"{done + 1}/{total}冊目を取り込んでいます（{name}）")

    results += round_ingest_uploads(user=job.created_by, survey_round=survey_round, files=stored, progress=step)
    accepted = sum(1 for r in results if r.ok)
    return {"message": f"{len(results)}冊のうち、受付 {accepted}冊・受け付けなかったもの {len(results) - accepted}冊",
            "round_id": survey_round.pk, "round": str(survey_round), "accepted": accepted,
            "refused": len(results) - accepted, "results": [_result_row(r) for r in results]}


def workbooks_in_background(survey_round) -> bool:
    limit = int(getattr(settings, "TENKEN_BACKGROUND_ZIP_RESPONSES", 30))
    return survey_round.responses.count() > limit


def start_round_workbooks(*, user, survey_round):
    """The job making the round's ZIP; an unfinished one this user already started is reused (a reload of
    the download link does not queue the work twice)."""
    from tenken.jobs.models import Job

    running = (Job.objects.filter(kind=WORKBOOKS, subject=f"round:{survey_round.pk}", created_by=user)
               .exclude(state__in=[Job.State.DONE, Job.State.FAILED]).first())
    if running is not None:
        return running
    return job_start(
        kind=WORKBOOKS, title=f"回答票の一括作成（{survey_round}）", subject=f"round:{survey_round.pk}",
        payload={"round_id": survey_round.pk, "workdir": files.workdir_create()},
        user=user, organization=survey_round.plan.organization,
    )


@job_handler(WORKBOOKS, result_template="surveys/job_round_workbooks.html")
def run_round_workbooks(job, progress: Progress) -> dict:
    from .exchange import round_workbooks_zip_write

    survey_round = access.round_for_management(user=job.created_by, pk=job.payload["round_id"])
    out = files.output_dir(job)
    partial = out / "workbooks.zip.part"
    final = out / "workbooks.zip"

    def step(done: int, total: int) -> None:
        progress(5 + 90 * done // max(total, 1), f"{done}/{total}所属の回答票を作成しました")

    try:
        with open(partial, "wb") as fh:
            filename = round_workbooks_zip_write(user=job.created_by, survey_round=survey_round, target=fh,
                                                 progress=step)
        os.replace(partial, final)
    finally:
        Path(partial).unlink(missing_ok=True)
    return {"message": f"{filename} を作成しました", "round_id": survey_round.pk, "round": str(survey_round),
            "file": "out/workbooks.zip", "filename": filename, "size": final.stat().st_size,
            "content_type": "application/zip", "count": survey_round.responses.count()}
