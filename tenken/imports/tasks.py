"""The import wizard's final step as a background job (a file above ``TENKEN_BACKGROUND_UPLOAD_BYTES``).

The wizard's upload already lives under ``TENKEN_STATE_DIR/imports/<token>`` (:mod:`.uploads`); the job
reads it from there with the mapping as it was when the user pressed 取り込む, and calls the same service
as the synchronous step (:func:`~tenken.imports.services.plan_import_mapped`: all or nothing) as the same
user, whose access is checked again when the job runs. On success the upload is discarded, as the
synchronous step does; on a refusal it stays, so the user goes back to the preview and fixes it.
"""

from __future__ import annotations

from tenken.jobs.registry import Progress, job_handler
from tenken.jobs.services import job_start
from tenken.jobs.uploads import in_background
from tenken.orgs import access

from .mapping import Mapping, from_toml, to_toml
from .uploads import Upload, discard, get_upload

KIND = "plan_import"


def import_in_background(upload: Upload) -> bool:
    return in_background([upload.file])


def start_plan_import(*, user, organization, upload: Upload, mapping: Mapping, title: str, fiscal_years: str,
                      profile_name: str):
    return job_start(
        kind=KIND, title=f"計画の取込み（{upload.name}）", subject=f"import:{upload.token}",
        payload={"token": upload.token, "organization_id": organization.pk, "mapping": to_toml(mapping),
                 "title": title, "fiscal_years": fiscal_years, "profile_name": profile_name},
        user=user, organization=organization,
    )


@job_handler(KIND, result_template="imports/job_result.html")
def run_plan_import(job, progress: Progress) -> dict:
    from .services import plan_import_mapped

    p = job.payload
    organization = access.organization_for_import(user=job.created_by, pk=p["organization_id"])
    upload = get_upload(p["token"])
    progress(10, "ファイルを読み込んで検査しています")
    outcome = plan_import_mapped(path=upload.file, mapping=from_toml(p["mapping"]), org_code=organization.code,
                                 title=p["title"], fiscal_years=p["fiscal_years"], user=job.created_by,
                                 name=upload.name, profile_name=p["profile_name"])
    discard(upload)
    plan = outcome.plan
    return {"message": f"計画「{plan}」を登録しました", "plan_id": plan.pk, "plan": str(plan),
            "countable": outcome.preview.counts()["countable"], "organization": organization.name,
            "token": p["token"]}
