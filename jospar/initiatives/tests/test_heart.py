"""Generous Heart's services: the cycle and its stages, nominations, eligibility from the data,
the jury, the results with their published weighting."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from jospar.core.errors import Conflict, PermissionRefused
from jospar.core.models import AuditEvent, User
from jospar.initiatives import services
from jospar.initiatives.models import (
    Ballot,
    HeartCycle,
    HeartNominee,
    HeartScore,
    Initiative,
)
from jospar.initiatives.selectors.heart import candidates, nominee_evidence
from jospar.initiatives.services.votes import vote_cast
from jospar.initiatives.tests.conftest import World
from jospar.initiatives.tests.heart_world import make_cycle, nomination, set_stage

pytestmark = pytest.mark.django_db


def test_a_cycle_has_the_three_nominations_of_the_document(world: World) -> None:
    cycle = make_cycle(world)
    assert [n.category for n in cycle.nominations.all()] == ["patron", "volunteer", "ngo"]
    assert Ballot.objects.filter(nomination__cycle=cycle).count() == 3
    assert cycle.stage_on(cycle.nominations_from).value == "nominations"
    with pytest.raises(Conflict):
        make_cycle(world)
    national = make_cycle(world, national=True)
    assert national.region is None
    with pytest.raises(PermissionRefused):
        services.nomination_add(actor=world.citizen, cycle=cycle, title="X", criteria="Y")
    added = services.nomination_add(
        actor=world.admin, cycle=cycle, title="Best young volunteer", criteria="Age under 25."
    )
    assert added.name == "Best young volunteer"
    assert Ballot.objects.filter(nomination=added).exists()


def test_the_patron_of_an_implemented_initiative_is_a_candidate_and_nominee(
    world: World, make_initiative: Callable[..., Initiative]
) -> None:
    initiative = make_initiative("implemented")
    cycle = make_cycle(world)
    patrons = nomination(cycle, "patron")
    # Not public yet: counted, not named, and cannot be nominated.
    found = candidates(patrons)
    assert found.named == []
    assert found.private == 1
    with pytest.raises(Conflict) as error:
        services.nominee_propose(
            actor=world.citizen, nomination=patrons, person=world.patron, reason="Generous."
        )
    assert error.value.code == "private_person"
    services.profile_set_public(actor=world.patron, is_public=True)
    found = candidates(patrons)
    assert [c.name for c in found.named] == ["Ерлан Патрон"]
    assert found.named[0].evidence.money == Decimal("300000")
    nominee = services.nominee_propose(
        actor=world.citizen, nomination=patrons, person=world.patron, reason="Generous."
    )
    assert nominee.proposer_kind == "citizen"
    evidence = nominee_evidence(nominee)
    assert [i.pk for i in evidence.initiatives] == [initiative.pk]
    with pytest.raises(Conflict):
        services.nominee_propose(
            actor=world.official, nomination=patrons, person=world.patron, reason="Again."
        )


def test_eligibility(
    world: World, make_initiative: Callable[..., Initiative], make_user: Callable[..., User]
) -> None:
    make_initiative("implemented")
    cycle = make_cycle(world)
    volunteers = nomination(cycle, "volunteer")
    services.profile_set_public(actor=world.volunteer, is_public=True)
    services.profile_set_public(actor=world.citizen, is_public=True)
    before = (HeartNominee.objects.count(), AuditEvent.objects.count())
    # No confirmed hours yet: no contribution.
    with pytest.raises(Conflict) as error:
        services.nominee_propose(
            actor=world.citizen, nomination=volunteers, person=world.volunteer, reason="Helped."
        )
    assert error.value.code == "no_contribution"
    # Someone who gave nothing.
    with pytest.raises(Conflict):
        services.nominee_propose(
            actor=world.author, nomination=volunteers, person=world.citizen, reason="Nice."
        )
    # A juror cannot be nominated; a nominee cannot sit on the jury.
    services.profile_set_public(actor=world.patron, is_public=True)
    services.juror_appoint(actor=world.admin, cycle=cycle, user=world.patron)
    with pytest.raises(Conflict) as error:
        services.nominee_propose(
            actor=world.citizen,
            nomination=nomination(cycle, "patron"),
            person=world.patron,
            reason="Generous.",
        )
    assert error.value.code == "jury_member"
    assert (HeartNominee.objects.count(), AuditEvent.objects.count()) == (
        before[0],
        before[1] + 2,  # the patron's consent and the juror's appointment
    )
    # Out of the nominations' stage.
    set_stage(cycle, "jury")
    with pytest.raises(Conflict):
        services.nominee_propose(
            actor=world.citizen,
            nomination=nomination(cycle, "patron"),
            person=world.patron,
            reason="Late.",
        )


def test_jury_vote_and_results(
    world: World, make_initiative: Callable[..., Initiative], make_user: Callable[..., User]
) -> None:
    make_initiative("implemented")
    second = make_initiative("implementing", title="A second playground")
    money = second.needs.get(kind="money")
    other = make_user(username="patron2", first_name="Сәуле")
    services.pledge_make(actor=other, need=money, kind="patron", quantity="1")
    cycle = make_cycle(world)
    for person in (world.patron, other):
        services.profile_set_public(actor=person, is_public=True)
    # The second patron's initiative is not implemented yet: not eligible this year.
    patrons = nomination(cycle, "patron")
    assert [c.name for c in candidates(patrons).named] == ["Ерлан Патрон"]
    first = services.nominee_propose(
        actor=world.citizen, nomination=patrons, person=world.patron, reason="Generous."
    )
    juror = make_user(username="juror")
    services.juror_appoint(actor=world.admin, cycle=cycle, user=juror)
    with pytest.raises(Conflict):  # not the jury's stage yet
        services.score_record(actor=juror, nominee=first, score=8)
    set_stage(cycle, "jury")
    with pytest.raises(PermissionRefused):
        services.score_record(actor=world.citizen, nominee=first, score=10)
    services.score_record(actor=juror, nominee=first, score=8)
    services.score_record(actor=juror, nominee=first, score=9, comment="Changed my mind.")
    assert HeartScore.objects.get().score == 9
    set_stage(cycle, "vote")
    ballot = Ballot.objects.get(nomination=patrons)
    vote_cast(actor=world.citizen, ballot=ballot, option=first.option, address="10.1.1.1")
    with pytest.raises(Conflict):
        services.results_publish(actor=world.admin, cycle=cycle)
    set_stage(cycle, "counting")
    with pytest.raises(PermissionRefused):
        services.results_publish(actor=world.citizen, cycle=cycle)
    services.results_publish(actor=world.admin, cycle=cycle)
    first.refresh_from_db()
    assert first.place == 1
    assert first.jury_average == Decimal("9.00")
    assert first.votes == 1
    # 60 × 9/10 + 40 × 1/1
    assert first.final_score == Decimal("94.00")
    cycle.refresh_from_db()
    assert cycle.stage_on(cycle.vote_until).value == "results"
    assert HeartCycle.objects.get(pk=cycle.pk).results_published_at is not None


def test_the_administrators_commands(world: World, make_user: Callable[..., User]) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    dates = [
        "--nominations=2031-01-10",
        "--jury=2031-10-01",
        "--vote=2031-11-01",
        "--vote-until=2031-11-20",
        "--results=2031-12-10",
    ]
    with pytest.raises(CommandError):
        call_command("heart_cycle", "2031", *dates, "--actor=citizen", stdout=out)
    with pytest.raises(CommandError):
        call_command("heart_cycle", "2031", *dates[:4], "--results=1899-01-01", "--actor=admin")
    call_command("heart_cycle", "2031", "--region=almaty", *dates, "--actor=admin", stdout=out)
    cycle = HeartCycle.objects.get(year=2031)
    assert cycle.region == world.almaty
    juror = make_user(username="juror-cmd")
    call_command("heart_jury", str(cycle.pk), "juror-cmd", "--actor=admin", stdout=out)
    assert cycle.jurors.get().user == juror
    call_command(
        "heart_nomination",
        str(cycle.pk),
        "Best young volunteer",
        "Under 25.",
        "--actor=admin",
        stdout=out,
    )
    assert cycle.nominations.count() == 4
