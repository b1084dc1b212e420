"""Search over publications on PostgreSQL: full-text with the ``russian`` configuration, and
trigrams (``pg_trgm``) for Kazakh, whose suffixes no packaged stemmer removes: a stem typed by a
person matches its inflected forms as a substring, through the trigram index. The expressions
are the ones ``jospar.media.selectors.publication_search`` states. Elsewhere: nothing (SQLite
searches with a plain substring match)."""

from __future__ import annotations

from django.db import migrations

TABLE = "media_publication"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS media_pub_fts ON {TABLE} "
        "USING gin (to_tsvector('russian', title || ' ' || text))"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS media_pub_title_trgm ON {TABLE} "
        "USING gin (title gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS media_pub_text_trgm ON {TABLE} USING gin (text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("media_pub_fts", "media_pub_title_trgm", "media_pub_text_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("media", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
