"""Indicators, their targets and their values by period and region (DHIS2's data element ×
period × organisation unit), with the approval of values and the corrections of approved ones.

A value is one row per indicator × period × region (no region: the national value entered
nationally). The value approved by the centre is never overwritten: a change after approval is a
``Correction`` row that keeps the previous and the new figure, and the value shown is the last
correction's (``DataValue.current``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Region, pick_lang
from jospar.indicators.periods import Period, PeriodType, parse_period

VALUE_DIGITS = 20
VALUE_PLACES = 4


def value_field(verbose: Any, **kwargs: Any) -> Any:
    return models.DecimalField(
        verbose,
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        **kwargs,
    )


class IndicatorKind(models.TextChoices):
    TARGET = "target", _("Target indicator")
    OUTCOME = "outcome", _("Outcome indicator")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")
    TO_VALUE = "to_value", _("Closer to the target is better")


class Method(models.TextChoices):
    SURVEY = "survey", _("Sociological survey")
    STATISTICS = "statistics", _("Statistics")
    LOCAL_REPORTS = "local_reports", _("Reports of local executive bodies")
    COMPUTED = "computed", _("Computed from jospar's data")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("By region")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of the regions")
    WEIGHTED_MEAN = "weighted_mean", _("Mean of the regions weighted by population")
    NONE = "none", _("Not aggregable (entered nationally)")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.TextField(_("name (Kazakh)"))
    name_ru = models.TextField(_("name (Russian)"))
    name_en = models.TextField(_("name (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    direction = models.CharField(
        _("which way is better"), max_length=8, choices=Direction.choices, default=Direction.UP
    )
    method = models.CharField(_("how it is measured"), max_length=16, choices=Method.choices)
    frequency = models.CharField(
        _("how often"), max_length=12, choices=PeriodType.choices, default=PeriodType.YEARLY
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    aggregation = models.CharField(
        _("national value"), max_length=16, choices=Aggregation.choices, default=Aggregation.NONE
    )
    node = models.ForeignKey(
        "programs.ProgramNode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measured_by",
        verbose_name=_("program node"),
    )
    # The program's own statement of it, where the indicator was made from an imported program.
    source_indicator = models.OneToOneField(
        "programs.NodeIndicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measured_as",
        verbose_name=_("indicator as the program states it"),
    )
    baseline_value = value_field(_("baseline value"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    # A value outside this range is saved only when the person confirms it.
    plausible_min = value_field(_("lowest plausible value"), null=True, blank=True)
    plausible_max = value_field(_("highest plausible value"), null=True, blank=True)
    # The name of the rule in jospar.indicators.computed for a computed indicator.
    rule = models.CharField(_("computation rule"), max_length=64, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return pick_lang(self, "name")


class Comparator(models.TextChoices):
    EQUAL = "eq", "="
    AT_LEAST = "ge", "≥"
    AT_MOST = "le", "≤"


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    value = value_field(_("target value"))
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.EQUAL
    )

    class Meta:
        ordering = ["indicator", "year", "region_id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "region"],
                name="uniq_target_region",
                condition=Q(region__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="uniq_target_national",
                condition=Q(region__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.get_comparator_display()} {self.value}"


class ValueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ValueOrigin(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    COMPUTED = "computed", _("Computed")
    SURVEY = "survey", _("From a survey")


class DataValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=8)
    period_type = models.CharField(_("period type"), max_length=12, choices=PeriodType.choices)
    period_start = models.DateField(_("period starts"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    value = value_field(_("value"))
    source = models.CharField(_("source"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    origin = models.CharField(
        _("origin"), max_length=8, choices=ValueOrigin.choices, default=ValueOrigin.ENTERED
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ValueState.choices, default=ValueState.DRAFT
    )
    # The centre's comment when it returned the value.
    review_comment = models.TextField(_("comment of the review"), blank=True)
    # The value shown after corrections of the approved value (None: no correction).
    corrected_value = value_field(_("corrected value"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # For a computed value: when it was computed.
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "period_start", "region_id"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "region"],
                name="uniq_value_region",
                condition=Q(region__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="uniq_value_national",
                condition=Q(region__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "period", "state"]),
            models.Index(fields=["state", "period_start"]),
            # An indicator's latest approved period: one index probe per indicator (the period
            # too, so that the probe reads its first entry without sorting the regions' rows),
            # and the values of that period for the dashboards' roll-up.
            models.Index(
                fields=["indicator", "state", "period_start", "period"],
                name="value_latest_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.region_id}: {self.current}"

    @property
    def current(self) -> Decimal:
        current = self.corrected_value if self.corrected_value is not None else self.value
        return Decimal(current)

    @property
    def period_obj(self) -> Period:
        return parse_period(self.period)


def place_q(region_id: int | None) -> Q:
    """The values of one region, or the national ones (no region)."""
    return Q(region__isnull=True) if region_id is None else Q(region_id=region_id)


class Correction(models.Model):
    """A change of an approved value: both figures kept, with the reason and who made it."""

    data_value = models.ForeignKey(
        DataValue, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("value")
    )
    previous = value_field(_("previous value"))
    value = value_field(_("corrected value"))
    reason = models.TextField(_("reason"))
    source = models.CharField(_("source"), max_length=500, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    made_at = models.DateTimeField(_("corrected"))

    class Meta:
        ordering = ["data_value", "made_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.data_value_id}: {self.previous} → {self.value}"


from jospar.indicators.models_surveys import AnswerCount as AnswerCount  # noqa: E402
from jospar.indicators.models_surveys import Survey as Survey  # noqa: E402
from jospar.indicators.models_surveys import SurveyQuestion as SurveyQuestion  # noqa: E402
from jospar.indicators.models_surveys import SurveyResponse as SurveyResponse  # noqa: E402
from jospar.indicators.models_surveys import SurveyWave as SurveyWave  # noqa: E402
from jospar.indicators.models_surveys import WaveSample as WaveSample  # noqa: E402
