"""The working-day calendar's page and commands, through the audited `calendar_day_set`; and
`jospar --help`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from jospar.core.calendar import calendar_cache_clear, calendar_day_set, is_working_day
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, CalendarDay, Role, User

# 2031-03-21 is a Friday and Nauryz in the `holidays` package; 2031-06-13 an ordinary Friday.
NAURYZ = dt.date(2031, 3, 21)
FRIDAY = dt.date(2031, 6, 13)
SATURDAY = dt.date(2031, 6, 14)


def _state() -> tuple[list[tuple[dt.date, bool, str]], int]:
    days = list(
        CalendarDay.objects.filter(source="admin")
        .order_by("day")
        .values_list("day", "is_working", "source")
    )
    return days, AuditEvent.objects.filter(action="calendar.day_set").count()


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "administrator": make_user(Role.ADMINISTRATOR, username="cal-admin"),
        "controller": make_user(Role.CONTROLLER, username="cal-controller"),
        "executor": make_user(Role.EXECUTOR, username="cal-executor"),
        "observer": make_user(Role.OBSERVER, username="cal-observer"),
        "moderator": make_user(Role.MODERATOR, username="cal-moderator"),
        "citizen": make_user(username="cal-citizen"),
    }


def _client(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "get_status"),
    [
        ("anonymous", 302),
        ("administrator", 200),
        ("controller", 403),
        ("executor", 403),
        ("observer", 403),
        ("moderator", 403),
        ("citizen", 403),
    ],
)
def test_calendar_page_permission_matrix(
    people: dict[str, User | None], role: str, get_status: int
) -> None:
    client = _client(people[role])
    assert client.get(reverse("calendar"), {"year": 2031}).status_code == get_status
    before = _state()
    response = client.post(
        reverse("calendar"),
        {"day": FRIDAY.isoformat(), "kind": "off", "name": "Extra", "reason": "decree No. 1"},
    )
    if role == "administrator":
        assert response.status_code == 302
        assert CalendarDay.objects.get(day=FRIDAY).is_working is False
        event = AuditEvent.objects.filter(action="calendar.day_set").last()
        assert event is not None
        assert event.reason == "decree No. 1"
        assert event.actor == people[role]
    else:
        assert response.status_code in (302, 403)
        assert _state() == before


def test_the_page_lists_the_year_and_refuses_without_a_reason(
    people: dict[str, User | None],
) -> None:
    admin = people["administrator"]
    assert admin is not None
    calendar_day_set(actor=admin, day=SATURDAY, is_working=True, reason="transfer", name="T")
    client = _client(admin)
    html = client.get(reverse("calendar"), {"year": 2031}).content.decode()
    assert f'data-day="{SATURDAY.isoformat()}" data-working="1"' in html
    before = _state()
    response = client.post(
        reverse("calendar"), {"day": FRIDAY.isoformat(), "kind": "off", "reason": " "}
    )
    assert response.status_code == 400
    assert _state() == before
    # Nonsense never gives a 5xx and changes nothing.
    for year in ("abc", "99999", "-1"):
        assert client.get(reverse("calendar"), {"year": year}).status_code == 200
    response = client.post(reverse("calendar"), {"day": "2031-02-30", "kind": "x", "reason": "r"})
    assert response.status_code == 400
    assert _state() == before


def test_day_set_and_back_to_the_ordinary_week(people: dict[str, User | None]) -> None:
    admin = people["administrator"]
    assert admin is not None
    calendar_day_set(actor=admin, day=FRIDAY, is_working=False, reason="decree")
    calendar_cache_clear()
    assert not is_working_day(FRIDAY)
    # Back to the ordinary week: a day the package does not list is simply removed.
    assert calendar_day_set(actor=admin, day=FRIDAY, is_working=None, reason="cancelled") is None
    assert not CalendarDay.objects.filter(day=FRIDAY).exists()
    calendar_cache_clear()
    assert is_working_day(FRIDAY)
    # A package holiday put back to work stays stored, so that seeding does not undo it.
    kept = calendar_day_set(actor=admin, day=NAURYZ, is_working=None, reason="moved")
    assert kept is not None
    assert kept.is_working
    assert kept.source == "admin"
    from jospar.core.calendar import calendar_seed

    calendar_seed(actor=None, years=range(2031, 2032))
    assert CalendarDay.objects.get(day=NAURYZ).is_working is True
    assert AuditEvent.objects.filter(action="calendar.day_set").count() == 3


def test_only_an_administrator_sets_a_day(people: dict[str, User | None]) -> None:
    for role in ("controller", "observer", "citizen"):
        user = people[role]
        assert user is not None
        with pytest.raises(PermissionRefused):
            calendar_day_set(actor=user, day=FRIDAY, is_working=False, reason="no")
    admin = people["administrator"]
    assert admin is not None
    with pytest.raises(ServiceError):
        calendar_day_set(actor=admin, day=FRIDAY, is_working=False, reason="")
    assert _state() == ([], 0)


def test_calendar_commands(people: dict[str, User | None]) -> None:
    out = io.StringIO()
    call_command(
        "calendar_set",
        SATURDAY.isoformat(),
        "--working",
        "--reason",
        "transfer",
        "--actor",
        "cal-admin",
        stdout=out,
    )
    assert "working day" in out.getvalue()
    out = io.StringIO()
    call_command("calendar_show", "2031", stdout=out)
    assert f"{SATURDAY.isoformat()} Sat working  cal-admin" in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "calendar_set",
            FRIDAY.isoformat(),
            "--day-off",
            "--reason",
            "x",
            "--actor",
            "cal-observer",
        )
    with pytest.raises(CommandError):
        call_command("calendar_set", "2031-13-01", "--day-off", "--reason", "x")
    assert not CalendarDay.objects.filter(day=FRIDAY).exists()


def test_help_lists_jospar_s_own_commands_first(capsys: Any) -> None:
    from jospar import cli

    assert cli.main(["--help"]) == 0
    printed = capsys.readouterr().out
    own = printed.index("jospar's commands:")
    django = printed.index("Django's commands")
    for name in ("parse-plan", "parse-deadlines", "import-plan", "demo", "serve"):
        assert own < printed.index(f"  {name} ") < django
    assert "migrate" in printed[django:]
    # Every management command of jospar's apps has its line.
    root = Path(cli.__file__).parent
    commands = {
        path.stem.replace("_", "-")
        for path in root.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }
    assert commands <= set(cli.OWN_COMMANDS)
