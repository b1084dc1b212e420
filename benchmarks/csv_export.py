"""The public CSV of every citizen's report at national scale: does it stream at a constant rate
(issue #15: "its last 50,000 rows take no longer than its first")?

On a database filled by ``jospar synth --civic`` (a million reports, PostgreSQL), the lines of
the unfiltered export are produced by the generator the background build and the streamed
download share (``civic.export_csv.csv_lines``), written to a spooled file as the Celery task
writes them, and timed every 50,000 rows. Prints the time of each slice, the first and the
last beside each other, rows per second, the process's CPU time and its resident memory
before, at its peak and after (the worker must not grow with the file), and the load average.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_national SECRET_KEY=... \\
     AUDIT_HMAC_KEY=... .venv/bin/python benchmarks/csv_export.py [--slice 50000] [--lang kk]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from jospar.civic.export_csv import csv_lines  # noqa: E402
from jospar.civic.selectors.export import public_export_count  # noqa: E402
from jospar.civic.selectors.reports import ReportFilters  # noqa: E402
from jospar.civic.services.exports import _page_url  # noqa: E402


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--slice", type=int, default=50_000)
    parser.add_argument("--lang", default="kk")
    parser.add_argument("--min-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/csv_export.py needs PostgreSQL (DATABASE_URL)")
    filters = ReportFilters.of(None)
    total = public_export_count(filters, up_to=10**9)
    if total < args.min_rows:
        sys.exit(f"{total} public reports: run `jospar synth --civic` first (or --min-rows)")
    print(f"{total:,} public reports; load average {load()} on {os.cpu_count()} CPUs")
    # Warm up (translations, the first connection, lazy imports) on a first batch, so that the
    # first slice is not slowed by what only the process's start costs: that would flatter the
    # comparison of the last slice with the first.
    with translation.override(args.lang):
        for _line in islice(csv_lines(filters, args.lang, _page_url()), 2_000):
            pass
    before = rss_mb()
    peak = before
    slices: list[float] = []
    rows = -1  # the header line
    started = mark = time.perf_counter()
    cpu = time.process_time()
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+b") as spool:
        with translation.override(args.lang):
            for line in csv_lines(filters, args.lang, _page_url()):
                spool.write(line.encode("utf-8"))
                if line == "\ufeff":
                    continue
                rows += 1
                # rows is 0 at the header line: a slice is counted from the first row on.
                if rows and rows % args.slice == 0:
                    now = time.perf_counter()
                    slices.append(now - mark)
                    mark = now
                    peak = max(peak, rss_mb())
        size = spool.tell()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    assert rows == total, f"{rows} rows written, {total} public reports"
    print(f"{rows:,} rows, {size / 2**20:,.0f} MB, in {wall:.1f} s ({rows / wall:,.0f} rows/s)")
    print(f"CPU of this process {cpu:.1f} s (the database's is not counted)")
    print("each slice of", f"{args.slice:,} rows (s):", " ".join(f"{s:.2f}" for s in slices))
    first, last = slices[0], slices[-1]
    ok = last <= first * 1.1  # a tenth for the machine's noise
    print(
        f"first {first:.2f} s, last {last:.2f} s, slowest {max(slices):.2f} s, "
        f"median {sorted(slices)[len(slices) // 2]:.2f} s: "
        f"{'OK' if ok else 'MISSED'} (the last no longer than the first)"
    )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"resident memory: {before:.0f} MB before, {peak:.0f} MB at the slices' peak, "
        f"{rss_mb():.0f} MB after (max RSS {max_rss:.0f} MB)"
    )
    print(f"load average after: {load()}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
