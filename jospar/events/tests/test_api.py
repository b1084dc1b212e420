"""The calendar's REST API: the public reads published and cancelled events with filters (no
account of who proposed or registered), writes go by role through the services — anyone signed
in adds (an organiser's is published, a citizen's proposed), a moderator moderates, the organiser
cancels and reports, a volunteer registers. A refusal changes nothing; lists take a fixed number
of queries whatever their length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.core.models import AuditEvent
from jospar.events import services
from jospar.events.models import EventState, PublicEvent, Registration
from jospar.events.tests.conftest import World, event_data
from jospar.plans.models import Activity
from jospar.programs.models import Program, ProgramNode

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]
ACTORS = ("organiser", "citizen", "other", "volunteer", "moderator", "admin", "anonymous")


def _client(world: World, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def _fingerprint() -> tuple[Any, ...]:
    return (
        list(
            PublicEvent.objects.order_by("pk").values_list(
                "pk", "state", "updated_at", "sequence", "participants", "report", "reason"
            )
        ),
        Registration.objects.count(),
        AuditEvent.objects.count(),
    )


def _past(event: PublicEvent) -> None:
    past = timezone.now() - dt.timedelta(days=2)
    PublicEvent.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in data.items()}


def _prepare(how: str, world: World, make_event: Make) -> PublicEvent:
    if how == "proposed":
        return make_event("proposed")
    event = make_event()
    if how == "past":
        _past(event)
    if how == "registered":
        services.event_register(actor=world.volunteer, event=event)
    return event


# action → (how the event is made, method, path after /api/events/{id}/, body, who may)
CASES: dict[str, tuple[str, str, str, dict[str, Any], set[str]]] = {
    "publish": ("proposed", "post", "moderate/", {"publish": True}, {"moderator", "admin"}),
    "reject": (
        "proposed",
        "post",
        "moderate/",
        {"publish": False, "reason": "Not a public event."},
        {"moderator", "admin"},
    ),
    "cancel": (
        "published",
        "post",
        "cancel/",
        {"reason": "The hall is closed."},
        {"organiser", "moderator", "admin"},
    ),
    "report": (
        "past",
        "post",
        "report/",
        {"participants": 85, "report": "Residents discussed the plan."},
        {"organiser", "moderator", "admin"},
    ),
    "register": (
        "published",
        "post",
        "registration/",
        {},
        {"organiser", "citizen", "other", "volunteer", "moderator", "admin"},
    ),
    "unregister": ("registered", "delete", "registration/", {}, {"volunteer"}),
}


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", sorted(CASES))
def test_matrix(action: str, who: str, world: World, make_event: Make) -> None:
    how, method, tail, body, allowed = CASES[action]
    event = _prepare(how, world, make_event)
    before = _fingerprint()
    response = getattr(_client(world, who), method)(
        f"/api/events/{event.pk}/{tail}", body, content_type="application/json"
    )
    if who in allowed:
        assert response.status_code in (200, 201), response.content.decode()[:2000]
        assert _fingerprint() != before
    else:
        assert response.status_code in (401, 403, 404, 409), response.content.decode()[:2000]
        assert set(response.json()) == {"code", "message", "fields"}
        assert _fingerprint() == before


@pytest.mark.parametrize("who", ACTORS)
def test_create(who: str, world: World) -> None:
    body = _jsonable(event_data(world, organiser_name="Residents of Abai 10"))
    before = _fingerprint()
    response = _client(world, who).post("/api/events/", body, content_type="application/json")
    if who == "anonymous":
        assert response.status_code in (401, 403)
        assert _fingerprint() == before
        return
    assert response.status_code == 201, response.content.decode()[:2000]
    made = PublicEvent.objects.get(pk=response.json()["id"])
    # A state organiser publishes at once; anyone else proposes to the moderators.
    publisher = who in ("organiser", "admin")
    assert made.state == (EventState.PUBLISHED if publisher else EventState.PROPOSED)
    assert response.json()["state"] == made.state


def test_create_refuses_bad_input_without_change(world: World) -> None:
    client = _client(world, "citizen")
    before = _fingerprint()
    for bad in (
        {**_jsonable(event_data(world)), "starts_at": "0001-01-01T00:00:00+05:00"},
        {**_jsonable(event_data(world)), "kind": "riot"},
        {**_jsonable(event_data(world)), "region": "9223372036854775808"},
        {**_jsonable(event_data(world)), "title_kk": "a\x00b"},
        {**_jsonable(event_data(world, organiser_name="X")), "region": 999_999},
    ):
        response = client.post("/api/events/", bad, content_type="application/json")
        assert response.status_code == 400, (bad, response.content)
        assert set(response.json()) == {"code", "message", "fields"}
        # A body holding NUL is refused by the JSON parser whole, before any field is read.
        assert response.json()["fields"] or "\x00" in bad["title_kk"]
    assert _fingerprint() == before


@pytest.mark.parametrize("who", ACTORS)
def test_who_reads_a_proposal(who: str, world: World, make_event: Make) -> None:
    proposal = make_event("proposed")
    published = make_event()
    client = _client(world, who)
    listed = [row["id"] for row in client.get("/api/events/").json()["results"]]
    assert listed == [published.pk]
    response = client.get(f"/api/events/{proposal.pk}/")
    sees = who in ("citizen", "moderator", "admin")
    assert response.status_code == (200 if sees else 404)


def test_public_data_only(world: World, make_event: Make) -> None:
    event = make_event()
    for person, surname in ((world.volunteer, "Волонтёрова"), (world.organiser, "Ұйымдастырушы")):
        person.last_name = surname
        person.email = f"{person.username}@private.example.kz"
        person.save(update_fields=["last_name", "email"])
    services.event_register(actor=world.volunteer, event=event)
    text = _client(world, "anonymous").get(f"/api/events/{event.pk}/").content.decode()
    data = _client(world, "anonymous").get(f"/api/events/{event.pk}/").json()
    assert data["volunteers_registered"] == 1
    assert data["organiser"] == str(world.organiser.organisation)
    assert not {"proposed_by", "decided_by", "registrations", "user"} & set(data)
    for person in (world.volunteer, world.organiser):
        assert person.last_name not in text
        assert person.email not in text


def test_filters(world: World, make_event: Make) -> None:
    program = Program.objects.create(title_kk="Бағдарлама", title_ru="Программа")
    node = ProgramNode.objects.create(
        program=program, kind="key_event", position=1, name_kk="Форум", in_force=True
    )
    activity = Activity.objects.filter(in_force=True).first()
    in_astana = make_event(program_node=node.pk)
    in_almaty = make_event(region=world.almaty.pk, latitude=43.2, longitude=76.9)
    later = make_event(
        starts_at=in_astana.starts_at + dt.timedelta(days=40),
        ends_at=in_astana.starts_at + dt.timedelta(days=40, hours=1),
    )
    client = _client(world, "anonymous")

    def ids(**query: Any) -> list[int]:
        response = client.get("/api/events/", query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(region=world.almaty.pk) == [in_almaty.pk]
    assert ids(program=program.pk) == [in_astana.pk]
    first = in_astana.starts_at.date()
    assert later.pk not in ids(date_from=first.isoformat(), date_to=first.isoformat())
    assert ids(date_from=(first + dt.timedelta(days=30)).isoformat()) == [later.pk]
    if activity is not None:
        linked = make_event(activity=activity.pk)
        assert ids(activity=activity.pk) == [linked.pk]
    assert ids(activity=999_999) == []
    for bad in (
        {"date_from": "0001-01-01"},
        {"date_from": "2030-02-01", "date_to": "2030-01-01"},
        {"region": "abc"},
        {"kind": "riot"},
        {"limit": "201"},
        {"colour": "red"},
    ):
        response = client.get("/api/events/", bad)
        assert response.status_code == 400, (bad, response.content)
        assert set(response.json()) == {"code", "message", "fields"}


def test_list_takes_fixed_queries(world: World, make_event: Make) -> None:
    make_event()
    client = _client(world, "citizen")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/events/").status_code == 200
    for _ in range(6):
        event = make_event()
        services.event_register(actor=world.volunteer, event=event)
    with CaptureQueriesContext(connection) as seven:
        response = client.get("/api/events/")
    assert response.json()["count"] == 7
    assert len(seven) == len(one), [q["sql"][:120] for q in seven.captured_queries]
