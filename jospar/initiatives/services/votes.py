"""The public vote: one verified person, one vote per ballot.

Every rule is checked for every vote, in this order: a signed-in, active person; the throttle
per account and per client address (``core.throttle``, both counted in one Redis round trip,
refused with 429 and nothing stored); a citizen account's e-mail confirmed (users an
administrator created count as verified, as everywhere on the portal); the option on that
ballot; the ballot open; not the initiative's author; not a member of the nomination's jury
(all read in one statement); then the row, whose ``(ballot, voter)`` unique constraint makes a
second vote impossible even from two requests at once. More votes from one address on one
ballot than the burst rate allows within its window are all held for a moderator's review
(none counted until released). The tally is read from the stored votes and leaves out held and
void votes and any jury member's vote."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jospar.civic.services._common import require_confirmed
from jospar.core.audit import GENESIS, audit_append_sql, audit_event_prepare, audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import AuditChainHead, User
from jospar.core.throttle import rate, throttle_hits
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


def _tables() -> dict[str, str]:
    from jospar.civic.models import CitizenAccount
    from jospar.initiatives.models import HeartNomination

    return {
        "ballot": Ballot._meta.db_table,
        "juror": HeartJuror._meta.db_table,
        "nomination": HeartNomination._meta.db_table,
        "initiative": Initiative._meta.db_table,
        "account": CitizenAccount._meta.db_table,
        "vote": Vote._meta.db_table,
        "head": AuditChainHead._meta.db_table,
    }


@cache
def _facts_sql() -> str:
    """Everything the rules read, in one statement: the ballot's window, whether the voter's
    citizen account is unconfirmed, is on the nomination's jury, wrote the initiative, and how
    many votes this address gave on this ballot within the burst window; and the audit chain's
    head, locked for the vote's audit row (the lock every audited change takes)."""
    t = _tables()
    return (
        "SELECT b.opens_at, b.closes_at, "
        f"EXISTS (SELECT 1 FROM {t['account']} a WHERE a.user_id = %(user)s "
        "AND a.email_confirmed_at IS NULL), "
        f"EXISTS (SELECT 1 FROM {t['juror']} j JOIN {t['nomination']} n "
        "ON n.cycle_id = j.cycle_id WHERE n.id = b.nomination_id AND j.user_id = %(user)s), "
        f"EXISTS (SELECT 1 FROM {t['initiative']} i WHERE i.id = b.initiative_id "
        "AND i.author_id = %(user)s), "
        f"(SELECT count(*) FROM {t['vote']} v WHERE v.ballot_id = b.id "
        "AND v.address_key = %(key)s AND v.cast_at >= %(since)s), "
        "h.id, h.last_hash, h.seq, "
        # PostgreSQL: the vote's id drawn now, so that the vote and its audit row (whose hash
        # names it) go in one statement; a refused vote leaves a gap in the ids, nothing else.
        + (
            f"nextval(pg_get_serial_sequence('{t['vote']}', 'id')) "
            if connection.vendor == "postgresql"
            else "NULL "
        )
        + f"FROM {t['ballot']} b CROSS JOIN {t['head']} h WHERE b.id = %(ballot)s AND h.id = 1"
        # SQLite locks the whole database for a write transaction anyway.
        + (" FOR UPDATE OF h" if connection.vendor == "postgresql" else "")
    )


@cache
def _insert_sql() -> str:
    # The (ballot, voter) unique constraint decides a second vote, even from two requests at
    # once: no row comes back and nothing is written.
    return (
        f"INSERT INTO {Vote._meta.db_table} "
        "(ballot_id, option_id, voter_id, address_key, state, cast_at) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (ballot_id, voter_id) DO NOTHING "
        "RETURNING id"
    )


def require_verified(actor: Any) -> Any:
    """A verified person: signed in, active, and (with a citizen account) e-mail confirmed."""
    return require_confirmed(actor)


def _signed_in(actor: Any) -> User:
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        raise PermissionRefused("login_required", _("Log in to do this."))
    return actor


