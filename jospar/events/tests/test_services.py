"""The event services: who publishes and who proposes, moderation, cancelling, the report
after the event, volunteers' registration; each refusal leaves no row and no audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent
from jospar.events import services
from jospar.events.models import PublicEvent, Registration
from jospar.events.tests.conftest import World, event_data

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]


def test_a_state_organiser_publishes_and_a_citizen_proposes(world: World, make_event: Make) -> None:
    published = make_event()
    assert published.state == "published"
    assert published.organisation_id == world.organiser.organisation_id
    proposed = make_event("proposed")
    assert proposed.state == "proposed"
    assert AuditEvent.objects.filter(object_type="events.publicevent").count() == 2


def test_moderation_publishes_or_rejects_with_a_reason(world: World, make_event: Make) -> None:
    event = make_event("proposed")
    with pytest.raises(ServiceError):
        services.event_moderate(actor=world.moderator, event=event, publish=False, reason="")
    with pytest.raises(ServiceError):
        services.event_moderate(actor=world.other, event=event, publish=True)
    event = services.event_moderate(actor=world.moderator, event=event, publish=True)
    assert event.state == "published"
    with pytest.raises(ServiceError):
        services.event_moderate(actor=world.moderator, event=event, publish=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "party"),
        ("region", 10**12),
        ("title_kk", ""),
        ("title_ru", "x" * 201),
        ("place", "a\x00b"),
        ("latitude", 10.0),
        ("activity", 10**12),
        ("program_node", 10**12),
        ("initiative", 10**12),
        ("volunteers_wanted", -1),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world: World, field: str, value: object) -> None:
    before = (PublicEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as caught:
        services.event_create(actor=world.organiser, data=event_data(world, **{field: value}))
    assert caught.value.fields
    assert (PublicEvent.objects.count(), AuditEvent.objects.count()) == before


def test_an_event_cannot_end_before_it_starts(world: World) -> None:
    data = event_data(world)
    data["ends_at"] = data["starts_at"] - dt.timedelta(minutes=1)
    with pytest.raises(ServiceError) as caught:
        services.event_create(actor=world.organiser, data=data)
    assert "ends_at" in caught.value.fields


def test_a_citizen_names_no_organisation_but_their_own(world: World) -> None:
    other_org = world.organiser.organisation_id
    with pytest.raises(ServiceError):
        services.event_create(actor=world.citizen, data=event_data(world, organisation=other_org))


def test_cancelling_keeps_the_event_and_raises_its_sequence(world: World, make_event: Make) -> None:
    event = make_event()
    uid = event.uid
    with pytest.raises(ServiceError):
        services.event_cancel(actor=world.other, event=event, reason="No.")
    event = services.event_cancel(actor=world.organiser, event=event, reason="Rain.")
    assert (event.state, event.sequence, event.uid) == ("cancelled", 1, uid)


def test_volunteers_register_up_to_the_places(world: World, make_event: Make) -> None:
    event = make_event(volunteers_wanted=1)
    services.event_register(actor=world.volunteer, event=event)
    with pytest.raises(ServiceError):
        services.event_register(actor=world.volunteer, event=event)
    with pytest.raises(ServiceError):
        services.event_register(actor=world.other, event=event)
    services.event_unregister(actor=world.volunteer, event=event)
    services.event_register(actor=world.other, event=event)
    assert list(Registration.objects.values_list("user__username", flat=True)) == ["other"]


def test_an_event_without_volunteers_takes_no_registration(world: World, make_event: Make) -> None:
    event = make_event(volunteers_wanted=0)
    with pytest.raises(ServiceError):
        services.event_register(actor=world.volunteer, event=event)
    assert not Registration.objects.exists()


def test_the_report_comes_after_the_event(world: World, make_event: Make) -> None:
    event = make_event()
    with pytest.raises(ServiceError):
        services.event_report(actor=world.organiser, event=event, participants=10, report="Done")
    past = timezone.now() - dt.timedelta(days=3)
    PublicEvent.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=2)
    )
    event.refresh_from_db()
    event = services.event_report(
        actor=world.organiser, event=event, participants=120, report="120 residents came."
    )
    assert event.participants == 120
