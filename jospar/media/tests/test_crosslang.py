"""The same story in Kazakh and Russian: the shipped test set with precision and recall printed,
and the link made when publications are recorded (story groups, the page, the report).

The test set (``data/crosslang_*.jsonl``):

- the 28 activities of the seed plan «Нация Единого Будущего» in its official Kazakh and
  Russian texts (plans 000 and 001: real translations, all on one campaign, so every other
  activity is an unrelated text on the same topic);
- 14 regional news stories written in both languages the way agencies publish them;
- 16 unpaired news stories (8 Kazakh, 8 Russian) on the same topics and days as the pairs —
  another school of «Туған жер», another festival, exhibition, road repair, forum — which must
  be linked to nothing.

Each text is matched against every text of the other language published within the window;
the best above the threshold is the prediction.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.tests.conftest import World
from jospar.media import crosslang
from jospar.media.models import Publication, Source, Story, StoryLink
from jospar.media.services.publications import NewPublication, publication_record
from jospar.media.services.reports import report_data

DATA = Path(__file__).parent / "data"
PLAN_DAY = "2026-10-10"


def _load(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _texts() -> tuple[list[tuple[str, str, dt.date]], list[tuple[str, str, dt.date]], int]:
    pairs = _load("crosslang_plan_rows.jsonl") + _load("crosslang_news.jsonl")
    alone = _load("crosslang_unpaired.jsonl")
    kk = [(p["id"], p["kk"], dt.date.fromisoformat(p.get("on", PLAN_DAY))) for p in pairs]
    ru = [(p["id"], p["ru"], dt.date.fromisoformat(p.get("on", PLAN_DAY))) for p in pairs]
    for a in alone:
        (kk if a["lang"] == "kk" else ru).append(
            (a["id"], a["text"], dt.date.fromisoformat(a["on"]))
        )
    return kk, ru, len(pairs)


def test_the_same_story_across_languages_precision_and_recall() -> None:
    kk, ru, pairs = _texts()
    feats = {("kk", i): crosslang.features(t) for i, t, _d in kk}
    feats.update({("ru", i): crosslang.features(t) for i, t, _d in ru})
    days = {("kk", i): d for i, _t, d in kk}
    days.update({("ru", i): d for i, _t, d in ru})
    predicted: set[tuple[str, str]] = set()
    for lang, other, texts, others in (("kk", "ru", kk, ru), ("ru", "kk", ru, kk)):
        for i, _t, day in texts:
            best, best_score = None, 0.0
            for j, _u, other_day in others:
                if abs((day - other_day).days) > crosslang.WINDOW_DAYS:
                    continue
                score = crosslang.similarity(feats[(lang, i)], feats[(other, j)])
                if score > best_score:
                    best, best_score = j, score
            if best is not None and best_score >= crosslang.THRESHOLD:
                predicted.add((i, best) if lang == "kk" else (best, i))
    correct = sum(1 for a, b in predicted if a == b)
    precision = correct / len(predicted) if predicted else 0.0
    recall = correct / pairs
    print(
        f"\ncross-language story set: {pairs} kk/ru pairs, "
        f"{len(kk) + len(ru) - 2 * pairs} unpaired same-topic texts; "
        f"predicted {len(predicted)}, correct {correct}: "
        f"precision {precision:.1%}, recall {recall:.1%}"
    )
    assert precision >= 0.9
    assert recall >= 0.9


def test_features_fold_names_dates_and_numbers() -> None:
    kk = crosslang.features(
        "Түркістанда 12 қазанда 1,2 миллиард теңге бөлінді, bnews.kz хабарлайды."
    )
    ru = crosslang.features(
        "В Туркестане 12 октября выделено 1,2 миллиарда тенге, сообщает bnews.kz."
    )
    shared = kk.keys() & ru.keys()
    assert {"d:12.10", "n:1.2", "l:bnews.kz", "c:тркс", "g:миллиард", "g:тенге"} <= shared
    # A Kazakh stem's voiced ending: «мектебі» is the glossary's «мектеп» (school).
    assert "g:школ" in crosslang.features("Ауыл мектебінің залы жөнделді")
    # The 2021 Latin alphabet folds onto the same features.
    latin = crosslang.features("Türkıstanda 12 qazanda mektep aşyldy", latin_kazakh=True)
    assert "d:12.10" in latin
    assert "g:школ" in latin


def _source(name: str, lang: str) -> Source:
    return Source.objects.create(name=name, kind="national", method="feed", languages=[lang])


def _record(source: Source, url: str, text: str, day: dt.date, **extra: object) -> Publication:
    found = publication_record(
        source=source,
        new=NewPublication(url=url, title="", text=text, published_on=day, **extra),  # type: ignore[arg-type]
    )
    assert found is not None
    return found


NEWS = {p["id"]: p for p in _load("crosslang_news.jsonl")}
ALONE = {p["id"]: p for p in _load("crosslang_unpaired.jsonl")}


@pytest.mark.django_db
def test_recording_links_the_other_language_into_one_story(world: World) -> None:
    kk_source, ru_source = _source("Kazinform (kk)", "kk"), _source("Казинформ (ru)", "ru")
    day = dt.date(2026, 10, 5)
    pair = NEWS["news-1"]
    kk = _record(kk_source, "https://kaz.example/1", pair["kk"], day)
    other = _record(ru_source, "https://ru.example/9", ALONE["alone-ru-1"]["text"], day)
    ru = _record(ru_source, "https://ru.example/1", pair["ru"], day + dt.timedelta(days=1))
    kk.refresh_from_db()
    other.refresh_from_db()
    assert kk.lang == "kk"
    assert ru.lang == "ru"
    assert ru.story_id is not None
    assert kk.story_id == ru.story_id
    assert ru.story_via == StoryLink.LANGUAGE
    assert other.story_id is None  # the same district and programme, another story
    story = Story.objects.get(pk=ru.story_id)
    assert story.first_id == kk.pk
    assert story.size == 2
    # A reprint of the Russian text joins the same story: one story, three publications.
    reprint = _record(
        _source("Регион", "ru"),
        "https://region.example/a",
        "Официально. " + pair["ru"] + " Подписывайтесь на наш канал.",
        day + dt.timedelta(days=1),
    )
    assert reprint.story_id == story.pk
    assert reprint.story_via == StoryLink.REPRINT
    data = report_data(2026, 4)
    assert data["total"] == 4
    assert data["stories_total"] == 2  # the story counted once, and the unrelated one
    assert data["stories_in_both_languages"] == 1
    assert data["reprints"] == 1
    assert data["translations"] == 1
    # The publication page shows the story in both languages.
    client = Client()
    client.force_login(world.person("observer"))
    page = client.get(reverse("media:publication", args=[kk.pk])).content.decode()
    assert "Казинформ (ru)" in page
    assert "Регион" in page
    assert 'data-via="language"' in page


@pytest.mark.django_db
def test_a_page_that_names_its_language_version_is_linked_at_once() -> None:
    kk_source, ru_source = _source("Сайт (kk)", "kk"), _source("Сайт (ru)", "ru")
    day = dt.date(2026, 10, 6)
    kk = _record(
        kk_source,
        "https://site.example/kk/news/5",
        ALONE["alone-kk-2"]["text"],
        day,
        alternates=("https://site.example/ru/news/5",),
    )
    ru = _record(ru_source, "https://www.site.example/ru/news/5", ALONE["alone-ru-2"]["text"], day)
    kk.refresh_from_db()
    assert ru.story_id is not None
    assert kk.story_id == ru.story_id


@pytest.mark.django_db
def test_stories_of_both_publications_are_merged() -> None:
    kk_a, kk_b = _source("A (kk)", "kk"), _source("B (kk)", "kk")
    ru_a, ru_b = _source("A (ru)", "ru"), _source("B (ru)", "ru")
    day = dt.date(2026, 10, 9)
    pair = NEWS["news-5"]
    first = _record(kk_a, "https://a.example/kk/1", pair["kk"], day)
    _record(kk_b, "https://b.example/kk/1", "Жаңалық. " + pair["kk"], day)
    ru1 = _record(ru_a, "https://a.example/ru/1", pair["ru"], day)
    ru2 = _record(ru_b, "https://b.example/ru/1", pair["ru"] + " Фото пресс-службы.", day)
    ids = set(Publication.objects.values_list("story_id", flat=True))
    assert len(ids) == 1
    assert None not in ids
    story = Story.objects.get()
    assert story.size == 4
    assert story.first_id == first.pk
    assert ru1.story_id == ru2.story_id == story.pk
