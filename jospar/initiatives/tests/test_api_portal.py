"""The portal's REST API over initiatives and Generous Heart: a permission matrix per write
(author, the region's responsible official, another region's official, patron, volunteer, a
member of the jury, moderator, anonymous), each refusal changing nothing; the contributors and
nominees as the public sees them (a private person unnamed); a fixed number of queries per list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.core.models import AuditEvent
from jospar.initiatives import services
from jospar.initiatives.models import (
    CheckIn,
    HeartNominee,
    HeartScore,
    Initiative,
    InitiativeDocument,
    Pledge,
    Rating,
    SurveyAnswer,
)
from jospar.initiatives.tests.conftest import World, minutes, photo
from jospar.initiatives.tests.heart_world import make_cycle, nomination, set_stage

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]
# "citizen" is made a member of the jury where a test needs one.
ACTORS = (
    "author",
    "official",
    "astana_official",
    "patron",
    "volunteer",
    "citizen",
    "moderator",
    "anonymous",
)
SIGNED_IN = set(ACTORS) - {"anonymous"}


def _client(world: World, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def _fingerprint() -> tuple[Any, ...]:
    return (
        list(Initiative.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        Pledge.objects.count(),
        Rating.objects.count(),
        SurveyAnswer.objects.count(),
        CheckIn.objects.count(),
        InitiativeDocument.objects.count(),
        HeartNominee.objects.count(),
        list(HeartScore.objects.values_list("pk", "score")),
        AuditEvent.objects.count(),
    )


def _decision(i: Initiative) -> dict[str, Any]:
    return {
        "selected": "true",
        "body": "council",
        "decided_on": timezone.localdate().isoformat(),
        "decision": "Selected.",
        "minutes": minutes(),
    }


def _results(i: Initiative) -> dict[str, Any]:
    return {
        "results": "Done.",
        "beneficiaries_reached": "5",
        "money_given": "0",
        "photos": [photo()],
    }


# action → (state, path after /api/initiatives/{id}/, body, multipart, who may)
CASES: dict[str, tuple[str, str, Callable[[Initiative], dict[str, Any]], bool, set[str]]] = {
    "submit": ("draft", "submit/", lambda i: {}, False, {"author"}),
    "decision": ("submitted", "decision/", _decision, True, {"official"}),
    "start": (
        "selected",
        "start/",
        lambda i: {"reason": "Paid by the akimat."},
        False,
        {"official"},
    ),
    "pledge": (
        "selected",
        "pledge/",
        lambda i: {"need": i.needs.get(kind="money").pk, "kind": "patron", "quantity": "10"},
        False,
        SIGNED_IN - {"author"},
    ),
    "results": ("implementing", "results/", _results, True, {"author"}),
    "rate": ("implemented", "rate/", lambda i: {"stars": 4}, False, SIGNED_IN - {"author"}),
    "survey": (
        "implemented",
        "evaluation/",
        lambda i: {"used_it": True, "satisfaction": 5, "comment": "Good."},
        False,
        SIGNED_IN,
    ),
}


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", sorted(CASES))
def test_matrix(action: str, who: str, world: World, make_initiative: Make) -> None:
    state, tail, body, multipart, allowed = CASES[action]
    initiative = make_initiative(state)
    before = _fingerprint()
    client = _client(world, who)
    url = f"/api/initiatives/{initiative.pk}/{tail}"
    if multipart:
        response = client.post(url, body(initiative))
    else:
        response = client.post(url, body(initiative), content_type="application/json")
    if who in allowed:
        assert response.status_code in (200, 201), response.content.decode()[:2000]
        assert _fingerprint() != before
    else:
        assert response.status_code in (401, 403, 404, 409), response.content.decode()[:2000]
        assert set(response.json()) == {"code", "message", "fields"}
        assert _fingerprint() == before


def test_results_refused_field_by_field(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("implementing")
    before = _fingerprint()
    client = _client(world, "author")
    url = f"/api/initiatives/{initiative.pk}/results/"
    no_photo = client.post(url, {"results": "Done.", "beneficiaries_reached": "5"})
    assert no_photo.status_code == 400
    assert {"photos", "money_given"} <= set(no_photo.json()["fields"])
    as_json = client.post(url, {"results": "x"}, content_type="application/json")
    assert as_json.status_code == 415
    assert _fingerprint() == before


def test_contributors_name_a_person_only_with_consent(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("implementing")
    url = f"/api/initiatives/{initiative.pk}/pledges/"
    rows = _client(world, "anonymous").get(url).json()
    assert len(rows) == 3
    assert {r["contributor"] for r in rows} == {""}
    text = _client(world, "anonymous").get(url).content.decode()
    assert world.patron.last_name not in text
    assert world.patron.first_name not in text
    services.profile_set_public(actor=world.patron, is_public=True)
    rows = _client(world, "anonymous").get(url).json()
    named = {r["contributor"] for r in rows if r["kind"] == "patron"}
    assert named == {world.patron.get_full_name()}
    assert {r["contributor"] for r in rows if r["kind"] == "volunteer"} == {""}


def test_evaluation_reads_the_sums(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("implemented")
    services.initiative_rate(actor=world.patron, initiative=initiative, stars=4)
    services.initiative_rate(actor=world.volunteer, initiative=initiative, stars=5)
    services.survey_answer(actor=world.citizen, initiative=initiative, used_it=True, satisfaction=3)
    data = _client(world, "anonymous").get(f"/api/initiatives/{initiative.pk}/evaluation/").json()
    assert data == {
        "rating": 4.5,
        "rating_count": 2,
        "survey_answers": 1,
        "used_it": 1,
        "satisfaction": 3.0,
    }
    draft = make_initiative()
    hidden = _client(world, "patron").get(f"/api/initiatives/{draft.pk}/evaluation/")
    assert hidden.status_code == 404


def _nominate_ready(world: World, make_initiative: Make) -> Any:
    """A cycle open for nominations, the patron's contribution this year, the patron public."""
    make_initiative("implemented")
    services.profile_set_public(actor=world.patron, is_public=True)
    return make_cycle(world, "nominations")


