"""Bulk import of many plan workbooks (one per local government) at national scale.

Pipeline: worker processes (one per core) read each workbook with python-calamine and validate it with
the normal importer's rules (:func:`tenken.plans.draft.assemble`: same checks, same Japanese errors);
the main process assigns primary keys and streams rows into PostgreSQL with COPY (``executemany`` on
SQLite). A workbook with any problem is refused whole and reported; the valid ones are written.

Workers also assign the primary keys (from counters shared by the processes, starting above each
table's largest id), encode the rows in COPY format and count the plan's rows of the national rollup,
so the writer only streams bytes.

The whole run is ONE transaction: a run killed half-way (even by SIGKILL) leaves the database exactly
as it was. The tables written are locked (``SHARE ROW EXCLUSIVE``: readers go on, other writers wait)
so that keys can be assigned in the client. Rows are the same as :func:`tenken.plans.services.plan_import`
writes (a test compares both paths).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from tenken.common.errors import InputRejected, Problem
from tenken.common.wareki import WarekiError, parse_fiscal_year_range
from tenken.orgs.access import national_data_check
from tenken.orgs.lgcode import LgCodeError, clean_lgcode, prefecture_code_of
from tenken.orgs.models import Department, Organization
from tenken.orgs.services import organizations_load_master
from tenken.plans.draft import assemble
from tenken.plans.models import Initiative, Plan, Section, SectionLevel, Status
from tenken.plans.services import DEFAULT_LEVELS
from tenken.plans.source import read_plan_file
from tenken.plans.statuses import KANAGAWA_STATUSES
from tenken.public import stamp as public_stamp
from tenken.reviews.models import InitiativeReview, Inspection

from .lean import lean_parse
from .models import StatusRollup


@dataclass
class ParsedWorkbook:
    """What a worker sends back: plain tuples, cheap to pickle."""

    path: str
    org_code: str = ""
    title: str = ""
    period: tuple[int, int] = (0, 0)
    sections: list[tuple[int, int, str, str, int]] = field(default_factory=list)  # parent_idx, depth, code, title, order
    initiatives: list[tuple] = field(default_factory=list)  # section_idx, parent_idx, label, text, heading, repost, where, note, depts
    reviews: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # ini_idx, fy, status, reason, where
    problems: list[str] = field(default_factory=list)


def parse_workbook(path: str, *, lean: bool = True) -> ParsedWorkbook:
    """Read and validate one workbook (runs in a worker). Metadata cells above the header name the
    organization (団体コード), the plan (計画名) and its period (計画期間); the file name stem is the
    団体コード when the cell is absent.

    ``lean``: try :func:`tenken.national.lean.lean_parse` first (a valid workbook straight into the
    tuples); whatever it does not handle goes through the normal reader and ``assemble``.
    """
    out = ParsedWorkbook(path=path)
    name = Path(path).name
    fast = lean_parse(path) if lean else None
    if fast is not None:
        meta, out.sections, out.initiatives, out.reviews = fast
    else:
        try:
            source = read_plan_file(path, fast=True)
            draft = assemble(source, statuses=KANAGAWA_STATUSES)
        except InputRejected as exc:
            out.problems = exc.messages
            return out
        meta = source.meta
    try:
        out.org_code = clean_lgcode(meta.get("団体コード") or Path(path).stem)
    except LgCodeError as exc:
        out.problems.append(str(Problem(f"{name}「団体コード」", str(exc))))
    out.title = meta.get("計画名", "").strip()
    if not out.title:
        out.problems.append(str(Problem(name, "「計画名」の欄がありません（見出し行より上に「計画名」と計画名を並べて記入）")))
    try:
        out.period = parse_fiscal_year_range(meta.get("計画期間", ""))
    except WarekiError as exc:
        out.problems.append(str(Problem(f"{name}「計画期間」", str(exc))))
    if out.problems:
        out.sections, out.initiatives, out.reviews = [], [], []
        return out
    if fast is not None:
        return out
    index = {s.key: i for i, s in enumerate(draft.sections)}
    out.sections = [(index.get(s.key[:-1], -1), s.depth, s.code, s.title, s.order) for s in draft.sections]
    for i, di in enumerate(draft.initiatives):
        out.initiatives.append((
            index[di.section_key], -1 if di.parent is None else di.parent, di.label, di.text, di.is_heading,
            di.is_repost, di.where, di.note, tuple(di.departments),
        ))
        if di.is_heading:
            continue
        for fy, code in di.yearly.items():
            out.reviews.append((i, fy, code, di.reason if code == "changed" else "", di.where))
        if di.status is not None:
            out.reviews.append((i, 0, di.status, di.reason, di.where))  # fy 0: the final inspection
    return out


def _table(model) -> str:
    return model._meta.db_table


ORDER = (Plan, SectionLevel, Status, Section, Department, Initiative, Initiative.departments.through,
         Inspection, InitiativeReview, StatusRollup)


def _max_ids() -> dict[str, int]:
    with connection.cursor() as cur:
        out = {}
        for model in ORDER:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(model)}")
            out[_table(model)] = cur.fetchone()[0]
        return out


# State the workers inherit when the pool is forked (set by bulk_import before forking): the id
# counters shared by all processes, and what the database already holds.
_STATE: dict = {}


def _take(model, n: int = 1) -> int:
    """Reserve ``n`` consecutive primary keys of ``model``'s table, in any process of the run."""
    counter = _STATE["counters"][_table(model)]
    with counter.get_lock():
        first = counter.value + 1
        counter.value += n
    return first


