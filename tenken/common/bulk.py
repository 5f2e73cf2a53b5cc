"""Plain multi-row INSERTs for services that write many rows of a few columns at once (the register's
costs and change history): tuples straight to ``executemany``, without a model instance per row.

The caller passes values already in database form (ints, strings, ``None``; a timestamp adapted once with
:func:`db_now`), inside its own transaction. Writes go through Django's cursor, so the statement watch of
the public stamp (:mod:`tenken.public.stamp`) sees them like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone


def db_now() -> object:
    """``timezone.now()`` as the database backend stores a ``DateTimeField`` value."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def insert_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, batch: int = 5_000) -> int:
    """INSERT ``rows`` (tuples in the order of ``columns``, the model's column names) into ``model``'s
    table; returns how many. Defaults, ``auto_now_add`` and signals are not applied: give every column."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"
    total = 0
    chunk: list[tuple] = []
    with connection.cursor() as cur:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cur.executemany(sql, chunk)
                total += len(chunk)
                chunk.clear()
        if chunk:
            cur.executemany(sql, chunk)
            total += len(chunk)
    return total


def update_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, batch: int = 5_000) -> int:
    """UPDATE ``columns`` of the rows given as tuples ``(*values, pk)``; one statement, executed per row in
    batches (``executemany``), instead of Django's ``bulk_update`` CASE expression per column."""
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s"
    total = 0
    rows = list(rows)
    with connection.cursor() as cur:
        for i in range(0, len(rows), batch):
            cur.executemany(sql, rows[i:i + batch])
            total += len(rows[i:i + batch])
    return total
