"""Writing down a project task ("жобалық тапсырма"): who it goes to, resolved against the
directory, what is required, by when. Putting it on control (its obligations) is the control
app's: `jospar.control.services.project_tasks` calls these in its own transaction."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.matching import organisation_candidates
from jospar.core.models import Organisation, Region, User
from jospar.core.selectors.directory import organisation_by_code
from jospar.programs.models import (
    TASK_NODES,
    NodeKind,
    ProgramNode,
    ProjectTask,
    ProjectTaskAddressee,
    ProjectTaskKind,
)
from jospar.programs.policy import may
from jospar.programs.roles import Action

MAX_ADDRESSEES = 10
MAX_ITEMS = 30
_AGREEMENT = re.compile(r"\(?\s*(?:по\s+согласовани\w*|келісім\s+бойынша)\s*\)?", re.IGNORECASE)


@dataclass(frozen=True)
class Addressee:
    text: str
    organisation: Organisation
    by_agreement: bool


def resolve_addressee(lang: str, text: str) -> Organisation | None:
    """The one live body the directory knows by this name or abbreviation."""
    found = organisation_by_code(lang, text)
    if found is not None:
        return found
    name = text.strip()
    matches = list(
        Organisation.objects.filter(merged_into__isnull=True, valid_to__isnull=True)
        .filter(
            Q(name_kk__iexact=name)
            | Q(name_ru__iexact=name)
            | Q(name_en__iexact=name)
            | Q(abbr_kk__iexact=name)
            | Q(abbr_ru__iexact=name)
        )
        .distinct()[:2]
    )
    return matches[0] if len(matches) == 1 else None


def resolve_addressees(lang: str, texts: list[str]) -> list[Addressee]:
    wanted = [t.strip() for t in texts if t.strip()]
    if not wanted:
        message = _("Name the state body the task goes to.")
        raise ServiceError("addressee_required", message, {"addressees": [message]})
    if len(wanted) > MAX_ADDRESSEES:
        message = _("A task goes to at most %(n)s bodies.") % {"n": MAX_ADDRESSEES}
        raise ServiceError("too_many_addressees", message, {"addressees": [message]})
    out: list[Addressee] = []
    for text in wanted:
        by_agreement = bool(_AGREEMENT.search(text))
        name = _AGREEMENT.sub("", text).strip(" ,;")
        organisation = resolve_addressee(lang, name)
        if organisation is None:
            guesses = organisation_candidates([("", name)]).get(("", name), [])
            hint = "; ".join(str(c.organisation) for c in guesses)
            message = _("The directory does not know “%(name)s”.") % {"name": name}
            if hint:
                message += " " + _("Did you mean: %(names)s?") % {"names": hint}
            raise ServiceError("unknown_addressee", message, {"addressees": [message]})
        if any(a.organisation.pk == organisation.pk for a in out):
            continue
        out.append(Addressee(text=text[:500], organisation=organisation, by_agreement=by_agreement))
    return out


def _items(items: list[str]) -> list[str]:
    cleaned = [i.strip() for i in items if i and i.strip()]
    if not cleaned:
        message = _("Say what is required: at least one item.")
        raise ServiceError("items_required", message, {"required_items": [message]})
    if len(cleaned) > MAX_ITEMS:
        message = _("At most %(n)s items.") % {"n": MAX_ITEMS}
        raise ServiceError("too_many_items", message, {"required_items": [message]})
    return cleaned


def task_region(addressees: list[Addressee], region: Region | None) -> Region | None:
    """The region the task is for: the one given, else the lead akimat's."""
    if region is not None:
        return region
    lead = addressees[0].organisation
    return lead.region if lead.region_id is not None else None