_NULL = "\\N"  # NULL in COPY text format
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value
    if kind is bool:
        return "t" if value else "f"
    return str(value)


class _Rows:
    """The rows of one workbook, per table, with the column list of each table. On PostgreSQL
    (``text=True``) the largest table's rows arrive already as COPY lines (see :func:`_emit`)."""

    def __init__(self, *, text: bool) -> None:
        self.text = text
        self.rows: dict[str, list[tuple]] = {}
        self.lines: dict[str, list[str]] = {}
        self.columns: dict[str, list[str]] = {}

    def add(self, model, columns: list[str], row: tuple) -> None:
        table = _table(model)
        self.columns.setdefault(table, columns)
        self.rows.setdefault(table, []).append(row)

    def add_lines(self, model, columns: list[str], lines: list[str]) -> None:
        """Many COPY lines of one table at once (one call per table and workbook, not per row)."""
        table = _table(model)
        self.columns.setdefault(table, columns)
        self.lines.setdefault(table, []).extend(lines)

    def encoded(self) -> dict[str, bytes]:
        """Each table's rows in PostgreSQL's COPY text format (formatted in the worker, not the writer)."""
        out = {t: "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows) for t, rows in self.rows.items()}
        for t, lines in self.lines.items():
            out[t] = out.get(t, "") + "".join(lines)
        return {t: text.encode("utf-8") for t, text in out.items()}


@dataclass
class Prepared:
    """A workbook ready to write: its rows already carry their final primary keys."""

    path: str
    org_code: str = ""
    plan_key: tuple = ()
    reviews: int = 0
    columns: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)  # table → COPY bytes (PostgreSQL) or row tuples
    problems: list[str] = field(default_factory=list)


def prepare_workbook(path: str) -> Prepared:
    """Parse, validate, assign keys and encode one workbook (runs in a worker)."""
    parsed = parse_workbook(path)
    out = Prepared(path=path, org_code=parsed.org_code, problems=list(parsed.problems))
    if out.problems:
        return out
    name = Path(path).name
    org_id = _STATE["orgs"].get(parsed.org_code)
    out.plan_key = (parsed.org_code, parsed.title, *parsed.period)
    if org_id is None:
        out.problems.append(f"{name}: 団体コード「{parsed.org_code}」は一覧にありません")
    elif out.plan_key in _STATE["existing"]:
        out.problems.append(f"{name}: 計画「{parsed.title}」は既に登録されています")
    if out.problems:
        return out
    rows = _Rows(text=_STATE["vendor"] == "postgresql")
    out.reviews = _emit(parsed, rows, org_id, _STATE["depts"], _STATE["now"])
    out.columns = rows.columns
    out.data = rows.encoded() if _STATE["vendor"] == "postgresql" else rows.rows
    return out


