"""Project tasks on control: a manager's task (or a key event with a date) becomes obligations
of the same control loop as a plan's activities — one per body it goes to, due on its
deadline; a co-executor's obligation sends its input to the lead's. Reports, files, the
manager's accept/return, reminders and discipline figures then work as for any obligation
(`sources.py` says who reviews)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_kept
from jospar.control.models import Obligation
from jospar.control.services.common import local_today, require_reason
from jospar.control.sources import can_review_task
from jospar.core.audit import audit_record
from jospar.core.calendar import next_working_day
from jospar.core.errors import PermissionRefused
from jospar.core.models import Region, User
from jospar.programs.models import ProgramNode, ProjectTask
from jospar.programs.services.tasks import key_event_track, project_task_create


def _schedule(actor: User, task: ProjectTask) -> list[Obligation]:
    """The task's obligations: one per addressee, the co-executors' pointing at the lead's."""
    addressees = list(task.addressees.select_related("organisation").order_by("position"))
    with counts_kept(Q(project_task=task)):
        made = [
            Obligation.objects.create(
                project_task=task,
                organisation=a.organisation,
                region_id=a.organisation.region_id,
                due_on=task.deadline,
                deadline=next_working_day(task.deadline),
            )
            for a in addressees
        ]
        lead = next((o for o, a in zip(made, addressees, strict=True) if a.lead), None)
        if lead is not None:
            others = [o.pk for o in made if o.pk != lead.pk]
            Obligation.objects.filter(pk__in=others).update(lead_obligation=lead)
    audit_record(
        actor=actor,
        action="project_task.put_on_control",
        object_type="programs.ProjectTask",
        object_id=task.pk,
        after={"obligations": [o.pk for o in made]},
    )
    return made


def project_task_issue(
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
) -> ProjectTask:
    """A manager issues a project task: it is written down and put on control at once."""
    with transaction.atomic():
        task = project_task_create(
            actor=actor,
            node=node,
            addressees=addressees,
            required_items=required_items,
            deadline=deadline,
            contact=contact,
            prepared_by_name=prepared_by_name,
            prepared_by_title=prepared_by_title,
            lang=lang,
            region=region,
            today=local_today(),
        )
        _schedule(actor, task)
    return task


def key_event_put_on_control(
    *,
    actor: User,
    event: ProgramNode,
    owner: str,
    lang: str = "kk",
    region: Region | None = None,
) -> ProjectTask:
    """A key event with a date: its owner reports that it took place, the manager accepts."""
    with transaction.atomic():
        task = key_event_track(actor=actor, event=event, owner=owner, lang=lang, region=region)
        _schedule(actor, task)
    return task


def project_task_withdraw(*, actor: User, task: ProjectTask, reason: str) -> ProjectTask:
    """The manager withdraws a task: its open obligations are no longer owed (what was
    reported stays readable)."""
    reason = require_reason(reason)
    if not can_review_task(actor, task):
        raise PermissionRefused(
            "not_manager", _("Only the manager of this project may withdraw its task.")
        )
    with transaction.atomic():
        locked = ProjectTask.objects.select_for_update().get(pk=task.pk)
        if not locked.in_force:
            return locked
        where = Q(project_task=locked, in_force=True, accepted_at__isnull=True)
        with counts_kept(Q(project_task=locked)):
            withdrawn = Obligation.objects.filter(where).update(in_force=False)
        locked.in_force = False
        locked.save(update_fields=["in_force"])
        audit_record(
            actor=actor,
            action="project_task.withdrawn",
            object_type="programs.ProjectTask",
            object_id=locked.pk,
            before={"in_force": True},
            after={"in_force": False, "obligations_withdrawn": withdrawn},
            reason=reason,
        )
    return locked
