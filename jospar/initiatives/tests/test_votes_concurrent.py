"""The public vote as the pages and the API cast it on PostgreSQL: outside any transaction,
in two round trips (psycopg's pipeline mode: BEGIN with the read, the write with COMMIT), and
from several connections at once. Every rule still refuses and writes nothing, a refused vote
leaves no transaction open, a burst is held only when the vote that makes it is written, the
unique constraint lets one of two simultaneous votes of one person through, and the audit
chain stays whole."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from jospar.core.audit import audit_verify_chain
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User
from jospar.initiatives import services
from jospar.initiatives.models import Ballot, HeartNominee, Initiative, Vote, VoteState
from jospar.initiatives.selectors.votes import tally
from jospar.initiatives.services.votes import vote_cast
from jospar.initiatives.tests.conftest import World
from jospar.initiatives.tests.heart_world import patron_nominee, set_stage

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="PostgreSQL's path (pipeline mode, row locks); SQLite lets one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def nominee(world: World, make_initiative: Callable[..., Initiative]) -> HeartNominee:
    make_initiative("implemented")
    return patron_nominee(world)


def _ballot(nominee: HeartNominee) -> Ballot:
    return Ballot.objects.get(nomination=nominee.nomination)


def _vote(user: User, nominee: HeartNominee, address: str = "198.51.100.1") -> Vote:
    assert not connection.in_atomic_block  # the pipelined path
    return vote_cast(actor=user, ballot=_ballot(nominee), option=nominee.option, address=address)


def _idle() -> bool:
    from psycopg import pq

    pg = connection.connection
    return pg is None or pg.info.transaction_status == pq.TransactionStatus.IDLE


def _counted(nominee: HeartNominee) -> int:
    return tally(_ballot(nominee)).get(nominee.option.pk, 0)


def test_votes_and_refusals_outside_a_transaction(
    world: World, nominee: HeartNominee, make_user: Callable[..., User]
) -> None:
    vote = _vote(world.citizen, nominee)
    assert vote.pk
    assert vote.state == VoteState.COUNTED
    assert _idle()
    audited = AuditEvent.objects.filter(action="vote.cast", object_id=str(vote.pk))
    assert audited.count() == 1
    with pytest.raises(Conflict) as error:
        _vote(world.citizen, nominee, address="192.0.2.50")
    assert error.value.code == "already_voted"
    assert _idle()
    juror = make_user(username="juror")
    services.juror_appoint(actor=world.admin, cycle=nominee.nomination.cycle, user=juror)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionRefused) as refused:
        _vote(juror, nominee)
    assert refused.value.code == "jury_member"
    assert _idle()
    other = Ballot.objects.filter(nomination__cycle=nominee.nomination.cycle).exclude(
        pk=_ballot(nominee).pk
    )[0]
    with pytest.raises(ServiceError):
        vote_cast(actor=world.volunteer, ballot=other, option=nominee.option, address="192.0.2.9")
    set_stage(nominee.nomination.cycle, "jury")
    with pytest.raises(Conflict) as closed:
        _vote(world.volunteer, nominee)
    assert closed.value.code == "vote_closed"
    assert _idle()
    # Nothing written by any refusal: one vote, no audit row after the juror's appointment.
    assert Vote.objects.count() == 1
    assert AuditEvent.objects.count() == before
    assert audit_verify_chain().ok


def test_a_refused_second_vote_does_not_hold_a_burst(
    world: World, nominee: HeartNominee, make_user: Callable[..., User], settings: Any
) -> None:
    settings.JOSPAR_THROTTLE_RATES = {**settings.JOSPAR_THROTTLE_RATES, "vote_burst": "5/600"}
    people = [make_user(username=f"family{n}") for n in range(6)]
    for person in people[:5]:
        _vote(person, nominee, address="203.0.113.7")
    assert _counted(nominee) == 5
    # The sixth from the address would make a burst, but it is a second vote: refused, and the
    # holding of the five rolls back with it.
    with pytest.raises(Conflict):
        _vote(people[0], nominee, address="203.0.113.7")
    assert _counted(nominee) == 5
    # A new voter's sixth vote is written: it and the five are held.
    sixth = _vote(people[5], nominee, address="203.0.113.7")
    assert sixth.state == VoteState.HELD
    assert set(Vote.objects.values_list("state", flat=True)) == {VoteState.HELD}
    assert _counted(nominee) == 0
    assert audit_verify_chain().ok


def _at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads (a connection each) released together; results or errors."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except Exception as error:  # compared below
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_votes_of_one_person_at_once_one_counted(world: World, nominee: HeartNominee) -> None:
    ballot = _ballot(nominee)
    results = _at_once(
        [
            functools.partial(
                vote_cast,
                actor=world.citizen,
                ballot=ballot,
                option=nominee.option,
                address=f"10.0.0.{n}",
            )
            for n in range(2)
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Vote"]
    assert Vote.objects.filter(voter=world.citizen).count() == 1
    assert _counted(nominee) == 1
    assert AuditEvent.objects.filter(action="vote.cast").count() == 1
    assert audit_verify_chain().ok


def test_many_voters_at_once_every_vote_counted_and_chained(
    world: World, nominee: HeartNominee, make_user: Callable[..., User]
) -> None:
    ballot = _ballot(nominee)
    people = [make_user(username=f"voter{n}") for n in range(8)]
    results = _at_once(
        [
            functools.partial(
                vote_cast, actor=p, ballot=ballot, option=nominee.option, address=f"10.1.0.{n}"
            )
            for n, p in enumerate(people)
        ]
    )
    assert all(isinstance(r, Vote) for r in results), results
    assert _counted(nominee) == 8
    assert AuditEvent.objects.filter(action="vote.cast").count() == 8
    assert audit_verify_chain().ok
