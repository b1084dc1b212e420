"""The controller's review of a submitted report: accept it, or return it with a comment and a
new date.

Accepting the lead executor's consolidated report accepts the co-executors' obligations of the
same activity and date too: their input was part of it. Returning it returns the lead's
obligation only.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_after, counts_before
from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportKind,
    ReportState,
    Review,
    ReviewDecision,
)
from jospar.control.review_notices import notify_reviewed
from jospar.control.services.common import (
    facts,
    local_today,
    locked,
    require_open,
    require_reviewer,
    working_deadline,
)
from jospar.control.services.evidence import has_missing_reasons
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import User

COMMENT_MAX_CHARS = 10_000


def _reviewable(actor: User, report: ExecutionReport) -> tuple[Obligation, ExecutionReport]:
    obligation = locked(report.obligation)
    require_reviewer(actor, obligation)
    current = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if current.kind != ReportKind.REPORT:
        raise Conflict(
            "input_not_reviewed",
            _(
                "This is a co-executor's input to the lead executor; the controller reviews the"
                " lead's consolidated report."
            ),
        )
    if current.state == ReportState.DRAFT:
        raise Conflict("not_submitted", _("This report is still a draft: it was not submitted."))
    if current.state in (ReportState.ACCEPTED, ReportState.RETURNED):
        raise Conflict(
            "already_reviewed",
            _("This version has already been reviewed (%(state)s).")
            % {"state": current.get_state_display()},
        )
    require_open(obligation)
    return obligation, current


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        message = _("The comment may be at most %(limit)d characters long.") % {
            "limit": COMMENT_MAX_CHARS
        }
        raise ServiceError("comment_too_long", message, {"comment": [message]})
    return comment


def report_accept(*, actor: User, report: ExecutionReport, comment: str = "") -> Review:
    """Accept a submitted report; the obligation (and, for a lead, its co-executors') is done."""
    with transaction.atomic():
        obligation, report = _reviewable(actor, report)
        comment = _comment(comment)
        waived = has_missing_reasons(report)
        if waived and not comment:
            # The executor said why some evidence cannot be given: accepting it is the
            # controller's decision, and the comment records why (docs/decisions.md).
            message = _(
                "The report gives a reason instead of some evidence: say in the comment why it"
                " is accepted without it."
            )
            raise ServiceError("comment_required", message, {"comment": [message]})
        before = facts(obligation)
        # The lead's obligation and its co-executors', all accepted together.
        kept = counts_before(Q(pk=obligation.pk) | Q(lead_obligation=obligation))
        now = timezone.now()
        review = Review.objects.create(
            report=report,
            decision=ReviewDecision.ACCEPTED,
            comment=comment,
            reviewer=actor,
            decided_at=now,
        )
        report.state = ReportState.ACCEPTED
        report.save(update_fields=["state", "updated_at"])
        obligation.accepted_at = now
        obligation.save(update_fields=["accepted_at"])
        contributions = list(
            Obligation.objects.select_for_update()
            .filter(lead_obligation=obligation, in_force=True, accepted_at__isnull=True)
            # By id: the default ordering would join the (nullable) activity, and PostgreSQL
            # locks nothing on the nullable side of an outer join.
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if contributions:
            Obligation.objects.filter(pk__in=contributions).update(accepted_at=now)
            ExecutionReport.objects.filter(
                obligation_id__in=contributions,
                kind=ReportKind.INPUT,
                state=ReportState.SUBMITTED,
            ).update(state=ReportState.ACCEPTED, updated_at=now)
        counts_after(kept)
        notify_reviewed(obligation=obligation, review=review, actor=actor)
        audit_record(
            actor=actor,
            action="report.accepted",
            object_type="control.Obligation",
            object_id=obligation.pk,
            before=before,
            after={
                **facts(obligation),
                "report": report.pk,
                "version": report.version,
                "review": review.pk,
                "comment": comment,
                "accepted_without_evidence": waived,
                "co_executors_accepted": contributions,
            },
        )
    return review


def report_return(
    *, actor: User, report: ExecutionReport, comment: str, new_deadline: dt.date | None
) -> Review:
    """Return a submitted report for revision, with what to revise and by when."""
    with transaction.atomic():
        obligation, report = _reviewable(actor, report)
        comment = _comment(comment)
        if not comment:
            message = _("Say what must be revised: the executor sees this comment.")
            raise ServiceError("comment_required", message, {"comment": [message]})
        if new_deadline is not None and new_deadline < local_today():
            message = _("The new date is in the past; give today or a later date.")
            raise ServiceError("date_in_past", message, {"new_deadline": [message]})
        moved = working_deadline(new_deadline)
        before = facts(obligation)
        kept = counts_before(Q(pk=obligation.pk))
        now = timezone.now()
        review = Review.objects.create(
            report=report,
            decision=ReviewDecision.RETURNED,
            comment=comment,
            new_deadline=moved,
            reviewer=actor,
            decided_at=now,
        )
        report.state = ReportState.RETURNED
        report.save(update_fields=["state", "updated_at"])
        obligation.returned_at = now
        obligation.deadline = moved
        obligation.save(update_fields=["returned_at", "deadline"])
        counts_after(kept)
        notify_reviewed(obligation=obligation, review=review, actor=actor)
        audit_record(
            actor=actor,
            action="report.returned",
            object_type="control.Obligation",
            object_id=obligation.pk,
            before=before,
            after={
                **facts(obligation),
                "report": report.pk,
                "version": report.version,
                "review": review.pk,
                "requested_deadline": new_deadline.isoformat() if new_deadline else None,
            },
            reason=comment,
        )
    return review
