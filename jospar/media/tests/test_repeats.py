"""The reprint test set through the database: precision and recall printed, both at least 95 %."""

from __future__ import annotations

import time

import pytest

from jospar.media import repeats
from jospar.media.models import Publication, PublicationBand, Source
from jospar.media.services.publications import NewPublication, publications_record
from jospar.media.tests.reprints import build


def test_signatures_survive_storage_and_measure_containment() -> None:
    text = " ".join(f"word{n}" for n in range(200))
    sig = repeats.signature(text)
    assert sig is not None
    again = repeats.Signature.from_bytes(sig.to_bytes())
    assert again.shingles == sig.shingles
    assert repeats.jaccard(sig, again) == 1.0
    half = repeats.signature(" ".join(f"word{n}" for n in range(100)))
    assert half is not None
    assert repeats.containment(sig, half) > 0.8  # a trimmed copy is contained
    assert repeats.signature("too short") is None
    assert len(sig.band_keys()) == repeats.BANDS


@pytest.mark.django_db
@pytest.mark.parametrize("lot", [1, 40])
def test_reprints_are_found_with_precision_and_recall_of_95_percent(lot: int) -> None:
    """Recorded one by one, and in lots as collection records them (a reprint of an earlier
    text of the same lot is found as well as one of a recorded text)."""
    source = Source.objects.create(name="Test", kind="national", method="feed")
    rows = build()
    story_of: dict[int, int] = {}
    news = [
        NewPublication(url=f"https://news.example/{number}", text=text)
        for number, (_story, _variant, text) in enumerate(rows)
    ]
    began = time.perf_counter()
    recorded: list[Publication | None] = []
    for start in range(0, len(news), lot):
        recorded += publications_record(source=source, news=news[start : start + lot])
    for pub, (story, _variant, _text) in zip(recorded, rows, strict=True):
        assert pub is not None
        story_of[pub.pk] = story
    per_publication = (time.perf_counter() - began) / len(rows) * 1000
    tp = fp = fn = 0
    pubs = Publication.objects.select_related("story").order_by("pk")
    for pub in pubs:
        truth = story_of[pub.pk]
        linked = pub.similarity is not None
        if not linked:
            fn += pub.url_hash != "" and _is_reprint(rows, pub.url)
            continue
        assert pub.story is not None
        if story_of[pub.story.first_id or 0] == truth:
            tp += 1
        else:
            fp += 1
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    print(
        f"reprints (lots of {lot}): precision {precision:.1%}, recall {recall:.1%} "
        f"({tp} found, {fp} wrong, {fn} missed; {len(rows)} texts, "
        f"{per_publication:.1f} ms per publication with the lookup)"
    )
    assert precision >= 0.95
    assert recall >= 0.95
    # The signature's bands, and the key its language version would be found by.
    assert PublicationBand.objects.count() == len(rows) * (repeats.BANDS + 1)


def _is_reprint(rows: list[tuple[int, str, str]], url: str) -> bool:
    return rows[int(url.rsplit("/", 1)[1])][1] != "original"
