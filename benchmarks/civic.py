"""Civic Control at national scale: the Open311 request list, the map, and throughput.

On a database filled by ``jospar synth-civic`` (a million reports), prints:

1. the 95th-percentile time of an Open311 request list — the 50 newest requests of one topic in
   one region, ``GET /open311/v2/requests.json?service_code=C&region=R&page_size=50`` (``region``
   is jospar's extension parameter: one region's code; the default 90-day window applies) —
   over HTTP against gunicorn, rotating over topics and regions (target: under 50 ms);
2. the 95th-percentile time of a map viewport with clustering (``map_clusters``) over the
   whole country, oblasts, cities and streets, with and without filters (target: 150 ms);
3. the throughput of that list under concurrent load: jospar under gunicorn next to a bare
   ASGI app answering the same query with raw SQL under uvicorn
   (``benchmarks/baseline_open311_asgi.py``), the same number of workers each, the same
   rotating URLs, loaded by ``wrk`` (or a bounded Python client without it), on loopback only
   (target: at least 40% of the baseline).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench_civic \\
     .venv/bin/python benchmarks/civic.py [--workers 2] [--duration 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.deploy_env import TUNING, deploy_tuning  # noqa: E402
from benchmarks.rss import RssWatch  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jospar_bench_civic"
HOST = "127.0.0.1"
JOSPAR_PORT = 18311
BASELINE_PORT = 18312
TOPICS = ("roads", "housing", "waste", "landscaping", "lighting")
REGIONS = ("almaty", "astana", "shymkent", "karaganda", "turkistan", "aktobe")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def list_paths() -> list[str]:
    return [
        f"/open311/v2/requests.json?service_code={t}&region={r}&page_size=50"
        for t in TOPICS
        for r in REGIONS
    ]


@contextmanager
def server(command: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A server we start ourselves, in its own process group, stopped when the block ends."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - read only if the server fails to start
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", list_paths()[0])
                conn.getresponse().read()
                conn.close()
                break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode()
                    raise RuntimeError(f"{command[0]} did not start:\n{output}") from exc
                time.sleep(0.3)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def http_latencies(port: int, paths: list[str], samples: int) -> tuple[list[float], list[Any]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    times, bodies = [], []
    for i in range(samples):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
        if i < len(paths):
            bodies.append(json.loads(body))
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.close()
    return times, bodies


def load_wrk(port: int, paths: list[str], connections: int, duration: int) -> tuple[float, str]:
    quoted = ", ".join(f'"{p}"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            f"local paths = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\nend\n'
        )
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            f"http://{HOST}:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    os.unlink(script.name)
    rate = next(
        float(line.split()[1]) for line in out.splitlines() if line.startswith("Requests/sec")
    )
    errors = [
        line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line
    ]
    return rate, "; ".join(errors) or "no errors"


def load_python(port: int, paths: list[str], connections: int, duration: int) -> tuple[float, str]:
    rate, errors, _latencies = load_python_timed(port, paths, connections, duration)
    return rate, errors


def load_python_timed(
    port: int, paths: list[str], connections: int, duration: int
) -> tuple[float, str, list[float]]:
    """Without wrk: ``connections`` threads on keep-alive connections, for ``duration`` s;
    also every request's time (for the p99)."""
    done, errors = [0], [0]
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                conn.request("GET", rng.choice(paths))
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            took = time.perf_counter() - began
            with lock:
                done[0] += 1
                errors[0] += 0 if ok else 1
                latencies.append(took)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.monotonic() - started), f"{errors[0]} errors", latencies


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.99 * len(ordered)) - 1)] if ordered else 0.0


