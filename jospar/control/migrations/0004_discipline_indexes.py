"""Indexes for the executive-discipline dashboards and the executors' obligation lists.

PostgreSQL only (covering and partial indexes, extended statistics); written as SQL so that the
models keep their own index lists. See benchmarks/control.py for what they buy:

- ``control_obl_discipline``: the obligations in force by deadline, holding every fact the
  figures read, so that a period's figures come from the index alone (no table reads).
- ``control_obl_org_discipline``: the same per organisation: one organisation's dashboard, and
  the count of an executor's obligation list.
- ``control_activity_in_force``: activities in force with their plan, small enough that joining
  a period's obligations to their activities (in force, visible plan) reads no table either.
- ``control_obl_org_region``: the planner's estimate of (organisation, region) groups, so that
  it aggregates by hash instead of sorting.
"""

from django.db import migrations

COVER = (
    "organisation_id, region_id, activity_id, submitted_at, submitted_on, returned_at, accepted_at"
)

FORWARD = [
    "CREATE INDEX IF NOT EXISTS control_obl_discipline ON control_obligation (deadline) "
    f"INCLUDE ({COVER}) WHERE in_force",
    "CREATE INDEX IF NOT EXISTS control_obl_org_discipline ON control_obligation "
    "(organisation_id, deadline) INCLUDE (region_id, activity_id, submitted_at, submitted_on, "
    "returned_at, accepted_at) WHERE in_force",
    "CREATE INDEX IF NOT EXISTS control_activity_in_force ON plans_activity (id) "
    "INCLUDE (plan_id) WHERE in_force",
    "CREATE STATISTICS IF NOT EXISTS control_obl_org_region (ndistinct) "
    "ON organisation_id, region_id FROM control_obligation",
]
BACKWARD = [
    "DROP STATISTICS IF EXISTS control_obl_org_region",
    "DROP INDEX IF EXISTS control_activity_in_force",
    "DROP INDEX IF EXISTS control_obl_org_discipline",
    "DROP INDEX IF EXISTS control_obl_discipline",
]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0003_controldecision_executionreport_reportattachment_and_more"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
