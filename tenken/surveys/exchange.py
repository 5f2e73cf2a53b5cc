"""Workbooks out and in: generating a department's 回答票 and ingesting a returned one.

Both the web (download/upload) and ``tenken survey generate|ingest`` call these. Ingesting a workbook
answers every initiative of its response and submits it, or — on any problem — writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from tenken.common.errors import InputRejected, Problem
from tenken.orgs.access import AccessDenied, can_edit_department, can_manage_organization

from .models import Response, ReviewChange, SurveyRound
from .services import response_answer_all
from .workbook import build_workbook, read_workbook, workbook_filename


def response_workbook(*, user, response: Response) -> tuple[str, bytes]:
    """``(file name, bytes)`` of the department's workbook; for its editors and the admin."""
    if not can_edit_department(user, response.department):
        raise AccessDenied(f"「{response.department.name}」の回答票を作成する権限がありません")
    return workbook_filename(response), build_workbook(response=response)


def round_workbooks_generate(*, user, survey_round: SurveyRound, directory: Path | str) -> list[Path]:
    """Write one workbook per department of the round into ``directory``; returns the paths."""
    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("回答票を一括作成できるのは ICT 所管課の管理者だけです")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for response in survey_round.responses.select_related("department", "round", "round__plan",
                                                          "round__inspection"):
        filename, data = response_workbook(user=user, response=response)
        target = directory / filename
        target.write_bytes(data)
        paths.append(target)
    return paths


@dataclass
class IngestResult:
    name: str
    response: Response | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.response is not None


@transaction.atomic
def response_ingest_workbook(
    *,
    user,
    path: Path | str,
    name: str | None = None,
    survey_round: SurveyRound | None = None,
    response: Response | None = None,
) -> Response:
    """Ingest one returned workbook; raise :class:`InputRejected` listing every problem, writing nothing.

    ``survey_round`` / ``response`` state what the caller expects (the round being collected, or the
    response page the file was uploaded on): a workbook made for another round or department is refused.
    """
    path = Path(path)
    name = name or path.name
    parsed = read_workbook(path, name=name)
    target = (
        Response.objects.select_related("round", "round__plan", "round__inspection", "department")
        .filter(round_id=parsed.round_id, department_id=parsed.department_id)
        .first()
    )
    if target is None:
        raise InputRejected(Problem(name, "この回答票の照会・所属が見つかりません（削除された照会の回答票です）"))
    if survey_round is not None and target.round_id != survey_round.pk:
        raise InputRejected(
            Problem(name, f"この回答票は別の照会（{target.round}）のものです。「{survey_round}」の回答としては受け付けません")
        )
    if response is not None and target.pk != response.pk:
        if target.round_id != response.round_id:
            raise InputRejected(
                Problem(name, f"この回答票は別の照会（{target.round}）のものです。「{response.round}」の回答としては受け付けません")
            )
        raise InputRejected(
            Problem(
                name,
                f"この回答票は「{target.department.name}」用です。「{response.department.name}」の回答としては受け付けません",
            )
        )
    return response_answer_all(
        user=user,
        response=target,
        answers=parsed.answers,
        via=ReviewChange.Via.WORKBOOK,
        location=name,
        problems=parsed.problems,
        indicator_entries=parsed.indicator_entries,
    )


def ingest_directory(*, user, directory: Path | str, survey_round: SurveyRound | None = None) -> list[IngestResult]:
    """Ingest every file of ``directory`` (sorted by name), each on its own: one refused workbook does
    not stop the others. Files that are not workbooks at all are reported, not skipped silently."""
    results = []
    for path in sorted(p for p in Path(directory).iterdir() if p.is_file() and not p.name.startswith((".", "~$"))):
        try:
            response = response_ingest_workbook(user=user, path=path, survey_round=survey_round)
            results.append(IngestResult(path.name, response, []))
        except InputRejected as exc:
            results.append(IngestResult(path.name, None, exc.problems))
        except AccessDenied as exc:
            results.append(IngestResult(path.name, None, [Problem(path.name, exc.message)]))
    return results
