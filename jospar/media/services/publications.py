"""Recording a publication: its identity, language, signature, bands and story.

Called by collection and by an uploaded export file for many publications at once: each is
one short transaction; the audit row is written once per collection run or upload (by the
caller), not per publication, so that a day's 20,000 publications do not flood the chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jospar.media import photos, repeats
from jospar.media.language import detect
from jospar.media.models import Publication, PublicationBand, Source, Story
from jospar.media.urlnorm import normalise_url, url_hash

CANDIDATES_MAX = 200


@dataclass
class NewPublication:
    url: str
    title: str = ""
    text: str = ""
    published_at: dt.datetime | None = None
    published_on: dt.date | None = None
    image_url: str = ""
    image_phash: str = ""


def known_hashes(urls: list[str]) -> set[str]:
    hashes = [url_hash(u) for u in urls]
    return set(Publication.objects.filter(url_hash__in=hashes).values_list("url_hash", flat=True))


def _best_repeat(sig: repeats.Signature) -> tuple[Publication | None, float]:
    keys = sig.band_keys()
    ids = list(
        PublicationBand.objects.filter(key__in=keys)
        .values_list("publication_id", flat=True)
        .distinct()[:CANDIDATES_MAX]
    )
    best, best_score = None, 0.0
    for pub in Publication.objects.filter(pk__in=ids).only("pk", "signature", "story_id"):
        if not pub.signature:
            continue
        score = repeats.containment(sig, repeats.Signature.from_bytes(bytes(pub.signature)))
        if score >= repeats.CONTAINMENT and score > best_score:
            best, best_score = pub, score
    return best, best_score


def publication_record(*, source: Source, new: NewPublication) -> Publication | None:
    """Save one publication (None when its address is known already)."""
    address = normalise_url(new.url)
    key = url_hash(new.url)
    text = new.text.strip()
    found = detect(f"{new.title}\n{text}")
    sig = repeats.signature(text) if text else None
    published_on = new.published_on
    if published_on is None and new.published_at is not None:
        published_on = timezone.localdate(new.published_at)
    try:
        with transaction.atomic():
            pub = Publication.objects.create(
                source=source,
                url=new.url[:1000] if len(new.url) <= 1000 else address[:1000],
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
            if new.image_phash:
                PublicationBand.objects.bulk_create(
                    PublicationBand(publication=pub, key=k)
                    for k in photos.band_keys(new.image_phash)
                )
            if sig is not None:
                best, score = _best_repeat(sig)
                PublicationBand.objects.bulk_create(
                    PublicationBand(publication=pub, key=k) for k in sig.band_keys()
                )
                if best is not None:
                    _join_story(pub, best, score)
    except IntegrityError:
        return None  # recorded meanwhile by another run: nothing is recorded twice
    return pub


def _join_story(pub: Publication, best: Publication, score: float) -> None:
    story_id = best.story_id
    if story_id is None:
        story = Story.objects.create(first=best, size=1)
        Publication.objects.filter(pk=best.pk).update(story=story)
        story_id = story.pk
    Story.objects.filter(pk=story_id).update(size=F("size") + 1)
    Publication.objects.filter(pk=pub.pk).update(story_id=story_id, similarity=score)
    pub.story_id, pub.similarity = story_id, score


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
