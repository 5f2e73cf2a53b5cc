"""Workbooks out and in: generating a department's 回答票 and ingesting a returned one.

Both the web (download/upload) and ``tenken survey generate|ingest`` call these. Ingesting a workbook
answers every initiative of its response and submits it, or — on any problem — writes nothing.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


def round_workbooks_generate(*, user, survey_round: SurveyRound, directory: Path | str,
                             progress: Callable[..., Iterable] | None = None) -> list[Path]:
    """Write one workbook per department of the round into ``directory``; returns the paths.
    ``progress(items, total=n)`` wraps the loop (a CLI progress bar)."""
    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("回答票を一括作成できるのは ICT 所管課の管理者だけです")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    responses = list(survey_round.responses.select_related("department", "round", "round__plan",
                                                           "round__inspection"))
    for response in progress(responses, total=len(responses)) if progress else responses:
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
    if not parsed.token or not hmac.compare_digest(parsed.token, target.workbook_token):
        raise InputRejected(
            Problem(
                name,
                f"回答票の照合用の符号が一致しません（「{target.department.name}」用として tenken が作成した回答票では"
                "ありません。識別情報が書き換えられたか、古い形式の回答票です）。画面から回答票を作り直してください",
            )
        )
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


def ingest_directory(*, user, directory: Path | str, survey_round: SurveyRound | None = None,
                     progress: Callable[..., Iterable] | None = None) -> list[IngestResult]:
    """Ingest every file of ``directory`` (sorted by name), each on its own: one refused workbook does
    not stop the others. Files that are not workbooks at all are reported, not skipped silently.
    ``progress(items, total=n)`` wraps the loop (a CLI progress bar)."""
    results = []
    paths = sorted(p for p in Path(directory).iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    for path in progress(paths, total=len(paths)) if progress else paths:
        try:
            response = response_ingest_workbook(user=user, path=path, survey_round=survey_round)
            results.append(IngestResult(path.name, response, []))
        except InputRejected as exc:
            results.append(IngestResult(path.name, None, exc.problems))
        except AccessDenied as exc:
            results.append(IngestResult(path.name, None, [Problem(path.name, exc.message)]))
    return results


# -- many workbooks at once: one ZIP out, many files (or a ZIP) in -------------------------------------

MAX_ZIP_ENTRIES = 500


def round_workbooks_zip(*, user, survey_round: SurveyRound) -> tuple[str, bytes]:
    """``(file name, bytes)`` of one ZIP holding every department's workbook of the round (ICT division)."""
    import io

    buffer = io.BytesIO()
    filename = round_workbooks_zip_write(user=user, survey_round=survey_round, target=buffer)
    return filename, buffer.getvalue()


def round_workbooks_zip_write(*, user, survey_round: SurveyRound, target: BinaryIO,
                              progress: Callable[[int, int], None] | None = None) -> str:
    """Write the ZIP of :func:`round_workbooks_zip` to ``target`` (a file, for a large round's background
    job); ``progress(done, total)`` after each workbook. Returns the file name to offer."""
    import zipfile

    from tenken.common.wareki import fiscal_year_label

    if not can_manage_organization(user, survey_round.plan.organization):
        raise AccessDenied("回答票を一括作成できるのは ICT 所管課の管理者だけです")
    responses = list(survey_round.responses.select_related("department", "round", "round__plan",
                                                           "round__inspection"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, response in enumerate(responses, 1):
            filename, data = response_workbook(user=user, response=response)
            archive.writestr(filename, data)  # non-ASCII names get the UTF-8 flag
            if progress is not None:
                progress(n, len(responses))
    return f"回答票_{fiscal_year_label(survey_round.fiscal_year)}_{survey_round.plan.title}.zip"


def _zip_member_name(info) -> str:
    """The member's name as its author saw it: Windows' built-in ZIP writes CP932 without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("cp932")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def expand_uploads(files: list[tuple[str, Path]], directory: Path) -> tuple[list[tuple[str, Path]], list[IngestResult]]:
    """Unpack uploaded ``.zip`` files into ``directory``; ``(workbooks, refusals)``.

    A ZIP is refused whole (named in the result) when it has too many members, a member larger than the upload
    limit, more than the uncompressed limit in total, or a suspicious compression ratio. Folders, hidden files
    and Excel's lock files (``~$``) inside it are skipped; nested ZIPs are refused.
    """
    import zipfile

    from django.conf import settings

    max_member = int(getattr(settings, "TENKEN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
    max_total = int(getattr(settings, "TENKEN_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024))
    out: list[tuple[str, Path]] = []
    refused: list[IngestResult] = []
    for n, (name, path) in enumerate(files):
        if not name.lower().endswith(".zip"):
            out.append((name, path))
            continue
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            refused.append(IngestResult(name, None, [Problem(name, "ZIP ファイルとして読めません")]))
            continue
        with archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            members = [(i, Path(_zip_member_name(i)).name) for i in infos]
            members = [(i, m) for i, m in members if m and not m.startswith((".", "~$")) and "__MACOSX" not in i.filename]
            total = sum(i.file_size for i, _ in members)
            problem = None
            if len(members) > MAX_ZIP_ENTRIES:
                problem = f"ZIP の中のファイルが多すぎます（{len(members)}件、上限 {MAX_ZIP_ENTRIES}件）"
            elif total > max_total:
                problem = f"ZIP を展開すると大きすぎます（{total // (1024 * 1024)} MB、上限 {max_total // (1024 * 1024)} MB）"
            elif any(i.file_size > max_member for i, _ in members):
                problem = f"ZIP の中に {max_member // (1024 * 1024)} MB を超えるファイルがあります"
            elif any(i.file_size > 1024 * 1024 and i.file_size > 200 * max(i.compress_size, 1) for i, _ in members):
                problem = "ZIP の圧縮率が異常です（展開すると極端に大きくなるファイルがあります）"
            if problem:
                refused.append(IngestResult(name, None, [Problem(name, problem)]))
                continue
            for k, (info, member) in enumerate(members):
                label = f"{name}/{member}"
                if member.lower().endswith(".zip"):
                    refused.append(IngestResult(label, None, [Problem(label, "ZIP の中の ZIP は受け付けません")]))
                    continue
                target = directory / f"zip{n}-{k}{Path(member).suffix.lower()}"
                with archive.open(info) as src, open(target, "wb") as dst:
                    dst.write(src.read(max_member + 1))
                out.append((member, target))
    return out, refused


def round_ingest_uploads(*, user, survey_round: SurveyRound, files: list[tuple[str, Path]],
                         progress: Callable[[int, int, str], None] | None = None) -> list[IngestResult]:
    """Ingest many returned workbooks of ``survey_round`` (``(name shown, saved path)``; ``.zip`` files are
    unpacked). Each workbook stands alone: a refused one is refused whole with its located messages, the
    others are written. Results keep the upload order. ``progress(done, total, name)`` before each workbook
    (the background job's progress)."""
    import tempfile

    results: list[IngestResult] = []
    with tempfile.TemporaryDirectory() as tmp:
        workbooks, refused = expand_uploads(files, Path(tmp))
        results += refused
        for n, (name, path) in enumerate(workbooks):
            if progress is not None:
                progress(n, len(workbooks), name)
            try:
                response = response_ingest_workbook(user=user, path=path, name=name, survey_round=survey_round)
                results.append(IngestResult(name, response, []))
            except InputRejected as exc:
                results.append(IngestResult(name, None, exc.problems))
            except AccessDenied as exc:
                results.append(IngestResult(name, None, [Problem(name, exc.message)]))
    return results
