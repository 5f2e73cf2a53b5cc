"""Background work of a publication: render the published 点検報告書 once and store it.

Job kind ``render_report`` (see :mod:`tenken.jobs`): every format (PDF, DOCX, XLSX, HTML) is rendered
from the publication's frozen results into a temporary directory under ``MEDIA_ROOT``; only when all of
them succeeded are the files moved into place and their :class:`ReportArtefact` rows (sha256, size)
written in one transaction. A failure leaves no file and no row behind.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tenken.jobs.registry import Progress, job_handler

from .models import Publication, ReportArtefact

FORMATS = ("pdf", "docx", "xlsx", "html")
KIND = "render_report"


def subject_of(publication_id: int) -> str:
    return f"publication:{publication_id}"


def artefact_dir(publication: Publication) -> str:
    """Relative to MEDIA_ROOT: ``reports/plan-<id>/inspection-<id>/v<版>``."""
    inspection = publication.inspection
    return f"reports/plan-{inspection.plan_id}/inspection-{inspection.pk}/v{publication.version}"


def enqueue_report_rendering(*, publication_id: int, user=None):
    from tenken.jobs.services import job_start

    publication = Publication.objects.select_related("inspection", "inspection__plan").get(pk=publication_id)
    return job_start(
        kind=KIND,
        title=f"点検報告書の作成（{publication.inspection.title} 第{publication.version}版）",
        subject=subject_of(publication_id),
        payload={"publication_id": publication_id},
        user=user or publication.published_by,
        organization=publication.inspection.plan.organization,
    )


@job_handler(KIND)
def render_publication_report(job, progress: Progress) -> dict:
    from tenken.reports.context import build_report_context
    from tenken.reports.renderers import render_report

    publication = Publication.objects.select_related("inspection", "inspection__plan").get(
        pk=job.payload["publication_id"]
    )
    if publication.artefacts.exists():
        return {"message": "作成済みです"}
    progress(5, "報告書の内容を読み込んでいます")
    ctx = build_report_context(plan_id=publication.inspection.plan_id, publication=publication)
    media = Path(settings.MEDIA_ROOT)
    target = media / artefact_dir(publication)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    try:
        rows = []
        for n, fmt in enumerate(FORMATS):
            progress(10 + n * 20, f"{fmt.upper()} を作成しています")
            data = render_report(ctx, fmt)
            (staging / f"report.{fmt}").write_bytes(data)
            rows.append((fmt, hashlib.sha256(data).hexdigest(), len(data)))
        progress(95, "保存しています")
        if target.exists():
            shutil.rmtree(target)  # left by an earlier attempt that never recorded its rows
        staging.rename(target)
        try:
            with transaction.atomic():
                for fmt, digest, size in rows:
                    ReportArtefact.objects.create(
                        publication=publication, format=fmt, path=f"{artefact_dir(publication)}/report.{fmt}",
                        sha256=digest, size=size,
                    )
        except Exception:
            shutil.rmtree(target, ignore_errors=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"message": f"点検報告書（{', '.join(f.upper() for f in FORMATS)}）を保存しました", "formats": list(FORMATS)}
