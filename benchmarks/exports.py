"""The report on the largest plan's execution as PDF: built in the background, the web worker
unchanged in memory (issue #15).

On a database filled by ``jospar synth`` (PostgreSQL), prints:

1. the web side: the request for the PDF of the plan with the most obligations over its whole
   span (at most ten years), as a controller makes it (``report_export_request``): its time,
   whether it went to the background, and the process's resident memory before and after;
2. the worker side: the build of that export (``report_export_build``, what the Celery task
   runs) in a fresh process — wall time, CPU time and peak resident memory — and, in the same
   run and the same way, the XLSX of the same report as the reference for the machine's speed
   at that moment;
3. the load average before and after (the machine is shared; CPU time is the steadier figure).

Target: the PDF under 5 s, the web process's memory unchanged by the request. A long PDF is
laid out in chunks in parallel (``jospar.control.exports.pdf_layout``): the CPU printed is the
building process's plus its chunks', and each chunk's CPU and peak resident memory is printed.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench SECRET_KEY=... \\
     AUDIT_HMAC_KEY=... .venv/bin/python benchmarks/exports.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """Resident memory of this process now (what gunicorn's recycling hook reads)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(export_id: int) -> None:
    """The worker side, in its own process: build one export and print what it cost."""
    setup()
    from jospar.control.exports import pdf_layout
    from jospar.control.models_exports import ReportExport
    from jospar.control.services.exports import report_export_build

    pdf_layout.last_chunk_costs.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    export = report_export_build(export_id=export_id, parallel=True)
    assert export is not None
    own_cpu = time.process_time() - cpu
    chunks = list(pdf_layout.last_chunk_costs)
    result = {
        "status": str(export.status),
        "wall": time.perf_counter() - wall,
        # This process's CPU plus its chunks' (laid out in the fork server's children).
        "cpu": own_cpu + sum(c for c, _peak in chunks),
        "own_cpu": own_cpu,
        "chunks": chunks,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": ReportExport.objects.get(pk=export_id).file.size if export.file else 0,
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build)
        return
    setup()
    from django.db import connection
    from django.db.models import Count, Max, Min
    from django.test.utils import CaptureQueriesContext

    from jospar.control.models import Obligation
    from jospar.control.services.exports import report_export_request
    from jospar.core.models import Role, RoleGrant, User
    from jospar.plans.models import Plan

    if connection.vendor != "postgresql":
        raise SystemExit("benchmarks/exports.py needs PostgreSQL with `jospar synth` data")
    top = (
        Obligation.objects.filter(activity__isnull=False)
        .values("activity__plan")
        .annotate(n=Count("id"), first=Min("due_on"), last=Max("due_on"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("no synthetic plan: run jospar synth first")
    plan = Plan.objects.get(pk=top["activity__plan"])
    start, end = top["first"], top["last"]
    start = max(start, end - dt.timedelta(days=3650))
    controller, _ = User.objects.get_or_create(username="exports-bench-controller")
    RoleGrant.objects.get_or_create(user=controller, role=Role.CONTROLLER)
    print(f"plan {plan.pk}: {top['n']} obligations, period {start} – {end}")
    print(f"load average before: {os.getloadavg()}")
    # The process's first request loads what every later one finds loaded (modules, the
    # broker's connection): a gunicorn worker pays it once, so it is not what a request costs.
    warm = time.perf_counter()
    report_export_request(
        actor=controller, plan=plan, lang="kk", format="xlsx", period_start=end, period_end=end
    )
    print(
        f"warm-up request {(time.perf_counter() - warm) * 1000:.0f} ms, web RSS {rss_mb():.0f} MB"
    )

    for round_no in range(1, args.rounds + 1):
        results = {}
        for fmt in ("pdf", "xlsx"):
            before = rss_mb()
            wall = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                export = report_export_request(
                    actor=controller,
                    plan=plan,
                    lang="kk",
                    format=fmt,
                    period_start=start,
                    period_end=end,
                )
            request_ms = (time.perf_counter() - wall) * 1000
            after = rss_mb()
            background = export.status != "ready"
            built = subprocess.run(
                [sys.executable, __file__, "--build", str(export.pk)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            result = json.loads(built.stdout.strip().splitlines()[-1])
            results[fmt] = result
            print(
                f"round {round_no} {fmt}: request {request_ms:.0f} ms, "
                f"{len(queries)} queries, background {background}, "
                f"web RSS {before:.0f} → {after:.0f} MB; "
                f"build {result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU, "
                f"peak {result['peak_mb']:.0f} MB, {result['bytes'] // 1024} KB, "
                f"{result['status']}"
            )
            if result["chunks"]:
                print(
                    f"  of which this process {result['own_cpu']:.2f} s CPU; chunks "
                    + ", ".join(f"{c:.2f} s CPU / peak {p:.0f} MB" for c, p in result["chunks"])
                )
        ratio = results["pdf"]["wall"] / results["xlsx"]["wall"]
        print(f"round {round_no}: PDF/XLSX wall {ratio:.1f}×  load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
