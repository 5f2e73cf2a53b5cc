"""Uploads streamed to disk and cut off at the size limit (issue #14: bounded work per request).

``settings.FILE_UPLOAD_HANDLERS`` names :class:`LimitedTemporaryFileUploadHandler`: every uploaded file
goes to a temporary file as it arrives (never into memory), and once a file passes
``TENKEN_MAX_UPLOAD_BYTES`` the upload stops (``StopUpload``; the rest of the body is discarded
unread into any buffer). Views call :func:`uploaded_file`, which turns that into the same located
Japanese message as :func:`~tenken.spreadsheets.safety.check_upload_size`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

from tenken.common.errors import InputRejected, Problem


def _limit() -> int:
    return int(getattr(settings, "TENKEN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        self._received = 0
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > _limit():
            self.file.close()
            self.request.tenken_upload_refused = (self.file_name, self._received)
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def uploaded_file(request, field: str):
    """``request.FILES[field]``, or :class:`InputRejected` when it was cut off at the limit; ``None`` if absent."""
    upload = request.FILES.get(field)  # parsing the body runs the handlers (lazily, on first access)
    refused = getattr(request, "tenken_upload_refused", None)
    if refused is not None:
        name, received = refused
        raise InputRejected(
            Problem(str(name), f"ファイルサイズが上限（{_limit():,}バイト）を超えています（{received:,}バイト以上）")
        )
    return upload
