"""Outcome indicators of ``002_*`` computed from the Map of civic initiatives and from the
information-space monitoring: each rule counts what it says, and the stored values equal a
fresh computation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jospar.core.models import User
from jospar.indicators.computed import compute
from jospar.indicators.models import DataValue, Level, Method, ValueOrigin, place_q
from jospar.indicators.periods import parse_period
from jospar.indicators.services.computed import computed_refresh
from jospar.indicators.tests.conftest import World, make_indicator
from jospar.initiatives.models import (
    AuthorKind,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Need,
    NeedKind,
    Pledge,
    PledgerKind,
    PledgeState,
)
from jospar.media.models import (
    MatchProposal,
    MatchReason,
    ProposalState,
    Publication,
    Source,
    SourceKind,
    Story,
    StoryLink,
)
from jospar.programs.models import NodeKind, Program, ProgramNode

Q1 = parse_period("2024Q1")
Q2 = parse_period("2024Q2")
# 31 March 2024, 20:00 UTC is 1 April in Almaty: the second quarter's.
LATE_MARCH_UTC = dt.datetime(2024, 3, 31, 20, tzinfo=dt.UTC)
FEBRUARY = dt.datetime(2024, 2, 10, 6, tzinfo=dt.UTC)

INITIATIVE_RULES = (
    "initiatives_beneficiaries",
    "initiatives_by_ngos_citizens",
    "initiatives_with_patrons",
    "initiatives_events_with_volunteers",
)
MEDIA_RULES = ("media_publications", "media_reprints")


def _initiative(author: User, region: Any, **fields: Any) -> Initiative:
    values: dict[str, Any] = {
        "author": author,
        "title": "Аула",
        "problem": "Жоқ",
        "kind": InitiativeKind.SOCIAL,
        "direction": "culture",
        "region": region,
        "latitude": 43.2,
        "longitude": 76.9,
        "beneficiaries": "Тұрғындар",
        "beneficiaries_count": 100,
        "state": InitiativeState.IMPLEMENTED,
        "created_at": FEBRUARY,
        "updated_at": FEBRUARY,
        "implemented_at": FEBRUARY,
    }
    values.update(fields)
    return Initiative.objects.create(**values)


def _pledge(initiative: Initiative, user: User, kind: str, **fields: Any) -> Pledge:
    need = Need.objects.create(
        initiative=initiative,
        kind=NeedKind.VOLUNTEERS if kind == PledgerKind.VOLUNTEER else NeedKind.MONEY,
        description="Қажет",
        quantity=Decimal(10),
    )
    values: dict[str, Any] = {
        "need": need,
        "initiative": initiative,
        "user": user,
        "kind": kind,
        "quantity": Decimal(5),
        "created_at": FEBRUARY,
    }
    values.update(fields)
    return Pledge.objects.create(**values)


def _initiatives(world: World) -> None:
    author = world.people["observer"]
    helper = world.people["ministry"]
    north, south = world.north, world.south
    # North: one with a patron (reached 120), one event with confirmed volunteer hours (30).
    with_patron = _initiative(author, north, beneficiaries_reached=120)
    _pledge(with_patron, helper, PledgerKind.PATRON)
    event = _initiative(author, north, kind=InitiativeKind.EVENT, beneficiaries_reached=30)
    _pledge(event, helper, PledgerKind.VOLUNTEER, confirmed_quantity=Decimal(4))
    # South: an NGO's, no reach stated; its patron withdrew.
    ngo = _initiative(author, south, author_kind=AuthorKind.NGO)
    _pledge(ngo, helper, PledgerKind.PATRON, state=PledgeState.WITHDRAWN)
    # An event whose volunteer's hours were never confirmed: not "with volunteers".
    unconfirmed = _initiative(author, south, kind=InitiativeKind.EVENT, beneficiaries_reached=5)
    _pledge(unconfirmed, helper, PledgerKind.VOLUNTEER)
    # Not counted in Q1: still being implemented; implemented on 1 April in Almaty.
    _initiative(author, north, state=InitiativeState.IMPLEMENTING, implemented_at=None)
    _initiative(author, north, implemented_at=LATE_MARCH_UTC, beneficiaries_reached=7)


def _media(world: World) -> None:
    program = Program.objects.create(title_kk="Рухани жаңғыру")
    node = ProgramNode.objects.create(
        program=program, kind=NodeKind.SUBPROGRAM, position=1, name_kk="Туған жер"
    )
    national = Source.objects.create(name="Egemen", kind=SourceKind.NATIONAL, method="rss")
    northern = Source.objects.create(
        name="North news", kind=SourceKind.REGIONAL, method="rss", region=world.north
    )
    counter = {"n": 0}

    def pub(source: Source, day: dt.date, story: Story | None = None, proposal: str = "") -> Any:
        counter["n"] += 1
        made = Publication.objects.create(
            source=source,
            url=f"https://news.example/{counter['n']}",
            url_hash=str(counter["n"]),
            published_on=day,
            story=story,
            # A later publication of a story joined it as the same text repeated.
            story_via=StoryLink.REPRINT if story is not None else "",
        )
        if proposal:
            MatchProposal.objects.create(
                publication=made, program_node=node, reason=MatchReason.KEYWORD, state=proposal
            )
        return made

    story = Story.objects.create()
    first = pub(national, dt.date(2024, 1, 10), story, ProposalState.PROPOSED)
    story.first = first
    story.save()
    pub(northern, dt.date(2024, 1, 11), story, ProposalState.CONFIRMED)  # a reprint, North
    pub(national, dt.date(2024, 2, 1), story, ProposalState.PROPOSED)  # a reprint
    pub(national, dt.date(2024, 2, 2), None, ProposalState.REJECTED)  # not about the program
    pub(national, dt.date(2024, 2, 3))  # nothing proposed: not about the program
    pub(northern, dt.date(2024, 4, 1), None, ProposalState.CONFIRMED)  # the second quarter


def test_initiative_rules_count_what_they_say(world: World) -> None:
    _initiatives(world)
    assert compute("initiatives_beneficiaries", Q1, None) == 155  # 120 + 30 + 0 + 5
    assert compute("initiatives_beneficiaries", Q1, world.north.pk) == 150
    assert compute("initiatives_beneficiaries", Q2, None) == 7
    assert compute("initiatives_by_ngos_citizens", Q1, None) == 4
    assert compute("initiatives_by_ngos_citizens", Q1, world.south.pk) == 2
    assert compute("initiatives_with_patrons", Q1, None) == 1
    assert compute("initiatives_with_patrons", Q1, world.south.pk) == 0
    assert compute("initiatives_events_with_volunteers", Q1, None) == 1
    assert compute("initiatives_events_with_volunteers", parse_period("202402"), None) == 1
    assert compute("initiatives_events_with_volunteers", parse_period("202403"), None) == 0


def test_media_rules_count_what_they_say(world: World) -> None:
    _media(world)
    assert compute("media_publications", Q1, None) == 3
    assert compute("media_reprints", Q1, None) == 2
    assert compute("media_publications", Q1, world.north.pk) == 1
    assert compute("media_reprints", Q1, world.north.pk) == 1
    assert compute("media_publications", Q1, world.south.pk) == 0
    assert compute("media_publications", Q2, None) == 1
    assert compute("media_reprints", Q2, None) == 0


def test_stored_values_equal_a_fresh_computation(world: World) -> None:
    _initiatives(world)
    _media(world)
    periods = [Q1, Q2, parse_period("2024")]
    indicators = [
        make_indicator(
            f"c-{name}",
            method=Method.COMPUTED,
            rule=name,
            level=Level.REGION if i % 2 == 0 else Level.NATIONAL,
        )
        for i, name in enumerate(INITIATIVE_RULES + MEDIA_RULES)
    ]
    before = timezone.now()
    for indicator in indicators:
        computed_refresh(actor=None, indicator=indicator, periods=periods)
    for indicator in indicators:
        places = [None] + (
            [world.north.pk, world.south.pk] if indicator.level == Level.REGION else []
        )
        for period in periods:
            for place in places:
                stored = DataValue.objects.get(
                    place_q(place), indicator=indicator, period=period.iso
                )
                assert stored.origin == ValueOrigin.COMPUTED
                assert stored.computed_at is not None
                assert stored.computed_at >= before
                assert stored.value == compute(indicator.rule, period, place)
    # The data changes: a recomputation follows it, and again equals a fresh computation.
    patron = Initiative.objects.get(beneficiaries_reached=30)
    _pledge(patron, world.people["ministry"], PledgerKind.PATRON)
    target = indicators[INITIATIVE_RULES.index("initiatives_with_patrons")]
    result = computed_refresh(actor=None, indicator=target, periods=[Q1])
    assert result.written == 2  # national and north
    assert DataValue.objects.get(place_q(None), indicator=target, period="2024Q1").value == 2
