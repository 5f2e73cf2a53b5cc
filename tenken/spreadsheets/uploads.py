"""Uploads streamed to disk and cut off at the size limit (issue #14: bounded work per request).

``settings.FILE_UPLOAD_HANDLERS`` names :class:`LimitedTemporaryFileUploadHandler`: every uploaded file
goes to a temporary file as it arrives (never into memory). A file that passes ``TENKEN_MAX_UPLOAD_BYTES``
is dropped there and then (``SkipFile``: the rest of it is read past, into no buffer) and remembered by
name, so the files after it in the same request still arrive; once the request as a whole passes
``TENKEN_MAX_UPLOAD_TOTAL_BYTES`` the upload stops (``StopUpload``) and the files not received are named
as such. Views call :func:`uploaded_file` (one file) or :func:`uploaded_files` (many), which turn both into
the same located Japanese message as :func:`~tenken.spreadsheets.safety.check_upload_size` — never a
silent "no file chosen".
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, StopUpload, TemporaryFileUploadHandler

from tenken.common.errors import InputRejected, Problem


def _limit() -> int:
    return int(getattr(settings, "TENKEN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def _total_limit() -> int:
    return int(getattr(settings, "TENKEN_MAX_UPLOAD_TOTAL_BYTES", 0) or 10 * _limit())


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        self._received = 0
        self._field = field_name
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        total = getattr(self.request, "tenken_upload_total", 0) + len(raw_data)
        self.request.tenken_upload_total = total
        if total > _total_limit():
            self.file.close()
            _refused(self.request).append((self._field, self.file_name, self._received, True))
            raise StopUpload(connection_reset=False)
        if self._received > _limit():
            self.file.close()
            _refused(self.request).append((self._field, self.file_name, self._received, False))
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


def _refused(request) -> list[tuple[str, str, int, bool]]:
    if not hasattr(request, "tenken_upload_refused"):
        request.tenken_upload_refused = []
    return request.tenken_upload_refused


def _problem(name: str, received: int, stopped: bool) -> Problem:
    if stopped:
        return Problem(str(name), f"一度に送れる大きさの合計（{_total_limit():,}バイト）を超えたため、このファイルと"
                                  "これより後のファイルは受け取っていません。分けて送ってください")
    return Problem(str(name), f"ファイルサイズが上限（{_limit():,}バイト）を超えています（{received:,}バイト以上）")


def uploaded_files(request, field: str) -> tuple[list, list[Problem]]:
    """The files received in ``field``, and one located problem per file refused for its size (in order)."""
    uploads = request.FILES.getlist(field)  # parsing the body runs the handlers (lazily, on first access)
    problems = [_problem(name, received, stopped)
                for f, name, received, stopped in getattr(request, "tenken_upload_refused", []) if f == field]
    return uploads, problems


def uploaded_file(request, field: str):
    """``request.FILES[field]``, or :class:`InputRejected` when it was cut off at the limit; ``None`` if absent."""
    uploads, problems = uploaded_files(request, field)
    if problems:
        raise InputRejected(problems)
    return uploads[-1] if uploads else None
