"""The program's figures of Civic Control kept as counts (``jospar.civic.figure_counts``), so
that the figures pages read a few thousand rows instead of a million reports.

Each public report adds to the rows of its region, akimat and topic on its days (placed,
submitted, solved), once per grain: the day, its month and its year, so that a period reads
whole years, whole months and the days at its edges. The services that change a report add the
difference they made, in their transaction, by one upsert per table on the key's one row
(``INSERT ... ON CONFLICT DO UPDATE``, on the unique key below; NULL stands for "all" in the
roll-ups, so the key reads it as 0, which no region, akimat or topic has).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Organisation, Region


class Grain(models.IntegerChoices):
    DAY = 0, _("day")
    MONTH = 1, _("month")
    YEAR = 2, _("year")


class Measure(models.IntegerChoices):
    # The days from placing to solving, bucketed; by the day it was solved (figures)...
    SPAN_BY_SOLVED = 1, _("days to solve, by the day solved")
    # ...and by the day it was submitted (the league table of akimats).
    SPAN_BY_SUBMITTED = 2, _("days to solve, by the day submitted")
    # Not answered yet, with an answer date (the bucket): due once that date has passed.
    UNANSWERED = 3, _("unanswered, by answer date")
    # Open and not answered, with an answer date (the bucket): overdue once it has passed.
    OPEN_UNANSWERED = 4, _("open and unanswered, by answer date")


def key_constraint(name: str, *fields: str) -> models.UniqueConstraint:
    """One row per key: the upsert's conflict target (``figure_counts.KEY_SQL``)."""
    return models.UniqueConstraint(
        Coalesce("region", 0),
        Coalesce("akimat", 0),
        Coalesce("topic", 0),
        "grain",
        "day",
        *fields,
        name=name,
    )


class _Keyed(models.Model):
    # Not enforced by the database: a merge of organisations moves these rows like any other
    # reference, and the sums stay right when it does.
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    akimat = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    topic = models.ForeignKey(
        "civic.Topic", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    grain = models.PositiveSmallIntegerField(choices=Grain.choices)
    day = models.DateField(_("day"))  # the first day of the month or year at those grains

    class Meta:
        abstract = True


class FigureCount(_Keyed):
    """Public reports counted per region, akimat, topic and day (month, year)."""

    placed = models.IntegerField(default=0)  # by the day placed on the portal
    solved = models.IntegerField(default=0)  # done, by the day solved
    promptly = models.IntegerField(default=0)  # done by the state body by the answer date
    by_citizens = models.IntegerField(default=0)  # done by the citizen, by the day solved
    submitted = models.IntegerField(default=0)  # by the day submitted (league table)
    answered_due = models.IntegerField(default=0)  # answered, with an answer date
    on_time = models.IntegerField(default=0)  # answered no later than the answer date

    class Meta:
        verbose_name = _("figure count")
        verbose_name_plural = _("figure counts")
        indexes = [
            # The country's page reads these columns only: an index-only scan.
            models.Index(
                fields=["grain", "day"],
                include=["placed", "promptly", "by_citizens", "submitted", "akimat"],
                name="civic_figcount_day",
            ),
            models.Index(fields=["region", "grain", "day"], name="civic_figcount_region"),
        ]
        constraints = [key_constraint("civic_figcount_key")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.topic_id} {self.day} ({self.get_grain_display()})"


class FigureBucket(_Keyed):
    """Histograms and today-dependent counts: reports per measure and bucket."""

    measure = models.PositiveSmallIntegerField(choices=Measure.choices)
    bucket = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("figure bucket")
        verbose_name_plural = _("figure buckets")
        indexes = [
            models.Index(fields=["measure", "grain", "day"], name="civic_figbucket_day"),
            # The roll-ups (all topics of a region, all regions of a topic) the country's page
            # and the league table read, covered.
            models.Index(
                fields=["measure", "grain", "day"],
                include=["region", "akimat", "topic", "bucket", "n"],
                condition=models.Q(topic__isnull=True) | models.Q(region__isnull=True),
                name="civic_figbucket_rollup",
            ),
            models.Index(
                fields=["region", "measure", "grain", "day"], name="civic_figbucket_region"
            ),
        ]
        constraints = [key_constraint("civic_figbucket_key", "measure", "bucket")]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.topic_id} {self.day} {self.measure}:{self.bucket}"