@dataclass
class BulkResult:
    workbooks: int = 0
    imported: int = 0
    refused: dict[str, list[str]] = field(default_factory=dict)
    reviews: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def reviews_per_second(self) -> float:
        return self.reviews / self.seconds if self.seconds else 0.0


def _prepared(paths: list[str], workers: int) -> Iterator[Prepared]:
    if workers <= 1:
        yield from map(prepare_workbook, paths)
        return
    # fork: workers inherit the configured Django settings and _STATE; they never touch the database.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_default_signals) as pool:
        yield from pool.imap(prepare_workbook, paths, chunksize=2)


def _default_signals() -> None:
    """A pool worker stops on SIGTERM and SIGINT, whatever handlers the parent had (``db_worker`` running the
    import as a background job only notes a SIGTERM while its task runs: inherited, that handler made
    ``Pool.terminate()`` wait forever on a worker that would not stop)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class _Writer:
    """Accumulates prepared workbooks and writes them table by table (COPY or executemany)."""

    def __init__(self) -> None:
        self.chunks: dict[str, list] = {_table(m): [] for m in ORDER}
        self.columns: dict[str, list[str]] = {}
        self.pending = 0
        self.seconds = 0.0  # time spent writing (the database's share of the load)

    def add(self, prep: Prepared) -> None:
        for table, data in prep.data.items():
            self.columns.setdefault(table, prep.columns[table])
            self.chunks[table].append(data)
        self.pending += prep.reviews

    def flush(self) -> None:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            for model in ORDER:
                table = _table(model)
                if not self.chunks[table]:
                    continue
                cols = ", ".join(connection.ops.quote_name(c) for c in self.columns[table])
                if connection.vendor == "postgresql":
                    with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        copy.write(b"".join(self.chunks[table]))
                    if table in public_stamp.watched_tables():
                        public_stamp.changed()  # COPY bypasses the statement watch
                else:
                    marks = ", ".join(["%s"] * len(self.columns[table]))
                    rows = [row for chunk in self.chunks[table] for row in chunk]
                    cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
                self.chunks[table].clear()
        self.pending = 0
        self.seconds += time.perf_counter() - t0


def bulk_import(
    paths: Iterable[Path | str],
    *,
    user,
    workers: int | None = None,
    strict: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
    pause_after: int | None = None,
) -> BulkResult:
    """Import plan workbooks, one per organization; see the module docstring.

    ``strict``: refuse all if any is invalid. ``pause_after`` (testing aid) stops for 60 s after that
    many workbooks, inside the transaction, after writing them. ``user`` must be allowed to write national
    data (:func:`tenken.orgs.access.national_data_check`: a superuser); checked before anything is read.
    """
    national_data_check(user=user)
    paths = sorted(str(p) for p in paths)
    workers = workers or min(2, os.cpu_count() or 1)
    result = BulkResult(workbooks=len(paths))
    t0 = time.perf_counter()
    with transaction.atomic():
        organizations_load_master(user=user)
        set_based_fk = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                tables = ", ".join(_table(m) for m in ORDER)
                cur.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
                # The COMMIT does not wait for its WAL to reach the disk: all-or-nothing still holds (a
                # crash loses the whole run or keeps it whole, never part of it); only a crash in the
                # instant after the command reported success can lose the run (import it again).
                cur.execute("SET LOCAL synchronous_commit = off")
                cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                set_based_fk = bool(cur.fetchone()[0])
                if set_based_fk:
                    # Django's foreign keys are checked row by row at COMMIT (deferred triggers): ~7M
                    # look-ups for a national load, over a minute. A superuser can switch the triggers
                    # off for this transaction; the same guarantee is then given by one anti-join per
                    # foreign key over the new rows (_verify_foreign_keys) before commit.
                    cur.execute("SET LOCAL session_replication_role = replica")
        start = _max_ids()
        first_load = connection.vendor == "postgresql" and start[_table(InitiativeReview)] == 0
        rebuilt, validated = _prepare_first_load() if first_load else ([], set())
        ctx = multiprocessing.get_context("fork")
        _STATE.update(
            counters={t: ctx.Value("q", v) for t, v in start.items()},
            orgs=dict(Organization.objects.values_list("code", "id")),
            existing=set(Plan.objects.values_list("organization__code", "title", "first_fiscal_year", "last_fiscal_year")),
            depts={(o, n): i for o, n, i in Department.objects.filter(parent=None).values_list("organization_id", "name", "id")},
            now=timezone.now().isoformat() if connection.vendor == "postgresql" else timezone.now(),
            vendor=connection.vendor,
        )
        writer = _Writer()
        seen_orgs: set[str] = set()
        done = 0
        for prep in _prepared(paths, workers):
            done += 1
            if not prep.problems and prep.org_code in seen_orgs:
                # New departments are created per workbook: two workbooks of one organization in a run
                # could create the same department twice.
                prep.problems.append(f"{Path(prep.path).name}: 団体コード「{prep.org_code}」のブックが複数あります（一度に一つ）")
            if prep.problems:
                result.refused[prep.path] = prep.problems
            else:
                seen_orgs.add(prep.org_code)
                writer.add(prep)
                result.reviews += prep.reviews
                result.imported += 1
                if writer.pending >= 100_000:
                    writer.flush()
            if progress:
                progress(done, len(paths), result.reviews)
            if pause_after is not None and done == pause_after:
                writer.flush()
                sys.stderr.write("\nPAUSED\n")
                sys.stderr.flush()
                time.sleep(60)
        if strict and result.refused:
            transaction.set_rollback(True)
            result.imported = 0
            result.reviews = 0
            return result
        writer.flush()
        result.timings["load"] = time.perf_counter() - t0
        result.timings["write"] = writer.seconds
        if rebuilt:
            t1 = time.perf_counter()
            with connection.cursor() as cur:
                for definition in rebuilt:
                    cur.execute(definition)
            result.timings["index_rebuild"] = time.perf_counter() - t1
        if set_based_fk:
            t1 = time.perf_counter()
            _verify_foreign_keys({t: v + 1 for t, v in start.items()}, skip=validated)
            with connection.cursor() as cur:
                cur.execute("SET LOCAL session_replication_role = origin")
            result.timings["fk_check"] = time.perf_counter() - t1
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                for table, counter in _STATE["counters"].items():
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(%s, 1), %s)",
                        [counter.value, counter.value > 0],
                    )
    _STATE.clear()
    result.seconds = time.perf_counter() - t0
    return result


BIG_TABLES = (InitiativeReview, Initiative, Initiative.departments.through)


def _prepare_first_load() -> tuple[list[str], set[tuple[str, str]]]:
    """Before a first national load: drop every index and constraint of the big tables (primary keys,
    unique constraints, foreign keys, secondary indexes) and the foreign keys of other tables that point
    at them, so that COPY appends rows without maintaining a B-tree per row. Returns the statements that
    restore them all exactly (from ``pg_get_constraintdef`` / ``pg_get_indexdef``), in order: primary keys
    and unique constraints, then the other indexes, then the foreign keys; and the ``(table, column)``
    foreign keys that restoring validates (``ADD CONSTRAINT`` checks every row), which
    :func:`_verify_foreign_keys` need not check again.

    Uniqueness is enforced when the constraint is restored: a duplicate fails the whole run (one
    transaction), as the per-row check would have. Only for a first load (no reviews yet): nobody is kept
    waiting by the exclusive locks. An interrupted run restores everything (it is all in the transaction).
    """
    tables = [_table(m) for m in BIG_TABLES]
    with connection.cursor() as cur:
        cur.execute(
            """SELECT c.conname, t.relname, c.contype, pg_get_constraintdef(c.oid),
                      (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1])
               FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
               WHERE c.contype IN ('p', 'u', 'f') AND (
                   t.relname = ANY(%s) OR c.confrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%s)))
               ORDER BY c.contype DESC, t.relname, c.conname""",
            [tables, tables],
        )
        constraints = cur.fetchall()
        cur.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               WHERE t.relname = ANY(%s) AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid
                   AND c.contype IN ('p', 'u'))
               ORDER BY i.relname""",
            [tables],
        )
        indexes = cur.fetchall()
        qn = connection.ops.quote_name
        keys = [c for c in constraints if c[2] in ("p", "u")]
        foreign = [c for c in constraints if c[2] == "f"]
        for name, table, _kind, _definition, _column in foreign + keys:  # foreign keys before what they need
            cur.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {qn(name)}")
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")  # index builds sort in memory
    restore = [f"ALTER TABLE {qn(t)} ADD CONSTRAINT {qn(n)} {d}" for n, t, _k, d, _c in keys]
    restore += [d for _n, d in indexes]
    restore += [f"ALTER TABLE {qn(t)} ADD CONSTRAINT {qn(n)} {d}" for n, t, _k, d, _c in foreign]
    return restore, {(t, c) for _n, t, _k, _d, c in foreign}


