"""The initiative's life through its services: states, pledges covering the needs, check-ins,
results, ratings and the survey; each change with its audit row, refusals changing nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent
from jospar.initiatives import services
from jospar.initiatives.models import Initiative, InitiativeState, Pledge
from jospar.initiatives.tests.conftest import NEEDS, World, initiative_data, minutes, photo

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]


def test_draft_keeps_authorship_needs_and_region(world: World, make_initiative: Make) -> None:
    initiative = make_initiative()
    assert initiative.author == world.author
    assert initiative.region == world.almaty
    assert initiative.state == InitiativeState.DRAFT
    assert [n.kind for n in initiative.needs.all()] == ["money", "volunteers"]
    assert AuditEvent.objects.filter(action="initiative.create", object_id=initiative.pk).exists()


def test_ngo_authorship_needs_an_ngo_member(world: World) -> None:
    with pytest.raises(ServiceError) as error:
        services.initiative_save(
            actor=world.author, data=initiative_data(author_kind="ngo"), needs=NEEDS
        )
    assert error.value.code == "not_ngo"
    initiative = services.initiative_save(
        actor=world.ngo_member, data=initiative_data(author_kind="ngo"), needs=NEEDS
    )
    assert initiative.organisation == world.ngo_member.organisation


def test_place_outside_kazakhstan_refused(world: World) -> None:
    with pytest.raises(ServiceError) as error:
        services.initiative_save(
            actor=world.author, data=initiative_data(latitude=55.75, longitude=37.62), needs=NEEDS
        )
    assert error.value.code == "no_place"
    assert not Initiative.objects.exists()


def test_changes_requested_then_resubmitted(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("submitted")
    with pytest.raises(ServiceError):
        services.initiative_request_changes(
            actor=world.astana_official, initiative=initiative, note="No."
        )
    initiative = services.initiative_request_changes(
        actor=world.official, initiative=initiative, note="Add the budget breakdown."
    )
    assert initiative.state == InitiativeState.CHANGES_REQUESTED
    initiative = services.initiative_save(
        actor=world.author,
        initiative=initiative,
        data=initiative_data(budget="450000"),
        needs=NEEDS,
    )
    initiative = services.initiative_submit(actor=world.author, initiative=initiative)
    assert initiative.state == InitiativeState.SUBMITTED
    kinds = list(initiative.events.values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "changes_requested", "edited", "submitted"]


def test_decision_needs_minutes_and_official(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("submitted")
    kwargs: dict[str, Any] = {
        "initiative": initiative,
        "selected": True,
        "body": "community",
        "decided_on": timezone.localdate(),
        "decision": "Selected by the meeting.",
    }
    with pytest.raises(ServiceError) as error:
        services.initiative_decide(actor=world.official, minutes=[], **kwargs)
    assert error.value.code == "no_minutes"
    with pytest.raises(ServiceError):
        services.initiative_decide(actor=world.author, minutes=[minutes()], **kwargs)
    with pytest.raises(ServiceError):
        services.initiative_decide(
            actor=world.official,
            minutes=[minutes()],
            **{**kwargs, "decided_on": timezone.localdate() + dt.timedelta(days=2)},
        )
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.SUBMITTED
    assert not initiative.documents.exists()
    initiative = services.initiative_decide(actor=world.official, minutes=[minutes()], **kwargs)
    assert initiative.state == InitiativeState.SELECTED
    assert initiative.documents.get().kind == "minutes"


def test_pledges_covering_needs_start_implementation(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("selected")
    money, hours = initiative.needs.order_by("position")
    with pytest.raises(ServiceError):  # a volunteer pledges hours, not money
        services.pledge_make(actor=world.volunteer, need=money, kind="volunteer", quantity="5")
    with pytest.raises(ServiceError):  # the author does not pledge
        services.pledge_make(actor=world.author, need=money, kind="patron", quantity="5")
    services.pledge_make(actor=world.patron, need=money, kind="patron", quantity="300000")
    services.pledge_make(actor=world.volunteer, need=hours, kind="volunteer", quantity="8")
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.SELECTED
    services.pledge_make(actor=world.volunteer2, need=hours, kind="volunteer", quantity="8")
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.IMPLEMENTING
    assert AuditEvent.objects.filter(action="initiative.start", object_id=initiative.pk).exists()


def test_official_starts_with_reason(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("selected")
    with pytest.raises(ServiceError):
        services.initiative_start(actor=world.author, initiative=initiative, reason="Go")
    initiative = services.initiative_start(
        actor=world.official, initiative=initiative, reason="The akimat pays the rest."
    )
    assert initiative.state == InitiativeState.IMPLEMENTING
    assert initiative.implementing_reason == "The akimat pays the rest."


def test_checkin_confirmed_by_author_counts_hours(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("implementing")
    pledge = Pledge.objects.get(user=world.volunteer)
    checkin = services.checkin_record(
        actor=world.volunteer, pledge=pledge, day=timezone.localdate(), hours="6"
    )
    with pytest.raises(ServiceError):
        services.checkin_confirm(actor=world.volunteer, checkin=checkin)
    services.checkin_confirm(actor=world.author, checkin=checkin)
    pledge.refresh_from_db()
    assert pledge.confirmed_quantity == Decimal(6)
    initiative = services.initiative_complete(
        actor=world.author,
        initiative=initiative,
        results="Built.",
        beneficiaries_reached=100,
        money_given="300000",
        photos=[photo()],
    )
    assert initiative.state == InitiativeState.IMPLEMENTED
    assert initiative.hours_given == Decimal(6)
    assert initiative.photos.filter(stage="after").count() == 1


def test_results_need_a_photo_and_refuse_other_files(world: World, make_initiative: Make) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    initiative = make_initiative("implementing")
    args: dict[str, Any] = {
        "actor": world.author,
        "initiative": initiative,
        "results": "Built.",
        "beneficiaries_reached": 1,
        "money_given": "0",
    }
    with pytest.raises(ServiceError):
        services.initiative_complete(photos=[], **args)
    page = SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ServiceError):
        services.initiative_complete(photos=[page], **args)
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.IMPLEMENTING
    assert not initiative.photos.exists()


def test_rating_once_per_person_and_survey(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("implemented")
    services.initiative_rate(actor=world.citizen, initiative=initiative, stars=5)
    with pytest.raises(ServiceError):
        services.initiative_rate(actor=world.citizen, initiative=initiative, stars=1)
    with pytest.raises(ServiceError):
        services.initiative_rate(actor=world.author, initiative=initiative, stars=5)
    with pytest.raises(ServiceError):
        services.initiative_rate(actor=world.patron, initiative=initiative, stars=6)
    services.initiative_rate(actor=world.patron, initiative=initiative, stars=4)
    initiative.refresh_from_db()
    assert (initiative.rating_count, initiative.rating) == (2, 4.5)
    services.survey_answer(actor=world.citizen, initiative=initiative, used_it=True, satisfaction=4)
    with pytest.raises(ServiceError):
        services.survey_answer(
            actor=world.citizen, initiative=initiative, used_it=True, satisfaction=4
        )


def test_rating_before_implemented_refused(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("selected")
    with pytest.raises(ServiceError):
        services.initiative_rate(actor=world.citizen, initiative=initiative, stars=5)
    assert not initiative.ratings.exists()


def test_coordinator_must_be_official_of_the_akimat(world: World) -> None:
    with pytest.raises(ServiceError):
        services.coordinator_appoint(actor=world.admin, region=world.almaty, user=world.patron)
    with pytest.raises(ServiceError):
        services.coordinator_appoint(
            actor=world.admin, region=world.almaty, user=world.astana_official
        )
    with pytest.raises(ServiceError):
        services.coordinator_appoint(actor=world.official, region=world.almaty, user=world.official)
    row = services.coordinator_appoint(actor=world.admin, region=world.almaty, user=world.official)
    assert row.user == world.official


def test_command_appoints_the_official(world: World) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("initiatives_official", "astana", "astana-official", stdout=out)
    assert "astana-official" in out.getvalue()
