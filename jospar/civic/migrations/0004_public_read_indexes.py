"""Partial indexes for the public reads (Open311 lists, the map), on public reports only.

Their condition is the one every public query states (`jospar.civic.selectors.reports.PUBLIC_Q`):
``NOT hidden AND NOT state = 'submitted'``. They are plain SQL, not ``Meta.indexes``, so that
the models stay the domain's to change; on PostgreSQL the map's index carries the columns the
clustering reads (an index-only scan), elsewhere it is a plain index.
"""

from __future__ import annotations

from django.db import migrations

PUBLIC = "WHERE NOT hidden AND NOT (state = 'submitted')"
TABLE = "civic_citizenreport"

INDEXES = [
    (
        "civic_pub_topic_region_time",
        "(topic_id, region_id, submitted_at DESC, id DESC)",
        "",
    ),
    ("civic_pub_region_time", "(region_id, submitted_at DESC, id DESC)", ""),
    ("civic_pub_topic_time", "(topic_id, submitted_at DESC, id DESC)", ""),
    ("civic_pub_time", "(submitted_at DESC, id DESC)", ""),
    (
        "civic_pub_geo",
        "(longitude, latitude)",
        "INCLUDE (state, topic_id, region_id, submitted_at, id)",
    ),
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, columns, include in INDEXES:
        extra = include if postgres else ""
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} {columns} {extra} {PUBLIC}"
        )


def drop(apps, schema_editor):
    for name, _columns, _include in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("civic", "0003_seed_topics")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