def _verify_foreign_keys(first_ids: dict[str, int], *, skip: set[tuple[str, str]] = frozenset()) -> None:
    """Raise if any new row of the loaded tables points at a row that does not exist (set-based).
    ``skip``: the ``(table, column)`` foreign keys already validated (restored by :func:`_prepare_first_load`)."""
    from django.db import IntegrityError

    with connection.cursor() as cur:
        for model in ORDER:
            table = _table(model)
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.related_model is None or (table, f.column) in skip:
                    continue
                parent = f.related_model._meta.db_table
                cur.execute(
                    f"SELECT c.id FROM {table} c LEFT JOIN {parent} p ON p.id = c.{f.column} "
                    f"WHERE c.id >= %s AND c.{f.column} IS NOT NULL AND p.id IS NULL LIMIT 1",
                    [first_ids[table]],
                )
                row = cur.fetchone()
                if row is not None:
                    raise IntegrityError(f"{table}.{f.column} of row {row[0]} points at a missing {parent} row")


def _same(value: str) -> str:
    return value


def _needs_no_escape(p: ParsedWorkbook) -> bool:
    """Whether no text of the workbook's initiatives and reviews holds a character COPY text escapes."""
    blob = "".join([*(t for ini in p.initiatives for t in (ini[2], ini[3], ini[6], ini[7])),
                    *(r[3] for r in p.reviews), *(r[4] for r in p.reviews)])
    return not ("\\" in blob or "\t" in blob or "\n" in blob or "\r" in blob)


