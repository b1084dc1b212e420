"""The map's grid counts are cleared when the reports table is truncated (PostgreSQL only).

TRUNCATE fires no row trigger, so a truncated ``civic_citizenreport`` (a restore into a
database, a test database flushed between tests) left ``civic_mapcell`` counting reports that no
longer existed: the map showed pins with nothing behind them. A statement trigger on TRUNCATE
clears the cells; they are rebuilt as reports come back.
"""

from __future__ import annotations

from django.db import migrations

from jospar.civic.map_sql import DROP_TRUNCATE_SQL, TRUNCATE_SQL


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in TRUNCATE_SQL:
        schema_editor.execute(statement)
    schema_editor.execute("SELECT civic_mapcell_rebuild()")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_TRUNCATE_SQL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("civic", "0007_reportmedia_file_name_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