@pytest.mark.parametrize("who", ACTORS)
def test_propose_matrix(who: str, world: World, make_initiative: Make) -> None:
    cycle = _nominate_ready(world, make_initiative)
    body = {
        "nomination": nomination(cycle, "patron").pk,
        "person": world.patron.pk,
        "reason": "Paid for the playground.",
    }
    before = _fingerprint()
    response = _client(world, who).post(
        f"/api/heart-cycles/{cycle.pk}/nominees/", body, content_type="application/json"
    )
    # Anyone signed in proposes; nobody proposes themselves.
    if who in SIGNED_IN - {"patron"}:
        assert response.status_code == 201, response.content.decode()[:2000]
        assert response.json()["name"] == world.patron.get_full_name()
        assert _fingerprint() != before
    else:
        assert response.status_code in (401, 403, 409)
        assert _fingerprint() == before


@pytest.mark.parametrize("who", ACTORS)
def test_score_matrix(who: str, world: World, make_initiative: Make) -> None:
    cycle = _nominate_ready(world, make_initiative)
    nominee = services.nominee_propose(
        actor=world.author,
        nomination=nomination(cycle, "patron"),
        reason="Paid for the playground.",
        person=world.patron,
    )
    services.juror_appoint(actor=world.admin, cycle=cycle, user=world.citizen)
    set_stage(cycle, "jury")
    before = _fingerprint()
    response = _client(world, who).post(
        f"/api/heart-nominees/{nominee.pk}/score/",
        {"score": 8, "comment": "Strong."},
        content_type="application/json",
    )
    if who == "citizen":
        assert response.status_code == 200, response.content.decode()[:2000]
        assert _fingerprint() != before
    else:
        assert response.status_code in (401, 403, 404)
        assert _fingerprint() == before


def test_cycle_and_nominee_read(world: World, make_initiative: Make) -> None:
    cycle = _nominate_ready(world, make_initiative)
    nominee = services.nominee_propose(
        actor=world.author,
        nomination=nomination(cycle, "patron"),
        reason="Paid for the playground.",
        person=world.patron,
    )
    client = _client(world, "anonymous")
    data = client.get(f"/api/heart-cycles/{cycle.pk}/").json()
    assert data["stage"] == "nominations"
    patron = next(n for n in data["nominations"] if n["category"] == "patron")
    assert [n["id"] for n in patron["nominees"]] == [nominee.pk]
    assert patron["nominees"][0]["place"] is None
    detail = client.get(f"/api/heart-nominees/{nominee.pk}/").json()
    assert detail["money"] == "300000.00"
    assert len(detail["initiatives"]) == 1
    # The person withdraws their agreement: the API stops naming them.
    services.profile_set_public(actor=world.patron, is_public=False)
    text = client.get(f"/api/heart-cycles/{cycle.pk}/").content.decode()
    assert world.patron.last_name not in text
    assert client.get(f"/api/heart-nominees/{nominee.pk}/").json()["name"] == ""


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_lists_take_fixed_queries(world: World, make_initiative: Make) -> None:
    client = _client(world, "citizen")
    first = make_initiative("implemented")
    services.profile_set_public(actor=world.patron, is_public=True)
    cycle = make_cycle(world, "nominations")
    services.nominee_propose(
        actor=world.author,
        nomination=nomination(cycle, "patron"),
        reason="Paid for the playground.",
        person=world.patron,
    )

    def counts() -> dict[str, int]:
        return {
            "initiatives": _count(client, "/api/initiatives/"),
            "pledges": _count(client, f"/api/initiatives/{first.pk}/pledges/"),
            "cycles": _count(client, "/api/heart-cycles/"),
            "cycle": _count(client, f"/api/heart-cycles/{cycle.pk}/"),
        }

    small = counts()
    for _ in range(3):
        make_initiative("implemented")
    # More contributors on the first, more cycles, more nominations and nominees.
    services.profile_set_public(actor=world.volunteer, is_public=True)
    make_cycle(world, "nominations", national=True)
    services.nomination_add(
        actor=world.admin, cycle=cycle, title="Best neighbour", criteria="Helps the yard."
    )
    services.nominee_propose(
        actor=world.author,
        nomination=nomination(cycle, "other"),
        reason="Paid for the playground.",
        person=world.patron,
    )
    large = counts()
    assert large == small
