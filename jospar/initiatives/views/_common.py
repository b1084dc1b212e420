"""What the initiative pages share: the map's configuration and showing a service's refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from jospar.civic.views.common import map_layers
from jospar.core.errors import ServiceError


def map_config(**extra: Any) -> dict[str, Any]:
    return {
        **map_layers(),
        "text": {
            "open": _("open for support or being implemented"),
            "done": _("implemented"),
            "reports": _("initiatives"),
            "report": _("Initiative"),
            "loading": _("Loading…"),
            "failed": _("The map's initiatives could not be loaded. Try again."),
        },
        "clusters": reverse("initiatives:clusters"),
        **extra,
    }


def show_error(form: forms.Form, error: ServiceError) -> None:
    """Put the refusal on the form's fields (or on the form): what was typed stays."""
    placed = False
    for name, messages in (error.fields or {}).items():
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(error.message))
