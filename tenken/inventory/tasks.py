"""A large register upload (above ``TENKEN_BACKGROUND_UPLOAD_BYTES``) as a background job: the same
service as the synchronous upload (:func:`~tenken.inventory.services.register_import_file`, all or
nothing) as the same user, whose right to update the register is checked again when the job runs."""

from __future__ import annotations

from tenken.jobs import files
from tenken.jobs.registry import Progress, job_handler
from tenken.jobs.services import job_start
from tenken.jobs.uploads import in_background, stash
from tenken.orgs import access

KIND = "register_import"


def register_in_background(upload) -> bool:
    return in_background([upload])


def start_register_import(*, user, organization, upload, confirm_segments: bool = False):
    token, stored = stash([upload], check=True)  # a hostile register is refused before it is queued
    return job_start(
        kind=KIND, title=f"情報システム台帳の取込み（{organization.name}、{stored[0][0]}）",
        subject=f"register:{organization.code}",
        payload={"code": organization.code, "workdir": token, "file": stored[0], "confirm_segments": confirm_segments},
        user=user, organization=organization,
    )


@job_handler(KIND, result_template="inventory/job_result.html")
def run_register_import(job, progress: Progress) -> dict:
    from .services import register_import_file

    p = job.payload
    organization = access.organization_for_register_update(user=job.created_by, code=p["code"])
    name, relative = p["file"]
    progress(10, "台帳を読み込んで検査しています")
    notes: list[str] = []
    counts = register_import_file(user=job.created_by, organization=organization, path=files.path_in(job, relative),
                                  name=name, confirm_segments=bool(p.get("confirm_segments")), notes=notes)
    return {"message": f"台帳を取り込みました: 新規 {counts['created']} 件、更新 {counts['updated']} 件",
            "code": organization.code, "notes": notes, **counts}
