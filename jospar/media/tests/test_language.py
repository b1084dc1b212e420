"""The language test set: real sentences in Kazakh (Cyrillic, and the 2021 Latin alphabet),
Russian and English, and mixed texts. Accuracy is printed and must be at least 97 %."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

from jospar.media.language import detect
from jospar.media.language_cli import run_detect_language

SET = Path(__file__).parent / "data" / "language_set.jsonl"


def _rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]


def test_the_set_has_sixty_sentences_per_class() -> None:
    counts = Counter(
        "mixed" if row["lang"] == "mixed" else f"{row['lang']}-{row['script']}" for row in _rows()
    )
    assert set(counts) == {"kk-Cyrl", "kk-Latn", "ru-Cyrl", "en-Latn", "mixed"}
    assert min(counts.values()) >= 60, counts


def test_accuracy_on_the_shipped_set_is_at_least_97_percent() -> None:
    rows = _rows()
    per_class: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong = []
    for row in rows:
        label = f"{row['lang']}-{row['script']}"
        found = detect(row["text"])
        per_class[label] += 1
        if (found.lang, found.script) == (row["lang"], row["script"]):
            right[label] += 1
        else:
            wrong.append((label, found, row["text"][:80]))
    accuracy = sum(right.values()) / len(rows)
    for label in sorted(per_class):
        print(f"language {label}: {right[label]}/{per_class[label]}")
    print(f"language accuracy: {accuracy:.1%} on {len(rows)} texts")
    assert accuracy >= 0.97, wrong[:10]


def test_kazakh_letters_decide_and_names_do_not() -> None:
    assert detect("Облыс әкімдігі жаңа мектеп ашты").as_dict() == {"lang": "kk", "script": "Cyrl"}
    # A Kazakh name inside a Russian sentence keeps it Russian.
    assert detect("Сотрудники РГУ «Қоғамдық келісім» провели встречу с жителями").lang == "ru"
    assert detect("Oblys äkımdıgı jaña mektep aşty").as_dict() == {"lang": "kk", "script": "Latn"}
    assert detect("The akimat opened a new school").as_dict() == {"lang": "en", "script": "Latn"}
    assert detect("12345 !!!").lang == "und"


def test_the_command_reads_and_writes_json_lines() -> None:
    stdin = io.StringIO(
        '{"text": "Мемлекеттік тіл – қазақ тілі"}\n\n{"text": "Государственный язык"}\n[1]\n'
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_detect_language(stdin, out, err) == 1
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert lines[0] == {"lang": "kk", "script": "Cyrl"}
    assert lines[1] == {"lang": "ru", "script": "Cyrl"}
    assert "error" in lines[2]
    assert "line 4" in err.getvalue()
