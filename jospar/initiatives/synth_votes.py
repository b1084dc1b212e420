"""Synthetic public votes at national scale (`jospar synth-initiatives` writes 2,000,000), for the
vote benchmark and the tallies: about half on Generous Heart nominations of past years, half on
initiatives whose selection went to a public vote.

The rows keep every rule of the live vote, so that the synthetic data is data the service could
have written:

- one person, one vote per ballot (the ``(ballot, voter)`` unique constraint stays on while the
  rows go in); the voters are synthetic people of their own (``synth-initiatives-voter-``), with
  no citizen account, i.e. verified as users an administrator created, and none can log in;
- no jury member votes in their cycle and no author on their own initiative: jurors, nominees
  and authors are the synthetic people of ``synth.py``, never a voter;
- per address: voters live three to an address (a keyed hash, as the service stores it), each
  votes at a random moment of the ballot's window, so no address comes near the hourly limit or
  the burst rate on one ballot, and every vote is counted;
- each vote is cast inside its ballot's window: a nomination's ballot opens and closes with its
  cycle's vote stage; a selection ballot runs from the day after the initiative was submitted
  to the day its decision was recorded, and the counts make the decision (more for than
  against exactly when the initiative was selected).

The kept tallies are rebuilt after: each synthetic cycle's results (jury average, votes, final
score, place) through the same computation as publishing, and the initiatives put to a vote
carry the outcome in their decision. The cycles are those of the three past years, per region
and nationally, except a (year, region) that already has a real cycle. On PostgreSQL the votes
go in with COPY, the vote table's other indexes and foreign keys set aside and rebuilt after.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from jospar.control.synth_load import (
    TableWriter,
    indexes_set_aside,
    is_postgresql,
    next_id,
    reset_sequences,
)
from jospar.core.models import Region, User
from jospar.initiatives.models import (
    Answer,
    Ballot,
    BallotKind,
    BallotOption,
    HeartCategory,
    HeartCycle,
    HeartJuror,
    HeartNomination,
    HeartNominee,
    HeartScore,
    Initiative,
    InitiativeState,
    SelectionBody,
    Vote,
)

Progress = Callable[[str], None]
VOTER_INFIX = "voter-"
PER_ADDRESS = 3
YEARS_BACK = 3
NOMINEES_PER_NOMINATION = 5
JURORS_PER_CYCLE = 3
# Votes on one initiative's selection, and the share of all votes that goes to Generous Heart.
SELECTION_VOTES = (40, 160)
HEART_SHARE = 0.5
VOTE_FIELDS = ("ballot_id", "option_id", "voter_id", "address_key", "state", "cast_at")
USER_FIELDS = ("id", "username", "password", "first_name", "is_active", "date_joined")


def _voters(prefix: str, count: int, now: dt.datetime) -> list[int]:
    """``count`` synthetic voters (created by COPY where missing), by id."""
    like = f"{prefix}{VOTER_INFIX}"
    have = list(
        User.objects.filter(username__startswith=like).order_by("id").values_list("id", flat=True)
    )
    if len(have) < count:
        first = next_id(User)
        TableWriter(User, USER_FIELDS).write(
            (first + n, f"{like}{first + n}", "!synth", "Synth voter", True, now)
            for n in range(count - len(have))
        )
        reset_sequences([User])
        have = list(
            User.objects.filter(username__startswith=like)
            .order_by("id")
            .values_list("id", flat=True)
        )
    return have[:count]


def _addresses(voters: int) -> list[str]:
    """The keyed hash of each voter's address, as ``votes.address_key`` gives it (three voters
    to an address)."""
    from jospar.initiatives.services.votes import address_key

    return [address_key(f"198.18.{n >> 8 & 255}.{n & 255}.{n >> 16}") for n in range(voters)]


def _moment(rng: random.Random, opens: dt.datetime, closes: dt.datetime) -> dt.datetime:
    span = (closes - opens).total_seconds()
    return opens + dt.timedelta(seconds=rng.uniform(0, span - 1))


def _day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _heart_cycles(
    people: list[int], now: dt.datetime, rng: random.Random
) -> list[tuple[Ballot, list[BallotOption]]]:
    """The past years' cycles with their nominations, nominees, jurors, scores and ballots."""
    year = timezone.localdate().year
    taken = set(HeartCycle.objects.values_list("year", "region_id"))
    regions: list[Region | None] = [None, *Region.objects.filter(valid_to__isnull=True)]
    cycles = [
        HeartCycle(
            year=y,
            region=region,
            nominations_from=dt.date(y, 3, 1),
            jury_from=dt.date(y, 9, 1),
            vote_from=dt.date(y, 10, 1),
            vote_until=dt.date(y, 10, 31),
            results_on=dt.date(y, 11, 15),
            created_by_id=people[0],
            created_at=_day(dt.date(y, 2, 1)),
            results_published_at=_day(dt.date(y, 11, 15)),
        )
        for y in range(year - YEARS_BACK, year)
        for region in regions
        if (y, region.pk if region else None) not in taken
    ]
    HeartCycle.objects.bulk_create(cycles)
    jurors = people[:JURORS_PER_CYCLE]
    candidates = people[JURORS_PER_CYCLE:]
    HeartJuror.objects.bulk_create(
        HeartJuror(cycle=c, user_id=j, appointed_at=c.created_at) for c in cycles for j in jurors
    )
    nominations = HeartNomination.objects.bulk_create(
        HeartNomination(cycle=c, category=category, position=n)
        for c in cycles
        for n, category in enumerate(
            (HeartCategory.PATRON, HeartCategory.VOLUNTEER, HeartCategory.NGO)
        )
    )
    nominees = HeartNominee.objects.bulk_create(
        HeartNominee(
            nomination=nomination,
            person_id=person,
            proposed_by_id=people[0],
            proposer_kind="citizen",
            reason="Жомарт жүрек / Щедрое сердце",
            created_at=_day(nomination.cycle.nominations_from),
        )
        for nomination in nominations
        for person in rng.sample(candidates, min(NOMINEES_PER_NOMINATION, len(candidates)))
    )
    HeartScore.objects.bulk_create(
        HeartScore(
            nominee=nominee,
            juror_id=juror,
            score=rng.randint(4, 10),
            scored_at=_day(nominee.nomination.cycle.jury_from),
        )
        for nominee in nominees
        for juror in jurors
    )
    ballots = Ballot.objects.bulk_create(
        Ballot(
            kind=BallotKind.NOMINATION,
            nomination=n,
            opens_at=_day(n.cycle.vote_from),
            closes_at=_day(n.cycle.vote_until + dt.timedelta(days=1)),
            created_by_id=people[0],
            created_at=n.cycle.created_at,
        )
        for n in nominations
    )
    by_nomination = {b.nomination_id: b for b in ballots}
    options = BallotOption.objects.bulk_create(
        BallotOption(ballot=by_nomination[nominee.nomination_id], nominee=nominee)
        for nominee in nominees
    )
    grouped: dict[int, list[BallotOption]] = {}
    for option in options:
        grouped.setdefault(option.ballot_id, []).append(option)
    return [(b, grouped.get(b.pk, [])) for b in ballots if grouped.get(b.pk)]


