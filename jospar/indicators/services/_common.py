"""What the indicators' services share: the refusals and the audit snapshot of a value."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jospar.core.errors import PermissionRefused
from jospar.core.models import User
from jospar.indicators.access import is_centre
from jospar.indicators.models import DataValue

TEXT_MAX = 10_000
SOURCE_MAX = 500


def require_centre(actor: User) -> None:
    if not is_centre(actor):
        raise PermissionRefused(
            "not_centre", _("Only the centre (a controller or an administrator) may do this.")
        )


def value_snapshot(value: DataValue) -> dict[str, Any]:
    return {
        "indicator": value.indicator_id,
        "period": value.period,
        "region": value.region_id,
        "value": str(value.value),
        "corrected_value": None if value.corrected_value is None else str(value.corrected_value),
        "state": value.state,
        "source": value.source,
        "comment": value.comment,
        "origin": value.origin,
    }