def _emit(p: ParsedWorkbook, sink: _Rows, org_id: int, depts: dict, now) -> int:
    first, last = p.period
    plan_id = _take(Plan)
    sink.add(Plan, ["id", "organization_id", "title", "first_fiscal_year", "last_fiscal_year", "predecessor_id",
                    "description", "source_name", "created_at"],
             (plan_id, org_id, p.title, first, last, None, "", Path(p.path).name, now))
    for depth, (name, optional) in enumerate(DEFAULT_LEVELS):
        sink.add(SectionLevel, ["id", "plan_id", "depth", "name", "optional"],
                 (_take(SectionLevel), plan_id, depth, name, optional))
    status_ids = {}
    for s in KANAGAWA_STATUSES:
        status_ids[s.code] = _take(Status)
        sink.add(Status, ["id", "plan_id", "code", "label", "long_label", "column_label", "order", "requires_reason", "color",
                          "category"],
                 (status_ids[s.code], plan_id, s.code, s.label, s.long_label, s.column_label, s.order, s.requires_reason, s.color,
                  s.category))
    base = _take(Section, len(p.sections))
    for i, (parent, depth, code, title, order) in enumerate(p.sections):
        sink.add(Section, ["id", "plan_id", "parent_id", "depth", "code", "title", "order"],
                 (base + i, plan_id, None if parent < 0 else base + parent, depth, code, title, order))
    ini_base = _take(Initiative, len(p.initiatives))
    through = Initiative.departments.through
    ini_cols = ["id", "plan_id", "section_id", "parent_id", "number_label", "text", "is_heading", "is_repost", "order",
                "source_ref", "note"]
    through_cols = ["id", "initiative_id", "department_id"]
    links = sum(len(names) for *_rest, names in p.initiatives)
    link_id = _take(through, links) if links else 0

    def department_id(name: str) -> int:
        """The organization's department of this name: known, or a new row (its key from the counter)."""
        dept = depts.get((org_id, name))
        if dept is None:
            dept = depts[(org_id, name)] = _take(Department)
            sink.add(Department, ["id", "organization_id", "parent_id", "name", "code", "order"],
                     (dept, org_id, None, name, "", 0))
        return dept

    if sink.text:
        # The COPY lines themselves (the same text _copy_text gives each value), one list per table.
        # When no text of the workbook holds a character COPY escapes (the usual case), the values go
        # in as they are: one C-level scan of the workbook's texts instead of a call per value.
        clean = _needs_no_escape(p)
        esc = _same if clean else _copy_text
        ini_lines = [
            f"{ini_base + i}\t{plan_id}\t{base + sec}\t{_NULL if parent < 0 else ini_base + parent}\t"
            f"{esc(label)}\t{esc(text)}\t{'t' if heading else 'f'}\t{'t' if repost else 'f'}\t"
            f"{i}\t{esc(where)}\t{esc(note)}\n"
            for i, (sec, parent, label, text, heading, repost, where, note, _names) in enumerate(p.initiatives)
        ]
        sink.add_lines(Initiative, ini_cols, ini_lines)
        link_lines: list[str] = []
        for i, (*_rest, names) in enumerate(p.initiatives):
            for name in names:
                link_lines.append(f"{link_id}\t{ini_base + i}\t{department_id(name)}\n")
                link_id += 1
        if link_lines:
            sink.add_lines(through, through_cols, link_lines)
    else:
        for i, (sec, parent, label, text, heading, repost, where, note, names) in enumerate(p.initiatives):
            sink.add(Initiative, ini_cols, (ini_base + i, plan_id, base + sec, None if parent < 0 else ini_base + parent,
                                            label, text, heading, repost, i, where, note))
            for name in names:
                sink.add(through, through_cols, (link_id, ini_base + i, department_id(name)))
                link_id += 1
    inspections: dict[int, int] = {}
    for fy in sorted({r[1] for r in p.reviews}):
        inspections[fy] = _take(Inspection)
        kind, year = ("final", last) if fy == 0 else ("annual", fy)
        title = f"{p.title} 点検報告書" if fy == 0 else f"{p.title} 年度点検"
        sink.add(Inspection, ["id", "plan_id", "kind", "fiscal_year", "title", "as_of", "purpose", "conclusion", "created_at"],
                 (inspections[fy], plan_id, kind, year, title, date(year + 1, 3, 31), "", "", now))
    rev_base = _take(InitiativeReview, len(p.reviews))
    cols = ["id", "inspection_id", "initiative_id", "fiscal_year", "status_id", "change_reason", "outcome", "issues",
            "approval", "entered_by_id", "entered_at", "updated_at", "version", "source_ref"]
    if sink.text:
        # Reviews are most of the rows: one template per line is 3× faster than formatting each value.
        fixed = f"\t\t\tapproved\t\\N\t{now}\t{now}\t1\t"
        sink.add_lines(InitiativeReview, cols, [
            f"{rev_base + i}\t{inspections[fy]}\t{ini_base + ini}\t{fy or last}\t{status_ids[code]}\t{esc(reason)}"
            f"{fixed}{esc(where)}\n"
            for i, (ini, fy, code, reason, where) in enumerate(p.reviews)
        ])
    else:
        for i, (ini, fy, code, reason, where) in enumerate(p.reviews):
            sink.add(InitiativeReview, cols, (rev_base + i, inspections[fy], ini_base + ini, fy or last,
                                              status_ids[code], reason, "", "", "approved", None, now, now, 1, where))
    # The national rollup rows of this plan (what rollups.rollup_refresh would compute for it): approved
    # yearly reviews counted per fiscal year × policy (top-level section title) × status.
    policy_of: list[str] = []
    for parent, _depth, _code, title, _order in p.sections:
        policy_of.append(title if parent < 0 else policy_of[parent])
    counts: dict[tuple[int, str, str], int] = {}
    for ini, fy, code, _reason, _where in p.reviews:
        if fy:
            key = (fy, policy_of[p.initiatives[ini][0]], code)
            counts[key] = counts.get(key, 0) + 1
    pref = prefecture_code_of(p.org_code)
    for (fy, policy, code), n in sorted(counts.items()):
        sink.add(StatusRollup, ["id", "fiscal_year", "organization_id", "prefecture_code", "policy", "status_code", "count"],
                 (_take(StatusRollup), fy, org_id, pref, policy, code, n))
    return len(p.reviews)
