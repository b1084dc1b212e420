"""The kinds of entries in a report's history (`ReportEvent.kind`), and which the public sees.

Every service writes one entry (a filing that publishes at once writes two). ``public_note`` is
already masked; ``internal_note`` (a moderator's reason, an abuse report) is for the akimat and
moderators only. A public page shows the public kinds, with their public notes and without the
names of citizens (see ``jospar.civic.privacy.public_author_name``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    LOCATION_APPROXIMATE = "location_approximate", _("Location is approximate")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held by a moderator")
    RELEASED = "released", _("Released by a moderator")
    ASSIGNED = "assigned", _("Official assigned")
    STARTED = "started", _("Taken into work")
    ANSWERED = "answered", _("The akimat answered")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Marked as a duplicate")
    CONFIRMED = "confirmed", _("The author confirmed the result")
    DISPUTED = "disputed", _("The author disputed the result")
    SUPPORTED = "supported", _("Supported by a citizen")
    COMMENTED = "commented", _("Comment")
    PROPOSED = "proposed", _("Proposed solution")
    ABUSE_REPORTED = "abuse_reported", _("Abuse reported")
    ABUSE_DISMISSED = "abuse_dismissed", _("Abuse report dismissed")
    HIDDEN = "hidden", _("Hidden by a moderator")
    UNHIDDEN = "unhidden", _("Shown again by a moderator")
    OVERDUE = "overdue", _("Answer overdue")
    SOLVED_BY_CITIZEN = "solved_by_citizen", _("Solved by the citizen without the akimat")


# What a public page and a follower's notification may show.
PUBLIC_EVENT_KINDS = frozenset(
    {
        EventKind.SUBMITTED,
        EventKind.LOCATION_APPROXIMATE,
        EventKind.PUBLISHED,
        EventKind.STARTED,
        EventKind.ANSWERED,
        EventKind.DONE,
        EventKind.REJECTED,
        EventKind.DUPLICATE,
        EventKind.CONFIRMED,
        EventKind.DISPUTED,
        EventKind.OVERDUE,
        EventKind.SOLVED_BY_CITIZEN,
    }
)
# The changes a report's followers are told of (comments too: they follow the discussion).
FOLLOWER_EVENT_KINDS = frozenset(
    {
        EventKind.PUBLISHED,
        EventKind.STARTED,
        EventKind.ANSWERED,
        EventKind.DONE,
        EventKind.REJECTED,
        EventKind.DUPLICATE,
        EventKind.CONFIRMED,
        EventKind.DISPUTED,
        EventKind.SOLVED_BY_CITIZEN,
        EventKind.COMMENTED,
        EventKind.PROPOSED,
    }
)
