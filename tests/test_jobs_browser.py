"""A large upload in the browser: 佐藤 uploads the register, lands on the job page (待機中, progress, no
script), the worker runs the job, and the page refreshes itself to the result; then the round's ZIP made by
a job is downloaded from its page. Screenshots at 1366×900 and 390×844 go to tests/screenshots/jobs/."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.db import connections

from tenken.inventory.models import InformationSystem
from tenken.inventory.register_format import register_workbook_bytes
from tenken.jobs.models import Job
from tenken.jobs.tasks import execute_job
from tenken.surveys import services

from . import screens
from .personas import PASSWORD, cast_for, small_plan

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots" / "jobs"


def shot(page, name: str) -> None:
    screens.shot(page, SHOTS, name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_large_upload_waits_in_the_queue_and_the_page_shows_its_result(live_server, settings, monkeypatch,
                                                                          tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = 100
    settings.TENKEN_BACKGROUND_ZIP_RESPONSES = 2
    cast = cast_for(small_plan())
    cast.sato.set_password(PASSWORD)
    cast.sato.save()
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    record = {"name": "財務会計システム", "department": "会計局", "purpose": "", "segment": "LGWAN接続系",
              "hosting": "データセンター", "internet_facing": False, "in_service_on": date(2010, 4, 1),
              "retired_on": None, "contract_end": None, "state": "稼働", "successor": "", "note": "",
              "costs": {2018: 1000}}
    register = tmp_path / "台帳.xlsx"
    register.write_bytes(register_workbook_bytes([record], [2018]))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900},
                                          accept_downloads=True)
            context.set_default_timeout(15_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{live_server.url}/login/?next=/inventory/140007/")
            page.fill("#id_username", "sato")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            page.set_input_files("#register-file", str(register))
            page.click("form[action$='/upload/'] button[type=submit]")
            expect(page.locator("#job-state")).to_contain_text("待機中")
            expect(page.locator("#job-progress")).to_be_visible()
            shot(page, "01-queued")
            job = Job.objects.get(kind="register_import")
            assert execute_job(job.pk).state == "done"  # the worker's turn
            expect(page.locator("#job-state")).to_contain_text("完了", timeout=10_000)  # the page refreshed itself
            expect(page.locator("#job-message")).to_have_text("台帳を取り込みました: 新規 1 件、更新 0 件")
            shot(page, "02-done")
            assert InformationSystem.objects.filter(name="財務会計システム").exists()

            bad = tmp_path / "台帳の誤り.xlsx"
            bad.write_bytes(register_workbook_bytes([record | {"name": "庶務システム", "successor": "どこにもない"}],
                                                    [2018]))
            page.goto(f"{live_server.url}/inventory/140007/")
            page.set_input_files("#register-file", str(bad))
            page.click("form[action$='/upload/'] button[type=submit]")
            execute_job(Job.objects.filter(kind="register_import").latest("pk").pk)
            expect(page.locator("#job-state")).to_contain_text("失敗", timeout=10_000)
            expect(page.locator("#problems")).to_contain_text("情報システム一覧!K2: 統合先システムは状態が「統合」のときだけ記入します")
            shot(page, "03-refused")
            assert not InformationSystem.objects.filter(name="庶務システム").exists()

            page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/")
            page.click("#download-zip")
            expect(page.locator("#job-state")).to_contain_text("待機中")
            execute_job(Job.objects.get(kind="round_workbooks").pk)
            expect(page.locator("#job-download")).to_be_visible(timeout=10_000)
            shot(page, "04-zip-ready")
            with page.expect_download() as download:
                page.click("#job-download")
            names = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())).namelist()
            assert len(names) == 3
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()
            # queries run inside Playwright's event loop use their own connection (asgiref's context-local
            # connections): close it, or PostgreSQL refuses to drop the test database at the end
            connections.close_all()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_failed_on_its_page_and_run_again(live_server, settings, monkeypatch):
    """佐藤 opens the page of a job whose worker stopped answering: 失敗 with the reason, 「再実行」; clicking it
    lands on the new job's page (待機中), linked to the old one."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium がありません（apt-get install chromium）")
    from datetime import timedelta

    from django.utils import timezone
    from playwright.sync_api import expect, sync_playwright

    from tenken.jobs.services import job_start

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    cast = cast_for(small_plan())
    cast.sato.set_password(PASSWORD)
    cast.sato.save()
    survey_round = services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))
    job = job_start(kind="round_workbooks", title="回答票のZIP（平成30年度）", user=cast.sato, organization=cast.org,
                    payload={"round_id": survey_round.pk})
    old = timezone.now() - timedelta(seconds=settings.TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS + 60)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, created_at=old - timedelta(seconds=5), started_at=old,
                                         heartbeat_at=old, progress=40)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900}).new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/login/?next=/jobs/{job.pk}/")
            page.fill("#id_username", "sato")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            expect(page.locator("#job-state")).to_contain_text("失敗")
            expect(page.locator("#job-message")).to_contain_text("処理を実行していたプロセスが途中で止まったため")
            shot(page, "05-lost")
            page.click("#job-retry")
            expect(page.locator("#job-state")).to_contain_text("待機中")
            expect(page.locator("main")).to_contain_text("再実行の元")
            shot(page, "06-retried")
            assert Job.objects.get(retry_of=job).created_by == cast.sato
        finally:
            browser.close()
            connections.close_all()