def _selection_ballots(
    initiative_ids: range, budget: int, people: list[int], rng: random.Random
) -> list[tuple[Ballot, BallotOption, BallotOption, int, int]]:
    """Decided initiatives put to a public vote, until ``budget`` votes are planned: each
    ballot with its for/against options and how many votes each gets."""
    decided = list(
        Initiative.objects.filter(pk__in=initiative_ids, decision_date__isnull=False)
        .exclude(state=InitiativeState.SUBMITTED)
        .values_list("pk", "state", "submitted_at", "decision_date")
    )
    rng.shuffle(decided)
    planned: list[tuple[int, str, dt.datetime, dt.date, int, int]] = []
    total = 0
    for pk, state, submitted, decided_on in decided:
        if total >= budget:
            break
        if submitted is None or decided_on is None:
            continue
        n = min(rng.randint(*SELECTION_VOTES), budget - total)
        selected = state != InitiativeState.REJECTED
        share = rng.uniform(0.55, 0.9) if selected else rng.uniform(0.1, 0.45)
        yes = max(int(n * share), n // 2 + 1) if selected else min(int(n * share), n // 2)
        planned.append((pk, state, submitted, decided_on, yes, n - yes))
        total += n
    ballots = Ballot.objects.bulk_create(
        Ballot(
            kind=BallotKind.SELECTION,
            initiative_id=pk,
            opens_at=submitted + dt.timedelta(days=1),
            closes_at=_day(decided_on),
            created_by_id=people[0],
            created_at=submitted + dt.timedelta(days=1),
        )
        for pk, _s, submitted, decided_on, _y, _n in planned
    )
    options = BallotOption.objects.bulk_create(
        BallotOption(ballot=b, answer=answer) for b in ballots for answer in Answer.values
    )
    # The map's trigger ignores a change of the decision alone.
    Initiative.objects.filter(pk__in=[row[0] for row in planned]).update(
        decision_body=SelectionBody.PUBLIC_VOTE,
        decision_text="Жалпыға ортақ дауыс беру / Публичное голосование",
    )
    return [
        (ballot, yes_option, no_option, yes, no)
        for ballot, yes_option, no_option, (*_row, yes, no) in zip(
            ballots, options[::2], options[1::2], planned, strict=True
        )
    ]


def synth_votes_write(
    *,
    count: int,
    initiative_ids: range,
    people: list[int],
    prefix: str,
    rng: random.Random,
    progress: Progress = lambda _m: None,
) -> int:
    """Write about ``count`` votes (exactly ``count`` when the voters suffice); returns how many."""
    if count <= 0 or len(people) < JURORS_PER_CYCLE + 1:
        return 0
    now = timezone.now()
    heart = _heart_cycles(people, now, rng)
    heart_budget = int(count * HEART_SHARE) if heart else 0
    per_nomination = heart_budget // len(heart) if heart else 0
    selection = _selection_ballots(initiative_ids, count - per_nomination * len(heart), people, rng)
    # Enough voters for the biggest ballot, and about twenty votes each over all ballots.
    biggest = max([per_nomination, *(y + n for *_x, y, n in selection)], default=0)
    voters = _voters(prefix, max(biggest, count // 20, 10), now)
    addresses = _addresses(len(voters) // PER_ADDRESS + 1)
    progress(f"{len(heart)} nominations' and {len(selection)} initiatives' ballots")

    def rows() -> Iterator[tuple[Any, ...]]:
        # Every read is done: COPY holds the connection from here.
        for ballot, options in heart:
            picked = rng.sample(range(len(voters)), min(per_nomination, len(voters)))
            # A nomination's vote leans to some nominees, as real ones do.
            weights = [rng.uniform(0.2, 1.0) for _ in options]
            chosen = rng.choices(options, weights=weights, k=len(picked))
            for n, option in zip(picked, chosen, strict=True):
                yield (
                    ballot.pk,
                    option.pk,
                    voters[n],
                    addresses[n // PER_ADDRESS],
                    "counted",
                    _moment(rng, ballot.opens_at, ballot.closes_at),
                )
        for ballot, yes_option, no_option, yes, no in selection:
            picked = rng.sample(range(len(voters)), yes + no)
            for k, n in enumerate(picked):
                yield (
                    ballot.pk,
                    (yes_option if k < yes else no_option).pk,
                    voters[n],
                    addresses[n // PER_ADDRESS],
                    "counted",
                    _moment(rng, ballot.opens_at, ballot.closes_at),
                )

    writer = TableWriter(Vote, VOTE_FIELDS)
    if is_postgresql() and count >= 100_000:
        with connection.cursor() as cursor:
            # Foreign-key checks of the rows just created, still deferred in this transaction,
            # forbid ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with indexes_set_aside([Vote._meta.db_table]):
            written = writer.write(rows())
            progress(f"{written} votes written; rebuilding the vote table's indexes")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        written = writer.write(rows())
    _results_rebuild([b.nomination_id for b, _o in heart if b.nomination_id is not None])
    return written


def _results_rebuild(nomination_ids: Sequence[int]) -> None:
    """The synthetic cycles' kept results, computed as publishing computes them."""
    from jospar.initiatives.selectors.votes import tally_many
    from jospar.initiatives.services.heart import results_compute

    cycles = HeartCycle.objects.filter(nominations__in=nomination_ids).distinct()
    for cycle in cycles:
        ballots = list(Ballot.objects.filter(nomination__cycle=cycle).values_list("pk", flat=True))
        results_compute(cycle, tally_many(ballots))


def synth_votes_reset(prefix: str) -> int:
    """Remove the synthetic votes, ballots and cycles; returns the votes removed."""
    users = User._meta.db_table
    people = f"SELECT id FROM {users} WHERE username LIKE %s"
    like = [prefix + "%"]
    with connection.cursor() as cursor:
        synthetic_ballots = (
            "SELECT b.id FROM initiatives_ballot b "
            "LEFT JOIN initiatives_initiative i ON i.id = b.initiative_id "
            "LEFT JOIN initiatives_heartnomination n ON n.id = b.nomination_id "
            "LEFT JOIN initiatives_heartcycle c ON c.id = n.cycle_id "
            f"WHERE i.author_id IN ({people}) OR c.created_by_id IN ({people})"
        )
        cursor.execute(
            f"DELETE FROM initiatives_vote WHERE ballot_id IN ({synthetic_ballots}) "
            f"OR voter_id IN ({people})",
            [*like, *like, *like],
        )
        removed = int(cursor.rowcount)
        cycles = f"SELECT id FROM initiatives_heartcycle WHERE created_by_id IN ({people})"
        nominations = f"SELECT id FROM initiatives_heartnomination WHERE cycle_id IN ({cycles})"
        nominees = f"SELECT id FROM initiatives_heartnominee WHERE nomination_id IN ({nominations})"
        for sql in (
            f"DELETE FROM initiatives_ballotoption WHERE ballot_id IN ({synthetic_ballots})",
            f"DELETE FROM initiatives_ballot WHERE id IN ({synthetic_ballots})",
        ):
            cursor.execute(sql, [*like, *like])
        for sql in (
            f"DELETE FROM initiatives_heartscore WHERE nominee_id IN ({nominees})",
            f"DELETE FROM initiatives_heartstory WHERE nominee_id IN ({nominees})",
            f"DELETE FROM initiatives_heartnominee WHERE nomination_id IN ({nominations})",
            f"DELETE FROM initiatives_heartnomination WHERE cycle_id IN ({cycles})",
            f"DELETE FROM initiatives_heartjuror WHERE cycle_id IN ({cycles})",
            f"DELETE FROM initiatives_heartcycle WHERE id IN ({cycles})",
        ):
            cursor.execute(sql, like)
    # The voters stay (a next build reuses them): deleting 100,000 people makes the database
    # check, for each of them, every table that may name a person.
    return removed
