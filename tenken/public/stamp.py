"""The public version stamp: one shared token that changes whenever public content may have changed.

The public cache (:mod:`tenken.public.cache`) keys every entry on this token, so a cache hit needs no SQL
and no database connection. Where the token lives:

- **local-memory cache** (the default; one machine, several gunicorn workers): a small file,
  ``TENKEN_PUBLIC_STAMP_PATH`` (default ``$TENKEN_STATE_DIR/public-version``), replaced atomically and
  read on every request (a few microseconds);
- **a shared cache** (Redis, ``TENKEN_REDIS_URL``; several machines): a key in that cache.

Who replaces it: **every committed write to a table the public surface reads** (:func:`watched_tables`:
plans, organizations and departments, indicators, goals, publications and their frozen results, the
inspections' titles and dates). Publication and withdrawal are such writes, and so are a plan edit of a
published plan, a department renamed, an indicator value recorded, a report file stored by the rendering
job. The write is noticed in the database layer (an execute wrapper on every connection), so no service,
CLI command, admin page or queryset ``update()`` can forget it; writes that bypass Django's cursor (COPY)
call :func:`changed` themselves. The token is replaced once, **after the commit**
(``transaction.on_commit``): a process that renders between the write and the commit stores old content
under the old token, which nobody asks for again. Inside an open transaction the writer itself also
replaces it at once when its process has cached something since, so it reads its own writes.

A missing or unreadable stamp (first start, file deleted, Redis key evicted) is written afresh with a new
random token: entries cached before can never be served again (Redis keeps them across restarts), and
the ``Last-Modified`` of the public pages restarts at that moment — no database query is needed.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from datetime import UTC, datetime
from functools import cache as memoize
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

CACHE_KEY = "tenken:public:stamp"
# Apps whose every table the public surface may read. From the reviews app only the inspection (its title,
# kind and dates are shown); the answers themselves are public only as the copy frozen at publication.
WATCHED_APPS = ("plans", "orgs", "indicators", "publications")
WATCHED_MODELS = ("reviews.Inspection",)

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"\[]?(\w+)', re.IGNORECASE)


class Stamp(NamedTuple):
    token: str
    modified: datetime  # when the token was last replaced (the public pages' Last-Modified)

    def dumps(self) -> str:
        return f"{self.token} {self.modified.isoformat()}\n"


def _parse(text: str) -> Stamp | None:
    parts = text.split()
    if len(parts) != 2 or not parts[0].isalnum():
        return None
    try:
        return Stamp(parts[0], datetime.fromisoformat(parts[1]))
    except ValueError:
        return None


def _new() -> Stamp:
    return Stamp(secrets.token_hex(8), datetime.now(UTC).replace(microsecond=0))


def _shared_cache():
    """The cache holding the stamp when it is shared between machines, else None (use the file)."""
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    backend = caches["default"]
    return None if isinstance(backend, LocMemCache | DummyCache) else backend


def _path() -> Path:
    return Path(settings.TENKEN_PUBLIC_STAMP_PATH)


_last: tuple[str, Stamp] | None = None  # the text last read and what it means (parse once per change)


def read() -> Stamp:
    """The current stamp (no database access); written afresh when missing or unreadable."""
    global _last
    shared = _shared_cache()
    if shared is not None:
        text = shared.get(CACHE_KEY)
    else:
        try:
            text = _path().read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            text = None
    if text:
        last = _last
        if last is not None and last[0] == text:
            return last[1]
        parsed = _parse(text)
        if parsed is not None:
            _last = (text, parsed)
            return parsed
    return _write(_new())


def _write(stamp: Stamp) -> Stamp:
    shared = _shared_cache()
    if shared is not None:
        shared.set(CACHE_KEY, stamp.dumps(), timeout=None)
        return stamp
    path = _path()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".public-version-")
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(stamp.dumps())
        os.chmod(tmp, 0o644)  # readable by the web workers when the CLI runs as another user
        os.replace(tmp, path)  # atomic: a reader sees the old or the new stamp, never half of one
        tmp = None
    except OSError:
        pass  # an unwritable state directory: every request misses (correct, only slower)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return stamp


def bump() -> Stamp:
    """Replace the stamp: every cached public response becomes unreachable, in every process."""
    global _filled
    _filled = False
    return _write(_new())


# Set by the cache middleware when it stores a response; lets a write inside an open transaction know
# that this process may hold pages older than the write (read-your-writes for the writer).
_filled = False


def note_filled() -> None:
    global _filled
    _filled = True


def changed(using: str = "default") -> None:
    """Public content may have changed in the current transaction: replace the stamp after the commit
    (once per transaction), and at once if this process cached a page since the last replacement."""
    from django.db import connections

    conn = connections[using]
    if not conn.in_atomic_block:
        bump()  # autocommit: the statement is already committed (manual transactions: best effort now)
        return
    if _filled:
        bump()
    if not _pending(conn):
        transaction.on_commit(bump, using=using)


def _pending(conn: BaseDatabaseWrapper) -> bool:
    """Whether a replacement already waits for this write's commit.

    Any pending one does: Django drops an on-commit callback with the savepoint it was registered in, and
    every savepoint still open encloses this write too, so a callback still listed runs whenever this
    write is committed. Except under a test case, whose own outer atomic blocks never commit (a test runs
    the callbacks registered inside its code's transaction, e.g. ``django_capture_on_commit_callbacks``):
    there, only a callback registered in a block still open around this write and inside that
    transaction, or at this very level, counts.
    """
    callbacks = [sids for sids, func, *_ in conn.run_on_commit if func is bump]
    if not callbacks:
        return False
    tests = 0
    for block in conn.atomic_blocks:
        if not getattr(block, "_from_testcase", False):
            break
        tests += 1
    if not tests:
        return True
    here = set(conn.savepoint_ids)
    outer = set(conn.savepoint_ids[: tests - 1])  # the savepoints of the test case's own blocks
    return any(sids == here or (sids <= here and not sids <= outer) for sids in callbacks)


@memoize
def watched_tables() -> frozenset[str]:
    """Database tables (many-to-many tables included) whose writes change the public content."""
    from django.apps import apps

    models = [m for label in WATCHED_APPS if apps.is_installed(f"tenken.{label}")
              for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    models += [apps.get_model(label) for label in WATCHED_MODELS]
    return frozenset(m._meta.db_table for m in models)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and match.group(1) in watched_tables():
        changed(context["connection"].alias)
    return result


def install(connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """``connection_created`` receiver: watch every statement of every database connection."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)