def _moment(value: Any) -> dt.datetime:
    """A stored moment read by raw SQL: SQLite gives it naive (UTC) or as text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    assert isinstance(value, dt.datetime)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def _db_moment(value: dt.datetime) -> Any:
    """A moment as the database compares it (SQLite: the text Django stores)."""
    return connection.ops.adapt_datetimefield_value(value)


def vote_cast(*, actor: Any, ballot: Ballot, option: BallotOption, address: str) -> Vote:
    """Cast one vote with every rule checked (the module's docstring). The hot path of the
    public vote: one round trip to Redis counts both throttles, then one transaction of two
    statements: what the rules read (with the audit head's lock), then the vote with its audit
    row. On PostgreSQL, called outside any transaction (as the pages and the API call it), the
    transaction goes in two round trips through psycopg's pipeline mode: BEGIN with the read,
    the write with COMMIT (:func:`_cast_pipelined`); inside a caller's transaction, in it."""
    user = _signed_in(actor)
    # Counted for every attempt of a signed-in person, as before any other check.
    wait = throttle_hits([("vote_user", f"user:{user.pk}"), ("vote_ip", address)])
    if wait:
        raise VoteThrottled(wait)
    key = address_key(address)
    burst = rate("vote_burst")
    at = now()
    since = at - dt.timedelta(seconds=burst.seconds)
    params: dict[str, Any] = {
        "user": user.pk,
        "key": key,
        "since": _db_moment(since),
        "ballot": ballot.pk,
    }
    if (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and connection.get_autocommit()
    ):
        vote = _cast_pipelined(user, ballot, option, params, at, since, burst.limit)
        if vote is not None:
            return vote
        # No row read: a new database without the audit chain's head, or no such ballot.
    with transaction.atomic():
        facts = _facts(params)
        state = _rules(facts, ballot, option, at, burst.limit)
        vote = Vote(
            pk=facts[9],
            ballot_id=ballot.pk,
            option=option,
            voter=user,
            address_key=key,
            state=state,
            cast_at=at,
        )
        head = AuditChainHead(pk=facts[6], last_hash=facts[7], seq=facts[8])
        if facts[9] is not None:
            sql, sql_params = _write_sql(vote, user, head, since)
            with connection.cursor() as cursor:
                cursor.execute(sql, sql_params)
                _written(cursor.fetchone())
        else:
            if state == VoteState.HELD:
                _hold_burst(ballot, key, since)
            _write_then_audit(vote, user, head)
    return vote


def _facts(params: dict[str, Any]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(), params)
        row = cursor.fetchone()
        if row is None and not AuditChainHead.objects.filter(pk=1).exists():
            # A new database: the chain's head is made by the first audited change.
            AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS, "seq": 0})
            cursor.execute(_facts_sql(), params)
            row = cursor.fetchone()
    return row


def _rules(facts: Any, ballot: Ballot, option: BallotOption, at: dt.datetime, burst: int) -> str:
    """The rules on what :func:`_facts_sql` read: a refusal raised, else the vote's state
    (held when it makes a burst from its address)."""
    if facts is not None and facts[2]:
        raise PermissionRefused(
            "email_unconfirmed",
            _("Confirm your e-mail address first: open the link we sent."),
        )
    if option.ballot_id != ballot.pk:
        message = _("Choose one of this vote's options.")
        raise ServiceError("bad_option", message, {"option": [message]})
    if facts is None or not _moment(facts[0]) <= at < _moment(facts[1]):
        raise Conflict("vote_closed", _("This vote is not open."))
    if facts[4]:
        raise PermissionRefused(
            "own_initiative", _("The author does not vote on their own initiative.")
        )
    if facts[3]:
        raise PermissionRefused(
            "jury_member", _("A member of the jury does not take part in the public vote.")
        )
    # A burst from one address: this vote and the earlier ones in the window are held.
    return VoteState.HELD if facts[5] + 1 > burst else VoteState.COUNTED


def _hold_burst(ballot: Ballot, key: str, since: dt.datetime) -> None:
    Vote.objects.filter(
        ballot_id=ballot.pk, address_key=key, cast_at__gte=since, state=VoteState.COUNTED
    ).update(state=VoteState.HELD)


