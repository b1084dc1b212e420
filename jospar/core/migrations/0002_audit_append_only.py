"""The audit log is append-only in the database itself, not only in the code that writes it."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION jospar_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION jospar_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS jospar_audit_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed'); END;""",
]
# SQLite (the embedded default) refuses UPDATE only: Django's test flush empties tables with
# DELETE, which a trigger cannot tell from any other. A deleted row still breaks the hash chain,
# which `jospar audit-verify` reports. PostgreSQL refuses both; its flush uses TRUNCATE.
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
]


def up(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, None)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
