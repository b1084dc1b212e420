"""The public vote's rules, and the vote-fraud test: the same person twice, a scripted burst
from one address, a jury member voting — none counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jospar.civic.models import CitizenAccount
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User
from jospar.initiatives import services
from jospar.initiatives.models import Ballot, HeartNominee, Initiative, Vote, VoteState
from jospar.initiatives.selectors.votes import tally
from jospar.initiatives.services.votes import (
    VoteThrottled,
    address_key,
    ballot_open_selection,
    initiative_decide_by_vote,
    vote_cast,
    votes_review,
)
from jospar.initiatives.tests.conftest import World
from jospar.initiatives.tests.heart_world import patron_nominee, set_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominee(world: World, make_initiative: Callable[..., Initiative]) -> HeartNominee:
    make_initiative("implemented")
    return patron_nominee(world)


def _ballot(nominee: HeartNominee) -> Ballot:
    return Ballot.objects.get(nomination=nominee.nomination)


def _vote(user: User, nominee: HeartNominee, address: str = "198.51.100.1") -> Vote:
    ballot = _ballot(nominee)
    return vote_cast(actor=user, ballot=ballot, option=nominee.option, address=address)


def _counted(nominee: HeartNominee) -> int:
    return tally(_ballot(nominee)).get(nominee.option.pk, 0)


def test_a_verified_person_votes_once(world: World, nominee: HeartNominee) -> None:
    vote = _vote(world.citizen, nominee)
    assert vote.state == VoteState.COUNTED
    assert _counted(nominee) == 1
    # The same person again (another address too): refused, still one vote.
    with pytest.raises(Conflict) as error:
        _vote(world.citizen, nominee, address="192.0.2.50")
    assert error.value.code == "already_voted"
    assert Vote.objects.filter(voter=world.citizen).count() == 1
    assert _counted(nominee) == 1


def test_the_database_refuses_a_second_vote(world: World, nominee: HeartNominee) -> None:
    from django.db import IntegrityError, transaction

    first = _vote(world.citizen, nominee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            ballot=first.ballot,
            option=first.option,
            voter=world.citizen,
            address_key="x",
            cast_at=timezone.now(),
        )


def test_an_unverified_account_does_not_vote(
    world: World, nominee: HeartNominee, make_user: Callable[..., User]
) -> None:
    person = make_user(username="fresh", email="fresh@example.kz")
    CitizenAccount.objects.create(user=person, registered_at=timezone.now())
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionRefused):
        _vote(person, nominee)
    with pytest.raises(PermissionRefused):
        vote_cast(
            actor=None, ballot=_ballot(nominee), option=nominee.option, address="198.51.100.1"
        )
    assert Vote.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_scripted_burst_from_one_address_is_held(
    world: World, nominee: HeartNominee, make_user: Callable[..., User], settings: Any
) -> None:
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "vote_burst": "5/600",
    }
    bots = [make_user(username=f"bot{n}") for n in range(8)]
    for bot in bots:
        _vote(bot, nominee, address="203.0.113.7")
    # The first five looked fine when cast; the sixth showed a burst: all eight held.
    assert set(Vote.objects.values_list("state", flat=True)) == {VoteState.HELD}
    assert _counted(nominee) == 0
    # Another address is not affected.
    _vote(world.citizen, nominee, address="198.51.100.2")
    assert _counted(nominee) == 1
    # A moderator voids the burst: still not counted; nothing is held any more.
    voided = votes_review(
        actor=world.moderator,
        ballot=_ballot(nominee),
        address=address_key("203.0.113.7"),
        count=False,
    )
    assert voided == 8
    assert _counted(nominee) == 1
    assert not Vote.objects.filter(state=VoteState.HELD).exists()


def test_a_moderator_may_release_held_votes(
    world: World, nominee: HeartNominee, make_user: Callable[..., User]
) -> None:
    for n in range(6):
        _vote(make_user(username=f"family{n}"), nominee, address="203.0.113.9")
    assert _counted(nominee) == 0
    with pytest.raises(PermissionRefused):
        votes_review(
            actor=world.citizen,
            ballot=_ballot(nominee),
            address=address_key("203.0.113.9"),
            count=True,
        )
    assert _counted(nominee) == 0
    votes_review(
        actor=world.moderator,
        ballot=_ballot(nominee),
        address=address_key("203.0.113.9"),
        count=True,
    )
    assert _counted(nominee) == 6


def test_throttled_per_account_and_per_address(
    world: World, nominee: HeartNominee, make_user: Callable[..., User], settings: Any
) -> None:
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "vote_user": "2/3600",
        "vote_ip": "3/3600",
        "vote_burst": "100/600",
    }
    _vote(world.citizen, nominee, address="198.51.100.3")
    for address in ("198.51.100.4", "198.51.100.5"):
        with pytest.raises((Conflict, VoteThrottled)):
            _vote(world.citizen, nominee, address=address)
    # The third attempt of one account: throttled (429), whatever the address.
    with pytest.raises(VoteThrottled) as error:
        _vote(world.citizen, nominee, address="198.51.100.6")
    assert error.value.status == 429
    # One address: three attempts, then refused for anyone.
    people = [make_user(username=f"p{n}") for n in range(4)]
    _vote(people[0], nominee, address="192.0.2.9")
    _vote(people[1], nominee, address="192.0.2.9")
    _vote(people[2], nominee, address="192.0.2.9")
    with pytest.raises(VoteThrottled):
        _vote(people[3], nominee, address="192.0.2.9")
    assert not Vote.objects.filter(voter=people[3]).exists()


def test_a_jury_member_does_not_vote(
    world: World, nominee: HeartNominee, make_user: Callable[..., User]
) -> None:
    juror = make_user(username="juror")
    services.juror_appoint(actor=world.admin, cycle=nominee.nomination.cycle, user=juror)
    with pytest.raises(PermissionRefused) as error:
        _vote(juror, nominee)
    assert error.value.code == "jury_member"
    assert not Vote.objects.filter(voter=juror).exists()
    # A person who voted and was appointed to the jury afterwards: the vote is not counted.
    late = make_user(username="late-juror")
    _vote(late, nominee, address="198.51.100.8")
    assert _counted(nominee) == 1
    services.juror_appoint(actor=world.admin, cycle=nominee.nomination.cycle, user=late)
    assert _counted(nominee) == 0


def test_fraud_none_counted(
    world: World, nominee: HeartNominee, make_user: Callable[..., User]
) -> None:
    """The three frauds together: one honest vote is the whole tally."""
    juror = make_user(username="juror2")
    services.juror_appoint(actor=world.admin, cycle=nominee.nomination.cycle, user=juror)
    _vote(world.citizen, nominee, address="198.51.100.20")
    with pytest.raises(Conflict):
        _vote(world.citizen, nominee, address="198.51.100.21")
    for n in range(10):
        _vote(make_user(username=f"script{n}"), nominee, address="203.0.113.66")
    with pytest.raises(PermissionRefused):
        _vote(juror, nominee, address="198.51.100.22")
    assert _counted(nominee) == 1


def test_outside_the_window_and_a_foreign_option(world: World, nominee: HeartNominee) -> None:
    set_stage(nominee.nomination.cycle, "jury")
    with pytest.raises(Conflict) as error:
        _vote(world.citizen, nominee)
    assert error.value.code == "vote_closed"
    set_stage(nominee.nomination.cycle, "vote")
    other = Ballot.objects.filter(nomination__cycle=nominee.nomination.cycle).exclude(
        pk=_ballot(nominee).pk
    )[0]
    with pytest.raises(ServiceError):
        vote_cast(actor=world.citizen, ballot=other, option=nominee.option, address="198.51.100.1")
    assert Vote.objects.count() == 0


def test_an_initiative_selected_by_public_vote(
    world: World, make_initiative: Callable[..., Initiative], make_user: Callable[..., User]
) -> None:
    initiative = make_initiative("submitted")
    closes = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(PermissionRefused):
        ballot_open_selection(actor=world.astana_official, initiative=initiative, closes_on=closes)
    ballot = ballot_open_selection(actor=world.official, initiative=initiative, closes_on=closes)
    yes, no = ballot.options.order_by("pk")
    for n, option in enumerate([yes, yes, no]):
        vote_cast(
            actor=make_user(username=f"v{n}"), ballot=ballot, option=option, address=f"10.0.0.{n}"
        )
    with pytest.raises(Conflict):  # not closed yet
        initiative_decide_by_vote(actor=world.official, initiative=initiative)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    decided = initiative_decide_by_vote(actor=world.official, initiative=initiative)
    assert decided.state == "selected"
    assert decided.decision_body == "public_vote"
    assert "2" in decided.decision_text
