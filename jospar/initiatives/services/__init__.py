"""The state changes of initiatives: each one transaction with its audit row."""

from jospar.initiatives.services.coordinators import coordinator_appoint
from jospar.initiatives.services.feedback import (
    initiative_rate,
    profile_set_public,
    survey_answer,
)
from jospar.initiatives.services.heart import (
    cycle_create,
    cycle_schedule,
    juror_appoint,
    nomination_add,
    nominee_propose,
    results_publish,
    score_record,
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
from jospar.initiatives.services.stories import story_review, story_save
from jospar.initiatives.services.votes import (
    ballot_open_selection,
    initiative_decide_by_vote,
    vote_cast,
    votes_review,
)

__all__ = [
    "ballot_open_selection",
    "checkin_confirm",
    "checkin_record",
    "coordinator_appoint",
    "cycle_create",
    "cycle_schedule",
    "initiative_complete",
    "initiative_decide",
    "initiative_decide_by_vote",
    "initiative_rate",
    "initiative_request_changes",
    "initiative_save",
    "initiative_start",
    "initiative_submit",
    "juror_appoint",
    "nomination_add",
    "nominee_propose",
    "pledge_make",
    "pledge_withdraw",
    "profile_set_public",
    "results_publish",
    "score_record",
    "story_review",
    "story_save",
    "survey_answer",
    "vote_cast",
    "votes_review",
]
