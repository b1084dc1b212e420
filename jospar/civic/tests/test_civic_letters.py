"""A citizen's letter is made for citizen reports: no table of activities, plans and control
deadlines, and in the citizen's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jospar.civic.models import CitizenReport
from jospar.civic.notify import KIND_UPDATE
from jospar.civic.services import comment_add, follow_add, report_answer, report_mark_done
from jospar.core.models import Notification, User

from .conftest import World

pytestmark = pytest.mark.django_db

CONTROL_COLUMNS = {
    "ru": ("Мероприятие", "План мероприятий", "Контрольный срок", "Исполнитель"),
    "kk": ("Іс-шара", "Іс-шаралар жоспары", "Бақылау мерзімі", "Орындаушы"),
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_citizens_letter_is_its_own(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
    lang: str,
) -> None:
    User.objects.filter(pk=world.citizen.pk).update(language=lang)
    report = file_report()
    with django_capture_on_commit_callbacks(execute=True):
        report_answer(actor=world.official, report=report, text="Жөндеу 15 мамырда.")
    [letter] = [m for m in mailbox if m.to == [world.citizen.email]]
    html = letter.alternatives[0][0]
    for text in (letter.body, html):
        assert "Жөндеу 15 мамырда." in text
        assert f"/{report.pk}/" in text  # the link to the report
        for column in CONTROL_COLUMNS[lang]:
            assert column not in text
    assert "<th" not in html
    assert str(report.pk) in letter.subject
    opener = {"ru": "Открыть сообщение", "kk": "Хабарламаны ашу"}[lang]
    assert opener in letter.body


def test_each_follower_is_told_once_per_event(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
) -> None:
    report = file_report()
    follow_add(actor=world.neighbour, report=report)
    User.objects.filter(pk=world.neighbour.pk).update(language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(actor=world.citizen, report=report, text="Всё ещё не сделано.")
    with django_capture_on_commit_callbacks(execute=True):
        report_mark_done(actor=world.official, report=report, text="Сделано.")
    rows = Notification.objects.filter(kind=KIND_UPDATE, recipient=world.neighbour)
    assert rows.count() == 2  # the comment and "done", once each
    assert len({r.event_key for r in rows}) == 2
    assert all(r.lang == "ru" for r in rows)
    letters = [m for m in mailbox if m.to == [world.neighbour.email]]
    assert letters
    assert all("Открыть сообщение" in m.body for m in letters)
