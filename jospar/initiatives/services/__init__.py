"""The state changes of initiatives: each one transaction with its audit row."""

from jospar.initiatives.services.coordinators import coordinator_appoint
from jospar.initiatives.services.feedback import (
    initiative_rate,
    profile_set_public,
    survey_answer,
)
from jospar.initiatives.services.lifecycle import (
    initiative_complete,
    initiative_decide,
    initiative_request_changes,
    initiative_save,
    initiative_start,
    initiative_submit,
)
from jospar.initiatives.services.pledges import (
    checkin_confirm,
    checkin_record,
    pledge_make,
    pledge_withdraw,
)

__all__ = [
    "checkin_confirm",
    "checkin_record",
    "coordinator_appoint",
    "initiative_complete",
    "initiative_decide",
    "initiative_rate",
    "initiative_request_changes",
    "initiative_save",
    "initiative_start",
    "initiative_submit",
    "pledge_make",
    "pledge_withdraw",
    "profile_set_public",
    "survey_answer",
]
