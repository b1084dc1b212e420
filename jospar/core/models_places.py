"""Settlements of Kazakhstan from a packaged gazetteer: names in Kazakh, Russian and Latin
letters and a point, so that a map orients people and a search moves it without any outside
service (``jospar load-gazetteer``)."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    geonameid = models.PositiveBigIntegerField(_("GeoNames id"), unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (Latin letters)"), max_length=200)
    # Every name the gazetteer gives in Cyrillic or Latin letters, folded for search
    # (``jospar.core.gazetteer.fold``), separated and framed by "|".
    search_key = models.TextField(_("search key"), editable=False)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("region"),
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["-population", "name_en"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (translation.get_language() or "kk")[:2]
        if lang == "ru":
            return self.name_ru or self.name_kk or self.name_en
        if lang == "en":
            return self.name_en or self.name_kk
        return self.name_kk or self.name_ru or self.name_en
