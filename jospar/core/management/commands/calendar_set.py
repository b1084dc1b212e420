from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jospar.core.calendar import calendar_day_set
from jospar.core.errors import ServiceError
from jospar.core.models import User


def administrator(username: str | None) -> User:
    """The administrator a command acts as: the one named, or the first superuser."""
    people = User.objects.filter(is_active=True)
    user = (
        people.filter(username=username).first()
        if username
        else people.filter(is_superuser=True).order_by("id").first()
    )
    if user is None or not user.is_administrator:
        raise CommandError(f"no active administrator {username or '(superuser)'}: use --actor")
    return user


class Command(BaseCommand):
    help = (
        "Correct one day of the working-day calendar (audited): jospar calendar-set 2026-03-23"
        " --day-off --reason 'Government decree No. ...'; --working makes a weekend day a working"
        " day; --ordinary puts the day back to the ordinary week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("date", help="the day, YYYY-MM-DD")
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--day-off", dest="kind", action="store_const", const="off")
        kind.add_argument("--working", dest="kind", action="store_const", const="working")
        kind.add_argument("--ordinary", dest="kind", action="store_const", const="ordinary")
        parser.add_argument("--reason", required=True, help="why (kept in the audit log)")
        parser.add_argument("--name", default="", help="the holiday's or transfer's name")
        parser.add_argument("--actor", default=None, help="administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"not a date (YYYY-MM-DD): {options['date']}") from exc
        actor = administrator(options["actor"])
        working = {"off": False, "working": True, "ordinary": None}[options["kind"]]
        try:
            entry = calendar_day_set(
                actor=actor,
                day=day,
                is_working=working,
                reason=options["reason"],
                name=options["name"],
            )
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        if entry is None:
            state = "ordinary week"
        else:
            state = "working day" if entry.is_working else "day off"
        self.stdout.write(f"{day.isoformat()}: {state} (by {actor.username})")
