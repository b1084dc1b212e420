"""Information-space monitoring: ingestion time per publication, and the quarterly report.

Ingests ``--count`` publications (default 20,000: a day of a mid-size country's news) into one
source through the same steps collection takes, and prints the mean time per publication of:
extraction (trafilatura and htmldate over an article page), language, matching (proposals for
the plans' activities and the programs' nodes), and recording with repeat detection (MinHash,
the band lookup, the story). A fifth of the texts are reprints of others (edited, retitled,
trimmed, padded). Then it times the quarterly report's data over the whole table (``--report``
only: just that, on a table filled before; the target is 2 million publications in under 60 s).

Targets (issue #13): the day's ingestion in under an hour on this 2-core machine (180 ms per
publication), the report under 60 s.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench_media SECRET_KEY=... \\
     AUDIT_HMAC_KEY=... .venv/bin/python benchmarks/media.py [--count 20000] [--report]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from jospar.media.collect.parse import extract_article  # noqa: E402
from jospar.media.language import detect  # noqa: E402
from jospar.media.models import Publication, Source  # noqa: E402
from jospar.media.services.matching import candidates  # noqa: E402
from jospar.media.services.publications import NewPublication, publication_record  # noqa: E402
from jospar.media.services.reports import report_data  # noqa: E402
from jospar.media.tests.reprints import passages, variants  # noqa: E402

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{day}"></head><body>
<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/about/">About</a></nav>
<article><h1>{title}</h1>{paragraphs}</article><footer>© Region news</footer></body></html>"""


def _texts(count: int, rnd: random.Random) -> list[str]:
    base = passages()
    words = " ".join(base).split()
    out: list[str] = []
    while len(out) < count:
        if out and rnd.random() < 0.2:
            story = rnd.choice(out[-500:])
            out.append(rnd.choice(variants(story, rnd))[1])
        else:
            out.append(" ".join(rnd.choice(words) for _ in range(rnd.randint(120, 400))))
    return out


def ingest(count: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    rnd = random.Random(13)
    source, _created = Source.objects.get_or_create(
        name="benchmark", defaults={"kind": "national", "method": "feed"}
    )
    start = Publication.objects.count()
    day = dt.date(2026, 10, 5)
    texts = _texts(count, rnd)
    spent = {"extraction": 0.0, "language": 0.0, "matching": 0.0, "recording + repeats": 0.0}
    for n, text in enumerate(texts):
        words = text.split()
        paragraphs = "".join(
            "<p>" + " ".join(words[i : i + 60]) + "</p>" for i in range(0, len(words), 60)
        )
        page = PAGE.format(title=" ".join(words[:8]), day=day, paragraphs=paragraphs)
        t0 = time.perf_counter()
        article = extract_article(page.encode(), f"https://bench.example/{start + n}")
        t1 = time.perf_counter()
        detect(article.text)
        t2 = time.perf_counter()
        pub = publication_record(
            source=source,
            new=NewPublication(
                url=f"https://bench.example/{start + n}",
                title=article.title,
                text=article.text,
                published_on=article.published or day,
            ),
        )
        t3 = time.perf_counter()
        if pub is not None:
            candidates(pub)
        t4 = time.perf_counter()
        spent["extraction"] += t1 - t0
        spent["language"] += t2 - t1
        spent["recording + repeats"] += t3 - t2  # includes the language of the record
        spent["matching"] += t4 - t3
        if (n + 1) % 1000 == 0:
            print(f"  {n + 1} publications", flush=True)
    total = sum(spent.values())
    for name, seconds in spent.items():
        print(f"{name:<22} {seconds / count * 1000:8.1f} ms per publication")
    print(
        f"{'all':<22} {total / count * 1000:8.1f} ms per publication; "
        f"{count} in {total / 60:.1f} min (target: 20,000 in 60 min)"
    )


def report() -> None:
    rows = Publication.objects.count()
    t0 = time.perf_counter()
    report_data(2026, 4)
    print(
        f"quarterly report data over {rows} publications: {time.perf_counter() - t0:.1f} s "
        "(target: under 60 s over 2 million)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--report", action="store_true", help="only time the report")
    options = parser.parse_args()
    if not options.report:
        ingest(options.count)
    report()


if __name__ == "__main__":
    main()
