"""Vote throughput: the public vote with every rule checked, beside a raw INSERT baseline.

On PostgreSQL (and Redis for the throttle counters when ``REDIS_URL`` is set), in one process,
one vote after another, prints:

1. votes per second through ``vote_cast`` — the service every page and the API call: a
   verified person (active, the citizen account's e-mail confirmed), the throttle per account
   and per client address (``core.throttle``), the ballot locked and open, the option on that
   ballot, not a member of the nomination's jury, the burst from one address, the row under the
   ``(ballot, voter)`` unique constraint, and its audit row in the HMAC chain — one transaction
   per vote (target: at least 200 votes/s);
2. the raw baseline in the same run: the same number of rows written with a bare
   ``INSERT INTO initiatives_vote`` each in its own transaction (autocommit) on another ballot;
3. a check that the rules held during the run: a second vote by each of 200 voters refused, the
   tally equal to the votes cast.

The bench cycle (a national cycle of a free year) and its votes are deleted afterwards unless
``--keep``; the voters stay, inactive, as the audit rows (append-only) name them.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
     REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/votes.py [--votes 3000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.timing import backend_pid, cpu_ms  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, default=3000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="profile the service's run (cProfile, top 25)"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from jospar.civic.models import CitizenAccount
    from jospar.core.errors import Conflict
    from jospar.core.models import Role, RoleGrant, User
    from jospar.core.throttle import throttle_cache
    from jospar.initiatives.models import (
        Ballot,
        BallotOption,
        HeartCycle,
        HeartNomination,
        HeartNominee,
        Vote,
    )
    from jospar.initiatives.selectors.votes import tally
    from jospar.initiatives.services import cycle_create, vote_cast

    # Each voter one vote, from an address of its own: the throttles are checked, not tripped.
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "vote_user": "30/3600",
        "vote_ip": "60/3600",
    }
    throttle_cache().clear()
    count = args.votes
    today = timezone.localdate()
    year = next(y for y in range(2100, 2000, -1) if not HeartCycle.objects.filter(year=y).exists())
    stamp = int(time.time())
    admin = User.objects.create(username=f"bench-admin-{stamp}", is_superuser=True)
    RoleGrant.objects.create(user=admin, role=Role.ADMINISTRATOR)
    cycle = cycle_create(
        actor=admin,
        year=year,
        region=None,
        nominations_from=today - dt.timedelta(days=10),
        jury_from=today - dt.timedelta(days=5),
        vote_from=today - dt.timedelta(days=1),
        vote_until=today + dt.timedelta(days=1),
        results_on=today + dt.timedelta(days=5),
    )
    nominations = list(HeartNomination.objects.filter(cycle=cycle).order_by("position"))
    people = User.objects.bulk_create(
        User(username=f"bench-voter-{stamp}-{n}", email=f"v{n}-{stamp}@bench.kz")
        for n in range(count + 2)
    )
    now = timezone.now()
    CitizenAccount.objects.bulk_create(
        CitizenAccount(user=p, registered_at=now, email_confirmed_at=now) for p in people
    )
    options = []
    for nomination, person in zip(nominations[:2], people[-2:], strict=True):
        nominee = HeartNominee.objects.create(
            nomination=nomination,
            person=person,
            proposed_by=admin,
            proposer_kind="official",
            reason="bench",
            created_at=now,
        )
        options.append(
            BallotOption.objects.create(
                ballot=Ballot.objects.get(nomination=nomination), nominee=nominee
            )
        )
    voters = people[:count]
    option = options[0]
    ballot = option.ballot
    # Warm up the connection and the code paths (not counted): a vote on the second ballot.
    vote_cast(actor=voters[0], ballot=options[1].ballot, option=options[1], address="192.0.2.1")

    backend = backend_pid()
    load_before = os.getloadavg()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_started, started = cpu_ms(backend), time.perf_counter()
    for n, voter in enumerate(voters):
        address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        vote_cast(actor=voter, ballot=ballot, option=option, address=address)
    service_seconds = time.perf_counter() - started
    service_cpu = cpu_ms(backend) - cpu_started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)

    baseline_ballot = options[1].ballot
    rows = [
        (baseline_ballot.pk, options[1].pk, voter.pk, "baseline", "counted") for voter in voters[1:]
    ]
    cpu_started, started = cpu_ms(backend), time.perf_counter()
    with connection.cursor() as cursor:
        for row in rows:
            cursor.execute(
                "INSERT INTO initiatives_vote (ballot_id, option_id, voter_id, address_key, state,"
                " cast_at) VALUES (%s, %s, %s, %s, %s, now())",
                row,
            )
    raw_seconds = time.perf_counter() - started
    raw_cpu = cpu_ms(backend) - cpu_started

    refused = 0
    for n, voter in enumerate(voters[:200]):
        try:
            vote_cast(actor=voter, ballot=ballot, option=option, address=f"172.16.0.{n}")
        except Conflict:
            refused += 1
    counted = tally(ballot).get(option.pk, 0)

    service_rate = count / service_seconds
    raw_rate = len(rows) / raw_seconds
    load = os.getloadavg()
    print(
        f"PostgreSQL: {connection.settings_dict['NAME']}; load average (1 min) "
        f"{load_before[0]:.2f} before, {load[0]:.2f} after, on {os.cpu_count()} cores"
    )
    print(
        f"vote_cast, every rule checked: {count} votes in {service_seconds:.2f} s = "
        f"{service_rate:,.0f} votes/s (target >= 200: {'OK' if service_rate >= 200 else 'MISSED'})"
    )
    print(
        f"raw INSERT baseline:           {len(rows)} rows in {raw_seconds:.2f} s = "
        f"{raw_rate:,.0f} rows/s (the service: {service_rate / raw_rate:.0%} of it)"
    )
    print(
        f"CPU per vote (this process + its PostgreSQL backend; Redis not counted): "
        f"service {service_cpu / count:.2f} ms, raw INSERT {raw_cpu / len(rows):.2f} ms; "
        f"at 2 free cores the service's CPU allows {2000 * count / service_cpu:,.0f} votes/s"
    )
    print(
        f"rules held: {refused}/200 second votes refused; tally {counted} = {count} votes cast: "
        f"{'OK' if refused == 200 and counted == count else 'BROKEN'}"
    )
    if not args.keep:
        with transaction.atomic():
            Vote.objects.filter(ballot__nomination__cycle=cycle).delete()
            cycle.delete()
            # The audit log names the voters: they stay, inactive.
            User.objects.filter(pk__in=[p.pk for p in [*people, admin]]).update(is_active=False)
    return 0 if refused == 200 and counted == count else 1


if __name__ == "__main__":
    sys.exit(main())
