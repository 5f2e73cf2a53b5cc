"""Large uploads go to the background queue instead of being processed inside the request.

A view that accepts files asks :func:`in_background` with what it received: when the work in them is
above ``TENKEN_BACKGROUND_UPLOAD_BYTES`` in total, or they hold more than ``TENKEN_BACKGROUND_UPLOAD_FILES``
files, the files are stored under ``TENKEN_STATE_DIR/jobs`` (:func:`stash`) and a job runs the same service
as the synchronous path, as the same user, whose access is checked again when the job runs. Small uploads
stay in the request: their result is on the page at once, as before.

The work in a file is measured before any parsing: a CSV's size; for an ``.xlsx`` (a ZIP of XML, 5–25×
compressed) and a ``.zip`` the uncompressed size of its members, read from the archive's directory, and a
``.zip`` counts as as many files as it holds. A 1,000-row register is 66 KB as .xlsx and 1.5 MB of XML.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from . import files

ARCHIVES = (".xlsx", ".xlsm", ".zip")


def background_bytes() -> int:
    return int(getattr(settings, "TENKEN_BACKGROUND_UPLOAD_BYTES", 2 * 1024 * 1024))


def background_files() -> int:
    return int(getattr(settings, "TENKEN_BACKGROUND_UPLOAD_FILES", 10))


def measure(source: UploadedFile | Path) -> tuple[int, int]:
    """``(bytes of work, files)`` of one uploaded file (an :class:`UploadedFile` or a stored path)."""
    if isinstance(source, Path):
        name, size = source.name, source.stat().st_size
    else:
        name, size = source.name or "", int(source.size or 0)
    if not name.lower().endswith(ARCHIVES):
        return size, 1
    try:
        if isinstance(source, Path):
            with zipfile.ZipFile(source) as archive:
                infos = archive.infolist()
        else:
            source.seek(0)
            with zipfile.ZipFile(source) as archive:  # reads the central directory only
                infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return size, 1  # refused later by the same checks as in the request
    finally:
        if not isinstance(source, Path):
            source.seek(0)
    members = [i for i in infos if not i.is_dir()]
    count = len(members) if name.lower().endswith(".zip") else 1
    return max(size, sum(i.file_size for i in members)), count


def in_background(sources: Iterable[UploadedFile | Path | None]) -> bool:
    """Do these uploaded files go to the queue?"""
    measured = [measure(s) for s in sources if s is not None]
    return (sum(b for b, _ in measured) > background_bytes()
            or sum(n for _, n in measured) > background_files())


def stash(uploads: Iterable[UploadedFile | None], *, check: bool = False) -> tuple[str, list[list[str] | None]]:
    """Store the uploaded files in a new working directory; ``(token, [[name, relative path] or None …])``
    in the order given (``None`` for an absent optional file).

    With ``check``, a stored workbook (.xlsx) is checked at once, before anything is queued, by the same checks the import
    starts with (:func:`tenken.spreadsheets.safety.check_xlsx`: active content, archive, rows/columns/cells/
    cell length read from the raw XML): a hostile file is refused in the request (well under a second), its
    copy removed, and no job is started. Only a legitimate large upload goes to the queue. (The round's
    multi-upload does not check here: each returned workbook gets its own result, refused or written, in the
    job's list, as in the request.)"""
    import shutil

    from tenken.spreadsheets.safety import check_xlsx

    token = files.workdir_create()
    stored: list[list[str] | None] = []
    try:
        for n, f in enumerate(uploads):
            stored.append(None if f is None else list(files.store_upload(f, token, n)))
        for entry in stored:
            if check and entry is not None and entry[0].lower().endswith(".xlsx"):
                check_xlsx(files.root() / token / entry[1], name=entry[0])
    except BaseException:
        shutil.rmtree(files.root() / token, ignore_errors=True)
        raise
    return token, stored
