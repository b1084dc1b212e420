from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from jospar.civic.demo import demo_reports_create
from jospar.control.demo import demo_control_play
from jospar.control.demo_programs import demo_programs_play
from jospar.core.audit import audit_record
from jospar.core.models import Organisation, OrganisationKind, Role, User
from jospar.core.services import organisation_create, role_grant, user_save
from jospar.events.demo import demo_events_create
from jospar.indicators.demo import demo_indicators_create
from jospar.initiatives.demo import (
    demo_heart_create,
    demo_heart_last_year_create,
    demo_initiatives_create,
)
from jospar.media.demo import demo_monitoring

SEEDS = Path(__file__).resolve().parents[3] / "plans" / "demo_seeds"
PROGRAM_SEEDS = Path(__file__).resolve().parents[3] / "programs" / "demo_seeds"


NGO_NAME_KK = "«Жасыл аула» қоғамдық бірлестігі"
NGO_NAME_RU = "Общественное объединение «Зелёный двор»"
NGO_MEMBER_NAME = "«Жасыл аула» ҚБ / ОО «Зелёный двор»"


def _demo_ngo(admin: User) -> Organisation:
    """The demo's NGO, added by the administrator once (the directory holds state bodies)."""
    found = Organisation.objects.filter(kind=OrganisationKind.NGO, name_ru=NGO_NAME_RU).first()
    if found is not None:
        return found
    return organisation_create(
        actor=admin,
        values={"kind": OrganisationKind.NGO, "name_kk": NGO_NAME_KK, "name_ru": NGO_NAME_RU},
        reason="jospar demo",
    )


def _find_org(*codes: str) -> Organisation | None:
    for code in codes:
        org = (
            Organisation.objects.filter(aliases__code=code, merged_into__isnull=True)
            .order_by("id")
            .first()
        )
        if org is not None:
            return org
    return None


