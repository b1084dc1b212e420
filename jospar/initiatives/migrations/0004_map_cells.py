"""The map's kept grid counts on PostgreSQL (``jospar.initiatives.map_sql``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from jospar.initiatives.map_sql import CREATE_SQL, DROP_SQL


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_map_pin_index")]

    operations = [migrations.RunPython(create, drop)]
