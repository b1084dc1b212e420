"""The reprint test set, built from shipped passages (real texts of the seed programs and
written news): each story reprinted with edits, a new headline, trimmed, padded, and all of
these at once; the other passages, many on the same topic, are the unrelated stories."""

from __future__ import annotations

import random
from pathlib import Path

STORIES = Path(__file__).parent / "data" / "stories.txt"

PADDING = [
    "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать главные новости региона.",
    "Ранее мы сообщали о том, как прошли праздничные мероприятия в соседних районах.",
    "Жаңалықтарды біздің парақшамыздан оқыңыз және достарыңызбен бөлісіңіз.",
    "Follow us on social networks and share this story with your friends.",
    "Фото предоставлено пресс-службой акимата области.",
    "Редакция не несёт ответственности за мнения, высказанные в комментариях.",
]
HEADLINES = [
    "Важное событие в регионе: подробности",
    "Маңызды жаңалық: толығырақ",
    "What happened this week in the region",
    "Официально: в акимате рассказали о планах",
]


def passages() -> list[str]:
    text = STORIES.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _edit(words: list[str], rnd: random.Random, share: float) -> list[str]:
    out = list(words)
    for _ in range(max(1, int(len(out) * share))):
        i = rnd.randrange(len(out))
        choice = rnd.random()
        if choice < 0.4:
            out[i] = rnd.choice(["также", "сондай-ақ", "2024", "новый", "жаңа", "also"])
        elif choice < 0.7 and len(out) > 10:
            del out[i]
        else:
            out.insert(i, rnd.choice(["ещё", "тағы", "официально", "бүгін"]))
    return out


def variants(story: str, rnd: random.Random) -> list[tuple[str, str]]:
    words = story.split()
    trimmed = words[: max(20, int(len(words) * rnd.uniform(0.5, 0.7)))]
    padding = " ".join(rnd.sample(PADDING, 3))
    return [
        ("edited", " ".join(_edit(words, rnd, 0.08))),
        ("headline", rnd.choice(HEADLINES) + ". " + story),
        ("trimmed", " ".join(trimmed)),
        ("padded", rnd.choice(PADDING) + " " + story + " " + padding),
        (
            "all",
            rnd.choice(HEADLINES) + ". " + " ".join(_edit(trimmed, rnd, 0.05)) + " " + padding,
        ),
    ]


def build(seed: int = 13) -> list[tuple[int, str, str]]:
    """(story number, variant, text): the originals first, then the reprints, shuffled."""
    rnd = random.Random(seed)
    originals = [(n, "original", text) for n, text in enumerate(passages())]
    reprints = [
        (n, name, text) for n, story in enumerate(passages()) for name, text in variants(story, rnd)
    ]
    rnd.shuffle(reprints)
    return originals + reprints
