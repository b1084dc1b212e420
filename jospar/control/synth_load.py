"""Bulk loading for `jospar synth`: rows written with PostgreSQL's COPY (plain INSERTs elsewhere),
explicit ids handed out under a table lock, and indexes and foreign keys set aside during a
large load and rebuilt after it (building an index once is far cheaper than updating it two
million times, and a deferred foreign key checked row by row at commit costs minutes)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class TableWriter:
    """Writes rows of one model given as tuples in the order of ``fields`` (attribute names)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        # Columns the caller does not name take their model default, or the empty text (a
        # column added later, NOT NULL, must not break the synthetic data).
        named = {f.name for f in self.fields} | {getattr(f, "attname", "") for f in self.fields}
        self.defaults = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and f.name not in named
            and (f.has_default() or (f.empty_strings_allowed and not f.null))
        ]
        self.fields += self.defaults
        self.table = model._meta.db_table
        self.columns: list[str] = [str(f.column) for f in self.fields]  # type: ignore[union-attr]
        self._json = [isinstance(f, models.JSONField) for f in self.fields]

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        if self.defaults:
            rows = ((*row, *(f.get_default() for f in self.defaults)) for row in rows)
        count = 0
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        if is_postgresql():
            table = connection.ops.quote_name(self.table)
            with connection.cursor() as cursor:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(
                            [
                                json.dumps(v, ensure_ascii=False) if is_json else v
                                for v, is_json in zip(row, self._json, strict=True)
                            ]
                        )
                        count += 1
            return count
        placeholders = ", ".join(["%s"] * len(self.columns))
        table = connection.ops.quote_name(self.table)
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"
        prepared = [
            [
                field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
                for field, value in zip(self.fields, row, strict=True)
            ]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
        return len(prepared)


def lock_tables(tables: Sequence[str]) -> None:
    """No other writer may take ids between reading the highest and writing the rows."""
    if is_postgresql():
        with connection.cursor() as cursor:
            names = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
        row = cursor.fetchone()
    return int(row[0] or 0) + 1 if row else 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _table_oids(tables: Sequence[str]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = ANY(%s)",
            [list(tables)],
        )
        return [int(r[0]) for r in cursor.fetchall()]


@contextmanager
def indexes_set_aside(tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` and every foreign key from or to them; rebuild
    them, exactly as they were defined, when the block ends. PostgreSQL only; in a transaction.

    Primary keys and unique *constraints* stay: the load keeps them valid as it goes."""
    oids = _table_oids(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND (conrelid = ANY(%s) OR confrelid = ANY(%s))",
            [oids, oids],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = ANY(%s) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [oids],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Index builds sort in memory when they may; the default (64 MB) spills to disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


def analyze(tables: Sequence[str]) -> None:
    """Fresh statistics, and on PostgreSQL a vacuum so that index-only scans skip the heap
    (a vacuum cannot run inside a transaction: there, statistics only)."""
    vacuum = is_postgresql() and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            if vacuum:
                cursor.execute(f"VACUUM (ANALYZE) {quoted}")
            else:
                cursor.execute(f"ANALYZE {quoted}")
