"""Mixed traffic against jospar as deploy/ runs it, with failures in the middle.

gunicorn (``deploy/gunicorn.conf.py``, ``config.wsgi``) and a Celery worker on Redis serve the
synthetic national data (``jospar synth --civic``; ``--small`` to try it out; any size between,
e.g. ``jospar synth --plans 60 --obligations 60000 --reports 45000`` and ``jospar synth-civic
--reports 50000``) while client
threads send, for ``--minutes`` (default 10):

- portal reads: the portal's pages, the map's clusters, the figures (anonymous);
- Open311 reads (request lists of a topic in a region, services) and writes (new requests with
  an API key; ``--photos`` of them, 20% by default, carry a 1600 × 1200 JPEG whose public copy
  the Celery worker makes: the end counts the run's photos processed, pending and failed);
- executors' drafts and submissions through the API (each on a pending obligation of their own);
- controllers' dashboards (discipline, review queue) as signed-in pages.

First a short ramp finds the most clients whose p95 stays under 500 ms (``--clients`` skips it);
the run then keeps that many busy. At 40% of the run one gunicorn worker is killed with SIGKILL,
at 55% the Celery worker, at 70% PostgreSQL "restarts": by default every connection to the
benchmark's database is terminated (what the app sees of a restart, without stopping a server
other databases share); ``--pg-restart "pg_ctlcluster 16 main restart"`` does a real one.

It prints requests, errors, p50/p95 by kind, the writes acknowledged against the rows found with
the run's mark (equal: nothing acknowledged is lost), and the largest RSS of each web and task
worker (target: under 250 MB). Loopback only; every process it starts is stopped at the end.

It writes through the services, so its reports are in the append-only audit trail with the
synthetic executors as actors: afterwards `jospar synth --reset` refuses to remove those people.
Run it on a database made for benchmarks, and drop that database to start again.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
     REDIS_URL=redis://127.0.0.1:6379/5 \\
     .venv/bin/python benchmarks/load.py [--minutes 10] [--workers 2] [--clients N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
HOST = "127.0.0.1"
PORT = 18411
P95_TARGET = 0.5
RSS_TARGET_MB = 250
# Points inside Kazakhstan's regions, jittered, for new Open311 requests.
REGIONS = ("almaty", "astana", "shymkent", "karaganda", "turkistan", "aktobe")
CITIES = [(43.2389, 76.8897), (51.1605, 71.4704), (42.3417, 69.5901), (49.8047, 73.1094)]


# --- the data the clients use ------------------------------------------------------------------


@dataclass
class Fixture:
    run: str
    executors: list[tuple[str, list[int]]]  # API token, pending obligations of the organisation
    controller_cookie: str
    api_key: str
    topics: list[str]
    regions: list[str]
    answers: dict[str, dict[str, str]]  # a topic's required survey questions, answered
    photos: float = 0.0  # the share of Open311 writes that carry a photo
    photo: bytes = b""
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Every write acknowledged in the run (warm-up and ramp included: they write with its mark).
    acked: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def next_obligation(self, rng: random.Random) -> tuple[str, int] | None:
        with self.lock:
            for _ in range(len(self.executors)):
                token, pending = rng.choice(self.executors)
                if pending:
                    return token, pending.pop()
        return None


def prepare(run: str, obligations_per_executor: int) -> Fixture:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Exists, OuterRef
    from rest_framework.authtoken.models import Token

    from jospar.civic.models import Topic, TopicQuestion
    from jospar.civic.services import open311_client_issue
    from jospar.control.models import ControlDecision, ExecutionReport, Obligation
    from jospar.control.selectors.obligations import in_force
    from jospar.control.synth import USER_MARK
    from jospar.core.models import Region, Role, RoleGrant, User

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("load.py needs PostgreSQL: set DATABASE_URL")
    executors = list(
        User.objects.filter(
            username__startswith=f"{USER_MARK}exec-", role_grants__role=Role.EXECUTOR
        ).order_by("id")[:200]
    )
    controller = User.objects.filter(username=f"{USER_MARK}controller").first()
    if not executors or controller is None:
        raise SystemExit("no synthetic data: run `jospar synth --civic` (or --small --civic) first")
    pending = (
        Obligation.objects.filter(
            in_force(), lead_obligation__isnull=True, accepted_at__isnull=True
        )
        .exclude(Exists(ControlDecision.objects.filter(activity_id=OuterRef("activity_id"))))
        .exclude(Exists(ExecutionReport.objects.filter(obligation=OuterRef("pk"))))
        .order_by("deadline", "id")
    )
    pool: list[tuple[str, list[int]]] = []
    for user in executors:
        ids = list(
            pending.filter(organisation_id=user.organisation_id).values_list("id", flat=True)[
                :obligations_per_executor
            ]
        )
        if ids:
            token, _ = Token.objects.get_or_create(user=user)
            pool.append((token.key, ids))
    session = SessionStore()
    session[SESSION_KEY] = str(controller.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = controller.get_session_auth_hash()
    session.create()
    # Not a "synth-" name: its audited actions would stop `jospar synth --reset` removing it.
    admin, _ = User.objects.get_or_create(username="load-benchmark-admin")
    RoleGrant.objects.get_or_create(user=admin, role=Role.ADMINISTRATOR)
    _, key = open311_client_issue(actor=admin, name=f"load {run}")
    topics = list(Topic.objects.filter(is_active=True).values_list("code", flat=True))
    answers: dict[str, dict[str, str]] = defaultdict(dict)
    for q in TopicQuestion.objects.filter(topic__code__in=topics, required=True):
        choice = q.values[0]["key"] if q.values else ""
        value = choice or {"number": "1", "datetime": "2026-01-01"}.get(q.datatype, "да")
        answers[q.topic.code][f"attribute[{q.code}]"] = value
    regions = list(Region.objects.filter(code__in=REGIONS).values_list("code", flat=True))
    return Fixture(run, pool, session.session_key or "", key, topics, regions, dict(answers))


def rows_found(run: str) -> dict[str, set[str]]:
    from django.db import connection

    from jospar.civic.models import CitizenReport
    from jospar.control.models import ExecutionReport, ReportState

    connection.close()  # the "restart" ended this thread's connection too
    mark = f"[load {run}]"
    submitted = ExecutionReport.objects.filter(text__contains=mark, state=ReportState.SUBMITTED)
    filed = CitizenReport.objects.filter(description__contains=mark)
    return {
        "submission": {str(pk) for pk in submitted.values_list("pk", flat=True)},
        "open311_write": {str(pk) for pk in filed.values_list("pk", flat=True)},
    }


# --- the clients -------------------------------------------------------------------------------


def multipart(fields: dict[str, str], file_field: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def photo_bytes() -> bytes:
    """A phone-sized JPEG (1600 × 1200, with EXIF): what the task decodes and re-encodes."""
    import io

    from PIL import Image

    image = Image.new("RGB", (1600, 1200), (90, 90, 90))
    for x in range(0, 1600, 40):
        image.paste((200, 40, 40), (x, 0, x + 20, 1200))
    exif = Image.Exif()
    exif[0x010F] = "LoadTestPhone"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


def photos_found(run: str) -> dict[str, int]:
    from django.db.models import Count

    from jospar.civic.models import ReportMedia

    rows = (
        ReportMedia.objects.filter(report__description__contains=f"[load {run}]")
        .values("processing")
        .annotate(n=Count("id"))
    )
    return {str(row["processing"]): int(row["n"]) for row in rows}


@dataclass
class Result:
    kind: str
    seconds: float
    ok: bool
    at: float
    detail: str = ""


class Client:
    def __init__(self, fixture: Fixture, seed: int) -> None:
        self.f = fixture
        self.rng = random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None
        self.acked: dict[str, list[str]] = defaultdict(list)
        self.kind = ""
        self.results: list[Result] = []

    def _record(self, start: float, ok: bool, detail: str) -> None:
        elapsed = time.perf_counter() - start
        self.results.append(Result(self.kind, elapsed, ok, time.monotonic(), "" if ok else detail))

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                # A keep-alive connection the server closed between requests is reopened once;
                # a request in flight when its worker died is an error (a write is not resent).
                self.conn.close()
                self.conn = None
                if attempt == 2 or method != "GET":
                    self._record(start, False, f"{type(exc).__name__} {method} {path}")
                    raise
                continue
            ok = response.status < 400
            text = data[:160].decode("utf-8", "replace")
            self._record(start, ok, f"HTTP {response.status} {method} {path.split('?')[0]}: {text}")
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, data
        raise AssertionError("unreachable")

    def _get(self, path: str, **headers: str) -> tuple[int, bytes]:
        return self._request("GET", path, headers=headers)

    def portal_read(self) -> bool:
        lat, lon = self.rng.choice(CITIES)
        path = self.rng.choice(
            [
                "/civic/",
                "/civic/reports/",
                "/civic/figures/",
                f"/civic/map/clusters.json?bbox={lat - 1:.4f},{lon - 1:.4f},"
                f"{lat + 1:.4f},{lon + 1:.4f}&zoom=9",
                "/civic/map/clusters.json?bbox=40.5,46.4,55.5,87.4&zoom=5",
            ]
        )
        return self._get(path)[0] == 200

    def open311_read(self) -> bool:
        if self.rng.random() < 0.2:
            return self._get("/open311/v2/services.json")[0] == 200
        query = urlencode(
            {
                "service_code": self.rng.choice(self.f.topics),
                "region": self.rng.choice(self.f.regions),
                "page_size": 50,
            }
        )
        return self._get(f"/open311/v2/requests.json?{query}")[0] == 200

    def open311_write(self) -> bool:
        lat, lon = self.rng.choice(CITIES)
        mark = uuid.uuid4().hex[:8]
        topic = self.rng.choice(self.f.topics)
        fields = {
            **self.f.answers.get(topic, {}),
            "api_key": self.f.api_key,
            "service_code": topic,
            "lat": f"{lat + self.rng.uniform(-0.02, 0.02):.6f}",
            "long": f"{lon + self.rng.uniform(-0.02, 0.02):.6f}",
            "description": f"Load test request {mark} [load {self.f.run}]",
        }
        with_photo = self.rng.random() < self.f.photos
        if with_photo:
            # A photo: the request only checks and stores it; its public copy is the Celery
            # worker's (civic.media_process), counted at the end.
            body, kind = multipart(fields, "media", "photo.jpg", self.f.photo)
        else:
            body, kind = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        status, data = self._request(
            "POST", "/open311/v2/requests.json", body, {"Content-Type": kind}
        )
        if status in (200, 201):
            self.acked["open311_write"].append(json.loads(data)[0]["service_request_id"])
            if with_photo:
                self.acked["photos"].append(json.loads(data)[0]["service_request_id"])
            return True
        return False

    def executor_write(self) -> bool:
        pick = self.f.next_obligation(self.rng)
        if pick is None:
            return self.open311_read()
        token, obligation = pick
        auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        status, _ = self._get("/api/obligations/?limit=20", Authorization=f"Token {token}")
        if status != 200:
            return False
        text = f"Орындалды: іс-шара жоспарға сәйкес өткізілді. [load {self.f.run}]"
        status, data = self._request(
            "POST",
            f"/api/obligations/{obligation}/reports/",
            json.dumps({"text": text, "lang": "kk"}).encode(),
            auth,
        )
        if status not in (200, 201):
            return False
        report = json.loads(data)["id"]
        status, _ = self._request("POST", f"/api/reports/{report}/submit/", b"", auth)
        if status == 200:
            self.acked["submission"].append(str(report))
            return True
        return False

    def controller_read(self) -> bool:
        path = self.rng.choice(["/control/discipline/", "/control/review/", "/api/discipline/"])
        return self._get(path, Cookie=f"sessionid={self.f.controller_cookie}")[0] == 200

    MIX: list[tuple[str, float]] = [
        ("portal_read", 0.30),
        ("open311_read", 0.25),
        ("open311_write", 0.10),
        ("executor_write", 0.20),
        ("controller_read", 0.15),
    ]

    def one(self) -> None:
        """One operation of the mix; each of its HTTP requests is a result."""
        kinds, weights = zip(*self.MIX, strict=True)
        self.kind = self.rng.choices(kinds, weights)[0]
        try:
            getattr(self, self.kind)()
        except (OSError, http.client.HTTPException):  # recorded by _request
            if self.conn is not None:
                self.conn.close()
                self.conn = None


def drive(fixture: Fixture, clients: int, seconds: float, seed: int) -> list[Result]:
    results: list[Result] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop(n: int) -> None:
        client = Client(fixture, seed * 1000 + n)
        while time.monotonic() < stop:
            client.one()
        with lock:
            results.extend(client.results)
            for kind, ids in client.acked.items():
                fixture.acked[kind].extend(ids)

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return results


# --- the servers -------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Stack:
    env: dict[str, str]
    workers: int
    log: Any
    web: subprocess.Popen[bytes] | None = None
    task: subprocess.Popen[bytes] | None = None
    rss: dict[str, float] = field(default_factory=dict)

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c",
             "deploy/gunicorn.conf.py"],
            cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start_task(self) -> None:
        # As deploy/jospar-worker.service runs it (systemd restarts it after a kill).
        self.task = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
             "--concurrency=1", "--without-gossip", "--without-mingle"],
            cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def web_workers(self) -> list[int]:
        return children(self.web.pid) if self.web else []

    def task_processes(self) -> list[int]:
        if not self.task:
            return []
        return [self.task.pid, *children(self.task.pid)]

    def sample_rss(self) -> None:
        for pid in self.web_workers():
            self.rss[f"web {pid}"] = max(self.rss.get(f"web {pid}", 0), rss_mb(pid))
        for pid in self.task_processes():
            self.rss[f"task {pid}"] = max(self.rss.get(f"task {pid}", 0), rss_mb(pid))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200 and len(self.web_workers()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not become ready (see the log above)")

    def stop(self) -> None:
        for process in (self.web, self.task):
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def stack(workers: int, metrics_dir: str) -> Iterator[Stack]:
    env = {
        **os.environ,
        "BIND": f"{HOST}:{PORT}",
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
        # Every Open311 write of the run comes from one API key and one address (loopback):
        # the production limits (120 per key and 300 per address an hour) would refuse most of
        # them after the first minutes. The load measures the service, the throttle has its own
        # tests; so the stack it starts allows what the run sends (a 429 still counts as an
        # error if one comes).
        "THROTTLE_OPEN311_KEY": os.environ.get("THROTTLE_OPEN311_KEY", "1000000/3600"),
        "THROTTLE_OPEN311_IP": os.environ.get("THROTTLE_OPEN311_IP", "1000000/3600"),
        # Likewise the API's per-person limit (1,200 an hour): the run's few controllers read
        # their dashboards ~200 times a minute, and a second run within the hour met the first
        # run's counts in Redis and was refused with 429s.
        "THROTTLE_API_USER": os.environ.get("THROTTLE_API_USER", "1000000/hour"),
        "THROTTLE_API_ANON": os.environ.get("THROTTLE_API_ANON", "1000000/hour"),
    }
    with tempfile.NamedTemporaryFile(prefix="jospar-load-", suffix=".log", delete=False) as log:
        s = Stack(env, workers, log)
        print(f"servers' log: {log.name}")
        try:
            s.start_web()
            s.start_task()
            s.wait_ready()
            yield s
        finally:
            s.stop()


def pg_restart(command: str | None) -> str:
    if command:
        subprocess.run(command, shell=True, check=True, timeout=120)  # the operator's own command
        return f"ran {command!r}"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        killed = cursor.fetchone()[0]
    connection.close()
    return f"terminated {killed} connections to the database"


# --- the run -----------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))] if ordered else 0.0


def summary(results: list[Result], seconds: float) -> dict[str, Any]:
    times = [r.seconds for r in results]
    return {
        "requests": len(results),
        "errors": sum(not r.ok for r in results),
        "rate": len(results) / seconds if seconds else 0,
        "p50": pct(times, 0.5),
        "p95": pct(times, 0.95),
    }


def ramp(fixture: Fixture, s: Stack, seconds: float) -> int:
    best = 1
    for clients in (2, 4, 8, 12, 16, 24):
        results = drive(fixture, clients, seconds, seed=clients)
        s.sample_rss()
        figures = summary(results, seconds)
        print(
            f"  ramp {clients:>2} clients: {figures['rate']:6.1f} req/s, "
            f"p95 {figures['p95'] * 1000:6.0f} ms, errors {figures['errors']}"
        )
        if figures["p95"] >= P95_TARGET or figures["errors"]:
            break
        best = clients
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=0, help="skip the ramp: this many")
    parser.add_argument("--ramp-seconds", type=float, default=20.0)
    parser.add_argument("--pg-restart", default=None, help="a command that restarts PostgreSQL")
    parser.add_argument(
        "--photos",
        type=float,
        default=0.2,
        help="the share of Open311 writes that carry a photo (processed by the task worker)",
    )
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL (the Celery broker), e.g. redis://127.0.0.1:6379/5")
    run = uuid.uuid4().hex[:10]
    seconds = args.minutes * 60
    fixture = prepare(run, obligations_per_executor=max(20, int(seconds)))
    fixture.photos = max(0.0, min(1.0, args.photos))
    fixture.photo = photo_bytes()
    print(
        f"run {run}: {len(fixture.executors)} executors with pending obligations, "
        f"{len(fixture.topics)} topics, {len(fixture.regions)} regions"
    )
    events: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="jospar-metrics-") as metrics_dir,
        stack(args.workers, metrics_dir) as s,
    ):
        # Each worker's first requests import and fill caches: not what is measured.
        drive(fixture, args.workers * 2, args.ramp_seconds, seed=1)
        clients = args.clients or ramp(fixture, s, args.ramp_seconds)
        print(f"main run: {clients} clients for {args.minutes:g} min")
        t0 = time.monotonic()
        chaos: list[tuple[float, str, Callable[[], str]]] = [
            (0.40, "kill -9 a web worker", lambda: _kill(s.web_workers())),
            (0.55, "kill -9 the Celery worker", lambda: _kill_task(s)),
            (0.70, "PostgreSQL restart", lambda: pg_restart(args.pg_restart)),
        ]
        done = threading.Event()
        chaos_at: list[float] = []

        def conductor() -> None:
            for share, name, act in chaos:
                while time.monotonic() - t0 < share * seconds:
                    s.sample_rss()
                    if done.wait(1.0):
                        return
                chaos_at.append(time.monotonic())
                events.append(f"{time.monotonic() - t0:6.1f} s  {name}: {act()}")
            while not done.wait(2.0):
                s.sample_rss()

        watcher = threading.Thread(target=conductor, daemon=True)
        watcher.start()
        results = drive(fixture, clients, seconds, seed=7)
        done.set()
        watcher.join(10)
        s.sample_rss()
        time.sleep(2)  # the last on-commit work settles
        found = rows_found(run)
        # The task worker finishes the photos queued at the end (at most a minute).
        waited = time.monotonic()
        while photos_found(run).get("pending") and time.monotonic() - waited < 60:
            time.sleep(2)
        photos = photos_found(run)

    print("\nevents:")
    for e in events:
        print("  " + e)
    overall = summary(results, seconds)
    print(
        f"\nrequests {overall['requests']}  errors {overall['errors']}  "
        f"rate {overall['rate']:.1f}/s  p50 {overall['p50'] * 1000:.0f} ms  "
        f"p95 {overall['p95'] * 1000:.0f} ms  "
        f"({'OK' if overall['p95'] < P95_TARGET else 'MISSED'}: p95 under 500 ms)"
    )
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    for kind, rows in sorted(by_kind.items()):
        f = summary(rows, seconds)
        print(
            f"  {kind:<16} {f['requests']:>7} req  {f['errors']:>4} errors  "
            f"p50 {f['p50'] * 1000:6.0f} ms  p95 {f['p95'] * 1000:6.0f} ms"
        )
    errors = defaultdict(int)
    for r in results:
        if not r.ok:
            errors[(r.kind, r.detail[:160])] += 1
    for (kind, detail), n in sorted(errors.items(), key=lambda x: -x[1])[:8]:
        print(f"    error x{n}: {kind} {detail or '(unexpected status)'}")
    lost = False
    print("\nwrites: acknowledged against the rows found with the run's mark")
    for kind in ("submission", "open311_write"):
        ids, rows = set(fixture.acked.get(kind, [])), found[kind]
        missing, unanswered = ids - rows, rows - ids
        lost |= bool(missing)
        print(
            f"  {kind:<16} acknowledged {len(ids):>6}  found {len(rows):>6}  "
            f"acknowledged but missing {len(missing)}  "
            + ("(EQUAL)" if ids == rows else f"(written, answer lost in flight: {len(unanswered)})")
        )
    acked_photos = len(fixture.acked.get("photos", []))
    print(
        f"  photos           acknowledged {acked_photos:>6}  processed {photos.get('done', 0):>6}"
        f"  still pending {photos.get('pending', 0)}  failed {photos.get('failed', 0)}"
    )
    print("\nlargest RSS of each process (MB):")
    for name, mb in sorted(s.rss.items()):
        print(f"  {name:<14} {mb:7.1f}  {'OK' if mb < RSS_TARGET_MB else 'OVER 250 MB'}")
    big = [mb for mb in s.rss.values() if mb >= RSS_TARGET_MB]
    # Requests in flight when a process or the database's connections are killed may fail; any
    # other error is the application's.
    unexpected = [
        r for r in results if not r.ok and not any(t - 1 <= r.at <= t + 15 for t in chaos_at)
    ]
    print(f"\nerrors away from the failures (must be 0): {len(unexpected)}")
    ok = overall["p95"] < P95_TARGET and not lost and not big and not unexpected
    print(f"\nverdict: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


def _kill(pids: list[int]) -> str:
    if not pids:
        return "no worker to kill"
    os.kill(pids[0], signal.SIGKILL)
    return f"killed web worker {pids[0]} (gunicorn starts another)"


def _kill_task(s: Stack) -> str:
    if s.task is None:
        return "no task worker"
    pid = s.task.pid
    for child in children(pid):
        os.kill(child, signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)
    s.task.wait()
    s.start_task()  # what systemd's Restart=always does
    return f"killed Celery worker {pid} and its pool; started {s.task.pid}"


if __name__ == "__main__":
    sys.exit(main())
