from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jospar.site"
    label = "jospar_site"
    verbose_name = _("jospar")
