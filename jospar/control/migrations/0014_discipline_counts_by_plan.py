"""``DisciplineCount`` by plan, and returned obligations in a bucket of their own (issue #15):
the obligation list's tabs and page count, an executor's plans and the by-plan figures read
the counts instead of the obligations. The counts are recomputed from the obligations. On
PostgreSQL, indexes of the obligations in force by (deadline, id) — the list's keyset order —
and of the reports waiting for review in the queue's order."""

import django.db.models.deletion
from django.db import migrations, models


def _refill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Nothing here: 0016 recomputes the counts from the obligations with the maintained
    # module, whose rows (grains) this table does not have yet.
    return


def _index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS control_obl_keyset ON control_obligation "
            "(deadline, id) WHERE in_force"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS control_obl_org_keyset ON control_obligation "
            "(organisation_id, deadline, id) WHERE in_force"
        )
        # The review queue in its order, over the reports waiting only.
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS control_report_waiting ON control_executionreport "
            "(submitted_at, id) WHERE state = 'submitted' AND kind = 'report'"
        )


def _drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS control_report_waiting")
        schema_editor.execute("DROP INDEX IF EXISTS control_obl_org_keyset")
        schema_editor.execute("DROP INDEX IF EXISTS control_obl_keyset")


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0013_program_report"),
        ("core", "0010_region_population"),
        ("plans", "0006_amendments"),
    ]

    operations = [
        migrations.AddField(
            model_name="disciplinecount",
            name="plan",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="discipline_counts",
                to="plans.plan",
            ),
        ),
        migrations.AddIndex(
            model_name="disciplinecount",
            index=models.Index(fields=["organisation", "plan"], name="control_dc_org_plan"),
        ),
        migrations.AddIndex(
            model_name="disciplinecount",
            index=models.Index(
                fields=["plan", "deadline"],
                include=("organisation", "region", "bucket", "obligations", "late_days"),
                name="control_dc_plan_deadline",
            ),
        ),
        migrations.RunPython(_refill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(_index, _drop_index, elidable=True),
    ]
