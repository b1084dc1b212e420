"""``Obligation.first_late_days``: how late the first submission was against the deadline then
in force (docs/decisions.md, "First-use defects"), computed for the obligations already there
from their history, and the discipline counts rebuilt with it."""

import datetime as dt

from django.db import migrations, models
from django.db.models import Case, F, IntegerField, Q, Value, When


def _date(value):  # type: ignore[no-untyped-def]
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The maintained module, not a copy: the days must be the services' own.
    from django.utils import timezone

    from jospar.control.discipline import DaysBetween

    Obligation = apps.get_model("control", "Obligation")
    AuditEvent = apps.get_model("core", "AuditEvent")
    ExecutionReport = apps.get_model("control", "ExecutionReport")
    if not Obligation.objects.exists():
        return
    # Never returned: the standing submission is the first one, and its deadline the same.
    Obligation.objects.filter(
        submitted_on__isnull=False, deadline__isnull=False, returned_at__isnull=True
    ).update(
        first_late_days=Case(
            When(submitted_on__gt=F("deadline"), then=DaysBetween(F("submitted_on"), F("deadline"))),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    # Returned at least once: the audit log has the facts of the first submission (its date
    # and the deadline then); without it, the first submitted version's date against the
    # deadline before the first return.
    returned = Obligation.objects.filter(
        Q(returned_at__isnull=False) | Q(submitted_on__isnull=False, deadline__isnull=True),
        first_late_days__isnull=True,
    )
    for obligation in returned.iterator(chunk_size=2000):
        first = (
            AuditEvent.objects.filter(
                action="report.submitted",
                object_type="control.Obligation",
                object_id=str(obligation.pk),
            )
            .order_by("occurred_at", "id")
            .values_list("after", flat=True)
            .first()
        )
        submitted_on = deadline = None
        if isinstance(first, dict):
            submitted_on, deadline = _date(first.get("submitted_on")), _date(first.get("deadline"))
        if submitted_on is None:
            at = (
                ExecutionReport.objects.filter(obligation=obligation, submitted_at__isnull=False)
                .order_by("submitted_at")
                .values_list("submitted_at", flat=True)
                .first()
            )
            submitted_on = timezone.localdate(at) if at else obligation.submitted_on
        if deadline is None:
            back = (
                AuditEvent.objects.filter(
                    action="report.returned",
                    object_type="control.Obligation",
                    object_id=str(obligation.pk),
                )
                .order_by("occurred_at", "id")
                .values_list("before", flat=True)
                .first()
            )
            if isinstance(back, dict):
                deadline = _date(back.get("deadline"))
        deadline = deadline or obligation.deadline or obligation.due_on
        if submitted_on is None:
            continue
        obligation.first_late_days = max((submitted_on - deadline).days, 0)
        obligation.save(update_fields=["first_late_days"])
    # The counts: 0016 recomputes them with the maintained module (its rows have columns
    # this table does not have yet).


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0006_discipline_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="first_late_days",
            field=models.IntegerField(
                blank=True, null=True, verbose_name="first submission late by, days"
            ),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
    ]
