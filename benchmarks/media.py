"""Information-space monitoring: ingestion time per publication, and the quarterly report.

1. ``ingest`` — ``--count`` publications (default 20,000: a day of a mid-size country's news)
   into ten sources through the steps collection takes, timing per publication:
   extraction (trafilatura and htmldate over an article page), language, matching (proposals
   for the plans' activities and the programs' nodes: the three seed plans and the program
   «Рухани жаңғыру» are imported first), and recording — the row, repeat detection (MinHash,
   the band lookup, the story), the link to the same story in the other language and the
   rubrics. The signature and the cross-language features are also timed alone, for
   information. Texts are Kazakh and Russian (words of the shipped passages of one language
   each, with a dateline, figures and sometimes a rubric); a fifth are reprints of earlier
   ones (edited, retitled, trimmed, padded).
2. ``fill`` — bulk rows with PostgreSQL's COPY up to ``--fill`` publications in the fourth
   quarter of 2026 (22,000 a day is about 2 million a quarter): 300 sources, a fifth of the
   rows in stories (some in both languages), rubric hits, proposals and fetch logs. The three
   search indexes (full text, two trigram) are dropped for the load and rebuilt after it; the
   rebuild is timed and printed.
3. ``report`` — the quarterly report's data (``report_data``) over the whole table, timed.

Each figure is printed beside a baseline measured in the same run: a plain ``count(*)`` of the
quarter's publications (the least the report must read).

Targets (issue #13): the day's ingestion in under an hour on this 2-core machine (180 ms per
publication), the report under 60 s over 2 million publications.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench_media SECRET_KEY=... \\
     AUDIT_HMAC_KEY=... .venv/bin/python benchmarks/media.py [--count 20000] [--fill 2000000]
     [--only ingest|fill|report]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
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
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import backend_pid, cpu_ms  # noqa: E402

from jospar.core.models import Region  # noqa: E402
from jospar.media import crosslang, repeats  # noqa: E402
from jospar.media.collect.parse import extract_article  # noqa: E402
from jospar.media.language import detect  # noqa: E402
from jospar.media.models import Publication, Rubric, Source  # noqa: E402
from jospar.media.services.matching import candidates, matcher_load  # noqa: E402
from jospar.media.services.publications import (  # noqa: E402
    RECORD_LOT,
    NewPublication,
    publications_record,
)
from jospar.media.services.reports import report_data  # noqa: E402
from jospar.media.tests.reprints import passages, variants  # noqa: E402
from jospar.plans.models import Activity, Plan  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{day}"></head><body>
<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/about/">About</a></nav>
<article><h1>{title}</h1>{paragraphs}</article><footer>© Region news</footer></body></html>"""
KK_MONTHS = ["қазанда", "қарашада", "желтоқсанда"]
RU_MONTHS = ["октября", "ноября", "декабря"]
RUBRICS = ["Туған жер", "Отаннан келген хат", "Ұлттық жад", "Атажұрт", "Алтын тамыр"]
SEARCH_INDEXES = {
    "media_pub_fts": "USING gin (to_tsvector('russian', title || ' ' || text))",
    "media_pub_title_trgm": "USING gin (title gin_trgm_ops)",
    "media_pub_text_trgm": "USING gin (text gin_trgm_ops)",
}


def _setup() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    if not Plan.objects.exists():
        seeds = sorted((ROOT / "jospar" / "plans" / "demo_seeds").glob("*.txt"))
        call_command("load_directory", verbosity=0)
        call_command("import_plan", *[str(s) for s in seeds], no_progress=True, verbosity=0)
    if not Activity.objects.exists():
        print("no activities imported: matching runs against nothing", flush=True)
    programs = sorted(Path("/work/shared/seeds").glob("002_*.txt"))
    from jospar.programs.models import Program

    if programs and not Program.objects.exists():
        try:
            call_command("import_program", str(programs[0]), verbosity=0)
        except Exception as exc:  # the program text is optional for the benchmark
            print(f"program not imported ({type(exc).__name__}): nodes not matched", flush=True)
    for name in RUBRICS:
        Rubric.objects.get_or_create(name=name, defaults={"expected": 4, "period": "month"})


