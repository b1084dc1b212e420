"""A report's life after filing: publication, the akimat's work and answer, the author's word.

::

    submitted ──publish/release──► published (red) ──start/answer──► in progress
        │  ▲                          │                                 │
      hold │ (moderator)              ├──────────── done (green) ◄──────┤ needs an answer
        ▼  │                          │               │  confirm        │
      submitted + held               reject / duplicate   dispute ──────┘ (back in progress)

* A moderator holds a *submitted* report (premoderation) and releases it, which publishes it.
  A published report is not held: it is hidden (`moderation_hide`), with a reason.
* The akimat's official takes a report into work, answers it publicly, marks it done (with an
  answer: one given before, or the text given now) and may add photos "after".
* Rejection needs a reason, shown publicly (masked). A duplicate points at the original.
* The author confirms or disputes a done report; a dispute sends it back into work.
* An open report still unanswered after its answer date is overdue; the akimat is told once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.access import can_moderate, is_official_for
from jospar.civic.events import EventKind
from jospar.civic.figure_counts import figures_kept
from jospar.civic.media import StoredFiles, check_and_store, check_uploads
from jospar.civic.models import (
    OPEN_STATES,
    CitizenReport,
    Confirmation,
    Follow,
    MediaStage,
    ReportAnswer,
    ReportState,
)
from jospar.civic.notify import notify_overdue
from jospar.civic.privacy import mask_personal_data
from jospar.civic.services._common import (
    ANSWER_MAX_CHARS,
    audit,
    clean_reason,
    clean_text,
    locked,
    now,
    require_moderator,
    require_official,
    require_official_or_moderator,
    require_state,
    save_report,
    snapshot,
    write_event,
)
from jospar.civic.services._transition import record_transition
from jospar.civic.services.filing import publish
from jospar.civic.status import is_overdue
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User

S = ReportState


# --- moderation before publication ------------------------------------------------------------


def report_publish(*, actor: User, report: CitizenReport) -> CitizenReport:
    """A moderator publishes a submitted report (premoderation). A held one is released."""
    user = require_moderator(actor)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(
            current, [S.SUBMITTED], _("Only a report waiting for publication can be published.")
        )
        if current.held:
            raise Conflict(
                "held", _("The report is held by a moderator: release it to publish it.")
            )
        publish(current, actor=user, at=now())
    return current


def report_hold(*, actor: User, report: CitizenReport, reason: str) -> CitizenReport:
    """A moderator keeps a submitted report from publication, with a reason (internal)."""
    user = require_moderator(actor)
    why = clean_reason(reason)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        if current.state != S.SUBMITTED:
            raise Conflict(
                "already_published",
                _("The report is already public. To take it off the portal, hide it."),
            )
        if current.held:
            raise Conflict("already_held", _("The report is already held."))
        before = snapshot(current)
        at = now()
        current.held = True
        save_report(current, ["held"], at)
        write_event(current, actor=user, kind=EventKind.HELD, internal_note=why, at=at)
        audit(
            actor=user,
            action="report.held",
            report=current,
            before=before,
            after=snapshot(current),
            reason=why,
        )
    return current


def report_release(*, actor: User, report: CitizenReport) -> CitizenReport:
    """A moderator releases a held report: it is published."""
    user = require_moderator(actor)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(
            current, [S.SUBMITTED], _("Only a report waiting for publication can be released.")
        )
        if not current.held:
            raise Conflict("not_held", _("The report is not held."))
        at = now()
        before = snapshot(current)
        write_event(current, actor=user, kind=EventKind.RELEASED, at=at)
        audit(
            actor=user,
            action="report.released",
            report=current,
            before=before,
            after={**before, "held": False},
        )
        publish(current, actor=user, at=at)
    return current


# --- the akimat's work ------------------------------------------------------------------------


def report_assign(*, actor: User, report: CitizenReport, official: User) -> CitizenReport:
    """An official of the akimat (or an administrator) names the official who coordinates
    the answer; that person must be an official for this report."""
    user = require_official_or_moderator(actor, report)
    if not (is_official_for(user, report) or user.is_administrator):
        raise PermissionRefused(
            "forbidden", _("Only an official of the akimat or an administrator assigns reports.")
        )
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(current, OPEN_STATES, _("Only an open report can be assigned."))
        if not is_official_for(official, current):
            message = _("%(name)s is not an official of the akimat answering this report.") % {
                "name": official.get_full_name() or official.get_username()
            }
            raise ServiceError("not_an_official", message, {"official": [message]})
        if current.assigned_to_id == official.pk:
            raise Conflict("already_assigned", _("The report is already assigned to them."))
        before = snapshot(current)
        at = now()
        current.assigned_to = official
        save_report(current, ["assigned_to"], at)
        write_event(
            current,
            actor=user,
            kind=EventKind.ASSIGNED,
            internal_note=official.get_full_name() or official.get_username(),
            at=at,
        )
        audit(
            actor=user,
            action="report.assigned",
            report=current,
            before=before,
            after=snapshot(current),
        )
    return current


def report_start(*, actor: User, report: CitizenReport) -> CitizenReport:
    """The akimat takes a published report into work («in progress»)."""
    user = require_official(actor, report)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(current, [S.PUBLISHED], _("Only a published report can be taken into work."))
        before = snapshot(current)
        at = now()
        current.state = S.IN_PROGRESS
        if current.assigned_to_id is None:
            current.assigned_to = user
        save_report(current, ["state", "assigned_to"], at)
        record_transition(
            current,
            user=user,
            before=before,
            at=at,
            kind=EventKind.STARTED,
            action="report.started",
            from_state=S.PUBLISHED,
            to_state=S.IN_PROGRESS,
        )
    return current


def _answer_text(text: Any) -> str:
    return clean_text(
        text,
        field="text",
        max_chars=ANSWER_MAX_CHARS,
        code="answer_required",
        required_message=_("Write the answer."),
    )


def _create_answer(current: CitizenReport, user: User, text: str, at: dt.datetime) -> ReportAnswer:
    organisation = user.organisation
    assert organisation is not None  # an official belongs to an organisation
    answer = ReportAnswer.objects.create(
        report=current,
        author=user,
        organisation=organisation,
        text=text,
        public_text=mask_personal_data(text),
        created_at=at,
    )
    if current.answered_at is None:
        current.answered_at = at
    return answer


def report_answer(
    *, actor: User, report: CitizenReport, text: str, media: Sequence[Any] = ()
) -> ReportAnswer:
    """The akimat answers publicly. Answering a published report takes it into work."""
    user = require_official(actor, report)
    body = _answer_text(text)
    checked = check_uploads(list(media))
    stored = StoredFiles()
    try:
        with transaction.atomic(), figures_kept([report.pk]):
            current = locked(report)
            require_state(current, OPEN_STATES, _("Only an open report can be answered."))
            before = snapshot(current)
            at = now()
            answer = _create_answer(current, user, body, at)
            from_state = current.state
            current.state = S.IN_PROGRESS
            if current.assigned_to_id is None:
                current.assigned_to = user
            save_report(current, ["state", "answered_at", "assigned_to"], at)
            check_and_store(
                report=current,
                checked=checked,
                stage=MediaStage.AFTER,
                uploaded_by=user,
                answer=answer,
                stored=stored,
            )
            record_transition(
                current,
                user=user,
                before=before,
                at=at,
                kind=EventKind.ANSWERED,
                action="report.answered",
                from_state=from_state,
                to_state=S.IN_PROGRESS,
                note=body,
                after={**snapshot(current), "answer_id": answer.pk, "media": len(checked)},
            )
    except BaseException:
        stored.remove_all()
        raise
    return answer


def report_mark_done(
    *,
    actor: User,
    report: CitizenReport,
    text: str | None = None,
    media: Sequence[Any] = (),
) -> CitizenReport:
    """«Орындалды»: the problem is solved (green). Needs an answer — one given before, or
    ``text`` now; photos "after the work" may come with it."""
    user = require_official(actor, report)
    body = _answer_text(text) if text is not None and str(text).strip() else None
    checked = check_uploads(list(media))
    stored = StoredFiles()
    try:
        with transaction.atomic(), figures_kept([report.pk]):
            current = locked(report)
            require_state(current, OPEN_STATES, _("Only an open report can be marked done."))
            if body is None and not current.answers.exists():
                message = _("Write the answer: a report is marked done with the akimat's answer.")
                raise ServiceError("answer_required", message, {"text": [message]})
            before = snapshot(current)
            at = now()
            answer = _create_answer(current, user, body, at) if body is not None else None
            from_state = current.state
            current.state = S.DONE
            current.resolved_at = at
            current.closed_at = at
            current.confirmation = Confirmation.NONE
            current.confirmed_at = None
            save_report(
                current,
                [
                    "state",
                    "resolved_at",
                    "closed_at",
                    "confirmation",
                    "confirmed_at",
                    "answered_at",
                ],
                at,
            )
            check_and_store(
                report=current,
                checked=checked,
                stage=MediaStage.AFTER,
                uploaded_by=user,
                answer=answer,
                stored=stored,
            )
            record_transition(
                current,
                user=user,
                before=before,
                at=at,
                kind=EventKind.DONE,
                action="report.done",
                from_state=from_state,
                to_state=S.DONE,
                note=body or "",
                after={
                    **snapshot(current),
                    "answer_id": answer.pk if answer else None,
                    "media": len(checked),
                },
            )
    except BaseException:
        stored.remove_all()
        raise
    return current


def report_reject(*, actor: User, report: CitizenReport, reason: str) -> CitizenReport:
    """The akimat (an open report) or a moderator (also one waiting for publication) rejects
    it; the reason is public, masked."""
    user = require_official_or_moderator(actor, report)
    why = clean_reason(reason)
    states = [*OPEN_STATES, S.SUBMITTED] if can_moderate(user) else list(OPEN_STATES)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(current, states, _("This report cannot be rejected."))
        before = snapshot(current)
        at = now()
        from_state = current.state
        current.state = S.REJECTED
        current.held = False
        current.closed_at = at
        save_report(current, ["state", "held", "closed_at"], at)
        record_transition(
            current,
            user=user,
            before=before,
            at=at,
            kind=EventKind.REJECTED,
            action="report.rejected",
            from_state=from_state,
            to_state=S.REJECTED,
            note=why,
            reason=why,
        )
    return current


def report_mark_duplicate(
    *, actor: User, report: CitizenReport, original: CitizenReport
) -> CitizenReport:
    """The report repeats ``original`` (a public report; a duplicate's original is followed to
    the first). Its followers follow the original from now on."""
    user = require_official_or_moderator(actor, report)
    states = [*OPEN_STATES, S.SUBMITTED] if can_moderate(user) else list(OPEN_STATES)
    with transaction.atomic(), figures_kept([report.pk]):
        current = locked(report)
        require_state(current, states, _("This report cannot be marked as a duplicate."))
        target = CitizenReport.objects.select_related("topic").get(pk=original.pk)
        seen = {current.pk}
        while target.state == S.DUPLICATE and target.duplicate_of_id is not None:
            if target.pk in seen:
                break
            seen.add(target.pk)
            target = CitizenReport.objects.select_related("topic").get(pk=target.duplicate_of_id)
        if target.pk in seen or target.pk == current.pk:
            message = _("A report cannot be a duplicate of itself.")
            raise ServiceError("invalid_original", message, {"original": [message]})
        if not target.is_public:
            message = _("The original must be a public report.")
            raise ServiceError("invalid_original", message, {"original": [message]})
        before = snapshot(current)
        at = now()
        from_state = current.state
        current.state = S.DUPLICATE
        current.duplicate_of = target
        current.held = False
        current.closed_at = at
        save_report(current, ["state", "duplicate_of", "held", "closed_at"], at)
        record_transition(
            current,
            user=user,
            before=before,
            at=at,
            kind=EventKind.DUPLICATE,
            action="report.duplicate",
            from_state=from_state,
            to_state=S.DUPLICATE,
            note=_("Same problem as report №%(number)s.") % {"number": target.pk},
        )
        followers = list(Follow.objects.filter(report=current).values_list("user_id", flat=True))
        already = set(
            Follow.objects.filter(report=target, user_id__in=followers).values_list(
                "user_id", flat=True
            )
        )
        Follow.objects.bulk_create(
            [Follow(user_id=uid, report=target) for uid in followers if uid not in already],
            ignore_conflicts=True,
        )
        save_report(target, [], at)
    return current


# --- overdue ----------------------------------------------------------------------------------


def report_mark_overdue(*, actor: User | None, report: CitizenReport, on: dt.date) -> bool:
    """Tell the akimat (its officials and head) once that the answer is overdue. ``False``
    when there is nothing to do: not overdue on ``on``, or told already."""
    with transaction.atomic():
        current = locked(report)
        if current.overdue_notified_at is not None or not is_overdue(current, on):
            return False
        before = snapshot(current)
        at = now()
        current.overdue_notified_at = at
        save_report(current, ["overdue_notified_at"], at)
        due = current.response_due_on
        event = write_event(
            current,
            actor=actor,
            kind=EventKind.OVERDUE,
            public_note=_("The answer was due on %(due)s.")
            % {"due": due.strftime("%d.%m.%Y") if due else "—"},
            at=at,
        )
        audit(
            actor=actor,
            action="report.overdue",
            report=current,
            before={**before, "overdue_notified_at": None},
            after={**snapshot(current), "overdue_notified_at": at.isoformat(), "on": on},
        )
        notify_overdue(report=current, event=event, day=on)
    return True


# The author's word lives in its own module; imported here so that callers find every
# transition of a report in one place.
from jospar.civic.services.lifecycle_author import (  # noqa: E402
    report_confirm as report_confirm,
)
from jospar.civic.services.lifecycle_author import (  # noqa: E402
    report_dispute as report_dispute,
)
from jospar.civic.services.lifecycle_author import (  # noqa: E402
    report_mark_solved_by_citizen as report_mark_solved_by_citizen,
)
