"""What citizens do around a report: support it, comment and propose, report abuse, follow."""

from __future__ import annotations

import math
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jospar.civic.access import can_see_report
from jospar.civic.events import EventKind
from jospar.civic.models import (
    OPEN_STATES,
    AbuseReport,
    CitizenReport,
    CommentKind,
    Follow,
    ReportComment,
    ReportSupport,
    Topic,
)
from jospar.civic.notify import notify_followers
from jospar.civic.privacy import mask_personal_data
from jospar.civic.services._common import (
    COMMENT_MAX_CHARS,
    audit,
    clean_reason,
    clean_text,
    locked,
    now,
    require_confirmed,
    require_user,
    save_report,
    snapshot,
    write_event,
)
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import Region, User

# Kazakhstan lies within about 40.5–55.5° N and 46.4–87.4° E; an area must touch it.
_KZ_BOX = (40.0, 46.0, 56.0, 88.0)
FOLLOWS_MAX = 200


def _not_found() -> ServiceError:
    return ServiceError("not_found", _("No such report."))


def report_support(*, actor: User, report: CitizenReport) -> ReportSupport:
    """A citizen with the same problem supports an open report instead of filing it again;
    they follow it from now on."""
    user = require_confirmed(actor)
    with transaction.atomic():
        current = locked(report)
        if not current.is_public:
            raise _not_found()
        if current.state not in OPEN_STATES:
            raise Conflict("not_open", _("Only an open report can be supported."))
        if current.author_id == user.pk:
            raise Conflict("own_report", _("You cannot support your own report."))
        if ReportSupport.objects.filter(report=current, user=user).exists():
            raise Conflict("already_supported", _("You already support this report."))
        before = snapshot(current)
        at = now()
        try:
            with transaction.atomic():
                support = ReportSupport.objects.create(report=current, user=user)
        except IntegrityError:
            raise Conflict("already_supported", _("You already support this report.")) from None
        CitizenReport.objects.filter(pk=current.pk).update(
            support_count=F("support_count") + 1, updated_at=at
        )
        current.refresh_from_db(fields=["support_count", "updated_at"])
        Follow.objects.get_or_create(user=user, report=current)
        write_event(current, actor=user, kind=EventKind.SUPPORTED, at=at)
        audit(
            actor=user,
            action="report.supported",
            report=current,
            before=before,
            after=snapshot(current),
        )
    return support


def comment_add(
    *, actor: User, report: CitizenReport, text: str, kind: str = CommentKind.COMMENT
) -> ReportComment:
    """A comment, or a proposed solution, on a public report; shown with personal data
    masked. The report's followers are told."""
    user = require_confirmed(actor)
    if kind not in CommentKind.values:
        message = _("Choose a comment or a proposed solution.")
        raise ServiceError("invalid_kind", message, {"kind": [message]})
    body = clean_text(
        text,
        field="text",
        max_chars=COMMENT_MAX_CHARS,
        code="comment_required",
        required_message=_("Write the comment."),
    )
    with transaction.atomic():
        current = locked(report)
        if not current.is_public:
            raise _not_found()
        at = now()
        comment = ReportComment.objects.create(
            report=current,
            author=user,
            kind=kind,
            text=body,
            public_text=mask_personal_data(body),
            created_at=at,
        )
        save_report(current, [], at)
        event = write_event(
            current,
            actor=user,
            kind=EventKind.PROPOSED if kind == CommentKind.PROPOSAL else EventKind.COMMENTED,
            public_note=body,
            at=at,
        )
        audit(
            actor=user,
            action="comment.added",
            report=current,
            before=None,
            after={"comment_id": comment.pk, "kind": kind},
        )
        notify_followers(report=current, event=event, actor=user)
    return comment