def project_task_create(
    *,
    actor: User,
    node: ProgramNode,
    addressees: list[str],
    required_items: list[str],
    deadline: dt.date | None,
    contact: str = "",
    prepared_by_name: str = "",
    prepared_by_title: str = "",
    lang: str = "kk",
    region: Region | None = None,
    today: dt.date | None = None,
) -> ProjectTask:
    """A project task on a node of the tree. Run inside the caller's transaction (the control
    service that puts it on control)."""
    if node.kind not in TASK_NODES:
        message = _("A project task is issued on a sub-program, base project or project.")
        raise ServiceError("wrong_node", message)
    resolved = resolve_addressees(lang, addressees)
    items = _items(required_items)
    if deadline is None:
        message = _("Give the deadline.")
        raise ServiceError("deadline_required", message, {"deadline": [message]})
    if today is not None and deadline < today:
        message = _("The deadline has already passed.")
        raise ServiceError("deadline_past", message, {"deadline": [message]})
    where = task_region(resolved, region)
    region_id = where.pk if where is not None else None
    if not may(actor, Action.ISSUE_TASK, node=node, region_id=region_id):
        raise PermissionRefused(
            "not_manager",
            _("Only a manager of this part of the program may issue its project tasks."),
        )
    return _create(
        actor=actor,
        node=node,
        kind=ProjectTaskKind.TASK,
        addressees=resolved,
        items=items,
        deadline=deadline,
        contact=contact,
        prepared_by_name=prepared_by_name or actor.get_full_name() or actor.username,
        prepared_by_title=prepared_by_title or _("Sub-program manager"),
        lang=lang,
        region=where,
    )


def _create(
    *,
    actor: User,
    node: ProgramNode,
    kind: str,
    addressees: list[Addressee],
    items: list[str],
    deadline: dt.date,
    contact: str,
    prepared_by_name: str,
    prepared_by_title: str,
    lang: str,
    region: Region | None,
) -> ProjectTask:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("project tasks are created inside the control service's transaction")
    task = ProjectTask.objects.create(
        program_id=node.program_id,
        node=node,
        kind=kind,
        lang=lang,
        region=region,
        required_items=items,
        deadline=deadline,
        contact=contact[:2000],
        prepared_by_name=prepared_by_name[:300],
        prepared_by_title=prepared_by_title[:300],
        issued_by=actor,
    )
    ProjectTaskAddressee.objects.bulk_create(
        ProjectTaskAddressee(
            task=task,
            position=i + 1,
            text=a.text,
            organisation=a.organisation,
            lead=(i == 0 and len(addressees) > 1),
            by_agreement=a.by_agreement,
        )
        for i, a in enumerate(addressees)
    )
    audit_record(
        actor=actor,
        action="program.task_issued" if kind == ProjectTaskKind.TASK else "program.event_tracked",
        object_type="programs.ProjectTask",
        object_id=task.pk,
        after={
            "node": node.pk,
            "kind": kind,
            "addressees": [a.organisation.pk for a in addressees],
            "items": items,
            "deadline": deadline.isoformat(),
            "region": region.pk if region is not None else None,
        },
    )
    return task


def key_event_track(
    *,
    actor: User,
    event: ProgramNode,
    owner: str,
    lang: str = "kk",
    region: Region | None = None,
) -> ProjectTask:
    """Track a key event with a date: its owner reports that it took place, the project's
    manager accepts. Run inside the caller's transaction."""
    if event.kind != NodeKind.KEY_EVENT:
        raise ServiceError("not_key_event", _("Only a key event is tracked this way."))
    if event.due_on is None:
        message = _("Give the key event its date first.")
        raise ServiceError("date_required", message, {"due_on": [message]})
    resolved = resolve_addressees(lang, [owner])
    where = task_region(resolved, region)
    region_id = where.pk if where is not None else None
    if not may(actor, Action.ISSUE_TASK, node=event, region_id=region_id):
        raise PermissionRefused(
            "not_manager",
            _("Only a manager of this part of the program may put its key events on control."),
        )
    if ProjectTask.objects.filter(
        node=event, kind=ProjectTaskKind.KEY_EVENT, in_force=True
    ).exists():
        raise ServiceError("already_tracked", _("This key event is already on control."))
    return _create(
        actor=actor,
        node=event,
        kind=ProjectTaskKind.KEY_EVENT,
        addressees=resolved,
        items=[event.name],
        deadline=event.due_on,
        contact="",
        prepared_by_name=actor.get_full_name() or actor.username,
        prepared_by_title="",
        lang=lang,
        region=where,
    )
