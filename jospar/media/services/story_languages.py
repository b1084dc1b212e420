"""The same story in the other language: a Kazakh or Russian publication linked to its
counterpart, the one its page names as its language version (``hreflang``), else the best match
of its figures, names, Latin words, shared words and photo within a few days
(``jospar.media.crosslang``).

Part of recording (``services.publications``), for a lot of new publications at once: the
candidates of the whole lot are read in two queries (the declared versions, and the holders of
the lot's feature keys), a new publication is also compared with the lot's earlier ones (as if
they had been recorded one by one), and only a link found costs further queries (the merge).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models import Count, F

from jospar.media import crosslang, photos
from jospar.media.models import Publication, PublicationBand, Story, StoryLink
from jospar.media.urlnorm import url_hash

# The features of recent publications, by id: a publication's text never changes once recorded,
# and the same recent publications are the candidates of many new ones in a collection run.
_FEATURES: OrderedDict[int, dict[str, float]] = OrderedDict()
_FEATURES_KEPT = 20_000
# A feature key held by more publications of its week than this is not a candidate's sign.
COMMON_KEY = 200


def _remember(pk: int, found: dict[str, float]) -> None:
    _FEATURES[pk] = found
    _FEATURES.move_to_end(pk)
    while len(_FEATURES) > _FEATURES_KEPT:
        _FEATURES.popitem(last=False)


def chunks(values: list[int]) -> list[list[int]]:
    """A long list of keys in pieces the database takes as the parameters of one query."""
    size = min(connection.features.max_query_params or 10_000, 10_000) - 10
    return [values[i : i + size] for i in range(0, len(values), size)] if values else []


@dataclass
class _Entry:
    """What one new publication brings to the linking."""

    pub: Publication
    declared_keys: list[int]
    found: dict[str, float] = field(default_factory=dict)
    lookup: list[int] = field(default_factory=list)


def _order(pub: Publication) -> tuple[dt.date, int]:
    return (pub.published_on or dt.date.max, pub.pk)


def _refresh_first(story_id: int) -> None:
    first = (
        Publication.objects.filter(story_id=story_id)
        .order_by(F("published_on").asc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
        .first()
    )
    Story.objects.filter(pk=story_id).update(first_id=first)


def merge_stories(pub: Publication, other: Publication) -> None:
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


def _merge_current(pub: Publication, other: Publication) -> None:
    """Merge with both publications' stories as they are now (an earlier merge of the lot may
    have moved one of them)."""
    current = dict(
        Publication.objects.filter(pk__in=[pub.pk, other.pk]).values_list("pk", "story_id")
    )
    pub.story_id, other.story_id = current.get(pub.pk), current.get(other.pk)
    merge_stories(pub, other)


def _entries(pubs: list[Publication], alternates: list[tuple[str, ...]]) -> list[_Entry]:
    entries = []
    for pub, named in zip(pubs, alternates, strict=True):
        keys = [crosslang.alternate_key(pub.url_hash)]
        keys += [crosslang.alternate_key(url_hash(a)) for a in named[:10]]
        entry = _Entry(pub, keys)
        if pub.lang in crosslang.LANGS and pub.published_on is not None:
            entry.found = crosslang.publication_features(
                pub.title, pub.text, latin_kazakh=pub.script == "Latn"
            )
            photo_keys = photos.band_keys(pub.image_phash) if pub.image_phash else []
            entry.lookup = crosslang.lookup_keys(entry.found, pub.published_on) + photo_keys
        entries.append(entry)
    return entries


def _declared_holders(entries: list[_Entry]) -> dict[int, list[tuple[int, str]]]:
    keys = sorted({k for e in entries if e.pub.lang in crosslang.LANGS for k in e.declared_keys})
    holders: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for part in chunks(keys):
        rows = PublicationBand.objects.filter(key__in=part).values_list(
            "key", "publication_id", "publication__lang"
        )
        for key, pk, lang in rows:
            holders[key].append((pk, lang))
    return holders


def _feature_holders(entries: list[_Entry]) -> dict[int, list[tuple[int, str, dt.date]]]:
    """The recorded publications holding the lot's feature keys, by key; a key held by more
    than ``COMMON_KEY`` publications (the day's date in a day's news) tells nothing and is not
    read."""
    keys = sorted({k for e in entries for k in e.lookup})
    days = [e.pub.published_on for e in entries if e.lookup and e.pub.published_on]
    holders: dict[int, list[tuple[int, str, dt.date]]] = defaultdict(list)
    if not days:
        return holders
    window = dt.timedelta(days=crosslang.WINDOW_DAYS)
    for part in chunks(keys):
        common = (
            PublicationBand.objects.filter(key__in=part)
            .values("key")
            .annotate(n=Count("pk"))
            .filter(n__gt=COMMON_KEY)
            .values("key")
        )
        rows = (
            PublicationBand.objects.filter(
                key__in=part,
                publication__lang__in=crosslang.LANGS,
                publication__published_on__range=(min(days) - window, max(days) + window),
            )
            .exclude(key__in=common)
            .values_list("key", "publication_id", "publication__lang", "publication__published_on")
        )
        for key, pk, lang, day in rows:
            if day is not None:
                holders[key].append((pk, lang, day))
    return holders


def _best(entry: _Entry, ids: list[int], others: dict[int, Publication]) -> Publication | None:
    pub = entry.pub
    best, best_score = None, 0.0
    for pk in ids:
        candidate = others[pk]
        theirs = _FEATURES.get(pk)
        if theirs is None:
            theirs = crosslang.publication_features(
                candidate.title, candidate.text, latin_kazakh=candidate.script == "Latn"
            )
            _remember(pk, theirs)
        score = crosslang.similarity(entry.found, theirs)
        if photos.same_photo(pub.image_phash, candidate.image_phash):
            score += crosslang.PHOTO_BONUS
        if score >= crosslang.THRESHOLD and score > best_score:
            best, best_score = candidate, score
    return best


def _rank(held: tuple[int, int]) -> tuple[int, int]:
    """The candidates sharing the most keys first, the latest among equals."""
    pk, shared = held
    return (shared, pk)


def languages_link(
    pubs: list[Publication], alternates: list[tuple[str, ...]]
) -> tuple[list[PublicationBand], bool]:
    """Link the new publications (recorded in this order, not yet holding band keys) to the same
    story in the other language; the band keys they are found by later are returned for the
    caller to write, and whether any story changed."""
    entries = _entries(pubs, alternates)
    declared = _declared_holders(entries)
    holders = _feature_holders(entries)
    window = dt.timedelta(days=crosslang.WINDOW_DAYS)
    # The lot's earlier publications, by key, as the database would hold them by then.
    lot_declared: dict[int, list[tuple[int, str]]] = defaultdict(list)
    lot_features: dict[int, list[tuple[int, str, dt.date]]] = defaultdict(list)
    by_pk = {e.pub.pk: e.pub for e in entries}
    chosen: dict[int, list[int]] = {}
    links: list[tuple[Publication, int]] = []
    bands: list[PublicationBand] = []
    for entry in entries:
        pub = entry.pub
        bands += [PublicationBand(publication=pub, key=k) for k in entry.declared_keys]
        if pub.lang in crosslang.LANGS:
            other_lang = "ru" if pub.lang == "kk" else "kk"
            named = [
                pk
                for k in entry.declared_keys
                for pk, lang in (*declared.get(k, ()), *lot_declared.get(k, ()))
                if lang == other_lang and pk != pub.pk
            ]
            if named:
                links.append((pub, min(named)))
            elif entry.found and pub.published_on is not None:
                day = pub.published_on
                shared: Counter[int] = Counter()
                for k in entry.lookup:
                    for pk, lang, on in (*holders.get(k, ()), *lot_features.get(k, ())):
                        if lang == other_lang and abs(on - day) <= window and pk != pub.pk:
                            shared[pk] += 1
                ranked = heapq.nlargest(crosslang.CANDIDATES, shared.items(), key=_rank)
                chosen[pub.pk] = [pk for pk, _n in ranked]
        for k in entry.declared_keys:
            lot_declared[k].append((pub.pk, pub.lang))
        if entry.found and pub.published_on is not None:
            day = pub.published_on
            keys = crosslang.band_keys(entry.found, day)
            if pub.image_phash:
                keys += photos.band_keys(pub.image_phash)
            for k in keys:
                lot_features[k].append((pub.pk, pub.lang, day))
            bands += [
                PublicationBand(publication=pub, key=k)
                for k in crosslang.band_keys(entry.found, day)
            ]
            transaction.on_commit(partial(_remember, pub.pk, entry.found))
    wanted = {pk for ids in chosen.values() for pk in ids}
    wanted |= {pk for _pub, pk in links}
    others = dict(by_pk)
    missing = [pk for pk in wanted if pk not in others]
    fields = ["pk", "script", "story_id", "published_on", "image_phash", "lang"]
    if any(pk not in _FEATURES for pk in missing):
        fields += ["title", "text"]
    for part in chunks(missing):
        for candidate in Publication.objects.filter(pk__in=part).only(*fields):
            others[candidate.pk] = candidate
    for entry in entries:
        if entry.pub.pk in chosen:
            ids = [pk for pk in chosen[entry.pub.pk] if pk in others]
            best = _best(entry, ids, others)
            if best is not None:
                links.append((entry.pub, best.pk))
    links.sort(key=lambda link: link[0].pk)
    for pub, other_pk in links:
        if other_pk in others:
            _merge_current(pub, others[other_pk])
    return bands, bool(links)