def viewports() -> list[tuple[str, tuple[float, float, float, float], int, dict[str, Any]]]:
    """(label, bbox, zoom, filters): what people look at on the map."""
    from jospar.core.models import Region

    views: list[tuple[str, tuple[float, float, float, float], int, dict[str, Any]]] = [
        ("country z5", (40.5, 46.4, 55.5, 87.4), 5, {}),
        ("country z5 open", (40.5, 46.4, 55.5, 87.4), 5, {"states": ["published", "in_progress"]}),
        ("country z5 roads", (40.5, 46.4, 55.5, 87.4), 5, {"topics": ["roads"]}),
        ("country z5 last year", (40.5, 46.4, 55.5, 87.4), 5, {"period": ("2025-11-22", None)}),
    ]
    for region in Region.objects.filter(valid_to__isnull=True):
        west, south, east, north = region.bbox
        zoom = 11 if region.kind == "city" else 7
        views.append((f"{region.code} z{zoom}", (south, west, north, east), zoom, {}))
    rng = random.Random(7)
    cities = {"almaty": (43.238, 76.945), "astana": (51.128, 71.43), "shymkent": (42.32, 69.59)}
    for name, (lat, lon) in cities.items():
        for zoom, half in ((12, 0.08), (13, 0.04), (15, 0.01)):
            for _ in range(4):
                dlat, dlon = rng.uniform(-0.05, 0.05), rng.uniform(-0.07, 0.07)
                box = (
                    lat + dlat - half,
                    lon + dlon - half * 1.6,
                    lat + dlat + half,
                    lon + dlon + half * 1.6,
                )
                views.append((f"{name} z{zoom}", box, zoom, {}))
        views.append(
            (
                f"{name} z12 last year",
                (lat - 0.1, lon - 0.16, lat + 0.1, lon + 0.16),
                12,
                {"period": ("2025-11-22", None)},
            )
        )
    return views


