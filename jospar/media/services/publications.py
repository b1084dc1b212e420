"""Recording a publication: its identity, language, signature, bands and story.

Called by collection and by an uploaded export file for many publications at once: each is
one short transaction; the audit row is written once per collection run or upload (by the
caller), not per publication, so that a day's 20,000 publications do not flood the chain.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from jospar.media import crosslang, photos, repeats
from jospar.media.language import detect
from jospar.media.models import Publication, PublicationBand, Source, Story, StoryLink
from jospar.media.services.rubrics import rubrics_tag
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
    # Addresses the page names as its versions in other languages (``hreflang``).
    alternates: tuple[str, ...] = ()


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
            _link_languages(pub, new)
            rubrics_tag(publication=pub)
    except IntegrityError:
        return None  # recorded meanwhile by another run: nothing is recorded twice
    return pub


def _join_story(pub: Publication, best: Publication, score: float) -> None:
    story_id = best.story_id
    if story_id is None:
        story = Story.objects.create(first=best, size=1)
        Publication.objects.filter(pk=best.pk).update(story=story, story_via=StoryLink.REPRINT)
        story_id = story.pk
    Story.objects.filter(pk=story_id).update(size=F("size") + 1)
    Publication.objects.filter(pk=pub.pk).update(
        story_id=story_id, similarity=score, story_via=StoryLink.REPRINT
    )
    pub.story_id, pub.similarity, pub.story_via = story_id, score, StoryLink.REPRINT


def _order(pub: Publication) -> tuple[dt.date, int]:
    return (pub.published_on or dt.date.max, pub.pk)


def _merge_stories(pub: Publication, other: Publication) -> None:
    """Put the two publications (and their stories) in one story, told in two languages."""
    if pub.story_id is not None and pub.story_id == other.story_id:
        return
    if other.story_id is None and pub.story_id is None:
        first = min((pub, other), key=_order)
        story = Story.objects.create(first=first, size=2)
        Publication.objects.filter(pk=other.pk).update(story=story, story_via=StoryLink.LANGUAGE)
        Publication.objects.filter(pk=pub.pk).update(story=story, story_via=StoryLink.LANGUAGE)
        pub.story_id, pub.story_via = story.pk, StoryLink.LANGUAGE
        return
    if other.story_id is None or pub.story_id is None:
        keep_id = int(other.story_id or pub.story_id or 0)
        joining = pub if pub.story_id is None else other
        Story.objects.filter(pk=keep_id).update(size=F("size") + 1)
        Publication.objects.filter(pk=joining.pk).update(
            story_id=keep_id, story_via=StoryLink.LANGUAGE
        )
        joining.story_id, joining.story_via = keep_id, StoryLink.LANGUAGE
        _refresh_first(keep_id)
        return
    keep, gone = sorted((pub.story_id, other.story_id))
    moved = Publication.objects.filter(story_id=gone).update(story_id=keep)
    Publication.objects.filter(pk=pub.pk).update(story_via=StoryLink.LANGUAGE)
    Story.objects.filter(pk=keep).update(size=F("size") + moved)
    Story.objects.filter(pk=gone).delete()
    pub.story_id, pub.story_via = keep, StoryLink.LANGUAGE
    _refresh_first(keep)


def _refresh_first(story_id: int) -> None:
    first = (
        Publication.objects.filter(story_id=story_id)
        .order_by(F("published_on").asc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
        .first()
    )
    Story.objects.filter(pk=story_id).update(first_id=first)


# The features of recent publications, by id: a publication's text never changes once recorded,
# and the same recent publications are the candidates of many new ones in a collection run.
_FEATURES: OrderedDict[int, dict[str, float]] = OrderedDict()
_FEATURES_KEPT = 20_000


def _remember(pk: int, found: dict[str, float]) -> None:
    _FEATURES[pk] = found
    _FEATURES.move_to_end(pk)
    while len(_FEATURES) > _FEATURES_KEPT:
        _FEATURES.popitem(last=False)


def _link_languages(pub: Publication, new: NewPublication) -> None:
    """Link a Kazakh or Russian publication to the same story in the other language: the one
    its page names as its language version, else the best match of its figures, names, Latin
    words, shared words and photo within a few days (``jospar.media.crosslang``)."""
    own = crosslang.alternate_key(pub.url_hash)
    named = [crosslang.alternate_key(url_hash(a)) for a in new.alternates[:10]]
    keys = [own, *named]
    if pub.lang not in crosslang.LANGS:
        PublicationBand.objects.bulk_create(PublicationBand(publication=pub, key=k) for k in keys)
        return
    other_lang = "ru" if pub.lang == "kk" else "kk"
    declared = (
        Publication.objects.filter(bands__key__in=keys, lang=other_lang)
        .exclude(pk=pub.pk)
        .only("pk", "story_id", "published_on")
        .order_by("pk")
        .first()
    )
    PublicationBand.objects.bulk_create(PublicationBand(publication=pub, key=k) for k in keys)
    if declared is not None:
        _merge_stories(pub, declared)
        return
    if pub.published_on is None:
        return
    found = crosslang.publication_features(pub.title, pub.text, latin_kazakh=pub.script == "Latn")
    pk = pub.pk
    transaction.on_commit(lambda: _remember(pk, found))
    day = pub.published_on
    PublicationBand.objects.bulk_create(
        PublicationBand(publication=pub, key=k) for k in crosslang.band_keys(found, day)
    )
    window = dt.timedelta(days=crosslang.WINDOW_DAYS)
    photo_keys = photos.band_keys(pub.image_phash) if pub.image_phash else []
    # The candidates sharing the most keys are scored (their features read from their text).
    ids = list(
        PublicationBand.objects.filter(
            key__in=crosslang.lookup_keys(found, day) + photo_keys,
            publication__lang=other_lang,
            publication__published_on__range=(day - window, day + window),
        )
        .values("publication_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-publication_id")
        .values_list("publication_id", flat=True)[: crosslang.CANDIDATES]
    )
    best, best_score = None, 0.0
    known = {pk: _FEATURES[pk] for pk in ids if pk in _FEATURES}
    candidates = Publication.objects.filter(pk__in=ids).only(
        "pk", "script", "story_id", "published_on", "image_phash"
    )
    if len(known) < len(ids):
        candidates = candidates.only(
            "pk", "title", "text", "script", "story_id", "published_on", "image_phash"
        )
    for candidate in candidates:
        theirs = known.get(candidate.pk)
        if theirs is None:
            theirs = crosslang.publication_features(
                candidate.title, candidate.text, latin_kazakh=candidate.script == "Latn"
            )
            _remember(candidate.pk, theirs)
        score = crosslang.similarity(found, theirs)
        if photos.same_photo(pub.image_phash, candidate.image_phash):
            score += crosslang.PHOTO_BONUS
        if score >= crosslang.THRESHOLD and score > best_score:
            best, best_score = candidate, score
    if best is not None:
        _merge_stories(pub, best)


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
