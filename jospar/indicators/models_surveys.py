"""Sociological surveys: questions in Kazakh and Russian, waves (e.g. twice a year), the sample
by region (planned and achieved), respondents' answers imported from a file, and the counts by
answer from which every result — share, 95 % margin of error — is computed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.core.models import Region, pick_lang


class Survey(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_kk = models.TextField(_("title (Kazakh)"))
    title_ru = models.TextField(_("title (Russian)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_lang(self, "title")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # The column that holds the answers to it in an imported file.
    code = models.SlugField(_("code"), max_length=64)
    text_kk = models.TextField(_("question (Kazakh)"))
    text_ru = models.TextField(_("question (Russian)"))
    # [{"code": "yes", "text_kk": "Иә", "text_ru": "Да"}, ...]
    answers = models.JSONField(_("answers"), default=list)
    # The indicator whose value for the wave's period is the share of these answers.
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_questions",
        verbose_name=_("feeds the indicator"),
    )
    indicator_answers = models.JSONField(_("answers counted for the indicator"), default=list)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="uniq_question_code")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick_lang(self, "text")

    @property
    def answer_codes(self) -> list[str]:
        return [str(a.get("code")) for a in self.answers if isinstance(a, dict)]

    def answer_text(self, code: str) -> str:
        for answer in self.answers:
            if isinstance(answer, dict) and answer.get("code") == code:
                return pick_lang(_Answer(answer), "text") or code
        return code


class _Answer:
    def __init__(self, data: dict[str, str]) -> None:
        self.text_kk = data.get("text_kk", "")
        self.text_ru = data.get("text_ru", "")
        self.text_en = data.get("text_en", "")


class SurveyWave(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="waves", verbose_name=_("survey")
    )
    # The period the wave measures, in ISO form (2024S1): the period of the indicators it feeds.
    period = models.CharField(_("period"), max_length=8)
    fieldwork_start = models.DateField(_("fieldwork from"), null=True, blank=True)
    fieldwork_end = models.DateField(_("fieldwork until"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "period"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        constraints = [
            models.UniqueConstraint(fields=["survey", "period"], name="uniq_wave_period")
        ]

    def __str__(self) -> str:
        return f"{self.survey.code} {self.period}"


class WaveSample(models.Model):
    wave = models.ForeignKey(
        SurveyWave, on_delete=models.CASCADE, related_name="samples", verbose_name=_("wave")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    planned = models.PositiveIntegerField(_("planned respondents"), default=0)
    achieved = models.PositiveIntegerField(_("achieved respondents"), default=0)

    class Meta:
        ordering = ["wave", "region_id"]
        verbose_name = _("sample of a region")
        verbose_name_plural = _("samples by region")
        constraints = [models.UniqueConstraint(fields=["wave", "region"], name="uniq_wave_sample")]

    def __str__(self) -> str:
        return f"{self.wave_id}/{self.region_id}: {self.achieved}/{self.planned}"


class SurveyResponse(models.Model):
    """One respondent of an imported file: kept so that a second import of the same person is
    refused as a duplicate."""

    wave = models.ForeignKey(
        SurveyWave, on_delete=models.CASCADE, related_name="responses", verbose_name=_("wave")
    )
    respondent = models.CharField(_("respondent"), max_length=64)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    answers = models.JSONField(_("answers"), default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["wave", "respondent"]
        verbose_name = _("respondent's answers")
        verbose_name_plural = _("respondents' answers")
        constraints = [
            models.UniqueConstraint(fields=["wave", "respondent"], name="uniq_wave_respondent")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}/{self.respondent}"


class AnswerCount(models.Model):
    """How many respondents of a region gave an answer to a question in a wave: entered by hand
    or added up from an imported file. Every result is computed from these counts."""

    wave = models.ForeignKey(
        SurveyWave, on_delete=models.CASCADE, related_name="counts", verbose_name=_("wave")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="counts", verbose_name=_("question")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    answer = models.CharField(_("answer"), max_length=64)
    count = models.PositiveIntegerField(_("respondents"), default=0)

    class Meta:
        ordering = ["wave", "question", "region_id", "answer"]
        verbose_name = _("count of answers")
        verbose_name_plural = _("counts of answers")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "question", "region", "answer"], name="uniq_answer_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.region_id}/{self.answer}: {self.count}"
