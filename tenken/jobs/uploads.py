"""Large uploads go to the background queue instead of being processed inside the request.

A view that accepts files asks :func:`in_background` with the sizes it received: above
``TENKEN_BACKGROUND_UPLOAD_BYTES`` in total (or more than ``TENKEN_BACKGROUND_UPLOAD_FILES`` files) the
files are stored under ``TENKEN_STATE_DIR/jobs`` (:func:`stash`) and a job runs the same service as the
synchronous path, as the same user, whose access is checked again when the job runs. Small uploads stay
in the request: their result is on the page at once, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from . import files


def background_bytes() -> int:
    return int(getattr(settings, "TENKEN_BACKGROUND_UPLOAD_BYTES", 2 * 1024 * 1024))


def background_files() -> int:
    return int(getattr(settings, "TENKEN_BACKGROUND_UPLOAD_FILES", 20))


def in_background(sizes: Iterable[int]) -> bool:
    """Does an upload of files of these sizes go to the queue?"""
    sizes = [int(s or 0) for s in sizes]
    return sum(sizes) > background_bytes() or len(sizes) > background_files()


def stash(uploads: Iterable[UploadedFile | None]) -> tuple[str, list[list[str] | None]]:
    """Store the uploaded files in a new working directory; ``(token, [[name, relative path] or None …])``
    in the order given (``None`` for an absent optional file)."""
    token = files.workdir_create()
    stored: list[list[str] | None] = []
    for n, f in enumerate(uploads):
        stored.append(None if f is None else list(files.store_upload(f, token, n)))
    return token, stored
