"""What Generous Heart gives its winners: the certificate as PDF in Kazakh and Russian (its text
read back with pdftotext), and the "best practice" stories (services with their audit rows, the
permission matrix asserting that a refusal changes nothing, the pages and their query counts)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User
from jospar.initiatives import services
from jospar.initiatives.models import BallotOption, HeartCycle, HeartNominee, HeartStory, Initiative
from jospar.initiatives.tests.conftest import World
from jospar.initiatives.tests.heart_world import make_cycle, nomination, set_stage
from jospar.initiatives.tests.test_heart_pages import ACTORS, Scene

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]


def pdf_text(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    done = subprocess.run(
        [tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return " ".join(done.stdout.decode("utf-8").split())


def _publish(world: World, cycle: HeartCycle) -> HeartCycle:
    set_stage(cycle, "counting")
    return services.results_publish(actor=world.admin, cycle=cycle)


class Awarded(Scene):
    """The scene of the pages' matrix with its cycle closed: the patron won "Best patron"."""

    def __init__(self, world: World, make_initiative: Make, make_user: Callable[..., User]):
        super().__init__(world, make_initiative, make_user)
        self.winner = self.nominee()
        self.users["admin"] = world.admin
        self.cycle = _publish(world, self.cycle)
        self.winner.refresh_from_db()
        assert self.winner.place == 1


@pytest.fixture
def awarded(world: World, make_initiative: Make, make_user: Callable[..., User]) -> Awarded:
    return Awarded(world, make_initiative, make_user)


# The certificate ------------------------------------------------------------------------------


def _expected(lang: str, nominee: HeartNominee) -> dict[str, str]:
    cycle = nominee.nomination.cycle
    with translation.override(lang):
        return {
            "name": nominee.name,
            "nomination": str(nominee.nomination.name),
            "year": str(cycle.year),
            "region": str(cycle.region.name) if cycle.region else "",
        }


def test_the_certificate_carries_the_winner_in_kazakh_and_russian(awarded: Awarded) -> None:
    url = reverse("initiatives:heart-certificate", args=[awarded.winner.pk])
    response = Client().get(url)  # public: anyone downloads it
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    winner = HeartNominee.objects.select_related("nomination__cycle__region", "person").get(
        pk=awarded.winner.pk
    )
    kazakh, russian = _expected("kk", winner), _expected("ru", winner)
    # The two languages really differ where they should (the catalogues are complete).
    assert kazakh["nomination"] != russian["nomination"] != "Best patron"
    assert kazakh["region"] != russian["region"]
    for expected in (kazakh, russian):
        for field, value in expected.items():
            assert value, field
            assert value in text, (field, value, text)
    assert "Ерлан Патрон" in text
    # Kazakh page first (its own letters survived the font), then the Russian one.
    assert text.index(kazakh["nomination"]) < text.index(russian["nomination"])
    assert "ЖОМАРТ" in text.upper()
    assert "ҚҰРМЕТ" in text.upper()
    assert "ПОЧЁТНАЯ" in text.upper() or "ПОЧЕТНАЯ" in text.upper()


def test_a_national_certificate_says_national(
    world: World, make_initiative: Make, make_user: Callable[..., User]
) -> None:
    make_initiative("implemented")
    services.profile_set_public(actor=world.patron, is_public=True)
    cycle = make_cycle(world, national=True)
    nominee = services.nominee_propose(
        actor=world.citizen,
        nomination=nomination(cycle, "patron"),
        person=world.patron,
        reason="Paid for the playground.",
    )
    _publish(world, cycle)
    response = Client().get(reverse("initiatives:heart-certificate", args=[nominee.pk]))
    text = pdf_text(response.content)
    for lang in ("kk", "ru"):
        with translation.override(lang):
            assert translation.gettext("The national stage") in text
    with translation.override("en"):
        assert translation.gettext("The national stage") not in text  # the English one is not
    assert str(cycle.year) in text


