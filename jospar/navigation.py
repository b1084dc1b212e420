"""Where each person lands and what the main menu offers them, decided in one place.

The menu spans every app (plans, control, the citizen portal, the administration), so it lives
above them all, like ``jospar.api_urls``. Each entry is shown only to someone its page lets in:
the same access functions the views call decide both, so a menu entry never leads to a refusal.

Landing (after logging in and at ``/``): each role goes to its own work — an administrator to the
plan import, a controller or an executor to "Today", an akimat's official to the queue, a
moderator to moderation, an observer to the discipline dashboard, a person holding only a
project role to the programs, a citizen to the portal. A person with several roles lands on the
first of these that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from jospar.civic.access import can_moderate, is_civic_official
from jospar.control.access.discipline import can_see_discipline_overview, own_organisation_id
from jospar.control.sources import reviewed_tasks_q
from jospar.core.models import User
from jospar.indicators.access import can_read_indicators
from jospar.initiatives.access.initiatives import is_coordinator
from jospar.media.access import can_read_monitoring
from jospar.plans.access import can_import_plans, can_see_all_plans, is_controller, is_executor
from jospar.programs.access import reads_some_program


@dataclass(frozen=True)
class MenuEntry:
    key: str  # the link's id is ``nav-<key>``
    label: Any  # a lazy translation, rendered in the reader's language
    url: str


def _signed_in(user: Any) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def has_work_today(user: User) -> bool:
    """The "Today" page: an executor's obligations, a controller's reports to review."""
    return is_executor(user) or is_controller(user)


def landing_url(user: Any) -> str:
    """The page a person starts from: the first of their roles' own pages."""
    person = _signed_in(user)
    if person is None:
        return reverse("home")
    if can_import_plans(person):
        return reverse("plans:upload")
    if has_work_today(person):
        return reverse("control:today")
    if is_civic_official(person):
        return reverse("civic:queue")
    if can_moderate(person):
        return reverse("civic:moderation")
    if can_see_discipline_overview(person):
        return reverse("control:discipline")
    if reads_some_program(person):
        return reverse("programs:list")
    return reverse("civic:map")


def _discipline_url(user: User) -> str:
    if can_see_discipline_overview(user):
        return reverse("control:discipline")
    if is_executor(user):
        own = own_organisation_id(user)
        if own is not None:
            return reverse("control:discipline-organisation", args=[own])
    return ""


def menu_for(user: Any) -> list[MenuEntry]:
    """The main menu's entries this person may use, in the menu's order."""
    person = _signed_in(user)
    civic = MenuEntry("civic", _("Civic Control"), reverse("civic:map"))
    initiatives = MenuEntry("initiatives", _("Civic initiatives"), reverse("initiatives:map"))
    events = MenuEntry("events", _("Public events"), reverse("events:month"))
    if person is None:
        return [civic, initiatives, events]
    entries: list[MenuEntry] = []
    executor = is_executor(person)
    controller = is_controller(person)
    reads_all = can_see_all_plans(person)
    if executor or controller:
        entries.append(MenuEntry("today", _("Today"), reverse("control:today")))
    if executor:
        entries.append(
            MenuEntry(
                "my-obligations",
                _("My obligations"),
                f"{reverse('control:obligations')}?organisation={person.organisation_id}",
            )
        )
    if controller or reviewed_tasks_q(person) is not None:
        entries.append(MenuEntry("review", _("Review"), reverse("control:review")))
    if controller or reads_all:
        entries.append(MenuEntry("schedule", _("Control schedule"), reverse("control:obligations")))
    if executor or controller or reads_all:
        entries.append(MenuEntry("plans", _("Plans"), reverse("plans:list")))
    if reads_some_program(person):
        entries.append(MenuEntry("programs", _("Programs"), reverse("programs:list")))
    if can_read_indicators(person):
        entries.append(MenuEntry("indicators", _("Indicators"), reverse("indicators:dashboard")))
    if can_read_monitoring(person):
        entries.append(MenuEntry("monitoring", _("Monitoring"), reverse("media:publications")))
    discipline = _discipline_url(person)
    if discipline:
        entries.append(MenuEntry("discipline", _("Discipline"), discipline))
    if executor or controller or reads_all:
        entries.append(MenuEntry("directory", _("Directory"), reverse("directory")))
    if is_civic_official(person):
        entries.append(MenuEntry("akimat-queue", _("Akimat's queue"), reverse("civic:queue")))
    if can_moderate(person):
        entries.append(MenuEntry("moderation", _("Moderation"), reverse("civic:moderation")))
    entries.append(civic)
    entries.append(initiatives)
    entries.append(events)
    if is_coordinator(person):
        entries.append(
            MenuEntry(
                "initiatives-queue", _("Initiatives to decide on"), reverse("initiatives:queue")
            )
        )
    if can_import_plans(person):
        entries.append(MenuEntry("import", _("Import a plan"), reverse("plans:upload")))
        entries.append(MenuEntry("calendar", _("Working-day calendar"), reverse("calendar")))
    if person.is_staff:
        # Django's admin lets in staff only: an administrator by role alone is not.
        entries.append(MenuEntry("admin", _("Administration"), reverse("admin:index")))
    return entries


def navigation(request: Any) -> dict[str, Any]:
    """Context processor: the menu, computed only by a page that shows it."""
    return {"main_menu": SimpleLazyObject(lambda: menu_for(getattr(request, "user", None)))}