def _cast_pipelined(
    user: User,
    ballot: Ballot,
    option: BallotOption,
    params: dict[str, Any],
    at: dt.datetime,
    since: dt.datetime,
    burst: int,
) -> Vote | None:
    """PostgreSQL outside a transaction: the same transaction as :func:`vote_cast`'s, in two
    round trips instead of four, through psycopg's pipeline mode — BEGIN sent with the read,
    and the write sent with COMMIT. The write is one statement that writes nothing when the
    unique constraint finds a vote already there (nor holds a burst, nor appends to the chain),
    so committing it then is the same as rolling back. A refusal sends ROLLBACK instead; an
    error rolls back. The chain head's lock, taken by the read, is held one round trip less.
    None when the read found no row (the caller takes the ordinary path)."""
    from psycopg import pq

    connection.ensure_connection()
    pg = connection.connection
    vote = None
    try:
        with (
            connection.wrap_database_errors,
            connection.cursor() as control,
            connection.cursor() as read,
            connection.cursor() as write,
        ):
            with pg.pipeline():
                control.execute("BEGIN")
                read.execute(_facts_sql(), params)
                facts = read.fetchone()
                try:
                    if facts is None:
                        raise _NoRow
                    state = _rules(facts, ballot, option, at, burst)
                    vote = Vote(
                        pk=facts[9],
                        ballot_id=ballot.pk,
                        option=option,
                        voter=user,
                        address_key=params["key"],
                        state=state,
                        cast_at=at,
                    )
                    head = AuditChainHead(pk=facts[6], last_hash=facts[7], seq=facts[8])
                    write.execute(*_write_sql(vote, user, head, since))
                    control.execute("COMMIT")
                except BaseException:
                    control.execute("ROLLBACK")
                    raise
            # Both round trips done: the write's result is here.
            _written(write.fetchone())
    except _NoRow:
        return None
    finally:
        if pg.info.transaction_status != pq.TransactionStatus.IDLE:
            # An error inside the transaction: it is rolled back (the pipeline has ended).
            with connection.wrap_database_errors:
                pg.rollback()
    return vote


class _NoRow(Exception):
    pass


def _audit_args(vote: Vote, user: User, head: AuditChainHead) -> dict[str, Any]:
    return {
        "actor": user,
        "action": "vote.cast",
        "object_type": "initiatives.vote",
        "object_id": vote.pk,
        "after": {"ballot": vote.ballot_id, "state": vote.state},
        "head": head,
    }


def _already_voted() -> Conflict:
    # Raised inside the transaction: it rolls back the holding of a burst too.
    return Conflict("already_voted", _("You have already voted here."))


def _write_sql(
    vote: Vote, user: User, head: AuditChainHead, since: dt.datetime
) -> tuple[str, list[Any]]:
    """PostgreSQL: the vote (under its unique constraint), the holding of the earlier votes of
    a burst from its address, and its audit row in one statement; the holding and the audit
    row only when the vote was written (the statement then returns the vote's id)."""
    event = audit_event_prepare(**_audit_args(vote, user, head))
    audit_sql, audit_params = audit_append_sql(event, head, when="EXISTS (SELECT 1 FROM v)")
    table = Vote._meta.db_table
    hold = ""
    hold_params: list[Any] = []
    if vote.state == VoteState.HELD:
        # The same snapshot: the UPDATE does not see the new row, which is written held.
        hold = (
            f"held AS (UPDATE {table} SET state = %s WHERE ballot_id = %s AND address_key = %s "
            "AND cast_at >= %s AND state = %s AND EXISTS (SELECT 1 FROM v) RETURNING id), "
        )
        hold_params = [VoteState.HELD, vote.ballot_id, vote.address_key, since, VoteState.COUNTED]
    sql = (
        f"WITH v AS (INSERT INTO {table} "
        "(id, ballot_id, option_id, voter_id, address_key, state, cast_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (ballot_id, voter_id) DO NOTHING "
        f"RETURNING id), {hold}{audit_sql} SELECT (SELECT id FROM v), (SELECT id FROM audit_h)"
    )
    params = [
        vote.pk,
        vote.ballot_id,
        vote.option_id,
        vote.voter_id,
        vote.address_key,
        vote.state,
        vote.cast_at,
        *hold_params,
        *audit_params,
    ]
    return sql, params


def _written(row: Any) -> None:
    if row is None or row[0] is None:
        raise _already_voted()
    if row[1] is None:
        raise RuntimeError("the audit chain's head is missing")


def _write_then_audit(vote: Vote, user: User, head: AuditChainHead) -> None:
    """Elsewhere (SQLite): the INSERT, then the audit row."""
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(),
            [
                vote.ballot_id,
                vote.option_id,
                vote.voter_id,
                vote.address_key,
                vote.state,
                _db_moment(vote.cast_at),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        raise _already_voted()
    vote.pk = row[0]
    audit_record(**_audit_args(vote, user, head))


def votes_review(*, actor: Any, ballot: Ballot, address: str, count: bool) -> int:
    """A moderator releases (counts) or voids the votes held from one address on one ballot."""
    from jospar.civic.access import can_moderate

    user = require_confirmed(actor)
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
    user = require_confirmed(actor)
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

    user = require_confirmed(actor)
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
