"""Generous Heart's and the public vote's pages: the permission matrix (author, the region's
responsible official, the council's secretary, patron, volunteer, jury member, moderator,
anonymous) asserting that a refusal changes nothing; what each page shows; query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.core.models import AuditEvent, Organisation, Role, User
from jospar.initiatives import services
from jospar.initiatives.models import (
    Ballot,
    HeartCycle,
    HeartNominee,
    HeartScore,
    Initiative,
    Vote,
)
from jospar.initiatives.services.votes import address_key
from jospar.initiatives.tests.conftest import World
from jospar.initiatives.tests.heart_world import make_cycle, nomination, set_stage

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]
ACTORS = (
    "author",
    "official",
    "secretary",
    "patron",
    "volunteer",
    "juror",
    "moderator",
    "anonymous",
)
SIGNED_IN = set(ACTORS) - {"anonymous"}


class Scene:
    def __init__(self, world: World, make_initiative: Make, make_user: Callable[..., User]):
        self.world = world
        self.implemented = make_initiative("implemented")
        services.profile_set_public(actor=world.patron, is_public=True)
        self.users: dict[str, User] = {
            name: getattr(world, name)
            for name in ("author", "official", "patron", "volunteer", "moderator")
        }
        # The public council's secretary: an official of the akimat, not the responsible one.
        self.users["secretary"] = make_user(
            Role.CIVIC_OFFICIAL,
            organisation=Organisation.objects.get(region=world.almaty),
            username="secretary",
        )
        self.users["juror"] = make_user(username="juror", first_name="Әлия")
        self.cycle = make_cycle(world)
        services.juror_appoint(actor=world.admin, cycle=self.cycle, user=self.users["juror"])

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client

    def nominee(self) -> HeartNominee:
        return services.nominee_propose(
            actor=self.world.citizen,
            nomination=nomination(self.cycle, "patron"),
            person=self.world.patron,
            reason="Paid for the playground.",
        )


@pytest.fixture
def scene(world: World, make_initiative: Make, make_user: Callable[..., User]) -> Scene:
    return Scene(world, make_initiative, make_user)


def _fingerprint() -> tuple[Any, ...]:
    return (
        HeartNominee.objects.count(),
        list(HeartScore.objects.values_list("score", flat=True)),
        list(Vote.objects.order_by("pk").values_list("state", flat=True)),
        Ballot.objects.count(),
        list(Initiative.objects.order_by("pk").values_list("state", flat=True)),
        list(HeartCycle.objects.values_list("results_published_at", flat=True)),
        AuditEvent.objects.count(),
    )


def _prepare(action: str, scene: Scene, make_initiative: Make) -> tuple[str, dict[str, Any]]:
    cycle = scene.cycle
    if action == "nominate":
        patrons = nomination(cycle, "patron")
        candidate = f"{patrons.pk}:p{scene.world.patron.pk}"
        return reverse("initiatives:heart-nominate", args=[cycle.pk]), {
            "nomination": patrons.pk,
            "candidate": candidate,
            "reason": "Generous.",
        }
    nominee = scene.nominee()
    if action == "score":
        set_stage(cycle, "jury")
        return reverse("initiatives:heart-jury", args=[cycle.pk]), {
            "nominee": nominee.pk,
            "score": "7",
        }
    if action == "vote":
        set_stage(cycle, "vote")
        return reverse("initiatives:heart-vote", args=[nominee.pk]), {}
    if action == "publish":
        set_stage(cycle, "counting")
        return reverse("initiatives:heart-publish", args=[cycle.pk]), {}
    if action == "review":
        set_stage(cycle, "vote")
        ballot = Ballot.objects.get(nomination=nominee.nomination)
        for n in range(6):
            voter = User.objects.create(username=f"bot{n}")
            services.vote_cast(actor=voter, ballot=ballot, option=nominee.option, address="1.2.3.4")
        return reverse("initiatives:held-votes"), {
            "ballot": ballot.pk,
            "address": address_key("1.2.3.4"),
            "count": "1",
        }
    submitted = make_initiative("submitted", title="A bench by the school")
    if action == "open":
        day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
        return reverse("initiatives:vote-open", args=[submitted.pk]), {"closes_on": day}
    ballot = services.ballot_open_selection(
        actor=scene.world.official,
        initiative=submitted,
        closes_on=timezone.localdate() + dt.timedelta(days=5),
    )
    yes = ballot.options.get(answer="for")
    if action == "cast":
        return reverse("initiatives:vote", args=[submitted.pk]), {"option": yes.pk}
    # decide: the vote closed with one vote for
    services.vote_cast(actor=scene.world.citizen, ballot=ballot, option=yes, address="5.6.7.8")
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    return reverse("initiatives:vote-decide", args=[submitted.pk]), {}


ALLOWED = {
    "nominate": SIGNED_IN - {"patron"},  # nobody nominates themselves
    "score": {"juror"},
    "vote": SIGNED_IN - {"juror"},
    "publish": set(),  # an administrator only (below)
    "review": {"moderator"},
    "open": {"official"},
    "cast": SIGNED_IN - {"author"},
    "decide": {"official"},
}


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_matrix(action: str, who: str, scene: Scene, make_initiative: Make) -> None:
    url, data = _prepare(action, scene, make_initiative)
    before = _fingerprint()
    response = scene.client(who).post(url, data, REMOTE_ADDR="198.51.100.77")
    if who in ALLOWED[action]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert _fingerprint() != before
    else:
        assert response.status_code in (302, 400, 403, 404, 409), response.status_code
        if response.status_code == 302:
            assert "/login" in response["Location"]
        assert _fingerprint() == before


def test_an_administrator_publishes(scene: Scene) -> None:
    nominee = scene.nominee()
    set_stage(scene.cycle, "counting")
    client = Client()
    client.force_login(scene.world.admin)
    page = client.get(reverse("initiatives:heart-results", args=[scene.cycle.pk]))
    assert b"publish-form" in page.content
    response = client.post(reverse("initiatives:heart-publish", args=[scene.cycle.pk]))
    assert response.status_code == 302
    page = Client().get(reverse("initiatives:heart-results", args=[scene.cycle.pk]))
    assert nominee.name in page.content.decode()
    assert "laureate" in page.content.decode()


@pytest.mark.parametrize("who", ACTORS)
def test_who_sees_the_jury_and_held_pages(who: str, scene: Scene) -> None:
    client = scene.client(who)
    jury = client.get(reverse("initiatives:heart-jury", args=[scene.cycle.pk]))
    held = client.get(reverse("initiatives:held-votes"))
    if who == "anonymous":
        assert jury.status_code == held.status_code == 302
        return
    assert jury.status_code == (200 if who == "juror" else 404)
    assert held.status_code == (200 if who == "moderator" else 404)


def test_the_pages_show_the_cycle(scene: Scene) -> None:
    client = scene.client("anonymous")
    index = client.get(reverse("initiatives:heart"))
    assert index.status_code == 200
    page = client.get(reverse("initiatives:heart-cycle", args=[scene.cycle.pk]))
    text = page.content.decode()
    # Nominee material: the patron of the implemented initiative, in the patron's nomination.
    assert "Ерлан Патрон" in text
    assert 'data-candidate="p' in text
    assert "60 %" in text
    nominee = scene.nominee()
    detail = client.get(reverse("initiatives:heart-nominee", args=[nominee.pk]))
    assert scene.implemented.title in detail.content.decode()
    form = scene.client("volunteer").get(
        reverse("initiatives:heart-nominate", args=[scene.cycle.pk])
    )
    assert form.status_code == 200
    set_stage(scene.cycle, "vote")
    voter = scene.client("volunteer")
    page = voter.get(reverse("initiatives:heart-cycle", args=[scene.cycle.pk]))
    assert reverse("initiatives:heart-vote", args=[nominee.pk]) in page.content.decode()


def test_a_hostile_candidate_is_refused(scene: Scene) -> None:
    patrons = nomination(scene.cycle, "patron")
    client = scene.client("volunteer")
    url = reverse("initiatives:heart-nominate", args=[scene.cycle.pk])
    before = _fingerprint()
    for candidate in (f"{patrons.pk}:p99999999999999999999", "x:y", f"{patrons.pk}:o0", "\u00b2"):
        response = client.post(
            url, {"nomination": patrons.pk, "candidate": candidate, "reason": "x" * 3000}
        )
        assert response.status_code in (400, 404)
    assert _fingerprint() == before


def _nominees(scene: Scene, count: int, make_user: Callable[..., User]) -> None:
    patrons = nomination(scene.cycle, "patron")
    ballot = Ballot.objects.get(nomination=patrons)
    for n in range(count):
        person = make_user(username=f"n{count}-{n}")
        row = HeartNominee.objects.create(
            nomination=patrons,
            person=person,
            proposed_by=scene.world.citizen,
            proposer_kind="citizen",
            reason="r",
            created_at=timezone.now(),
        )
        ballot.options.create(nominee=row)


@pytest.mark.parametrize("url_name", ["heart-cycle", "heart-jury", "heart-results"])
def test_queries_do_not_grow_with_nominees(
    url_name: str,
    scene: Scene,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    client = scene.client("juror")
    url = reverse(f"initiatives:{url_name}", args=[scene.cycle.pk])
    _nominees(scene, 3, make_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _nominees(scene, 25, make_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_queries_of_the_index_and_held_votes(
    scene: Scene, django_assert_max_num_queries: Any
) -> None:
    client = scene.client("moderator")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("initiatives:heart")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("initiatives:held-votes")).status_code == 200
