"""Every control-loop event a person must act on reaches them once, in their language, by a
letter made for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jospar.control.models import ExecutionReport, Obligation
from jospar.control.review_notices import (
    KIND_ACCEPTED,
    KIND_INPUT,
    KIND_RETURNED,
    KIND_SUBMITTED,
)
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept, report_return
from jospar.control.tests.conftest import World, in_days
from jospar.core.models import Notification, Organisation, Role, User
from jospar.core.services.notification_email import build_letter

pytestmark = pytest.mark.django_db


def _submit(user: User, obligation: Obligation, text: str = "Орындалды.") -> ExecutionReport:
    draft = report_draft_save(actor=user, obligation=obligation, text=text, lang="kk")
    return report_submit(actor=user, report=draft)


def _letter(notification: Notification) -> tuple[str, str, str]:
    letter = build_letter([notification], notification.recipient)
    html = letter.alternatives[0][0]
    return str(letter.subject), str(letter.body), str(html)


def _only(kind: str) -> dict[int, Notification]:
    rows = list(Notification.objects.filter(kind=kind))
    by_person = {n.recipient_id: n for n in rows}
    assert len(by_person) == len(rows), "one notification per person"
    return by_person


def test_submitted_report_tells_the_plans_controllers_in_their_language(
    world: World, make_user: Callable[..., User]
) -> None:
    controller = world.person("controller_own")
    User.objects.filter(pk=controller.pk).update(language="ru")
    second = make_user(Role.CONTROLLER, organisation=world.department, language="kk")
    _submit(world.person("executor_own"), world.own)

    told = _only(KIND_SUBMITTED)
    # The other department's controller does not control this plan; the executor is not told.
    assert set(told) == {controller.pk, second.pk}
    subject, text, _html = _letter(told[controller.pk])
    assert subject.startswith("Информация об исполнении представлена")
    assert "Министерство культуры" in subject
    assert "План мероприятий" in text
    assert "Провести конференцию" in text
    subject_kk, text_kk, _html = _letter(told[second.pk])
    assert "Іс-шаралар жоспары" in text_kk
    assert "Конференция өткізу" in text_kk
    assert subject_kk != subject

    # Submitting again after a return is a new event; the same event never twice.
    before = Notification.objects.filter(kind=KIND_SUBMITTED).count()
    assert before == 2


def test_return_and_accept_tell_who_reported_and_the_head(
    world: World, make_user: Callable[..., User]
) -> None:
    executor = world.person("executor_own")
    User.objects.filter(pk=executor.pk).update(language="ru")
    head = make_user(Role.EXECUTOR, organisation=world.ministry, language="kk")
    Organisation.objects.filter(pk=world.ministry.pk).update(head=head)
    bystander = make_user(Role.EXECUTOR, organisation=world.ministry)
    controller = world.person("controller_own")
    report = _submit(executor, world.own)
    new_date = in_days(12)
    report_return(
        actor=controller, report=report, comment="Приложите фотографии", new_deadline=new_date
    )

    told = _only(KIND_RETURNED)
    assert set(told) == {executor.pk, head.pk}
    assert bystander.pk not in told
    subject, text, html = _letter(told[executor.pk])
    assert "возвращена на доработку" in subject
    assert "Приложите фотографии" in text
    deadline = world.own.deadline
    assert deadline is not None
    assert deadline.strftime("%d.%m.%Y") in text
    assert "Приложите фотографии" in html
    _subject, text_kk, _h = _letter(told[head.pk])
    assert "Приложите фотографии" in text_kk
    assert "Конференция өткізу" in text_kk

    report_accept(actor=controller, report=_submit(executor, world.own, "Исправлено."))
    accepted = _only(KIND_ACCEPTED)
    assert set(accepted) == {executor.pk, head.pk}
    subject, _t, _h = _letter(accepted[executor.pk])
    assert "принята" in subject


def test_co_executor_input_tells_the_lead(world: World) -> None:
    _submit(world.co_user, world.co)
    told = _only(KIND_INPUT)
    lead_executor = world.person("executor_own")
    assert set(told) == {lead_executor.pk}
    _subject, text, _html = _letter(told[lead_executor.pk])
    assert "Жинақ шығару" in text  # the recipient's language: Kazakh by default
    # The controllers hear of the consolidated report, not of the input.
    assert not Notification.objects.filter(kind=KIND_SUBMITTED).exists()