def test_no_certificate_before_the_results_or_for_another_place(
    awarded: Awarded, make_user: Callable[..., User]
) -> None:
    # The same cycle's runner-up has none, nor has anyone of an open cycle.
    runner_up = HeartNominee.objects.create(
        nomination=awarded.winner.nomination,
        person=make_user(username="runner-up"),
        proposed_by=awarded.world.admin,
        proposer_kind="official",
        reason="-",
        created_at=awarded.winner.created_at,
        place=2,
    )
    assert (
        Client().get(reverse("initiatives:heart-certificate", args=[runner_up.pk])).status_code
        == 404
    )
    HeartCycle.objects.filter(pk=awarded.cycle.pk).update(results_published_at=None)
    url = reverse("initiatives:heart-certificate", args=[awarded.winner.pk])
    assert Client().get(url).status_code == 404
    assert Client().get(url.replace(str(awarded.winner.pk), "999999999")).status_code == 404


def test_the_certificate_reads_a_bounded_number_of_rows(
    awarded: Awarded, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    url = reverse("initiatives:heart-certificate", args=[awarded.winner.pk])
    client.get(url)  # warm: the session, the translations
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


def test_the_results_page_links_the_certificate(awarded: Awarded) -> None:
    page = Client().get(reverse("initiatives:heart-results", args=[awarded.cycle.pk]))
    assert (
        reverse("initiatives:heart-certificate", args=[awarded.winner.pk]) in page.content.decode()
    )


# Stories --------------------------------------------------------------------------------------


def _fingerprint() -> tuple[Any, ...]:
    return (
        list(HeartStory.objects.order_by("pk").values_list("state", "title", "review_note")),
        AuditEvent.objects.count(),
    )


WRITERS = {"patron", "moderator", "admin"}  # the winner, a moderator, an administrator
REVIEWERS = {"moderator", "admin"}
EVERYONE = (*ACTORS, "admin")


@pytest.mark.parametrize("who", EVERYONE)
def test_matrix_write(who: str, awarded: Awarded) -> None:
    url = reverse("initiatives:heart-story", args=[awarded.winner.pk])
    data = {"title": "Swings for 120 children", "lang": "kk", "body": "Біз ауладан бастадық."}
    before = _fingerprint()
    client = awarded.client(who)
    page = client.get(url)
    response = client.post(url, data)
    if who in WRITERS:
        assert page.status_code == 200
        assert response.status_code == 302, response.content.decode()[:2000]
        story = HeartStory.objects.get(nominee=awarded.winner)
        assert story.state == ("pending" if who == "patron" else "published")
        event = AuditEvent.objects.order_by("-pk").first()
        assert event is not None
        assert event.action == "heart.story_save"
        assert event.object_id == str(story.pk)
    else:
        assert page.status_code in (302, 404)
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert "/login" in response["Location"]
        assert _fingerprint() == before


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("decision", ["publish", "return"])
def test_matrix_review(who: str, decision: str, awarded: Awarded) -> None:
    story = services.story_save(
        actor=awarded.world.patron,
        nominee=awarded.winner,
        title="Swings",
        body="How we did it.",
        lang="ru",
    )
    url = reverse("initiatives:heart-story-queue")
    before = _fingerprint()
    client = awarded.client(who)
    page = client.get(url)
    response = client.post(url, {"story": story.pk, "decision": decision, "note": "Add photos."})
    if who in REVIEWERS:
        assert page.status_code == 200
        assert "Swings" in page.content.decode()
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.state == ("published" if decision == "publish" else "returned")
        assert AuditEvent.objects.order_by("-pk").first().action == f"heart.story_{decision}"  # type: ignore[union-attr]
    else:
        assert page.status_code in (302, 404)
        assert response.status_code in (302, 404)
        assert _fingerprint() == before


def test_only_a_winner_has_a_story(awarded: Awarded, make_user: Callable[..., User]) -> None:
    loser = HeartNominee.objects.create(
        nomination=awarded.winner.nomination,
        person=awarded.world.volunteer,
        proposed_by=awarded.world.admin,
        proposer_kind="official",
        reason="-",
        created_at=awarded.winner.created_at,
        place=2,
    )
    for actor in (awarded.world.volunteer, awarded.world.moderator):
        with pytest.raises(PermissionRefused):
            services.story_save(actor=actor, nominee=loser, title="t", body="b", lang="kk")
    client = awarded.client("moderator")
    assert client.get(reverse("initiatives:heart-story", args=[loser.pk])).status_code == 404


def test_a_winning_organisation_writes_through_its_members(
    world: World, make_initiative: Make, make_user: Callable[..., User]
) -> None:
    cycle = make_cycle(world)
    nominee = HeartNominee.objects.create(
        nomination=nomination(cycle, "ngo"),
        organisation=world.ngo_member.organisation,
        proposed_by=world.admin,
        proposer_kind="official",
        reason="-",
        created_at=cycle.created_at,
    )
    BallotOption.objects.create(ballot=nominee.nomination.ballot, nominee=nominee)
    _publish(world, cycle)
    nominee.refresh_from_db()
    story = services.story_save(
        actor=world.ngo_member, nominee=nominee, title="Green yards", body="...", lang="en"
    )
    assert story.state == "pending"
    with pytest.raises(PermissionRefused):
        services.story_save(actor=world.citizen, nominee=nominee, title="x", body="y", lang="en")


def test_a_story_goes_through_moderation_and_shows(awarded: Awarded) -> None:
    world = awarded.world
    story = services.story_save(
        actor=world.patron, nominee=awarded.winner, title="Swings", body="Бір аула.", lang="kk"
    )
    results = reverse("initiatives:heart-results", args=[awarded.cycle.pk])
    stories = reverse("initiatives:heart-stories")
    assert "Swings" not in Client().get(results).content.decode()
    assert "Swings" not in Client().get(stories).content.decode()
    story = services.story_review(
        actor=world.moderator, story=story, decision="return", note="Longer"
    )
    story = services.story_save(
        actor=world.patron,
        nominee=awarded.winner,
        title="Swings",
        body="Бір аула, екі жыл.",
        lang="kk",
    )
    assert story.state == "pending"
    assert story.published_at is None
    story = services.story_review(actor=world.moderator, story=story, decision="publish")
    for url in (results, stories):
        content = Client().get(url).content.decode()
        assert "Swings" in content
        assert "Бір аула, екі жыл." in content
        assert f'id="story-{story.pk}" lang="kk"' in content
    # A hiding needs a reason, and takes the story off the pages.
    with pytest.raises(ServiceError) as refused:
        services.story_review(actor=world.moderator, story=story, decision="hide", note=" ")
    assert refused.value.code == "required"
    services.story_review(actor=world.moderator, story=story, decision="hide", note="Complaint")
    assert "Swings" not in Client().get(stories).content.decode()
    actions = list(
        AuditEvent.objects.filter(object_type="initiatives.heartstory")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "heart.story_save",
        "heart.story_return",
        "heart.story_save",
        "heart.story_publish",
        "heart.story_hide",
    ]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_story_list_speaks_the_language(lang: str, awarded: Awarded) -> None:
    services.story_save(
        actor=awarded.world.moderator, nominee=awarded.winner, title="T", body="B", lang="ru"
    )
    page = Client().get(reverse("initiatives:heart-stories"), HTTP_ACCEPT_LANGUAGE=lang)
    assert page.status_code == 200
    with translation.override(lang):
        assert translation.gettext("Best practices of the winners") in page.content.decode()


def test_the_story_list_queries_do_not_grow(
    awarded: Awarded, make_user: Callable[..., User], django_assert_max_num_queries: Any
) -> None:
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(reverse("initiatives:heart-stories")).status_code == 200
        return len(ctx.captured_queries)

    services.story_save(
        actor=awarded.world.moderator, nominee=awarded.winner, title="T", body="B", lang="ru"
    )
    one = count()
    for n in range(5):
        nominee = HeartNominee.objects.create(
            nomination=awarded.winner.nomination,
            person=make_user(username=f"w{n}"),
            proposed_by=awarded.world.admin,
            proposer_kind="official",
            reason="-",
            created_at=awarded.winner.created_at,
            place=1,
        )
        services.story_save(
            actor=awarded.world.moderator, nominee=nominee, title=f"T{n}", body="B", lang="ru"
        )
    assert count() == one
    with django_assert_max_num_queries(6):
        Client().get(reverse("initiatives:heart-stories"))
