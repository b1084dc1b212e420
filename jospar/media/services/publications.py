"""Recording publications: their identity, language, signature, bands and story.

Called by collection and by an uploaded export file for many publications at once, a lot at a
time (``publications_record``): one transaction per lot, with a few queries for the whole lot
(the known addresses, one insert of the rows, one lookup of the repeat candidates, one of the
other language's candidates, one insert of the band keys and of the rubrics), so that a day's
20,000 publications are not 20,000 series of round trips. A publication is compared with the
lot's earlier ones as well as with the recorded ones, as if they had been recorded one by one.
The audit row is written once per collection run or upload (by the caller), not per
publication, so that a day's publications do not flood the chain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from jospar.media import photos, repeats
from jospar.media.language import Detected, detect
from jospar.media.models import Publication, PublicationBand, Source, Story, StoryLink
from jospar.media.services.rubrics import rubrics_tag
from jospar.media.services.story_languages import chunks, languages_link
from jospar.media.urlnorm import normalise_url, url_hash

CANDIDATES_MAX = 200
# Publications recorded in one transaction by collection and uploads.
RECORD_LOT = 100
BANDS_BATCH = 5000


@dataclass
class NewPublication:
    url: str
    title: str = ""
    text: str = ""
    published_at: dt.datetime | None = None
    published_on: dt.date | None = None
    image_url: str = ""
    image_phash: str = ""
    # Addresses the page names as its versions in other languages (``hreflang``).
    alternates: tuple[str, ...] = ()
    # The language of title and text when the caller has identified it already.
    detected: Detected | None = None


def known_hashes(urls: list[str]) -> set[str]:
    hashes = [url_hash(u) for u in urls]
    return set(Publication.objects.filter(url_hash__in=hashes).values_list("url_hash", flat=True))


def _row(
    source: Source, new: NewPublication, key: str
) -> tuple[Publication, repeats.Signature | None]:
    text = new.text.strip()
    found = new.detected or detect(f"{new.title}\n{text}")
    sig = repeats.signature(text) if text else None
    published_on = new.published_on
    if published_on is None and new.published_at is not None:
        published_on = timezone.localdate(new.published_at)
    address = new.url[:1000] if len(new.url) <= 1000 else normalise_url(new.url)[:1000]
    pub = Publication(
        source=source,
        url=address,
        url_hash=key,
        title=new.title[:1000],
        text=text,
        published_at=new.published_at,
        published_on=published_on,
        lang=found.lang,
        script=found.script,
        image_url=new.image_url[:1000],
        image_phash=new.image_phash[:32],
        signature=sig.to_bytes() if sig else None,
    )
    return pub, sig


def publications_record(
    *, source: Source, news: Sequence[NewPublication]
) -> list[Publication | None]:
    """Save a lot of publications of one source; for each, the publication or None when its
    address is known already (or repeated earlier in the lot)."""
    keys = [url_hash(n.url) for n in news]
    known = known_hashes([n.url for n in news]) if news else set()
    picked: dict[str, int] = {}
    for n, key in enumerate(keys):
        if key not in known and key not in picked:
            picked[key] = n
    if not picked:
        return [None] * len(news)
    rows = [_row(source, news[n], key) for key, n in picked.items()]
    try:
        with transaction.atomic():
            _record(rows, [news[n].alternates for n in picked.values()])
    except IntegrityError:
        # Recorded meanwhile by another run: nothing is recorded twice. One by one, the others
        # still are.
        if len(news) == 1:
            return [None]
        return [publications_record(source=source, news=[n])[0] for n in news]
    out: list[Publication | None] = [None] * len(news)
    for (pub, _sig), n in zip(rows, picked.values(), strict=True):
        out[n] = pub
    return out


def publication_record(*, source: Source, new: NewPublication) -> Publication | None:
    """Save one publication (None when its address is known already)."""
    return publications_record(source=source, news=[new])[0]


def _record(
    rows: list[tuple[Publication, repeats.Signature | None]], alternates: list[tuple[str, ...]]
) -> None:
    pubs = Publication.objects.bulk_create([pub for pub, _sig in rows])
    sigs = [sig for _pub, sig in rows]
    bands = _repeats(pubs, sigs)
    for pub in pubs:
        if pub.image_phash:
            bands += [
                PublicationBand(publication=pub, key=k) for k in photos.band_keys(pub.image_phash)
            ]
    language_bands, merged = languages_link(pubs, alternates)
    PublicationBand.objects.bulk_create(bands + language_bands, batch_size=BANDS_BATCH)
    rubrics_tag(publications=pubs)
    if merged:
        now = Publication.objects.filter(pk__in=[p.pk for p in pubs]).values_list(
            "pk", "story_id", "story_via", "similarity"
        )
        by_pk = {p.pk: p for p in pubs}
        for pk, story_id, via, similarity in now:
            pub = by_pk[pk]
            pub.story_id, pub.story_via, pub.similarity = story_id, via, similarity


def _repeats(
    pubs: list[Publication], sigs: list[repeats.Signature | None]
) -> list[PublicationBand]:
    """Put each new publication that reprints a recorded one (or an earlier one of the lot) in
    that one's story; the repeat band keys of the lot are returned for the caller to write."""
    keys_of = [sig.band_keys() if sig else [] for sig in sigs]
    holders: dict[int, list[int]] = defaultdict(list)
    for part in chunks(sorted({k for ks in keys_of for k in ks})):
        for key, pk in PublicationBand.objects.filter(key__in=part).values_list(
            "key", "publication_id"
        ):
            holders[key].append(pk)
    wanted: list[list[int]] = []
    for ks in keys_of:
        held = dict.fromkeys(pk for k in ks for pk in holders.get(k, ()))
        wanted.append(list(held)[:CANDIDATES_MAX])
    recorded: dict[int, tuple[repeats.Signature | None, int | None]] = {}
    for part in chunks(sorted({pk for ids in wanted for pk in ids})):
        for pk, data, story in Publication.objects.filter(pk__in=part).values_list(
            "pk", "signature", "story_id"
        ):
            sig = repeats.Signature.from_bytes(bytes(data)) if data else None
            recorded[pk] = (sig, story)
    # A story is an id, or a new Story (first its publication) written at the end.
    story_of: dict[int, int | Story | None] = {pk: s for pk, (_sig, s) in recorded.items()}
    became_first: list[int] = []
    lot_holders: dict[int, list[int]] = defaultdict(list)
    lot_sigs: dict[int, repeats.Signature] = {}
    bands: list[PublicationBand] = []
    joined: dict[int, tuple[int | Story, float]] = {}
    for pub, sig, ks, ids in zip(pubs, sigs, keys_of, wanted, strict=True):
        if sig is None:
            continue
        best, best_score = None, 0.0
        scored = [(pk, recorded[pk][0]) for pk in ids if pk in recorded]
        scored += [
            (pk, lot_sigs[pk]) for pk in dict.fromkeys(p for k in ks for p in lot_holders[k])
        ]
        for pk, theirs in sorted(scored, key=lambda c: -c[0]):
            if theirs is None:
                continue
            score = repeats.containment(sig, theirs)
            if score >= repeats.CONTAINMENT and score > best_score:
                best, best_score = pk, score
        if best is not None:
            theirs_story = story_of.get(best)
            if theirs_story is None:
                theirs_story = Story(first_id=best, size=1)
                story_of[best] = theirs_story
                became_first.append(best)
            story_of[pub.pk] = theirs_story
            joined[pub.pk] = (theirs_story, best_score)
        for k in ks:
            lot_holders[k].append(pub.pk)
        lot_sigs[pub.pk] = sig
        bands += [PublicationBand(publication=pub, key=k) for k in ks]
    if not joined:
        return bands
    # Unsaved stories are told apart by identity (a model without its key is unhashable).
    created = list({id(v): v for v in story_of.values() if isinstance(v, Story)}.values())
    Story.objects.bulk_create(created)

    def story_pk(value: int | Story | None) -> int | None:
        return value.pk if isinstance(value, Story) else value

    lot = {p.pk: p for p in pubs}
    changed_new, changed_old = [], []
    for pk in became_first:
        if pk in lot:
            pub = lot[pk]
            pub.story_id, pub.story_via = story_pk(story_of[pk]), StoryLink.REPRINT
            changed_new.append(pub)
        else:
            changed_old.append(
                Publication(pk=pk, story_id=story_pk(story_of[pk]), story_via=StoryLink.REPRINT)
            )
    for pk, (joined_story, score) in joined.items():
        pub = lot[pk]
        pub.story_id, pub.similarity, pub.story_via = (
            story_pk(joined_story),
            score,
            StoryLink.REPRINT,
        )
        changed_new.append(pub)
    Publication.objects.bulk_update(
        list(dict.fromkeys(changed_new)), ["story", "similarity", "story_via"]
    )
    if changed_old:
        Publication.objects.bulk_update(changed_old, ["story", "story_via"])
    touched = {n for s, _score in joined.values() if (n := story_pk(s)) is not None}
    members = (
        Publication.objects.filter(story_id=OuterRef("pk"))
        .values("story_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Story.objects.filter(pk__in=touched).update(size=Subquery(members))
    return bands


def photo_reuses(publication: Publication, limit: int = 50) -> list[Publication]:
    """Other publications with the same photo (resized, recompressed, cropped, mirrored)."""
    if not publication.image_phash:
        return []
    ids = (
        PublicationBand.objects.filter(key__in=photos.band_keys(publication.image_phash))
        .exclude(publication_id=publication.pk)
        .values_list("publication_id", flat=True)
        .distinct()[:CANDIDATES_MAX]
    )
    found = Publication.objects.filter(pk__in=list(ids)).exclude(image_phash="")
    same = [
        p
        for p in found.select_related("source").defer("text", "signature")
        if photos.same_photo(p.image_phash, publication.image_phash)
    ]
    return sorted(same, key=lambda p: (p.published_on or dt.date.max, p.pk))[:limit]
