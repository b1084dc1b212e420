"""Synthetic civic initiatives at national scale, for the map's benchmark (`jospar synth
--initiatives`, `jospar synth-initiatives`).

200,000 initiatives across the regions (points drawn as Civic Control's synthetic reports are:
cities around their centre, oblasts around towns and across the steppe), in every public state
and a few still submitted, each with a money need and a volunteers' need, and pledges that
cover the needs of those being implemented or implemented and part of the selected ones'.

Synthetic rows belong to synthetic people (usernames starting ``synth-initiatives-``), so that
``synth_initiatives_reset`` finds them again. On PostgreSQL rows go in with COPY
(``jospar.control.synth_load``), the tables' secondary indexes and foreign keys set aside and
rebuilt after. The same seed gives the same data.

Votes: 2 million public votes on Generous Heart nominations of past years and on initiatives'
selections, consistent with the vote's rules (``synth_votes.py``); the reset removes them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jospar.civic.synth import _places, _sampler
from jospar.control.synth_load import (
    TableWriter,
    analyze,
    indexes_set_aside,
    is_postgresql,
    lock_tables,
    next_id,
    reset_sequences,
)
from jospar.core.models import User
from jospar.initiatives.models import Initiative, InitiativeState, Need, Pledge

USER_PREFIX = "synth-initiatives-"
CHUNK = 20_000
Progress = Callable[[str], None]

# State → share of the synthetic initiatives.
STATES = (
    (InitiativeState.SELECTED, 0.34),
    (InitiativeState.IMPLEMENTING, 0.24),
    (InitiativeState.IMPLEMENTED, 0.32),
    (InitiativeState.REJECTED, 0.05),
    (InitiativeState.SUBMITTED, 0.05),
)
KINDS = ("social", "infrastructure", "material_aid", "material_technical", "event", "other")
DIRECTIONS = (
    "education",
    "health",
    "culture",
    "sport",
    "ecology",
    "transport",
    "social_care",
    "youth",
    "other",
)
TITLES = (
    "Аула ойын алаңы",
    "Спортивная площадка у школы",
    "Мектеп кітапханасын жаңарту",
    "Скверу — новые скамейки",
    "Қарттар үйіне көмек",
    "Велодорожка вдоль реки",
    "Жасыл аула: ағаш отырғызу",
    "Кружок робототехники для детей",
)


@dataclass(frozen=True)
class InitiativesSynthSpec:
    initiatives: int = 200_000
    votes: int = 2_000_000
    people: int = 500
    seed: int = 2026

    @classmethod
    def small(cls) -> InitiativesSynthSpec:
        return cls(initiatives=2000, votes=20_000, people=20)


@dataclass
class InitiativesSynthResult:
    initiatives: int
    needs: int
    pledges: int
    votes: int
    removed: int
    seconds: float
    note: str = ""
    vote_seconds: float = 0.0


def _people(count: int) -> list[int]:
    """Synthetic authors, patrons and volunteers (no password: they cannot log in)."""
    existing = {u.username: u.pk for u in User.objects.filter(username__startswith=USER_PREFIX)}
    new = [
        User(username=f"{USER_PREFIX}{n}", first_name=f"Synth {n}", is_active=True)
        for n in range(count)
        if f"{USER_PREFIX}{n}" not in existing
    ]
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create(new, batch_size=1000)
    return list(
        User.objects.filter(username__startswith=USER_PREFIX)
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )


def _has_map_cells() -> bool:
    if not is_postgresql():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('initiatives_mapcell') IS NOT NULL")
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def _map_cells_paused() -> Iterator[None]:
    """The map's trigger off for a bulk change (a row trigger fires for every COPY row), and
    its grid counts recomputed once after."""
    if not _has_map_cells():
        yield
        return
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction forbid ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE initiatives_initiative DISABLE TRIGGER initiatives_mapcell_sync"
        )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE initiatives_initiative ENABLE TRIGGER initiatives_mapcell_sync")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SELECT initiatives_mapcell_rebuild()")


def synth_initiatives_reset() -> int:
    """Remove the synthetic initiatives (their needs, pledges and history go with them)."""
    from jospar.initiatives.synth_votes import synth_votes_reset

    table = Initiative._meta.db_table
    with transaction.atomic(), _map_cells_paused(), connection.cursor() as cursor:
        # The votes first: their ballots point at the initiatives.
        synth_votes_reset(USER_PREFIX)
        marked = (
            f"SELECT i.id FROM {table} i JOIN {User._meta.db_table} u ON u.id = i.author_id "
            "WHERE u.username LIKE %s"
        )
        like = [USER_PREFIX + "%"]
        cursor.execute(
            f"DELETE FROM {Pledge._meta.db_table} WHERE initiative_id IN ({marked})", like
        )
        cursor.execute(f"DELETE FROM {Need._meta.db_table} WHERE initiative_id IN ({marked})", like)
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({marked})", like)
        return int(cursor.rowcount)


def synth_votes(
    *,
    count: int,
    initiative_ids: range,
    people: list[int],
    rng: random.Random,
    progress: Progress = lambda _m: None,
) -> int:
    """Generous Heart's and the initiatives' public votes (``synth_votes.py``)."""
    from jospar.initiatives.synth_votes import synth_votes_write

    return synth_votes_write(
        count=count,
        initiative_ids=initiative_ids,
        people=people,
        prefix=USER_PREFIX,
        rng=rng,
        progress=progress,
    )


def _state(rng: random.Random) -> str:
    roll = rng.random()
    for state, share in STATES:
        if roll < share:
            return state
        roll -= share
    return InitiativeState.SELECTED


INITIATIVE_FIELDS = (
    "id",
    "author_id",
    "author_kind",
    "title",
    "problem",
    "kind",
    "direction",
    "region_id",
    "latitude",
    "longitude",
    "address",
    "beneficiaries",
    "beneficiaries_count",
    "budget",
    "state",
    "created_at",
    "updated_at",
    "submitted_at",
    "decision_body",
    "decision_date",
    "decision_text",
    "selected_at",
    "implementing_at",
    "implemented_at",
    "results_text",
    "beneficiaries_reached",
    "money_given",
)
NEED_FIELDS = ("id", "initiative_id", "kind", "description", "quantity", "unit", "position")
PLEDGE_FIELDS = (
    "need_id",
    "initiative_id",
    "user_id",
    "kind",
    "quantity",
    "note",
    "state",
    "confirmed_quantity",
    "created_at",
)


def _rows(
    spec: InitiativesSynthSpec,
    first_id: int,
    first_need: int,
    people: list[int],
    now: dt.datetime,
    rng: random.Random,
) -> Iterator[tuple[tuple[Any, ...], list[Any], list[Any]]]:
    """Each initiative's row with its needs and pledges. Every database read happens before
    the first row: COPY holds the connection."""
    places = _places()
    sample = _sampler(places, rng)
    region_of = {code: place.region_id for code, (place, _geom) in places.items()}

    def initiatives() -> Iterator[tuple[tuple[Any, ...], list[Any], list[Any]]]:
        need_id = first_need
        for n in range(spec.initiatives):
            pk = first_id + n
            code, lat, lon = sample()
            state = _state(rng)
            created = now - dt.timedelta(days=rng.randrange(30, 1500), minutes=rng.randrange(1440))
            submitted = created + dt.timedelta(days=rng.randrange(1, 10))
            decided = state != InitiativeState.SUBMITTED
            selected = submitted + dt.timedelta(days=rng.randrange(5, 40))
            started = selected + dt.timedelta(days=rng.randrange(5, 90))
            done = started + dt.timedelta(days=rng.randrange(10, 120))
            money = Decimal(rng.randrange(50, 5000) * 1000)
            hours = Decimal(rng.randrange(8, 200))
            moving = state in (InitiativeState.IMPLEMENTING, InitiativeState.IMPLEMENTED)
            implemented = state == InitiativeState.IMPLEMENTED
            needs: list[tuple[Any, ...]] = []
            pledges: list[tuple[Any, ...]] = []
            row = (
                pk,
                rng.choice(people),
                "citizen" if rng.random() < 0.8 else "ngo",
                rng.choice(TITLES),
                "Жергілікті мәселе / Местная проблема",
                rng.choice(KINDS),
                rng.choice(DIRECTIONS),
                region_of[code],
                lat,
                lon,
                "",
                "Тұрғындар / Жители",
                rng.randrange(20, 5000),
                money,
                state,
                created,
                done if implemented else (started if moving else selected),
                submitted,
                "council" if decided else "",
                selected.date() if decided else None,
                "Қоғамдық кеңес шешімі / Решение общественного совета" if decided else "",
                selected if decided and state != InitiativeState.REJECTED else None,
                started if moving else None,
                done if implemented else None,
                "Жоба іске асырылды / Проект реализован" if implemented else "",
                rng.randrange(20, 5000) if implemented else None,
                money if implemented else None,
            )
            needs.append((need_id, pk, "money", "Қаражат / Средства", money, "", 0))
            needs.append((need_id + 1, pk, "volunteers", "Еріктілер / Волонтёры", hours, "", 1))
            if state in (InitiativeState.SELECTED, InitiativeState.IMPLEMENTING) or implemented:
                share = 1.0 if moving else rng.choice((0.0, 0.3, 0.6))
                if share:
                    when = selected + dt.timedelta(days=rng.randrange(1, 5))
                    given = (money * Decimal(share)).quantize(Decimal("0.01"))
                    confirmed = given if implemented else Decimal(0)
                    pledges.append(
                        (
                            need_id,
                            pk,
                            rng.choice(people),
                            "patron",
                            given,
                            "",
                            "pledged",
                            confirmed,
                            when,
                        )
                    )
                    half = (hours * Decimal(share) / 2).quantize(Decimal("0.01"))
                    for _ in range(2):
                        pledges.append(
                            (
                                need_id + 1,
                                pk,
                                rng.choice(people),
                                "volunteer",
                                half,
                                "",
                                "pledged",
                                half if implemented else Decimal(0),
                                when,
                            )
                        )
            need_id += 2
            yield row, needs, pledges

    return initiatives()


def synth_initiatives_build(
    *,
    spec: InitiativesSynthSpec,
    reset: bool = False,
    now: dt.datetime | None = None,
    progress: Progress = lambda _m: None,
) -> InitiativesSynthResult:
    started = time.perf_counter()
    removed = synth_initiatives_reset() if reset else 0
    rng = random.Random(spec.seed)
    moment = now or timezone.now()
    people = _people(spec.people)
    tables = [Initiative._meta.db_table, Need._meta.db_table, Pledge._meta.db_table]
    big = is_postgresql() and spec.initiatives >= 50_000
    with transaction.atomic():
        lock_tables(tables)
        first_id, first_need = next_id(Initiative), next_id(Need)
        rows = _rows(spec, first_id, first_need, people, moment, rng)
        counts = {"initiatives": 0, "needs": 0, "pledges": 0}

        def write() -> int:
            # In chunks: three COPYs a chunk keep memory flat at 200,000 initiatives.
            writers = (
                TableWriter(Initiative, INITIATIVE_FIELDS),
                TableWriter(Need, NEED_FIELDS),
                TableWriter(Pledge, PLEDGE_FIELDS),
            )
            while True:
                chunk = list(itertools.islice(rows, CHUNK))
                if not chunk:
                    break
                counts["initiatives"] += writers[0].write(row for row, _n, _p in chunk)
                counts["needs"] += writers[1].write(n for _r, ns, _p in chunk for n in ns)
                counts["pledges"] += writers[2].write(p for _r, _n, ps in chunk for p in ps)
                progress(f"{counts['initiatives']} initiatives")
            return counts["initiatives"]

        if big:
            with _map_cells_paused(), indexes_set_aside(tables):
                written = write()
                progress("rebuilding indexes and the map's grid counts")
        else:
            written = write()
        reset_sequences([Initiative, Need, Pledge])
        votes_started = time.perf_counter()
        votes = synth_votes(
            count=spec.votes,
            initiative_ids=range(first_id, first_id + written),
            people=people,
            rng=rng,
            progress=progress,
        )
        vote_seconds = time.perf_counter() - votes_started
    vote_tables = ["initiatives_vote", "initiatives_ballot", "initiatives_ballotoption"]
    analyze([*tables, *vote_tables, *(["initiatives_mapcell"] if _has_map_cells() else [])])
    note = ""
    return InitiativesSynthResult(
        written,
        counts["needs"],
        counts["pledges"],
        votes,
        removed,
        time.perf_counter() - started,
        note,
        vote_seconds,
    )