def _pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {"kk": [], "ru": []}
    for passage in passages():
        lang = detect(passage).lang
        if lang in pools:
            pools[lang].extend(passage.split())
    return pools


def _text(lang: str, day: dt.date, rnd: random.Random, pools: dict[str, list[str]]) -> str:
    words = [rnd.choice(pools[lang]) for _ in range(rnd.randint(120, 400))]
    month = (KK_MONTHS if lang == "kk" else RU_MONTHS)[day.month - 10]
    figures = f"{rnd.randint(10, 999)} {rnd.randint(2, 90)},{rnd.randint(1, 9)}"
    dateline = f"{rnd.randint(1, 28)} {month} {figures}"
    if rnd.random() < 0.05:
        dateline += f" «{rnd.choice(RUBRICS)}»"
    return dateline + ". " + " ".join(words)


def cpu_baseline() -> float:
    """Seconds for a fixed piece of pure-Python work (a MinHash signature of a fixed text 200
    times): how loaded the machine is in this run, beside the ingestion figures."""
    text = " ".join(passages())[:6000]
    began = time.perf_counter()
    for _ in range(200):
        repeats.signature(text)
    return time.perf_counter() - began


def ingest(count: int) -> None:
    _setup()
    pools = _pools()
    sources = [
        Source.objects.get_or_create(
            name=f"benchmark {n}", defaults={"kind": "national", "method": "feed"}
        )[0]
        for n in range(10)
    ]
    start = Publication.objects.count()
    # Seeded by the table's size: a second run on the same table brings new texts, not the
    # first run's again (which would all be reprints).
    rnd = random.Random(13 + start)
    day = dt.date(2026, 10, 5)
    texts: list[str] = []
    while len(texts) < count:
        if texts and rnd.random() < 0.2:
            texts.append(rnd.choice(variants(rnd.choice(texts[-500:]), rnd))[1])
        else:
            texts.append(_text(rnd.choice(("kk", "ru")), day, rnd, pools))
    spent = {
        "extraction": 0.0,
        "language": 0.0,
        "recording (repeats, languages, rubrics)": 0.0,
        "matching": 0.0,
    }
    alone = {"signature alone": 0.0, "cross-language features alone": 0.0}
    baseline_before = cpu_baseline()
    backend = backend_pid()
    cpu_began = cpu_ms(backend)
    own_began = time.process_time()
    began = time.perf_counter()
    for lot_start in range(0, count, RECORD_LOT):
        lot: list[NewPublication] = []
        for n in range(lot_start, min(count, lot_start + RECORD_LOT)):
            text = texts[n]
            words = text.split()
            paragraphs = "".join(
                "<p>" + " ".join(words[i : i + 60]) + "</p>" for i in range(0, len(words), 60)
            )
            page = PAGE.format(title=" ".join(words[:8]), day=day, paragraphs=paragraphs)
            url = f"https://bench.example/{start + n}"
            t0 = time.perf_counter()
            article = extract_article(page.encode(), url)
            t1 = time.perf_counter()
            found = detect(f"{article.title}\n{article.text}")
            t2 = time.perf_counter()
            repeats.signature(article.text)
            t3 = time.perf_counter()
            crosslang.features(article.text)
            t4 = time.perf_counter()
            spent["extraction"] += t1 - t0
            spent["language"] += t2 - t1
            alone["signature alone"] += t3 - t2
            alone["cross-language features alone"] += t4 - t3
            lot.append(
                NewPublication(
                    url=url,
                    title=article.title,
                    text=article.text,
                    published_on=article.published or day,
                    detected=found,
                )
            )
        t0 = time.perf_counter()
        recorded = publications_record(source=sources[lot_start // RECORD_LOT % 10], news=lot)
        t1 = time.perf_counter()
        # Collection prepares the matcher once per source's run; here once per lot.
        matcher = matcher_load()
        for pub in recorded:
            if pub is not None:
                candidates(pub, matcher)
        t2 = time.perf_counter()
        spent["recording (repeats, languages, rubrics)"] += t1 - t0
        spent["matching"] += t2 - t1
        done = min(count, lot_start + RECORD_LOT)
        if done % 1000 == 0:
            print(f"  {done} publications, {time.perf_counter() - began:.0f} s", flush=True)
    wall = time.perf_counter() - began
    own_cpu = (time.process_time() - own_began) * 1000
    all_cpu = cpu_ms(backend) - cpu_began
    total = sum(spent.values())
    print(
        f"baseline (fixed CPU work) {baseline_before:.2f} s before, {cpu_baseline():.2f} s after"
        f" the ingestion; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"ingestion of {count} publications in lots of {RECORD_LOT} (table had {start} before):")
    for name, seconds in spent.items():
        print(f"  {name:<42} {seconds / count * 1000:8.1f} ms per publication")
    for name, seconds in alone.items():
        print(f"  ({name:<40} {seconds / count * 1000:8.1f} ms per publication, not in the sum)")
    per = total / count
    print(
        f"  {'all':<42} {per * 1000:8.1f} ms per publication; {count} in {total / 60:.1f} min; "
        f"a day of 20,000 at this rate: {per * 20000 / 60:.1f} min (target: under 60 min)"
    )
    print(
        f"  CPU time: {own_cpu / count:.1f} ms per publication in this process, "
        f"{(all_cpu - own_cpu) / count:.1f} ms in its PostgreSQL backend "
        f"({all_cpu / count:.1f} ms together; wall {wall / count * 1000:.1f} ms with the timing)"
    )


# --- bulk rows for the report ---------------------------------------------------------------


def _copy(table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def fill(target: int, *, rebuild: bool) -> None:
    have = Publication.objects.count()
    if have >= target:
        print(f"fill: the table already holds {have} publications")
        return
    rnd = random.Random(7)
    regions: list[int | None] = [*Region.objects.values_list("pk", flat=True)] or [None]
    kinds = ["national", "regional", "akimat", "ministry", "portal", "social"]
    sources = list(Source.objects.filter(name__startswith="fill ").values_list("pk", flat=True))
    if not sources:
        made = Source.objects.bulk_create(
            Source(
                name=f"fill {n}",
                kind=kinds[n % len(kinds)],
                method="feed",
                region_id=regions[n % len(regions)] if n % 3 else None,
                languages=["kk", "ru"],
                declared_audience=rnd.randint(1_000, 2_000_000),
                url=f"https://fill{n}.example/feed.xml",
            )
            for n in range(300)
        )
        sources = [s.pk for s in made]
    activities: list[int | None] = [*Activity.objects.values_list("pk", flat=True)[:500]] or [None]
    rubrics = list(Rubric.objects.values_list("pk", flat=True))
    words = " ".join(passages()).split()
    quarter_days = [dt.date(2026, 10, 1) + dt.timedelta(days=d) for d in range(92)]
    now = timezone.now()
    print(f"fill: dropping the search indexes, loading {target - have} rows with COPY", flush=True)
    with connection.cursor() as cursor:
        for name in SEARCH_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    began = time.perf_counter()
    batch = 100_000
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM media_publication")
        next_id = int(cursor.fetchone()[0]) + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM media_story")
        next_story = int(cursor.fetchone()[0]) + 1
    remaining = target - have
    while remaining > 0:
        size = min(batch, remaining)
        pubs: list[tuple[object, ...]] = []
        stories: list[tuple[object, ...]] = []
        hits: list[tuple[object, ...]] = []
        proposals: list[tuple[object, ...]] = []
        open_story: tuple[int, int, str] | None = None
        for i in range(size):
            pk = next_id + i
            day = quarter_days[pk % len(quarter_days)]
            lang = "kk" if rnd.random() < 0.55 else ("ru" if rnd.random() < 0.93 else "en")
            script = "Latn" if lang == "en" or (lang == "kk" and rnd.random() < 0.03) else "Cyrl"
            start = rnd.randrange(len(words) - 60)
            text = " ".join(words[start : start + 60])
            story_id, via = None, ""
            if open_story is not None and rnd.random() < 0.12:
                story_id, via = open_story[0], "reprint" if rnd.random() < 0.8 else "language"
            elif rnd.random() < 0.03:
                story_id = next_story
                stories.append((next_story, pk, 1, now))
                open_story = (next_story, pk, lang)
                next_story += 1
                via = "reprint"
            url = f"https://fill{pk % 300}.example/news/{pk}"
            pubs.append(
                (
                    pk,
                    sources[pk % len(sources)],
                    url,
                    hashlib.sha256(url.encode()).hexdigest(),
                    text[:120],
                    text,
                    dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                    day,
                    now,
                    lang,
                    script,
                    "",
                    "",
                    story_id,
                    0.8 if story_id else None,
                    via,
                )
            )
            if rubrics and rnd.random() < 0.02:
                hits.append((pk, rnd.choice(rubrics), day))
            if activities[0] is not None and rnd.random() < 0.05:
                reason = "rubric" if rnd.random() < 0.3 else "keyword"
                state = rnd.choice(["proposed", "confirmed", "rejected"])
                proposals.append(
                    (pk, rnd.choice(activities), reason, rnd.choice(RUBRICS).lower(), 1.0, state)
                )
        with transaction.atomic():
            _copy("media_story", ["id", "first_id", "size", "created_at"], stories)
            _copy(
                "media_publication",
                [
                    "id",
                    "source_id",
                    "url",
                    "url_hash",
                    "title",
                    "text",
                    "published_at",
                    "published_on",
                    "collected_at",
                    "lang",
                    "script",
                    "image_url",
                    "image_phash",
                    "story_id",
                    "similarity",
                    "story_via",
                ],
                pubs,
            )
            _copy("media_publicationrubric", ["publication_id", "rubric_id", "published_on"], hits)
            _copy(
                "media_matchproposal",
                ["publication_id", "activity_id", "reason", "detail", "score", "state"],
                proposals,
            )
        next_id += size
        remaining -= size
        print(f"  {target - remaining} rows, {time.perf_counter() - began:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('media_publication', 'id'), %s)", [next_id]
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('media_story', 'id'), %s)", [next_story]
        )
        cursor.execute(
            "UPDATE media_story s SET size = c.n FROM (SELECT story_id, count(*) n "
            "FROM media_publication WHERE story_id IS NOT NULL GROUP BY story_id) c "
            "WHERE c.story_id = s.id"
        )
        logs = io.StringIO()
        for source in sources:
            for day in quarter_days:
                for hour in (6, 12, 18, 23):
                    outcome = "ok" if rnd.random() < 0.95 else "error"
                    logs.write(
                        f"{source}\thttps://x.example/feed\t{day}T{hour:02d}:00:00+00\t120\t"
                        f"200\t{outcome}\t0\t\n"
                    )
        logs.seek(0)
        with cursor.cursor.copy(
            "COPY media_fetchlog (source_id, url, started_at, duration_ms, status, outcome, "
            "new_items, error) FROM STDIN"
        ) as copy:
            copy.write(logs.getvalue().encode())
    loaded = time.perf_counter() - began
    print(f"fill: {target - have} rows loaded in {loaded:.0f} s")
    if not rebuild:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            "fill: the search indexes (full text, trigram) were dropped for the load and are NOT"
            " rebuilt (--rebuild-search-indexes); the report does not use them"
        )
        return
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for name, definition in SEARCH_INDEXES.items():
            t = time.perf_counter()
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON media_publication {definition}")
            print(f"  {name}: {time.perf_counter() - t:.0f} s", flush=True)
        cursor.execute("ANALYZE")
    print(f"fill: search indexes rebuilt in {time.perf_counter() - t0:.0f} s")


def report() -> None:
    rows = Publication.objects.count()
    since, until = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    t0 = time.perf_counter()
    in_quarter = Publication.objects.filter(published_on__range=(since, until)).count()
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = report_data(2026, 4)
    spent = time.perf_counter() - t0
    print(
        f"quarterly report data over {rows} publications ({in_quarter} in the quarter, "
        f"{data['stories_total']} stories, {len(data['cadence'])} rubrics): {spent:.1f} s "
        f"(target: under 60 s over 2 million); baseline count(*) of the quarter {baseline:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--fill", type=int, default=2_000_000)
    parser.add_argument("--only", choices=("ingest", "fill", "report"), default=None)
    parser.add_argument("--rebuild-search-indexes", action="store_true")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/media.py runs on PostgreSQL: set DATABASE_URL")
    if options.only in (None, "ingest"):
        ingest(options.count)
    if options.only in (None, "fill"):
        _setup()
        fill(options.fill, rebuild=options.rebuild_search_indexes)
    if options.only in (None, "report"):
        report()


if __name__ == "__main__":
    main()
