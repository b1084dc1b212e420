"""Telling people of the control loop's events that they must act on, each in their own
language, with a letter made for it (``control/email/review_event``):

* a report submitted → the controllers of the plan (its department's, or every controller while
  the plan has no department);
* a co-executor's input received → the lead executor's executors;
* a report returned (with the comment and the new date) or accepted → the people of the executor
  organisation who wrote its versions, and the organisation's head.

Each is a ``Notification`` with a unique event key (the report or review, and the person), written
in the service's transaction; the e-mail is queued for after the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportKind,
    Review,
    ReviewDecision,
)
from jospar.control.reminder_texts import obligation_item
from jospar.control.sources import task_reviewers
from jospar.core.models import Role, User
from jospar.core.selectors.notifications import organisation_heads
from jospar.core.services.notifications import NotificationDraft, notifications_create
from jospar.core.tasks import queue_notification_emails

KIND_SUBMITTED = "report_submitted"
KIND_INPUT = "input_received"
KIND_RETURNED = "report_returned"
KIND_ACCEPTED = "report_accepted"
KINDS = (KIND_SUBMITTED, KIND_INPUT, KIND_RETURNED, KIND_ACCEPTED)
SUBJECT_TYPE = "control.obligation"


def _date(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


# --- who ------------------------------------------------------------------------------------


def plan_controllers(obligation: Obligation) -> list[User]:
    """The controllers who review this plan's reports (a project task's: its managers)."""
    if obligation.project_task is not None:
        return task_reviewers(obligation.project_task)
    assert obligation.activity is not None
    department = obligation.activity.plan.controller_organisation_id
    users = User.objects.filter(is_active=True, role_grants__role=Role.CONTROLLER)
    if department is not None:
        users = users.filter(organisation_id=department)
    return list(users.distinct().order_by("pk"))


def lead_executors(obligation: Obligation) -> list[User]:
    """The executors of the lead organisation a co-executor's input goes to."""
    lead = obligation.lead_obligation
    if lead is None or lead.organisation_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, organisation_id=lead.organisation_id, role_grants__role=Role.EXECUTOR
        )
        .distinct()
        .order_by("pk")
    )


def reporters(obligation: Obligation) -> list[User]:
    """Who wrote the obligation's submitted versions (still in its organisation), and the
    organisation's head."""
    organisation = obligation.organisation_id
    if organisation is None:
        return []
    authors = ExecutionReport.objects.filter(
        obligation=obligation, author__isnull=False, submitted_at__isnull=False
    ).values("author_id")
    people = list(
        User.objects.filter(
            Q(pk__in=authors), is_active=True, organisation_id=organisation
        ).order_by("pk")
    )
    people.extend(organisation_heads([organisation]).get(organisation, []))
    return people


# --- telling ----------------------------------------------------------------------------------


def _tell(
    *,
    recipients: Iterable[User],
    kind: str,
    key: str,
    obligation: Obligation,
    render: Callable[[str], tuple[str, str, dict[str, object]]],
    exclude: int | None,
) -> int:
    people: dict[int, User] = {}
    for user in recipients:
        if user.is_active and user.pk != exclude:
            people.setdefault(user.pk, user)
    drafts = []
    texts: dict[str, tuple[str, str, dict[str, object]]] = {}
    for user in people.values():
        lang = (user.language or "kk")[:2]
        if lang not in texts:
            with translation.override(lang):
                texts[lang] = render(lang)
        title, body, data = texts[lang]
        drafts.append(
            NotificationDraft(
                recipient=user,
                kind=kind,
                event_key=f"{key}:u{user.pk}"[:200],
                event_day=timezone.localdate(),
                title=title,
                body=body,
                url=str(data.get("url", "")),
                subject_type=SUBJECT_TYPE,
                subject_id=obligation.pk,
                data=data,
            )
        )
    written = notifications_create(drafts=drafts, batch=key[:32])
    if written:
        transaction.on_commit(queue_notification_emails)
    return written


def _facts(item: dict[str, object]) -> list[str]:
    return [
        _("Plan: %(plan)s") % {"plan": item["plan"]},
        _("Activity %(number)s: %(title)s") % {"number": item["number"], "title": item["activity"]},
        _("Executor: %(organisation)s") % {"organisation": item["organisation"]},
    ]


def notify_submitted(*, obligation: Obligation, report: ExecutionReport, actor: User) -> int:
    """A report (to the controllers) or a co-executor's input (to the lead) was submitted."""
    if report.kind == ReportKind.INPUT:
        recipients, kind = lead_executors(obligation), KIND_INPUT
    else:
        recipients, kind = plan_controllers(obligation), KIND_SUBMITTED

    def render(lang: str) -> tuple[str, str, dict[str, object]]:
        item: dict[str, object] = obligation_item(obligation, lang)
        facts = {"number": item["number"], "organisation": item["organisation"]}
        if kind == KIND_INPUT:
            title = _("Co-executor's input received: activity %(number)s, %(organisation)s")
            note = _("Take it into account in the consolidated execution report.")
            lead = obligation.lead_obligation
            if lead is not None:
                item["url"] = obligation_item(lead, lang)["url"]
        else:
            title = _("Execution report submitted: activity %(number)s, %(organisation)s")
            note = _("The execution report awaits your review.")
        lines = [
            *_facts(item),
            _("Control deadline: %(date)s") % {"date": item["deadline"]},
            _("Submitted: %(date)s") % {"date": _date(obligation.submitted_on)},
            note,
        ]
        item["note"] = note
        return title % facts, "\n".join(lines), item

    return _tell(
        recipients=recipients,
        kind=kind,
        key=f"report:{report.pk}:submitted",
        obligation=obligation,
        render=render,
        exclude=actor.pk,
    )


def notify_reviewed(*, obligation: Obligation, review: Review, actor: User) -> int:
    """The controller returned the report (with the comment and the new date) or accepted it."""
    returned = review.decision == ReviewDecision.RETURNED

    def render(lang: str) -> tuple[str, str, dict[str, object]]:
        item: dict[str, object] = obligation_item(obligation, lang)
        number = {"number": item["number"]}
        lines = _facts(item)
        if returned:
            title = _("Execution report returned for revision: activity %(number)s") % number
            lines.append(_("Comment of the controller: %(comment)s") % {"comment": review.comment})
            lines.append(_("New control deadline: %(date)s") % {"date": item["deadline"]})
            item["note"] = _("Revise the execution report and submit it again.")
        else:
            title = _("Execution report accepted: activity %(number)s") % number
            if review.comment:
                lines.append(
                    _("Comment of the controller: %(comment)s") % {"comment": review.comment}
                )
            item["note"] = _("The controller accepted the execution report.")
        lines.append(str(item["note"]))
        item["comment"] = review.comment
        return title, "\n".join(lines), item

    return _tell(
        recipients=reporters(obligation),
        kind=KIND_RETURNED if returned else KIND_ACCEPTED,
        key=f"review:{review.pk}",
        obligation=obligation,
        render=render,
        exclude=actor.pk,
    )
