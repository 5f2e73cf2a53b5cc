"""The published 点検報告書 is an artefact: rendered once by a background job at publication, stored with its
sha256, offered on the public plan page with sizes and the publication date; old versions stay."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tenken.jobs.models import Job
from tenken.publications.models import Publication, ReportArtefact
from tenken.publications.tasks import subject_of
from tenken.reviews.models import InitiativeReview, Inspection

from .conftest import publish

pytestmark = pytest.mark.django_db


def _url(plan, publication, fmt):
    return f"/public/plans/{plan.pk}/report/{publication.inspection_id}/{publication.version}/report.{fmt}"


def test_report_rendered_once_stored_and_stable(client, kanagawa_plan, sato, settings,
                                                django_capture_on_commit_callbacks):
    plan = kanagawa_plan
    final = plan.inspections.get(kind=Inspection.Kind.FINAL)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = publish(final, sato, note="最終点検の結果を公表")
    job = Job.objects.get(subject=subject_of(v1.pk))
    assert job.state == "done" and job.progress == 100, job.message
    files = {a.format: a for a in ReportArtefact.objects.filter(publication=v1)}
    assert set(files) == {"pdf", "docx", "xlsx", "html"}
    for a in files.values():
        data = (Path(settings.MEDIA_ROOT) / a.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == a.sha256 and len(data) == a.size

    page = client.get(f"/public/plans/{plan.pk}/").content.decode()
    assert _url(plan, v1, "pdf") in page and "第1版" in page
    from tenken.common.wareki import format_date

    assert format_date(timezone.localtime(v1.published_at).date()) in page  # 和暦, as on every page
    assert "PDF（" in page and ("KB" in page or "MB" in page)

    first = client.get(_url(plan, v1, "pdf"))
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == files["pdf"].sha256
    assert first["ETag"] == f'"{files["pdf"].sha256}"'
    assert client.get(_url(plan, v1, "pdf"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # a "restart": a new client, an empty cache, the row and the file read again — the same bytes
    cache.clear()
    again = Client().get(_url(plan, v1, "pdf"))
    assert hashlib.sha256(b"".join(again.streaming_content)).hexdigest() == files["pdf"].sha256

    # a new version: rendered as a new artefact; the old one stays downloadable and unchanged
    review = InitiativeReview.objects.filter(inspection=final, approval="approved").order_by("pk").first()
    InitiativeReview.objects.filter(pk=review.pk).update(outcome="第2版で直した成果")
    with django_capture_on_commit_callbacks(execute=True):
        v2 = publish(final, sato, note="成果の記述を訂正")
    assert client.get(_url(plan, v2, "docx")).status_code == 200
    old = client.get(_url(plan, v1, "pdf"))
    assert hashlib.sha256(b"".join(old.streaming_content)).hexdigest() == files["pdf"].sha256
    page = client.get(f"/public/plans/{plan.pk}/").content.decode()
    assert "第2版" in page and "（旧版）" in page and "成果の記述を訂正" in page

    from tenken.publications.services import publication_withdraw

    publication_withdraw(user=sato, publication_id=v2.pk, reason="誤り")
    assert client.get(_url(plan, v2, "pdf")).status_code == 404
    assert client.get(_url(plan, v1, "pdf")).status_code == 404  # nothing of a withdrawn inspection


def _fake_render(ctx, fmt):
    if fmt == "xlsx":
        raise ValueError("別紙の作成に失敗しました（テスト）")
    return f"fake {fmt}".encode()


def test_failed_job_says_why_in_japanese_and_leaves_nothing(kanagawa_plan, sato, settings, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    monkeypatch.setattr("tenken.reports.renderers.render_report", _fake_render)
    final = kanagawa_plan.inspections.get(kind=Inspection.Kind.FINAL)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = publish(final, sato)
    job = Job.objects.get(subject=subject_of(v1.pk))
    assert job.state == "failed"
    assert job.message == "処理できませんでした: 別紙の作成に失敗しました（テスト）"
    assert not ReportArtefact.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_jobs_go_through_the_database_queue_and_a_worker(kanagawa_plan, sato, settings, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    """The production path: django_tasks_db stores the task; ``tenken db_worker`` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr("tenken.reports.renderers.render_report", lambda ctx, fmt: f"rendered {fmt}".encode())
    from django_tasks_db.models import DBTaskResult

    final = kanagawa_plan.inspections.get(kind=Inspection.Kind.FINAL)
    with django_capture_on_commit_callbacks(execute=True):
        v1 = publish(final, sato)
    job = Job.objects.get(subject=subject_of(v1.pk))
    assert job.state == "queued" and job.task_id
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    # The worker closes "old" connections between tasks; inside this test's transaction that would close
    # the test's own connection (PostgreSQL), so only that housekeeping is switched off here.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert Publication.objects.get(pk=v1.pk).artefacts.count() == 4
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
