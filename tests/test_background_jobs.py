"""Large uploads and bulk generation run as background jobs (issues #13, #14), not inside the request.

Each path goes through its job with the immediate backend: the plan import wizard's last step, the round's
many returned workbooks, the register upload, the indicator CSV, and the round's all-workbooks ZIP. The
job page shows what the synchronous page shows; it belongs to its creator and the organization's admin;
a failing job leaves the database unchanged and says why in Japanese; the worker command runs a queued job
with the database backend; working files go once the job has finished (outputs after the retention).
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tenken.imports.mapping import to_toml
from tenken.indicators.models import Observation
from tenken.inventory.models import InformationSystem, InformationSystemChange
from tenken.inventory.register_format import register_workbook_bytes
from tenken.jobs.models import Job
from tenken.jobs.tasks import execute_job
from tenken.orgs.models import Membership
from tenken.plans.models import Plan
from tenken.reviews.models import InitiativeReview
from tenken.surveys import services

from .conftest import db_snapshot
from .fixtures.imports import build
from .personas import cast_for, make_user, small_plan
from .test_imports import proposed
from .test_round_web import fill_all

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def cast(settings):
    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = 100  # every upload of these tests is "large"
    cast = cast_for(small_plan())
    cast.registrar = make_user("kato", "加藤")
    Membership.objects.create(user=cast.registrar, organization=cast.org, role=Membership.Role.REGISTRAR)
    return cast


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def job_of(res) -> Job:
    assert res.status_code == 302, res.content.decode()[:2000]
    m = re.fullmatch(r"/jobs/(\d+)/", res["Location"])
    assert m, res["Location"]
    return Job.objects.get(pk=int(m.group(1)))


def without_jobs(snapshot: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in snapshot.items() if k != "jobs.Job"}


def page_of(client: Client, job: Job) -> str:
    res = client.get(reverse("jobs:detail", args=[job.pk]))
    assert res.status_code == 200
    page = res.content.decode()
    assert "<script>" not in page and "Traceback" not in page
    return page


# -- the import wizard's last step ----------------------------------------------------------------------

def filled_template(tmp_path: Path) -> Path:
    return build.filled_template(tmp_path / "計画.xlsx")


def wizard_upload(client: Client, cast, path: Path) -> str:
    """Upload ``path`` and give the wizard its proposed mapping (as the 対応表 file); the upload token."""
    with open(path, "rb") as fh:
        res = client.post("/plans/import/", {"organization": cast.org.pk, "file": fh})
    token = res.url.split("/")[-3]
    toml = SimpleUploadedFile("対応表.toml", to_toml(proposed(path)).encode())
    assert client.post(f"/plans/import/{token}/mapping/", {"mapping_file": toml}).status_code == 302
    return token


def test_a_large_plan_import_runs_as_a_job_and_shows_what_the_synchronous_step_shows(
        cast, tmp_path, settings, django_capture_on_commit_callbacks):
    sato = client_for(cast.sato)
    path = filled_template(tmp_path)
    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = 10 * 1024 * 1024  # small: in the request, as before
    token = wizard_upload(sato, cast, path)
    res = sato.post(f"/plans/import/{token}/import/", {"title": "DX推進計画", "fiscal_years": "R1-R5"})
    assert res.status_code == 200
    done_sync = re.search(r'<p class="msg success" id="done">(.*?)</p>', res.content.decode(), re.S).group(1)

    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = 100
    token = wizard_upload(sato, cast, path)
    with django_capture_on_commit_callbacks(execute=True):
        res = sato.post(f"/plans/import/{token}/import/", {"title": "DX推進計画2", "fiscal_years": "R1-R5"})
    job = job_of(res)
    assert job.state == "done" and job.kind == "plan_import" and job.created_by == cast.sato
    assert job.payload["request_id"] == res["X-Request-ID"]
    page = page_of(sato, job)
    done_job = re.search(r'<p class="msg success" id="done">(.*?)</p>', page, re.S).group(1)
    assert done_job == done_sync.replace("DX推進計画", "DX推進計画2")
    assert "取組 3 件" in done_job and "完了" in page and "令和" in page  # 和暦 times
    plan = Plan.objects.get(title="DX推進計画2")
    assert reverse("reports:plan_report", args=[plan.pk]) in page
    assert not (settings.STATE_DIR / "imports" / token).exists()  # the upload is discarded, as synchronously


def test_a_refused_import_job_lists_every_located_problem_and_writes_nothing(
        cast, tmp_path, django_capture_on_commit_callbacks):
    sato = client_for(cast.sato)
    token = wizard_upload(sato, cast, filled_template(tmp_path))
    before = db_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        res = sato.post(f"/plans/import/{token}/import/", {"title": "", "fiscal_years": "令和百年"})
    job = job_of(res)
    assert job.state == "failed"
    assert without_jobs(db_snapshot()) == without_jobs(before)
    page = page_of(sato, job)
    assert "失敗" in page and "計画は登録していません" in page
    assert "--title: 計画名が空です" in page and "--fiscal-years:" in page
    assert f"/plans/import/{token}/preview/" in page  # back to the wizard to fix it: the upload is kept
    assert sato.get(f"/plans/import/{token}/preview/").status_code == 200


def test_a_job_failing_mid_way_leaves_the_database_unchanged_and_logs_its_id(
        cast, tmp_path, monkeypatch, caplog, django_capture_on_commit_callbacks):
    sato = client_for(cast.sato)
    token = wizard_upload(sato, cast, filled_template(tmp_path))

    def boom(**kwargs):  # the plan and its initiatives are written by now; then the profile fails
        assert Plan.objects.filter(title="途中で失敗").exists()
        raise RuntimeError("disk full (test)")

    monkeypatch.setattr("tenken.imports.services.profile_save", boom)
    before = db_snapshot()
    with caplog.at_level(logging.ERROR, logger="tenken.jobs.tasks"), django_capture_on_commit_callbacks(execute=True):
        res = sato.post(f"/plans/import/{token}/import/", {"title": "途中で失敗", "fiscal_years": "R1-R5"})
    job = job_of(res)
    assert job.state == "failed"
    assert job.message == f"処理中に予期しない誤りが起きました（処理番号 {job.pk}）。何も書き込んでいません。管理者に連絡してください。"
    assert without_jobs(db_snapshot()) == without_jobs(before)
    assert not Plan.objects.filter(title="途中で失敗").exists()
    page = page_of(sato, job)
    assert "RuntimeError" not in page and "disk full" not in page
    record = next(r for r in caplog.records if r.getMessage() == f"job {job.pk} (plan_import) failed")
    assert record.exc_info and "disk full" in str(record.exc_info[1])


# -- the round: many returned workbooks, every workbook as one ZIP ----------------------------------------

@pytest.fixture
def survey_round(cast):
    return services.round_open(user=cast.sato, plan=cast.plan, fiscal_year=2018, deadline=date(2019, 5, 31))


def test_many_returned_workbooks_are_ingested_by_a_job_with_a_result_per_file(
        cast, survey_round, settings, django_capture_on_commit_callbacks):
    sato = client_for(cast.sato)
    settings.TENKEN_BACKGROUND_ZIP_RESPONSES = 100
    archive = zipfile.ZipFile(io.BytesIO(sato.get(reverse("surveys:workbooks", args=[survey_round.pk])).content))
    books = {n.split("_")[-1].removesuffix(".xlsx"): archive.read(n) for n in archive.namelist()}
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("返送/政策局.xlsx", fill_all(books["政策局"]))
        z.writestr("返送/総務局.xlsx", fill_all(books["総務局"], status="③ 取組内容を変更した"))  # no reason
    bundle.seek(0)
    bundle.name = "返送.zip"
    loose = io.BytesIO(fill_all(books["会計局"]))
    loose.name = "会計局.xlsx"
    junk = io.BytesIO(b"not a workbook")
    junk.name = "メモ.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(sato.post(reverse("surveys:round_upload", args=[survey_round.pk]),
                               {"workbooks": [bundle, loose, junk]}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "done" and job.organization == cast.org
    page = page_of(sato, job)
    assert "4冊のうち、受付 2冊・受け付けなかったもの 2冊" in page
    assert "政策局の回答として登録し、提出しました" in page and "会計局の回答として登録し、提出しました" in page
    assert "総務局.xlsx:回答!J5: 実施結果を「変更」とする場合は変更の理由を入力してください" in page
    assert "メモ.xlsx" in page
    states = dict(survey_round.responses.values_list("department__name", "state"))
    assert states == {"政策局": "submitted", "総務局": "not_submitted", "会計局": "submitted"}
    assert not InitiativeReview.objects.filter(initiative__departments=cast.dept_b).exists()  # refused whole
    assert not list((settings.STATE_DIR / "jobs").iterdir())  # the uploaded files are gone


def test_a_zip_counts_as_the_files_it_holds(cast, survey_round, settings, django_capture_on_commit_callbacks):
    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = 10 * 1024 * 1024
    settings.TENKEN_BACKGROUND_UPLOAD_FILES = 2
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as z:
        for name in ("a.xlsx", "b.xlsx"):
            z.writestr(name, b"not a workbook")
    bundle.seek(0)
    bundle.name = "two.zip"
    sato = client_for(cast.sato)
    res = sato.post(reverse("surveys:round_upload", args=[survey_round.pk]), {"workbooks": [bundle]})
    assert res.status_code == 422 and not Job.objects.exists()  # two files: in the request
    bundle.seek(0)
    loose = io.BytesIO(b"not a workbook either")
    loose.name = "c.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(sato.post(reverse("surveys:round_upload", args=[survey_round.pk]), {"workbooks": [bundle, loose]}))
    job.refresh_from_db()
    assert job.state == "done" and job.result["refused"] == 3
    assert "3冊のうち、受付 0冊・受け付けなかったもの 3冊" in page_of(sato, job)


def test_a_large_rounds_zip_is_made_by_a_job_and_downloaded_from_its_page_by_the_admin_only(
        cast, survey_round, settings, django_capture_on_commit_callbacks):
    settings.TENKEN_BACKGROUND_ZIP_RESPONSES = 2  # three departments: large
    sato = client_for(cast.sato)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(sato.get(reverse("surveys:workbooks", args=[survey_round.pk])))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "done" and job.kind == "round_workbooks"
    page = page_of(sato, job)
    assert "3所属の回答票をまとめた ZIP を作成しました" in page and 'id="job-download"' in page
    res = sato.get(reverse("jobs:download", args=[job.pk]))
    assert res.status_code == 200 and res["Content-Type"] == "application/zip"
    assert "%E5%B9%B3%E6%88%9030%E5%B9%B4%E5%BA%A6" in res["Content-Disposition"]  # 平成30年度 in the name
    names = zipfile.ZipFile(io.BytesIO(b"".join(res.streaming_content))).namelist()
    assert len(names) == 3 and all(n.endswith(".xlsx") for n in names)
    for persona in ("suzuki", "takahashi", "ito", "kobayashi", "watanabe", "nakamura"):
        other = client_for(getattr(cast, persona))
        assert other.get(reverse("jobs:detail", args=[job.pk])).status_code == 403, persona
        assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 403, persona
    assert Client().get(reverse("jobs:detail", args=[job.pk])).status_code == 302  # to the login
    # kept for the retention, then removed by the cleanup command; the page says so
    call_command("jobs_cleanup", verbosity=0)
    assert sato.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    settings.TENKEN_JOB_FILE_RETENTION_HOURS = 0
    call_command("jobs_cleanup", verbosity=0)
    assert sato.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert not list((settings.STATE_DIR / "jobs").iterdir())


# -- the register and the indicator CSV ------------------------------------------------------------------

def register_upload(system_name: str = "財務会計システム") -> SimpleUploadedFile:
    record = {"name": system_name, "department": "会計局", "purpose": "", "segment": "LGWAN接続系",
              "hosting": "データセンター", "internet_facing": False, "in_service_on": date(2010, 4, 1),
              "retired_on": None, "contract_end": None, "state": "稼働", "successor": "", "note": "",
              "costs": {2018: 1000}}
    return SimpleUploadedFile("register.xlsx", register_workbook_bytes([record], [2018]))


def test_a_large_register_upload_is_a_job_of_its_uploader_seen_by_the_admin(
        cast, django_capture_on_commit_callbacks):
    kato = client_for(cast.registrar)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(kato.post("/inventory/140007/upload/", {"file": register_upload()}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "done"
    assert "台帳を取り込みました: 新規 1 件、更新 0 件" in page_of(kato, job)
    assert "台帳を取り込みました: 新規 1 件、更新 0 件" in page_of(client_for(cast.sato), job)  # the admin
    assert client_for(cast.ito).get(reverse("jobs:detail", args=[job.pk])).status_code == 403
    listed = {who: job.title in client_for(getattr(cast, who)).get(reverse("jobs:list")).content.decode()
              for who in ("registrar", "sato", "ito", "suzuki", "nakamura")}
    assert listed == {"registrar": True, "sato": True, "ito": False, "suzuki": False, "nakamura": False}
    assert {c.changed_by for c in InformationSystemChange.objects.all()} == {cast.registrar}
    # the registrar may see his job, but the ZIP-style download is for the admin; nothing to download here
    assert client_for(cast.sato).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_xlsx_is_measured_by_its_uncompressed_content_before_parsing(
        cast, settings, django_capture_on_commit_callbacks):
    upload = register_upload()
    packed = len(upload.read())
    unpacked = sum(i.file_size for i in zipfile.ZipFile(upload).infolist())
    assert unpacked > 2 * packed
    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = unpacked + 1  # small: in the request, on to the confirm step
    client = client_for(cast.sato)
    res = client.post("/inventory/140007/upload/", {"file": register_upload()})
    assert res.status_code == 302 and res["Location"].startswith("/inventory/140007/upload/")
    assert client.post(res["Location"])["Location"] == "/inventory/140007/" and not Job.objects.exists()
    settings.TENKEN_BACKGROUND_UPLOAD_BYTES = 2 * packed  # above the file's size, below its content
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(client_for(cast.sato).post("/inventory/140007/upload/", {"file": register_upload()}))
    job.refresh_from_db()
    assert job.state == "done" and job.result["updated"] == 1


def test_access_is_checked_again_when_the_job_runs(cast, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_BACKEND  # queued: the worker runs it later
    kato = client_for(cast.registrar)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(kato.post("/inventory/140007/upload/", {"file": register_upload()}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "queued"
    page = page_of(kato, job)
    assert '<meta http-equiv="refresh" content="3">' in page and "待機中" in page
    Membership.objects.filter(user=cast.registrar).delete()  # no longer a registrar
    assert client_for(cast.registrar).get(reverse("jobs:detail", args=[job.pk])).status_code == 403
    before = db_snapshot()
    job = execute_job(job.pk)
    assert job.state == "failed" and "台帳を更新する権限がありません" in job.message
    assert db_snapshot() == before
    assert "meta http-equiv" not in page_of(client_for(cast.sato), job)


def test_a_register_job_failing_mid_way_writes_nothing(cast, monkeypatch, django_capture_on_commit_callbacks):
    from tenken.inventory import services as register_services

    real_insert = register_services.insert_rows

    def boom(model, columns, rows, **kwargs):  # the systems and costs are written by now; then the history fails
        if model is not InformationSystemChange:
            return real_insert(model, columns, rows, **kwargs)
        assert InformationSystem.objects.filter(name="財務会計システム").exists()
        raise RuntimeError("history table locked (test)")

    monkeypatch.setattr(register_services, "insert_rows", boom)
    before = db_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(client_for(cast.sato).post("/inventory/140007/upload/", {"file": register_upload()}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "failed" and "予期しない誤り" in job.message
    assert without_jobs(db_snapshot()) == without_jobs(before)
    assert "取り込みを中止しました。何も登録していません。" in page_of(client_for(cast.sato), job)


GOOD_CSV = ("指標,単位,値,時点,種別,出典,note\nRPA導入業務数,業務,0,H29年度末,基準値,庁内調査,\n"
            "RPA導入業務数,業務,30,R4年度末,目標値,計画,\nRPA導入業務数,業務,12,R元.11,実績値,庁内調査,\n")


def test_a_large_indicator_csv_is_a_job_all_rows_or_none(cast, django_capture_on_commit_callbacks):
    sato = client_for(cast.sato)
    bad = GOOD_CSV + "RPA導入業務数,業務,約3,H31.2,実績値,庁内調査,\n"
    before = db_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(sato.post(reverse("indicators:upload"), {
            "organization": "140007", "plan": "", "observations": SimpleUploadedFile("kpi.csv", bad.encode())}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "failed"
    assert without_jobs(db_snapshot()) == without_jobs(before)
    page = page_of(sato, job)
    assert "kpi.csv:5「値」" in page and "取り込みませんでした（何も登録していません）" in page
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(sato.post(reverse("indicators:upload"), {
            "organization": "140007", "plan": str(cast.plan.pk),
            "observations": SimpleUploadedFile("kpi.csv", GOOD_CSV.encode())}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "done"
    assert "指標を取り込みました: 新しい指標 1 件、値 3 件" in page_of(sato, job)
    assert Observation.objects.filter(indicator__name="RPA導入業務数").count() == 3


def test_the_publication_page_shows_its_report_job_as_the_job_page_does(
        cast, monkeypatch, django_capture_on_commit_callbacks):
    from tenken.plans.models import Initiative

    from .public.conftest import add_inspection, add_review, publish

    monkeypatch.setattr("tenken.reports.renderers.render_report", lambda ctx, fmt: f"rendered {fmt}".encode())
    inspection = add_inspection(cast.plan, fiscal_year=2017)
    add_review(inspection, Initiative.objects.filter(plan=cast.plan).order_by("order").first(), status="in_progress",
               approval=InitiativeReview.Approval.APPROVED, outcome="平成29年度の成果")
    with django_capture_on_commit_callbacks(execute=True):
        publication = publish(inspection, cast.sato)
    job = Job.objects.get(subject=f"publication:{publication.pk}")
    assert job.state == "done" and job.organization == cast.org
    sato = client_for(cast.sato)
    page = sato.get(reverse("publications:inspection", args=[inspection.pk])).content.decode()
    status = re.search(rf'<span role="status" id="job-status-{job.pk}"[^>]*>(.*?)</span>', page).group(1)
    assert status == "完了"
    assert f'<a href="{reverse("jobs:detail", args=[job.pk])}">処理の詳細</a>' in page
    assert re.search(rf'<span role="status" id="job-status-{job.pk}"[^>]*>完了</span>', page_of(sato, job))


# who sees a job (started by 鈴木, an editor of 政策局, for 神奈川県) and who downloads its file
JOB_MATRIX = {  # persona: (sees the job's page, downloads its file)
    "suzuki": (True, False), "sato": (True, True), "takahashi": (False, False), "tanaka": (False, False),
    "ito": (False, False), "kobayashi": (False, False), "watanabe": (False, False), "nakamura": (False, False),
    "registrar": (False, False), "root": (True, True),
}


@pytest.mark.parametrize("persona", sorted(JOB_MATRIX))
def test_job_access_matrix_through_the_gates_and_http(cast, persona):
    from django.contrib.auth import get_user_model

    from tenken.orgs import access
    from tenken.orgs.access import AccessDenied

    cast.root = get_user_model().objects.create_superuser("root", password=None)
    job = Job.objects.create(kind="register_import", title="鈴木の処理", created_by=cast.suzuki, organization=cast.org,
                             state=Job.State.DONE, payload={"code": "140007"}, result={"created": 1, "updated": 0})
    user = getattr(cast, persona)
    sees, downloads = JOB_MATRIX[persona]
    for gate, allowed in ((access.job_for_view, sees), (access.job_for_download, downloads)):
        if allowed:
            assert gate(user=user, pk=job.pk) == job
        else:
            with pytest.raises(AccessDenied):
                gate(user=user, pk=job.pk)
    client = client_for(user)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == (200 if sees else 403)
    # a done job without a file: the admin gets 404 (nothing to download), the others 403
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == (404 if downloads else 403)
    assert (job.title in client.get(reverse("jobs:list")).content.decode()) is sees


def test_a_creator_who_left_the_organization_no_longer_sees_the_job(cast):
    job = Job.objects.create(kind="round_workbooks", title="鈴木の処理", created_by=cast.suzuki, organization=cast.org)
    Membership.objects.filter(user=cast.suzuki).delete()
    assert client_for(cast.suzuki).get(reverse("jobs:detail", args=[job.pk])).status_code == 403
    assert client_for(cast.sato).get(reverse("jobs:detail", args=[job.pk])).status_code == 200


# -- the worker, the registry, the working files -----------------------------------------------------------

def test_the_worker_command_runs_a_queued_upload_job(cast, settings, monkeypatch, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(client_for(cast.sato).post("/inventory/140007/upload/", {"file": register_upload()}))
    job.refresh_from_db()  # the job ran when the request committed
    assert job.state == "queued" and DBTaskResult.objects.filter(status="READY").count() == 1
    stored = list((settings.STATE_DIR / "jobs").rglob("register.xlsx"))
    assert len(stored) == 1  # the upload waits for the worker under TENKEN_STATE_DIR/jobs
    # as in tests/public/test_published_report.py: keep this test's connection open inside its transaction
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert InformationSystem.objects.filter(organization=cast.org, name="財務会計システム").exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not stored[0].exists()


def test_every_apps_tasks_module_registers_its_kinds_at_start():
    code = ("import django; django.setup(); from tenken.jobs import registry; "
            "print(' '.join(sorted(registry._HANDLERS)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tenken.settings",
                              "TENKEN_DEBUG": "1"}).stdout.split()
    assert {"render_report", "plan_import", "round_ingest", "round_workbooks", "register_import",
            "indicator_import"} <= set(out)


def test_cleanup_keeps_waiting_jobs_and_removes_orphans(cast, settings):
    import os
    import time

    from tenken.jobs import files

    settings.TENKEN_JOB_FILE_RETENTION_HOURS = 0
    waiting = Job.objects.create(kind="register_import", title="待機", payload={"workdir": files.workdir_create()})
    orphan = files.workdir_create()
    old = time.time() - 2 * files.ORPHAN_SECONDS
    os.utime(files.root() / orphan, (old, old))
    fresh_orphan = files.workdir_create()  # a request may be storing it right now
    assert set(files.cleanup()) == {orphan}
    assert files.workdir_of(waiting).exists() and (files.root() / fresh_orphan).exists()


@pytest.mark.parametrize("limit", ["TENKEN_MAX_ROWS", "TENKEN_MAX_CELL_CHARS"])
def test_a_hostile_register_above_the_threshold_is_refused_in_the_request_not_queued(
        cast, settings, django_capture_on_commit_callbacks, limit):
    """#14: a request that would exceed the limits is refused at once; only a legitimate large upload is queued."""
    setattr(settings, limit, 1)  # the register (header + 1 row, cells of several characters) exceeds it
    before = db_snapshot()
    client = client_for(cast.sato)
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post("/inventory/140007/upload/", {"file": register_upload()}, follow=True)
    body = res.content.decode()
    assert "register.xlsx" in body and "何も登録していません" in body, body[-2000:]
    assert not Job.objects.exists()
    assert db_snapshot() == before
    assert not list((settings.STATE_DIR / "jobs").rglob("register.xlsx"))  # the stored copy is removed