@contextmanager
def _quietly() -> Iterator[None]:
    """The demo's notifications are real (in-app, and e-mails queued), but the e-mails to the
    demo's made-up addresses are not printed on the console, nor Celery's per-task log lines:
    what the person running the demo needs is the logins, printed last."""
    console = settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    if console:
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    loggers = [logging.getLogger(name) for name in ("celery", "kombu")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        if console:
            settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


def _site(port: int | None) -> str:
    site = str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    if port is None:
        return site
    parsed = urlsplit(site)
    host = parsed.hostname or "127.0.0.1"
    return f"{parsed.scheme or 'http'}://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Build the demo: regions, the three seed plans imported by jospar's own importer, and"
        " one demo user for each role, whose logins and new passwords are printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="use this password for every demo user instead of random ones",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="the port `jospar serve` will listen on, for the printed address (default: the"
            " port of SITE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with _quietly():
            self._build(options)

    def _build(self, options: dict[str, Any]) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_regions", verbosity=0, stdout=io.StringIO())
        call_command("load_gazetteer", verbosity=0, stdout=io.StringIO())
        call_command("load_directory", verbosity=0, stdout=io.StringIO())
        for path in sorted(SEEDS.glob("*.txt")):
            call_command("import_plan", str(path), no_progress=True, stdout=self.stdout)
        for path in sorted(PROGRAM_SEEDS.glob("*.txt")):
            call_command("import_program", str(path), stdout=self.stdout)
        akimat_astana = Organisation.objects.filter(region__code="astana").first()
        people: list[tuple[str, str, list[Role], Organisation | None]] = [
            ("admin", "Әкімші / Администратор", [Role.ADMINISTRATOR], None),
            ("controller", "Бақылаушы / Контролер", [Role.CONTROLLER], _find_org("ІСБ", "ОВП")),
            (
                "executor",
                "Орындаушы ИДМ / Исполнитель МИР",
                [Role.EXECUTOR],
                _find_org("ИДМ", "МИР"),
            ),
            ("akimat", "Астана әкімдігі / Акимат Астаны", [Role.EXECUTOR], akimat_astana),
            ("observer", "Бақылаушы-көруші / Наблюдатель", [Role.OBSERVER], None),
            (
                "official",
                "Астана әкімдігі, азаматтардың өтінімдері / Акимат Астаны, заявки граждан",
                [Role.CIVIC_OFFICIAL],
                akimat_astana,
            ),
            ("moderator", "Модератор", [Role.MODERATOR], None),
            # A citizen: no role; made by the administrator, so its e-mail counts as confirmed.
            ("citizen", "Айгерім / Айгерим", [], None),
            # Who carry out the citizens' initiatives: no role either.
            ("patron", "Меценат", [], None),
            ("volunteer", "Волонтер / Волонтёр", [], None),
            # A member of the Generous Heart jury (an appointed person, no role).
            ("juror", "Қазылар алқасының мүшесі / Член жюри", [], None),
        ]
        lines: list[tuple[str, str, str, str, str]] = []
        with transaction.atomic():
            # The first administrator cannot be made by an administrator: it is the bootstrap,
            # recorded as done by the system; every other demo user is made by that administrator.
            admin, created = User.objects.get_or_create(
                username="admin", defaults={"is_staff": True, "is_superuser": True}
            )
            if created:
                audit_record(
                    actor=None,
                    action="user.bootstrap",
                    object_type="core.user",
                    object_id=admin.pk,
                    after={"username": "admin", "is_superuser": True},
                    reason="jospar demo",
                )
            # A member of an NGO (no role): Generous Heart's NGO nomination has a winner.
            people.append(("ngo", NGO_MEMBER_NAME, [], _demo_ngo(admin)))
            for username, full_name, roles, organisation in people:
                password = options["password"] or secrets.token_urlsafe(9)
                user = (
                    admin
                    if username == "admin"
                    else (User.objects.filter(username=username).first() or User(username=username))
                )
                user.first_name = full_name
                user.organisation = organisation
                user.is_staff = Role.ADMINISTRATOR in roles
                user.is_superuser = Role.ADMINISTRATOR in roles
                user.set_password(password)
                if not user.email:
                    user.email = f"{username}@demo.jospar.kz"
                user_save(actor=admin, user=user, reason="jospar demo")
                for role in roles:
                    role_grant(actor=admin, user=user, role=role, reason="jospar demo")
                role_names = ", ".join(str(r.value) for r in roles) or "citizen"
                where = str(organisation) if organisation else "—"
                lines.append((username, password, role_names, user.email, where))
            filed = demo_reports_create(
                citizen=User.objects.get(username="citizen"),
                official=User.objects.get(username="official"),
            )
            initiated = demo_initiatives_create(
                admin=admin,
                citizen=User.objects.get(username="citizen"),
                official=User.objects.get(username="official"),
                patron=User.objects.get(username="patron"),
                volunteer=User.objects.get(username="volunteer"),
            )
            nominated = demo_heart_create(
                admin=admin,
                citizen=User.objects.get(username="citizen"),
                official=User.objects.get(username="official"),
                patron=User.objects.get(username="patron"),
                volunteer=User.objects.get(username="volunteer"),
                juror=User.objects.get(username="juror"),
            )
            demo_heart_last_year_create(
                admin=admin,
                citizen=User.objects.get(username="citizen"),
                official=User.objects.get(username="official"),
                patron=User.objects.get(username="patron"),
                volunteer=User.objects.get(username="volunteer"),
                ngo_member=User.objects.get(username="ngo"),
                juror=User.objects.get(username="juror"),
            )
            events = demo_events_create(
                admin=admin,
                organiser=User.objects.get(username="akimat"),
                citizen=User.objects.get(username="citizen"),
                moderator=User.objects.get(username="moderator"),
                volunteer=User.objects.get(username="volunteer"),
            )
            moved, sent = demo_control_play(
                controller=User.objects.get(username="controller"),
                executors=[User.objects.get(username=name) for name in ("executor", "akimat")],
            )
            issued, reported = demo_programs_play(
                admin=admin,
                customer=User.objects.get(username="observer"),
                manager=User.objects.get(username="controller"),
                executors=[User.objects.get(username=name) for name in ("executor", "akimat")],
            )
            indicators = demo_indicators_create(
                centre=User.objects.get(username="controller"),
                astana_office=User.objects.get(username="akimat"),
            )
        collected = demo_monitoring(admin)
        if collected:
            self.stdout.write(f"Monitoring: {collected} publications collected from demo sources.")
        if filed:
            self.stdout.write(f"Civic Control: {filed} demo reports filed in Astana.")
        self.stdout.write(f"Indicators: {indicators}, with values, a survey and computed figures.")
        if initiated:
            self.stdout.write(f"Civic initiatives: {initiated} demo initiatives in Astana.")
        if nominated:
            self.stdout.write(
                f"Generous Heart: this year's Astana cycle, {nominated} nominees, the vote open;"
                " last year's with its results, certificates and a story."
            )
        if events:
            self.stdout.write(
                f"Public events: {events} demo events in Astana (one waiting for moderation)."
            )
        if moved or sent:
            self.stdout.write(
                f"Control: {moved} deadlines moved around today, {sent} demo reports sent."
            )
        if issued:
            self.stdout.write(
                f"Programs: {issued} project tasks issued on the program of 002, {reported}"
                " reported (one accepted, one returned); project roles on its first sub-program."
            )
        site = _site(options["port"])
        self.stdout.write("")
        self.stdout.write(f"Demo users (log in at {site}/accounts/login/):")
        for username, password, role_names, email, where in lines:
            self.stdout.write(
                f"  {username:<11} {password:<14} {role_names:<14} {email:<27} {where}"
            )
        self.stdout.write(
            f"The citizen can also log in by e-mail at {site}/civic/accounts/login/ ."
        )
