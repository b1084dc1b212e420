"""The author's word on a report: confirm or dispute the akimat's result, or say that the
problem was solved without the akimat («өзім шештім» / «решил сам»).

A report "solved by the citizen himself" is done (green) with a ``solved_by_citizen`` entry in
its history; the program's indicator of problems solved by citizens counts exactly these
(``jospar.civic.selectors.figures``), and the akimat's "solved promptly" leaves them out.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.events import EventKind
from jospar.civic.figure_counts import figures_kept
from jospar.civic.models import OPEN_STATES, CitizenReport, Confirmation, ReportState
from jospar.civic.services._common import (
    REASON_MAX_CHARS,
    clean_reason,
    locked,
    now,
    require_author,
    require_state,
    save_report,
    snapshot,
)
from jospar.civic.services._transition import record_transition
from jospar.core.errors import Conflict
from jospar.core.models import User

S = ReportState


def report_confirm(*, actor: User, report: CitizenReport) -> CitizenReport:
    """The author confirms that the problem is solved."""
    user = require_author(actor, report)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(current, [S.DONE], _("Only a report marked done can be confirmed."))
        if current.confirmation != Confirmation.NONE:
            raise Conflict("already_confirmed", _("You have already given your word on it."))
        before = snapshot(current)
        at = now()
        current.confirmation = Confirmation.CONFIRMED
        current.confirmed_at = at
        save_report(current, ["confirmation", "confirmed_at"], at)
        record_transition(
            current,
            user=user,
            before=before,
            at=at,
            kind=EventKind.CONFIRMED,
            action="report.confirmed",
        )
    return current


def report_dispute(*, actor: User, report: CitizenReport, reason: str) -> CitizenReport:
    """The author says the problem is not solved: the report goes back to the akimat."""
    user = require_author(actor, report)
    why = clean_reason(reason)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(current, [S.DONE], _("Only a report marked done can be disputed."))
        if current.confirmation != Confirmation.NONE:
            raise Conflict("already_confirmed", _("You have already given your word on it."))
        before = snapshot(current)
        at = now()
        current.state = S.IN_PROGRESS
        current.confirmation = Confirmation.DISPUTED
        current.confirmed_at = at
        current.resolved_at = None
        current.closed_at = None
        save_report(
            current, ["state", "confirmation", "confirmed_at", "resolved_at", "closed_at"], at
        )
        record_transition(
            current,
            user=user,
            before=before,
            at=at,
            kind=EventKind.DISPUTED,
            action="report.disputed",
            from_state=S.DONE,
            to_state=S.IN_PROGRESS,
            note=why,
            reason=why,
        )
    return current


def report_mark_solved_by_citizen(
    *, actor: User, report: CitizenReport, note: str = ""
) -> CitizenReport:
    """The author solved the problem without the akimat: the open report is done (green),
    confirmed by its author, and its history says so (``solved_by_citizen``, with the
    author's optional note, masked). No answer of the akimat is needed."""
    user = require_author(actor, report)
    text = str(note or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if text:
        text = clean_reason(text)[:REASON_MAX_CHARS]
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(
            current, OPEN_STATES, _("Only an open report can be marked as solved by you.")
        )
        before = snapshot(current)
        at = now()
        from_state = current.state
        current.state = S.DONE
        current.resolved_at = at
        current.closed_at = at
        current.confirmation = Confirmation.CONFIRMED
        current.confirmed_at = at
        save_report(
            current, ["state", "resolved_at", "closed_at", "confirmation", "confirmed_at"], at
        )
        record_transition(
            current,
            user=user,
            before=before,
            at=at,
            kind=EventKind.SOLVED_BY_CITIZEN,
            action="report.solved_by_citizen",
            from_state=from_state,
            to_state=S.DONE,
            note=text,
            reason=text,
        )
    return current
