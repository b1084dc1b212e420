"""The map's grid counts, kept by PostgreSQL as reports change (PostgreSQL only).

A viewport of the whole country holds a million points; grouping them per request costs
seconds. ``civic_mapcell`` holds, for three grid levels (zooms 5, 8 and 12, see
``jospar.civic.map_sql``), per cell, region, topic and state, the number of public reports with
a pin, the sums of their latitudes, longitudes and ids (the id of a cell's only report is the
sum). A trigger on ``civic_citizenreport`` adds and takes away as rows are inserted, updated and
deleted, in the same transaction, so the counts are never stale. It is a cache of the reports
table, not a record: ``civic_mapcell_rebuild()`` recomputes it from the reports at any time.

Also: the map's index for the detailed zooms now leaves out reports without a pin.
"""

from __future__ import annotations

from django.db import migrations

from jospar.civic.map_sql import (
    CREATE_SQL,
    DROP_SQL,
    GEO_INDEX_SQL,
    OLD_GEO_INDEX_SQL,
    TIME_INDEX_SQL,
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS civic_pub_geo")
    schema_editor.execute(GEO_INDEX_SQL)
    schema_editor.execute(TIME_INDEX_SQL)
    for statement in CREATE_SQL:
        schema_editor.execute(statement)
    schema_editor.execute("SELECT civic_mapcell_rebuild()")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_SQL:
        schema_editor.execute(statement)
    schema_editor.execute("DROP INDEX IF EXISTS civic_pub_geo_pin")
    schema_editor.execute("DROP INDEX IF EXISTS civic_pub_pin_time")
    schema_editor.execute(OLD_GEO_INDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [("civic", "0004_public_read_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
