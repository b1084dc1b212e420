"""Seed the working-day calendar of Kazakhstan from the `holidays` package (2010–2035).

The initial seed, like a fixture: no audit rows. Later years are added with
`jospar seed-calendar`; an administrator corrects any day in the admin.
"""

from django.db import migrations

YEARS = range(2010, 2036)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    import holidays

    CalendarDay = apps.get_model("core", "CalendarDay")
    source = holidays.country_holidays("KZ", years=list(YEARS))
    rows = {}
    for day, name in sorted(source.items()):
        if day.weekday() < 5:
            rows[day] = CalendarDay(day=day, is_working=False, name=str(name)[:200],
                                    source="holidays")
    for day in sorted(source.weekend_workdays):
        if day.year in YEARS:
            rows[day] = CalendarDay(day=day, is_working=True, name="working day (transfer)",
                                    source="holidays")
    existing = set(CalendarDay.objects.values_list("day", flat=True))
    CalendarDay.objects.bulk_create([r for d, r in rows.items() if d not in existing])


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("core", "CalendarDay").objects.filter(source="holidays").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendarday")]
    operations = [migrations.RunPython(seed, unseed)]
