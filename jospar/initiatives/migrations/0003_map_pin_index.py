"""The map's index on PostgreSQL: the public points with what the map filters by, so that the
viewport's grouping reads the index alone (docs/decisions.md, "Calendar of public events and
initiatives at scale")."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS initiative_map_pin ON initiatives_initiative "
    "(longitude, latitude) INCLUDE (state, kind, direction, region_id, id) "
    "WHERE state IN ('selected', 'implementing', 'implemented')"
)
DROP = "DROP INDEX IF EXISTS initiative_map_pin"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_heart_and_votes")]

    operations = [migrations.RunPython(create, drop)]
