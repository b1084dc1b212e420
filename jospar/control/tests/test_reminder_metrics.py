"""The reminders a run writes are counted in the Prometheus metrics once committed, and the
letters sent; a second run of the same day counts nothing more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from prometheus_client import REGISTRY

from jospar.control.models import Obligation
from jospar.control.tasks import send_reminders
from jospar.control.tests.test_reminders import (  # noqa: F401 (fixtures)
    executor,
    ministry,
    obligation_for,
    plan,
    run,
)
from jospar.core.models import NotificationKind, User

pytestmark = pytest.mark.django_db


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_reminders_and_letters_are_counted(
    obligation_for: Callable[..., Obligation],  # noqa: F811
    executor: User,  # noqa: F811
    run: Callable[..., Any],  # noqa: F811
) -> None:
    before = _sample("jospar_reminders_sent_total", kind=str(NotificationKind.BEFORE))
    letters = _sample("jospar_notification_emails_total", outcome="sent")
    created = _sample("jospar_notifications_created_total")
    obligation_for("2016-01-05")
    obligation_for("2016-01-05")
    assert run(send_reminders, "2015-12-31")["notifications"] == 2
    assert _sample("jospar_reminders_sent_total", kind=str(NotificationKind.BEFORE)) == before + 2
    assert _sample("jospar_notifications_created_total") == created + 2
    assert _sample("jospar_notification_emails_total", outcome="sent") == letters + 1
    run(send_reminders, "2015-12-31")
    assert _sample("jospar_reminders_sent_total", kind=str(NotificationKind.BEFORE)) == before + 2