def measure_map(rounds: int) -> tuple[list[float], list[tuple[str, float, int]]]:
    import datetime as dt

    from jospar.civic.selectors.reports import Period, map_clusters

    times: list[float] = []
    worst: list[tuple[str, float, int]] = []
    views = viewports()
    for _label, bbox, zoom, filters in views:  # warm the cache as a running server would be
        if "period" in filters:
            start = dt.date.fromisoformat(filters["period"][0])
            filters["period"] = Period(start, None)
        map_clusters(bbox, zoom, filters)
    for _ in range(rounds):
        for label, bbox, zoom, filters in views:
            start = time.perf_counter()
            clusters = map_clusters(bbox, zoom, filters)
            took = time.perf_counter() - start
            times.append(took)
            worst.append((label, took, len(clusters)))
    worst.sort(key=lambda w: -w[1])
    return times, worst[:5]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--map-rounds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one tuning line of deploy/jospar.env.example (to compare, e.g. "
        "ACCESS_LOG=on DB_SERVER_SIDE_BINDING=0 WEB_MAX_REQUESTS=2000)",
    )
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    # A database URL means production to the settings, which then want their own key; a
    # benchmark's throw-away key will do (its app servers inherit it).
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    from jospar.civic.models import CitizenReport
    from jospar.civic.selectors.reports import public_reports

    if connection.vendor != "postgresql":
        raise SystemExit("benchmarks/civic.py needs PostgreSQL with `jospar synth-civic` data")
    total = CitizenReport.objects.count()
    public = public_reports().count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]  # type: ignore[index]
    print("jospar Civic Control benchmark")
    print(f"python {sys.version.split()[0]}, PostgreSQL {pg}, {os.cpu_count()} CPUs")
    print(f"reports: {total:,} ({public:,} public)")
    print()

    tuning = deploy_tuning()
    for item in args.set:
        key, _sep, value = item.partition("=")
        if key not in TUNING:
            raise SystemExit(f"--set: {key} is not one of {', '.join(TUNING)}")
        tuning[key] = value
    env = {
        **os.environ,
        "DEBUG": "False",
        "ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(REPO),
        # jospar exactly as deploy/ runs it: gunicorn with deploy/gunicorn.conf.py and the
        # app server's tuning of deploy/jospar.env.example; only the address and the number
        # of workers (the same for the baseline) are set here.
        **tuning,
        "BIND": f"{HOST}:{JOSPAR_PORT}",
        "WEB_WORKERS": str(args.workers),
    }
    base_env = {**env, "BASELINE_PREPARE": "1"}
    venv = Path(sys.executable).parent
    gunicorn = [
        str(venv / "gunicorn"),
        "config.wsgi:application",
        "-c",
        "deploy/gunicorn.conf.py",
    ]
    uvicorn = [
        str(venv / "uvicorn"),
        "benchmarks.baseline_open311_asgi:app",
        "--host",
        HOST,
        "--port",
        str(BASELINE_PORT),
        "--workers",
        str(args.workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    print("deploy tuning: " + ", ".join(f"{k}={v}" for k, v in sorted(tuning.items())))
    paths = list_paths()
    with (
        server(gunicorn, JOSPAR_PORT, env) as master,
        server(uvicorn, BASELINE_PORT, base_env),
    ):
        watch = RssWatch(master.pid)
        http_latencies(JOSPAR_PORT, paths, len(paths) * 2)
        http_latencies(BASELINE_PORT, paths, len(paths) * 2)
        ours, our_bodies = http_latencies(JOSPAR_PORT, paths, args.samples)
        base, base_bodies = http_latencies(BASELINE_PORT, paths, args.samples)
        same = all(
            [r["service_request_id"] for r in a] == [r["service_request_id"] for r in b]
            for a, b in zip(our_bodies, base_bodies, strict=True)
        )
        sizes = [len(b) for b in our_bodies]
        print(
            f"1. Open311 request list ({len(paths)} topic × region URLs, 50 newest, "
            f"{args.samples} requests one at a time)"
        )
        print(
            f"   jospar (gunicorn)  p50 {statistics.median(ours) * 1000:6.1f} ms   "
            f"p95 {p95(ours) * 1000:6.1f} ms   max {max(ours) * 1000:6.1f} ms   "
            f"target p95 < 50 ms   {verdict(p95(ours) < 0.050)}"
        )
        print(
            f"   baseline (uvicorn) p50 {statistics.median(base) * 1000:6.1f} ms   "
            f"p95 {p95(base) * 1000:6.1f} ms"
        )
        print(f"   rows per answer {min(sizes)}–{max(sizes)}; same ids as the baseline: {same}")
        print()

        if args.map_rounds > 0:
            times, worst = measure_map(args.map_rounds)
            print(
                f"2. Map viewport with clustering ({len(times)} viewports: country, regions, "
                "cities, streets; filters)"
            )
            print(
                f"   map_clusters       p50 {statistics.median(times) * 1000:6.1f} ms   "
                f"p95 {p95(times) * 1000:6.1f} ms   max {max(times) * 1000:6.1f} ms   "
                f"target p95 < 150 ms   {verdict(p95(times) < 0.150)}"
            )
            print(
                "   slowest: "
                + "; ".join(f"{name} {t * 1000:.0f} ms ({n} clusters)" for name, t, n in worst)
            )
            print()

        print(
            f"3. Throughput of the list under load ({args.rounds} interleaved rounds: baseline "
            f"then jospar, {args.connections} connections, {args.duration} s each, "
            f"{args.workers} workers each, python threads on loopback; prepared statements on "
            "in both)"
        )
        shares: list[float] = []
        tails: list[float] = []
        for number in range(1, args.rounds + 1):
            load = os.getloadavg()[0]
            base_rate, base_err, base_times = load_python_timed(
                BASELINE_PORT, paths, args.connections, args.duration
            )
            our_rate, our_err, our_times = load_python_timed(
                JOSPAR_PORT, paths, args.connections, args.duration
            )
            share = our_rate / base_rate if base_rate else 0.0
            shares.append(share)
            tails.append(p99(our_times))
            print(
                f"   round {number}: baseline {base_rate:6.0f} req/s (p99 "
                f"{p99(base_times) * 1000:5.0f} ms, {base_err})   jospar {our_rate:6.0f} req/s "
                f"(p99 {p99(our_times) * 1000:5.0f} ms, {our_err})   jospar / baseline "
                f"{share * 100:3.0f} %   load average {load:.1f}"
            )
        watch.stop()
        print(
            f"   every round ≥ 40 %: {verdict(min(shares) >= 0.40)} (lowest "
            f"{min(shares) * 100:.0f} %);  jospar p99 < 100 ms every round: "
            f"{verdict(max(tails) < 0.100)} (highest {max(tails) * 1000:.0f} ms)"
        )
        print(
            f"   gunicorn workers: peak resident {watch.peak_mb:.0f} MB, "
            f"{len(watch.pids)} distinct worker processes for {args.workers} workers "
            f"(more means recycled); machine load average now {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} CPUs"
        )


if __name__ == "__main__":
    main()
