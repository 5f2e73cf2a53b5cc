"""A large indicator CSV upload (above ``TENKEN_BACKGROUND_UPLOAD_BYTES``) as a background job: the same
import as the synchronous upload (:func:`~tenken.indicators.importing.import_indicators_file`, all rows or
none) as the same user, whose right to record the organization's indicators is checked again when it runs."""

from __future__ import annotations

from tenken.jobs import files
from tenken.jobs.registry import Progress, job_handler
from tenken.jobs.services import job_start
from tenken.jobs.uploads import in_background, stash
from tenken.orgs import access

KIND = "indicator_import"


def result_message(result, *, dry_run: bool = False) -> str:
    """What an import did (or, checked only, would do): the same words on the page, the job and the CLI."""
    counts = (f"新しい指標 {result.indicators_created} 件、値 {result.observations_created} 件"
              f"（同じ値で登録済み {result.observations_unchanged} 件）")
    if dry_run:
        return f"確認だけ行いました（まだ登録していません）。取り込むと: {counts}"
    return f"指標を取り込みました: {counts}"


def not_read_lines(result) -> list[str]:
    """The columns and sheets an import left out, located, each with its reason (on the page, the job and the CLI)."""
    return list(result.not_read)


def indicators_in_background(*uploads) -> bool:
    return in_background(uploads)


def start_indicator_import(*, user, organization, plan_id, observations, meta, sheet: str = "", dry_run: bool = False):
    # check: a hostile workbook is refused in the request, before anything is queued.
    token, (data, meta_file) = stash([observations, meta], check=True)
    what = "指標の取込みの確認" if dry_run else "指標の取込み"
    return job_start(
        kind=KIND, title=f"{what}（{organization.name}、{data[0]}）", subject=f"indicators:{organization.code}",
        payload={"code": organization.code, "plan_id": plan_id, "workdir": token, "data": data, "meta": meta_file,
                 "sheet": sheet, "dry_run": dry_run},
        user=user, organization=organization,
    )


@job_handler(KIND, result_template="indicators/job_result.html")
def run_indicator_import(job, progress: Progress) -> dict:
    from .importing import import_indicators_file

    p = job.payload
    organization = access.indicator_update_organization(user=job.created_by, code=p["code"])
    if p.get("plan_id") is not None:
        access.plan_in_organization(pk=p["plan_id"], organization=organization)
    progress(10, "指標の表を読み込んで検査しています")
    result = import_indicators_file(files.path_in(job, p["data"][1]), user=job.created_by, org_code=organization.code,
                                    plan_id=p.get("plan_id"),
                                    meta=files.path_in(job, p["meta"][1]) if p.get("meta") else None,
                                    sheet=p.get("sheet") or None, dry_run=bool(p.get("dry_run")))
    return {"message": result_message(result, dry_run=bool(p.get("dry_run"))),
            "indicators_created": result.indicators_created, "observations_created": result.observations_created,
            "observations_unchanged": result.observations_unchanged, "not_read": not_read_lines(result)}
