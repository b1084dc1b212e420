"""``ProgramCount`` keyed for the nodes a dashboard shows: the node grain counts each
obligation on its task's node and every node above it, pending obligations are keyed by the
deadline's month (only this month's are read from the obligations), and the trend's grain is
kept by month. The program counts are recomputed from the obligations."""

from django.db import migrations, models


def _refill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The maintained module, not a copy: the grains must be the ones the services keep.
    from jospar.control.discipline_counts import fine_counts_of
    from jospar.control.models import Obligation
    from jospar.control.program_counts import program_counts_replace

    if apps.get_model("control", "ProgramCount").objects.exists():
        program_counts_replace(fine_counts_of(Obligation.objects.all()))


class Migration(migrations.Migration):

    dependencies = [
        ('control', '0014_discipline_counts_by_plan'),
        ('core', '0010_region_population'),
        ('programs', '0004_project_office'),
    ]

    operations = [
        migrations.AlterField(
            model_name='programcount',
            name='grain',
            field=models.CharField(choices=[('n', 'node with its subtree'), ('o', 'organisation'), ('r', 'region'), ('m', 'month')], max_length=1),
        ),
        migrations.AddIndex(
            model_name='programcount',
            index=models.Index(fields=['program', 'grain', 'node'], include=('kind', 'period', 'bucket', 'obligations'), name='control_pc_node'),
        ),
        migrations.RunPython(_refill, migrations.RunPython.noop),
    ]