def abuse_report_file(
    *,
    actor: User | None,
    report: CitizenReport,
    comment: ReportComment | None = None,
    reason: str,
) -> AbuseReport:
    """Anyone (signed in or not) tells the moderators that a report or a comment is abusive."""
    reporter = actor if isinstance(actor, User) and actor.is_authenticated else None
    why = clean_reason(reason)
    with transaction.atomic():
        current = locked(report)
        if not can_see_report(reporter, current):
            raise _not_found()
        if comment is not None and (comment.report_id != current.pk or comment.hidden):
            message = _("No such comment on this report.")
            raise ServiceError("invalid_comment", message, {"comment": [message]})
        at = now()
        abuse = AbuseReport.objects.create(
            report=current,
            comment=comment,
            reporter=reporter,
            reason=why,
            created_at=at,
        )
        save_report(current, [], at)
        write_event(
            current,
            actor=reporter,
            kind=EventKind.ABUSE_REPORTED,
            internal_note=why,
            at=at,
        )
        audit(
            actor=reporter,
            action="abuse.reported",
            report=current,
            before=None,
            after={"abuse_id": abuse.pk, "comment_id": comment.pk if comment else None},
            reason=why,
        )
    return abuse


# --- follows ----------------------------------------------------------------------------------


def _bbox(bbox: Any) -> list[float]:
    message = _(
        "The area must be four numbers: south, west, north and east, in degrees, within Kazakhstan."
    )
    error = ServiceError("invalid_area", message, {"bbox": [message]})
    if not isinstance(bbox, list | tuple) or len(bbox) != 4:
        raise error
    try:
        south, west, north, east = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise error from None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        raise error
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise error
    k_south, k_west, k_north, k_east = _KZ_BOX
    if north < k_south or south > k_north or east < k_west or west > k_east:
        raise error
    return [round(v, 6) for v in (south, west, north, east)]


def follow_add(
    *,
    actor: User,
    report: CitizenReport | None = None,
    region: Region | None = None,
    bbox: list[float] | tuple[float, ...] | None = None,
    topic: Topic | None = None,
) -> Follow:
    """Follow one report, or an area (a region or a box on the map, all topics or one).
    Following what one already follows returns that follow."""
    user = require_confirmed(actor)
    targets = [x for x in (report, region, bbox) if x is not None]
    if len(targets) != 1:
        message = _("Follow either one report, or one region, or one area on the map.")
        raise ServiceError("invalid_follow", message)
    if report is not None and topic is not None:
        message = _("A topic narrows an area, not a report.")
        raise ServiceError("invalid_follow", message, {"topic": [message]})
    box = _bbox(bbox) if bbox is not None else None
    with transaction.atomic():
        if report is not None:
            current = locked(report)
            if not can_see_report(user, current):
                raise _not_found()
            existing = Follow.objects.filter(user=user, report=current).first()
        else:
            current = None
            query = Follow.objects.filter(
                user=user, report__isnull=True, region=region, topic=topic
            )
            query = query.filter(bbox=box) if box is not None else query.filter(bbox__isnull=True)
            existing = query.first()
        if existing is not None:
            return existing
        if Follow.objects.filter(user=user).count() >= FOLLOWS_MAX:
            raise Conflict(
                "too_many_follows",
                _("You follow %(limit)d reports and areas already; stop following some first.")
                % {"limit": FOLLOWS_MAX},
            )
        follow = Follow.objects.create(
            user=user, report=current, region=region, bbox=box, topic=topic
        )
        audit_record(
            actor=user,
            action="civic.follow.added",
            object_type="civic.follow",
            object_id=follow.pk,
            after={
                "report_id": current.pk if current else None,
                "region_id": region.pk if region else None,
                "bbox": box,
                "topic_id": topic.pk if topic else None,
            },
        )
    return follow


def follow_remove(*, actor: User, follow: Follow) -> None:
    """Stop following (one's own follows only)."""
    user = require_user(actor)
    if follow.user_id != user.pk:
        raise PermissionRefused("forbidden", _("This is not your subscription."))
    with transaction.atomic():
        stored = Follow.objects.select_for_update().filter(pk=follow.pk).first()
        if stored is None:
            return
        audit_record(
            actor=user,
            action="civic.follow.removed",
            object_type="civic.follow",
            object_id=stored.pk,
            before={
                "report_id": stored.report_id,
                "region_id": stored.region_id,
                "bbox": stored.bbox,
                "topic_id": stored.topic_id,
            },
        )
        stored.delete()
