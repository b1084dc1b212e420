"""``DisciplineCount`` at three grains (issue #15, national scale): each obligation is counted by
its deadline's day, by its deadline's month with organisation and region, and by its deadline's
month with plan, with the sum of its deadlines (``deadline_days``) so that a month's row tells
days overdue. The counts are recomputed from the obligations, before
the indexes are made (faster than keeping them row by row)."""

from django.db import migrations, models


def _refill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The maintained module, not a copy: the grains must be the ones the services keep.
    from jospar.control.discipline_counts import discipline_counts_rebuild

    if apps.get_model("control", "Obligation").objects.exists():
        discipline_counts_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0015_program_counts_by_ancestor"),
        ("core", "0010_region_population"),
        ("plans", "0006_amendments"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="disciplinecount",
            name="control_dc_deadline",
        ),
        migrations.RemoveIndex(
            model_name="disciplinecount",
            name="control_dc_org_deadline",
        ),
        migrations.RemoveIndex(
            model_name="disciplinecount",
            name="control_dc_plan_deadline",
        ),
        migrations.AddField(
            model_name="disciplinecount",
            name="deadline_days",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="disciplinecount",
            name="grain",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(_refill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="disciplinecount",
            index=models.Index(
                fields=["grain", "deadline"],
                include=(
                    "controller_organisation",
                    "organisation",
                    "region",
                    "plan",
                    "bucket",
                    "obligations",
                    "late_days",
                    "deadline_days",
                ),
                name="control_dc_grain_deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="disciplinecount",
            index=models.Index(
                fields=["organisation", "grain", "deadline"],
                include=(
                    "controller_organisation",
                    "region",
                    "bucket",
                    "obligations",
                    "late_days",
                    "deadline_days",
                ),
                name="control_dc_org_grain",
            ),
        ),
        migrations.AddIndex(
            model_name="disciplinecount",
            index=models.Index(
                fields=["plan", "deadline"],
                include=(
                    "grain",
                    "organisation",
                    "region",
                    "bucket",
                    "obligations",
                    "late_days",
                    "deadline_days",
                ),
                name="control_dc_plan_grain",
            ),
        ),
    ]
