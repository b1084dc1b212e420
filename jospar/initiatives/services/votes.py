"""The public vote: one verified person, one vote per ballot.

Every rule is checked for every vote, in this order: a signed-in, active person whose citizen
account's e-mail is confirmed (users an administrator created count as verified, as everywhere
on the portal); the throttle per account and per client address (``core.throttle``, refused
with 429 and nothing stored); the ballot open; the option on that ballot; not a member of the
nomination's jury; then the row, whose ``(ballot, voter)`` unique constraint makes a second
vote impossible even from two requests at once. More votes from one address on one ballot than
the burst rate allows within its window are all held for a moderator's review (none counted
until released). The tally is read from the stored votes and leaves out held and void votes and
any jury member's vote."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.throttle import rate, throttle_hit
from jospar.initiatives.access.initiatives import is_coordinator_for
from jospar.initiatives.models import (
    Answer,
    Ballot,
    BallotKind,
    BallotOption,
    HeartJuror,
    Initiative,
    InitiativeState,
    SelectionBody,
    Vote,
    VoteState,
)
from jospar.initiatives.services._common import (
    audit,
    event,
    locked,
    now,
    refused,
    require_user,
)

SELECTION_DAYS_MAX = 60


class VoteThrottled(ServiceError):
    status = 429

    def __init__(self, wait: int) -> None:
        super().__init__("throttled", _("Too many votes from here. Try again later."))
        self.wait = wait


def address_key(address: str) -> str:
    """A keyed hash of the client's address: bursts are found without storing the address."""
    secret = str(getattr(settings, "SECRET_KEY", "")).encode()
    digest = hmac.new(secret, f"vote:{address}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def require_verified(actor: Any) -> Any:
    """A verified person: signed in, active, and (with a citizen account) e-mail confirmed."""
    return require_user(actor)


def vote_cast(*, actor: Any, ballot: Ballot, option: BallotOption, address: str) -> Vote:
    user = require_verified(actor)
    wait = throttle_hit("vote_user", f"user:{user.pk}") or throttle_hit("vote_ip", address)
    if wait:
        raise VoteThrottled(wait)
    if option.ballot_id != ballot.pk:
        message = _("Choose one of this vote's options.")
        raise ServiceError("bad_option", message, {"option": [message]})
    key = address_key(address)
    burst = rate("vote_burst")
    try:
        with transaction.atomic():
            # One query for the ballot's window and who the voter is to it. No row lock: the
            # unique constraint decides a second vote, and the burst rule is a count.
            facts = (
                Ballot.objects.filter(pk=ballot.pk)
                .annotate(
                    juror=Exists(
                        HeartJuror.objects.filter(
                            cycle__nominations=OuterRef("nomination_id"), user_id=user.pk
                        )
                    ),
                    own=Exists(
                        Initiative.objects.filter(pk=OuterRef("initiative_id"), author_id=user.pk)
                    ),
                )
                .values("opens_at", "closes_at", "juror", "own")
                .first()
            )
            at = now()
            if facts is None or not facts["opens_at"] <= at < facts["closes_at"]:
                raise Conflict("vote_closed", _("This vote is not open."))
            if facts["own"]:
                raise PermissionRefused(
                    "own_initiative", _("The author does not vote on their own initiative.")
                )
            if facts["juror"]:
                raise PermissionRefused(
                    "jury_member",
                    _("A member of the jury does not take part in the public vote."),
                )
            since = at - dt.timedelta(seconds=burst.seconds)
            recent = Vote.objects.filter(ballot_id=ballot.pk, address_key=key, cast_at__gte=since)
            state = VoteState.COUNTED
            if recent.count() + 1 > burst.limit:
                state = VoteState.HELD
                recent.filter(state=VoteState.COUNTED).update(state=VoteState.HELD)
            # A second vote breaks the (ballot, voter) constraint and rolls this back whole.
            vote = Vote.objects.create(
                ballot_id=ballot.pk,
                option=option,
                voter=user,
                address_key=key,
                state=state,
                cast_at=at,
            )
            audit_record(
                actor=user,
                action="vote.cast",
                object_type="initiatives.vote",
                object_id=vote.pk,
                after={"ballot": ballot.pk, "state": state},
            )
    except IntegrityError:
        raise Conflict("already_voted", _("You have already voted here.")) from None
    return vote


def votes_review(*, actor: Any, ballot: Ballot, address: str, count: bool) -> int:
    """A moderator releases (counts) or voids the votes held from one address on one ballot."""
    from jospar.civic.access import can_moderate

    user = require_user(actor)
    if not can_moderate(user):
        raise PermissionRefused("forbidden", _("Only a moderator may do this."))
    with transaction.atomic():
        rows = Vote.objects.select_for_update().filter(
            ballot=ballot, address_key=address, state=VoteState.HELD
        )
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            raise Conflict("nothing_held", _("No votes are held here."))
        to = VoteState.COUNTED if count else VoteState.VOID
        Vote.objects.filter(pk__in=ids).update(state=to, reviewed_by=user, reviewed_at=now())
        audit_record(
            actor=user,
            action="vote.review",
            object_type="initiatives.ballot",
            object_id=ballot.pk,
            after={"votes": len(ids), "state": to},
        )
    return len(ids)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def ballot_open_selection(*, actor: Any, initiative: Initiative, closes_on: dt.date) -> Ballot:
    """The region's responsible official puts a submitted initiative to a public vote instead
    of a meeting: for or against, open from now to the end of ``closes_on``."""
    user = require_user(actor)
    today = timezone.localdate()
    if not today <= closes_on <= today + dt.timedelta(days=SELECTION_DAYS_MAX):
        message = _("The vote closes from today to %(days)d days later.") % {
            "days": SELECTION_DAYS_MAX
        }
        raise ServiceError("bad_date", message, {"closes_on": [message]})
    with transaction.atomic():
        current = locked(initiative)
        if not is_coordinator_for(user, current):
            raise refused()
        if current.state != InitiativeState.SUBMITTED:
            raise Conflict("wrong_state", _("Only a submitted initiative is put to a vote."))
        at = now()
        if Ballot.objects.filter(initiative=current, closes_at__gt=at).exists():
            raise Conflict("vote_open", _("A vote on this initiative is already open."))
        ballot = Ballot.objects.create(
            kind=BallotKind.SELECTION,
            initiative=current,
            opens_at=at,
            closes_at=_end_of(closes_on),
            created_by=user,
            created_at=at,
        )
        BallotOption.objects.bulk_create(
            [BallotOption(ballot=ballot, answer=a) for a in (Answer.FOR, Answer.AGAINST)]
        )
        current.updated_at = at
        current.save(update_fields=["updated_at"])
        event(
            current,
            actor=user,
            kind="vote_opened",
            at=at,
            note=_("Public vote until %(date)s") % {"date": closes_on.strftime("%d.%m.%Y")},
        )
        audit(
            actor=user,
            action="initiative.vote_open",
            initiative=current,
            extra={"ballot": ballot.pk, "closes_on": closes_on.isoformat()},
        )
    return ballot


def initiative_decide_by_vote(*, actor: Any, initiative: Initiative) -> Initiative:
    """After the vote closed, the official records its outcome: selected when more counted
    votes are for than against. Votes held for review must be reviewed first."""
    from jospar.initiatives.selectors.votes import tally
    from jospar.initiatives.services.lifecycle import _move

    user = require_user(actor)
    with transaction.atomic():
        current = locked(initiative)
        if not is_coordinator_for(user, current):
            raise refused()
        at = now()
        ballot = Ballot.objects.filter(initiative=current).order_by("-closes_at").first()
        if ballot is None or ballot.closes_at > at:
            raise Conflict("vote_not_closed", _("The public vote has not closed yet."))
        if Vote.objects.filter(ballot=ballot, state=VoteState.HELD).exists():
            raise Conflict("votes_held", _("Some votes are held for review: review them first."))
        counts = tally(ballot)
        answers = dict(ballot.options.values_list("answer", "pk"))
        yes = counts.get(answers[Answer.FOR], 0)
        no = counts.get(answers[Answer.AGAINST], 0)
        selected = yes > no
        text = _("Public vote: %(yes)d for, %(no)d against.") % {"yes": yes, "no": no}
        current.decision_body = SelectionBody.PUBLIC_VOTE
        current.decision_date = timezone.localdate()
        current.decision_text = text
        if selected:
            current.selected_at = at
        current, before = _move(
            current,
            actor=user,
            to=InitiativeState.SELECTED if selected else InitiativeState.REJECTED,
            allowed_from=(InitiativeState.SUBMITTED,),
            action="selected" if selected else "rejected",
            at=at,
            note=text,
        )
        audit(
            actor=user,
            action="initiative.select" if selected else "initiative.reject",
            initiative=current,
            before=before,
            reason=text,
            extra={"ballot": ballot.pk, "for": yes, "against": no},
        )
    return current
