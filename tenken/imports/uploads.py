"""Uploaded files of the wizard, kept as temporary files under ``settings.STATE_DIR/imports`` (never held
in memory): one directory per upload token holding the file and its mapping."""

from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from tenken.common.errors import InputRejected, Problem
from tenken.spreadsheets.safety import check_upload_size

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ACCEPTED = (".xlsx", ".csv")


def root() -> Path:
    return Path(settings.STATE_DIR) / "imports"


@dataclass
class Upload:
    token: str
    directory: Path

    @property
    def file(self) -> Path:
        files = [p for p in self.directory.iterdir() if p.name.startswith("source")]
        if not files:
            raise InputRejected(Problem("", "アップロードしたファイルが見つかりません。もう一度アップロードしてください"))
        return files[0]

    @property
    def name(self) -> str:
        p = self.directory / "name.txt"
        return p.read_text(encoding="utf-8") if p.exists() else self.file.name

    @property
    def mapping_path(self) -> Path:
        return self.directory / "mapping.toml"


def save_upload(f: UploadedFile, *, token: str | None = None) -> Upload:
    """Stream ``f`` to a new temporary directory (or replace the file of ``token``)."""
    name = Path(f.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise InputRejected(Problem(name, f"対応していない形式（{suffix or '拡張子なし'}）です。.xlsx または .csv を指定してください"))
    check_upload_size(size=f.size or 0, name=name)
    _sweep()
    if token is None:
        token = secrets.token_urlsafe(18)
    upload = get_upload(token, create=True)
    for old in upload.directory.glob("source*"):
        old.unlink()
    with open(upload.directory / f"source{suffix}", "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    (upload.directory / "name.txt").write_text(name, encoding="utf-8")
    return upload


def get_upload(token: str, *, create: bool = False) -> Upload:
    if not _TOKEN.match(token or ""):
        raise InputRejected(Problem("", "アップロードが見つかりません"))
    d = root() / token
    if create:
        d.mkdir(parents=True, exist_ok=True)
    elif not d.is_dir():
        raise InputRejected(Problem("", "アップロードが見つかりません（期限切れの可能性があります）。もう一度アップロードしてください"))
    return Upload(token, d)


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.directory, ignore_errors=True)


def _sweep() -> None:
    base = root()
    if not base.is_dir():
        return
    now = time.time()
    for d in base.iterdir():
        try:
            if d.is_dir() and now - d.stat().st_mtime > MAX_AGE_SECONDS:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass
