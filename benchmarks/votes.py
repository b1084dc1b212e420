"""Vote throughput: the public vote with every rule checked, beside a raw INSERT baseline.

On PostgreSQL (and Redis for the throttle counters when ``REDIS_URL`` is set), prints:

1. votes per second through ``vote_cast`` — the service every page and the API call: a
   verified person (active, the citizen account's e-mail confirmed), the throttle per account
   and per client address (``core.throttle``), the ballot locked and open, the option on that
   ballot, not a member of the nomination's jury, the burst from one address, the row under the
   ``(ballot, voter)`` unique constraint, and its audit row in the HMAC chain — one transaction
   per vote (target: at least 200 votes/s);
2. the raw baseline in the same run: the same number of rows written with a bare
   ``INSERT INTO initiatives_vote`` each in its own transaction (autocommit) on another ballot,
   with the same concurrency;
3. a check that the rules held during the run: a second vote by each of 200 voters refused, the
   tally equal to the votes cast, one ``vote.cast`` audit row per vote and the audit chain
   unbroken over the run's rows (each row's HMAC and its link to the one before).

``--concurrency N`` (default 1: one vote after another) runs N threads at once, each with its
own PostgreSQL connection and its own voters, as a site serves many voters at once, or with
``--processes`` N forked processes (as gunicorn's workers: no interpreter lock shared by the
voters); the raw baseline runs with the same N, the same way. While they run, a sampler reads
``pg_stat_activity`` every 5 ms and reports how often the benchmark's connections were waiting
on a lock (the audit chain's head, which every audited change locks) — whether that lock is
the limit.

The bench cycle (a national cycle of a free year) and its votes are deleted afterwards unless
``--keep``; the voters stay, inactive, as the audit rows (append-only) name them.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
     REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/votes.py \\
     [--votes 3000] [--concurrency 8 [--processes]]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.timing import backend_pid, cpu_ms  # noqa: E402


def backend_cpu_ms(pid: int) -> float:
    """A PostgreSQL backend's CPU time so far (on this machine), in ms; 0 once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


class Workers:
    """N threads, each with its own database connection (Django's are per thread), started
    together on a barrier; the CPU of this process and of every worker's backend is counted."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.backends: list[int] = []
        self.errors: list[BaseException] = []

    def run(
        self, setup: Callable[[int], None], work: Callable[[int], None]
    ) -> tuple[float, float, Counter[str]]:
        """``setup(i)`` in each worker first (not timed), then ``work(i)`` timed from the
        moment all are ready to the moment the last is done: (seconds, CPU ms, lock waits)."""
        from django.db import connection

        ready = threading.Barrier(self.count + 1)
        go = threading.Barrier(self.count + 1)
        lock = threading.Lock()
        self.backends = []
        ended: dict[int, float] = {}

        def body(i: int) -> None:
            try:
                setup(i)
                pid = backend_pid()
                with lock:
                    self.backends.append(pid)
            except BaseException as error:  # reported after the run
                self.errors.append(error)
                ready.abort()
                return
            ready.wait()
            go.wait()
            try:
                work(i)
            except BaseException as error:
                self.errors.append(error)
            finally:
                # The backend's CPU before its connection closes (and the backend ends).
                with lock:
                    ended[pid] = backend_cpu_ms(pid)
                connection.close()

        threads = [threading.Thread(target=body, args=(i,)) for i in range(self.count)]
        for thread in threads:
            thread.start()
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            for thread in threads:
                thread.join()
            raise RuntimeError(f"a worker failed to start: {self.errors!r}") from None
        sampler = LockSampler(list(self.backends))
        sampler.start()
        own_started = time.process_time() * 1000
        backends_started = {pid: backend_cpu_ms(pid) for pid in self.backends}
        go.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        # This process (all threads) and every worker's backend.
        cpu = time.process_time() * 1000 - own_started
        cpu += sum(ended[pid] - backends_started[pid] for pid in self.backends)
        waits = sampler.stop()
        if self.errors:
            raise RuntimeError(f"{len(self.errors)} worker errors, first: {self.errors[0]!r}")
        return seconds, cpu, waits


class ProcessWorkers(Workers):
    """As :class:`Workers`, with N processes (forked) instead of threads: as gunicorn's
    workers serve, without one interpreter lock shared by all the voters. Each child opens its
    own connection (the parent's are closed before the fork) and reports its backend, its own
    and its backend's CPU and any error through a pipe."""

    def run(
        self, setup: Callable[[int], None], work: Callable[[int], None]
    ) -> tuple[float, float, Counter[str]]:
        import multiprocessing

        from django.db import connection, connections

        context = multiprocessing.get_context("fork")
        ready = context.Barrier(self.count + 1)
        go = context.Barrier(self.count + 1)
        out = context.SimpleQueue()
        connections.close_all()

        def child(i: int) -> None:
            try:
                setup(i)
                pid = backend_pid()
                out.put(("pid", pid))
            except BaseException as error:
                out.put(("error", repr(error)))
                ready.abort()
                os._exit(1)
            ready.wait()
            go.wait()
            own, backend = time.process_time() * 1000, backend_cpu_ms(pid)
            try:
                work(i)
            except BaseException as error:
                out.put(("error", repr(error)))
            out.put(("cpu", time.process_time() * 1000 - own + backend_cpu_ms(pid) - backend))
            connection.close()
            os._exit(0)

        children = [context.Process(target=child, args=(i,)) for i in range(self.count)]
        for process in children:
            process.start()
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            for process in children:
                process.join()
            raise RuntimeError(f"a worker failed to start: {self._drain(out)!r}") from None
        self.backends = [value for kind, value in self._drain(out, self.count) if kind == "pid"]
        sampler = LockSampler(list(self.backends))
        sampler.start()
        go.wait()
        started = time.perf_counter()
        for process in children:
            process.join()
        seconds = time.perf_counter() - started
        waits = sampler.stop()
        messages = self._drain(out)
        errors = [value for kind, value in messages if kind == "error"]
        if errors:
            raise RuntimeError(f"{len(errors)} worker errors, first: {errors[0]}")
        return seconds, float(sum(value for kind, value in messages if kind == "cpu")), waits

    @staticmethod
    def _drain(out: Any, count: int | None = None) -> list[tuple[str, Any]]:
        messages: list[tuple[str, Any]] = []
        while (count is not None and len(messages) < count) or (count is None and not out.empty()):
            messages.append(out.get())
        return messages


class LockSampler(threading.Thread):
    """Every 5 ms, what the benchmark's backends are doing (pg_stat_activity), from a
    connection of its own: counts of 'running' (active, not waiting), 'lock:<event>' (waiting
    on a lock), 'io/client/...' (other waits) and 'idle' (back in the client: Python, Redis)."""

    def __init__(self, backends: Sequence[int]) -> None:
        super().__init__(daemon=True)
        self.backends = list(backends)
        self.counts: Counter[str] = Counter()
        self.done = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.done.is_set():
                    cursor.execute(
                        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                        "WHERE pid = ANY(%s)",
                        [self.backends],
                    )
                    for state, kind, name in cursor.fetchall():
                        if state != "active":
                            self.counts["idle (in the client)"] += 1
                        elif kind == "Lock":
                            self.counts[f"waiting on a lock ({name})"] += 1
                        elif kind in (None, "", "CPU"):
                            self.counts["running"] += 1
                        else:
                            self.counts[f"waiting: {kind}"] += 1
                    time.sleep(0.005)
        finally:
            connection.close()

    def stop(self) -> Counter[str]:
        self.done.set()
        self.join()
        return self.counts


def _waits_line(waits: Counter[str]) -> str:
    total = sum(waits.values()) or 1
    return ", ".join(f"{name} {n / total:.0%}" for name, n in waits.most_common())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, default=3000)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="voters at once: threads, each with its own connection (default 1)",
    )
    parser.add_argument(
        "--processes",
        action="store_true",
        help="with --concurrency: processes (forked, as gunicorn's workers) instead of threads",
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the service's run (cProfile, top 25; with --concurrency 1 only)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    if args.concurrency < 1 or (args.profile and args.concurrency != 1):
        print("--concurrency is at least 1; --profile needs --concurrency 1.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from jospar.civic.models import CitizenAccount
    from jospar.core.audit import GENESIS, _event_mac
    from jospar.core.errors import Conflict
    from jospar.core.models import AuditEvent, Role, RoleGrant, User
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
    workers = (ProcessWorkers if args.processes else Workers)(args.concurrency)
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
        for n in range(count + 3)
    )
    now = timezone.now()
    CitizenAccount.objects.bulk_create(
        CitizenAccount(user=p, registered_at=now, email_confirmed_at=now) for p in people
    )
    options = []
    for nomination, person in zip(nominations[:3], people[-3:], strict=True):
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
    option, baseline_option, warm_option = options
    ballot = option.ballot
    # Each worker's share of the voters, and its first voter warms its connection and the code
    # paths (not counted) by a vote on a third ballot.
    shares = [voters[i :: args.concurrency] for i in range(args.concurrency)]

    def warm(i: int) -> None:
        vote_cast(
            actor=shares[i][0],
            ballot=warm_option.ballot,
            option=warm_option,
            address=f"192.0.2.{i}",
        )

    def cast(i: int) -> None:
        for n, voter in enumerate(shares[i]):
            m = n * args.concurrency + i
            address = f"10.{(m >> 16) & 255}.{(m >> 8) & 255}.{m & 255}"
            vote_cast(actor=voter, ballot=ballot, option=option, address=address)

    first_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    load_before = os.getloadavg()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    if args.concurrency == 1:
        # In this thread, as before: a profile sees the service's calls.
        backend = backend_pid()
        warm(0)
        if profiler is not None:
            profiler.enable()
        cpu_started, started = cpu_ms(backend), time.perf_counter()
        cast(0)
        service_seconds = time.perf_counter() - started
        service_cpu = cpu_ms(backend) - cpu_started
        service_waits: Counter[str] = Counter()
    else:
        service_seconds, service_cpu, service_waits = workers.run(warm, cast)
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)

    baseline_ballot = baseline_option.ballot
    insert = (
        "INSERT INTO initiatives_vote (ballot_id, option_id, voter_id, address_key, state,"
        " cast_at) VALUES (%s, %s, %s, %s, %s, now())"
    )

    def raw_warm(i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def raw(i: int) -> None:
        with connection.cursor() as cursor:
            for voter in shares[i]:
                cursor.execute(
                    insert,
                    (baseline_ballot.pk, baseline_option.pk, voter.pk, "baseline", "counted"),
                )

    if args.concurrency == 1:
        backend = backend_pid()
        cpu_started, started = cpu_ms(backend), time.perf_counter()
        raw(0)
        raw_seconds = time.perf_counter() - started
        raw_cpu = cpu_ms(backend) - cpu_started
        raw_waits: Counter[str] = Counter()
    else:
        raw_seconds, raw_cpu, raw_waits = workers.run(raw_warm, raw)

    # The rules held: a second vote refused, the tally the votes cast, an audit row per vote
    # and the chain over the run's rows unbroken.
    refused = 0
    for n, voter in enumerate(voters[:200]):
        try:
            vote_cast(actor=voter, ballot=ballot, option=option, address=f"172.16.0.{n}")
        except Conflict:
            refused += 1
    counted = tally(ballot).get(option.pk, 0)
    vote_ids = {str(pk) for pk in Vote.objects.filter(ballot=ballot).values_list("pk", flat=True)}
    run_rows = list(AuditEvent.objects.filter(id__gt=first_audit).order_by("id"))
    audited = sum(1 for e in run_rows if e.action == "vote.cast" and e.object_id in vote_ids)
    before = AuditEvent.objects.filter(id__lte=first_audit).order_by("-id").first()
    previous = before.hash if before is not None else GENESIS
    links = True
    for event in run_rows:
        links = links and event.prev_hash == previous and event.hash == _event_mac(event)
        previous = event.hash

    rows = count
    service_rate = count / service_seconds
    raw_rate = rows / raw_seconds
    load = os.getloadavg()
    how = (
        "one connection"
        if args.concurrency == 1
        else f"{'processes' if args.processes else 'threads'}, a connection each"
    )
    print(
        f"PostgreSQL: {connection.settings_dict['NAME']}; load average (1 min) "
        f"{load_before[0]:.2f} before, {load[0]:.2f} after, on {os.cpu_count()} cores; "
        f"concurrency {args.concurrency} ({how})"
    )
    print(
        f"vote_cast, every rule checked: {count} votes in {service_seconds:.2f} s = "
        f"{service_rate:,.0f} votes/s (target >= 200: {'OK' if service_rate >= 200 else 'MISSED'})"
    )
    print(
        f"raw INSERT baseline:           {rows} rows in {raw_seconds:.2f} s = "
        f"{raw_rate:,.0f} rows/s (the service: {service_rate / raw_rate:.0%} of it)"
    )
    print(
        f"CPU per vote (this process + its PostgreSQL backends; Redis not counted): "
        f"service {service_cpu / count:.2f} ms, raw INSERT {raw_cpu / rows:.2f} ms; "
        f"at 2 free cores the service's CPU allows {2000 * count / service_cpu:,.0f} votes/s"
    )
    if args.concurrency > 1:
        print(f"backends during the votes: {_waits_line(service_waits)}")
        print(f"backends during the raw INSERTs: {_waits_line(raw_waits)}")
    held = refused == 200 and counted == count and audited == count and links
    print(
        f"rules held: {refused}/200 second votes refused; tally {counted} = {count} votes cast; "
        f"{audited} vote.cast audit rows; chain over the run's {len(run_rows)} rows "
        f"{'unbroken' if links else 'BROKEN'}: {'OK' if held else 'BROKEN'}"
    )
    if not args.keep:
        with transaction.atomic():
            Vote.objects.filter(ballot__nomination__cycle=cycle).delete()
            cycle.delete()
            # The audit log names the voters: they stay, inactive.
            User.objects.filter(pk__in=[p.pk for p in [*people, admin]]).update(is_active=False)
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
