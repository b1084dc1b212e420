"""What reminders say, in the recipient's language and the words of the glossary
(«бақылау мерзімі» / «контрольный срок», «орындалуы туралы ақпарат» / «информация об
исполнении»). The texts are stored with each notification as they were on the day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.control.models import Obligation
from jospar.core.models import NotificationKind, pick_lang


def obligation_path(obligation: Obligation) -> str:
    """Where a notification about an obligation opens: the obligation's own page, with its
    status, its report form and its history (the executor, and the head, may open it)."""
    return reverse("control:obligation", args=[obligation.pk])


def notice_path(obligation: Obligation) -> str:
    """Where a reminder opens: a status report's own page (where the office writes it), or
    the obligation's page."""
    if obligation.status_report_id is not None:
        return reverse("control:status-report", args=[obligation.status_report_id])
    return obligation_path(obligation)


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _deadline(obligation: Obligation) -> dt.date:
    return obligation.deadline or obligation.due_on


def is_reopened(obligation: Obligation) -> bool:
    """Returned for revision and not submitted again since."""
    o = obligation
    return o.returned_at is not None and (o.submitted_at is None or o.submitted_at < o.returned_at)


def obligation_item(obligation: Obligation, lang: str) -> dict[str, Any]:
    """The facts every message about an obligation shows, in ``lang``."""
    o = obligation
    organisation = ""
    if o.organisation is not None:
        organisation = pick_lang(o.organisation, "name", lang) or str(o.organisation)
    if not organisation and o.executor is not None:
        organisation = pick_lang(o.executor, "code", lang)
    task = o.project_task
    report = o.status_report
    if report is not None:
        if not organisation and o.region is not None:
            organisation = pick_lang(o.region, "name", lang) or str(o.region)
        number = f"{_date(report.period_start)}–{_date(report.period_end)}"
        title = _("Status report for %(period)s") % {"period": number}
        source = pick_lang(report.program, "title", lang)
    elif task is not None:
        number, title = f"№{task.pk}", task.title
        source = " · ".join(
            t
            for t in (pick_lang(task.program, "title", lang), pick_lang(task.node, "name", lang))
            if t
        )
    else:
        assert o.activity is not None
        number = o.activity.number
        title = pick_lang(o.activity, "title", lang)
        source = pick_lang(o.activity.plan, "title", lang)
    return {
        "obligation": o.pk,
        "number": number,
        "activity": title,
        "plan": source,
        "deadline": _date(_deadline(o)),
        "deadline_iso": _deadline(o).isoformat(),
        "organisation": organisation,
        "returned": is_reopened(o),
        "url": notice_path(o),
    }


def obligation_notice(
    obligation: Obligation, kind: str, days: int, lang: str
) -> tuple[str, str, dict[str, Any]]:
    """Title, text and details of one reminder about one obligation, in ``lang``."""
    with translation.override(lang):
        item = obligation_item(obligation, lang)
        if obligation.status_report_id is not None:
            return _status_report_notice(item, kind, days)
        number = item["number"]
        if kind == NotificationKind.BEFORE:
            title = ngettext(
                "Control deadline in %(days)d working day: activity %(number)s",
                "Control deadline in %(days)d working days: activity %(number)s",
                days,
            ) % {"days": days, "number": number}
            note = ngettext(
                "%(days)d working day left until the control deadline.",
                "%(days)d working days left until the control deadline.",
                days,
            ) % {"days": days}
        elif kind == NotificationKind.DUE:
            title = _("Control deadline today: activity %(number)s") % {"number": number}
            note = _("The execution report is due today.")
        else:
            if kind == NotificationKind.OVERDUE_HEAD:
                title = _("Your organisation missed the control deadline: activity %(number)s")
            else:
                title = _("Control deadline missed: activity %(number)s")
            title = title % {"number": number}
            note = ngettext(
                "No execution report has been submitted; %(days)d working day overdue.",
                "No execution report has been submitted; %(days)d working days overdue.",
                days,
            ) % {"days": days}
        notes = [note]
        if is_reopened(obligation):
            notes.append(
                _(
                    "The execution report was returned for revision; the control deadline shown "
                    "is the current one."
                )
            )
        if obligation.lead_obligation_id is not None:
            notes.append(_("Your input goes to the lead executor, who reports for all."))
        item["note"] = " ".join(notes)
        body = "\n".join(
            [
                _("Plan: %(plan)s") % {"plan": item["plan"]},
                _("Activity %(number)s: %(title)s") % {"number": number, "title": item["activity"]},
                _("Control deadline: %(date)s") % {"date": item["deadline"]},
                _("Executor: %(organisation)s") % {"organisation": item["organisation"]},
                item["note"],
            ]
        )
    return title, body, item


def _status_report_notice(
    item: dict[str, Any], kind: str, days: int
) -> tuple[str, str, dict[str, Any]]:
    """A reminder to a regional project office of its status report (in the active language)."""
    names = {"period": item["number"], "office": item["organisation"]}
    if kind == NotificationKind.BEFORE:
        title = ngettext(
            "Status report due in %(days)d working day: %(office)s, %(period)s",
            "Status report due in %(days)d working days: %(office)s, %(period)s",
            days,
        ) % {**names, "days": days}
        note = ngettext(
            "%(days)d working day left until the status report is due.",
            "%(days)d working days left until the status report is due.",
            days,
        ) % {"days": days}
    elif kind == NotificationKind.DUE:
        title = _("Status report due today: %(office)s, %(period)s") % names
        note = _("The status report is due today.")
    else:
        title = _("Status report overdue: %(office)s, %(period)s") % names
        note = ngettext(
            "The status report has not been sent; %(days)d working day overdue.",
            "The status report has not been sent; %(days)d working days overdue.",
            days,
        ) % {"days": days}
    notes = [note]
    if item.get("returned"):
        notes.append(_("The centre returned the report; send it again after revising it."))
    item["note"] = " ".join(notes)
    body = "\n".join(
        [
            _("Program: %(program)s") % {"program": item["plan"]},
            str(item["activity"]),
            _("Control deadline: %(date)s") % {"date": item["deadline"]},
            _("Project office: %(office)s") % names,
            item["note"],
        ]
    )
    return title, body, item


def _line(item: dict[str, Any]) -> str:
    return _("%(number)s. %(activity)s — %(organisation)s, control deadline %(date)s") % {
        "number": item["number"],
        "activity": item["activity"][:160],
        "organisation": item["organisation"],
        "date": item["deadline"],
    }


def digest_notice(
    *,
    day: dt.date,
    lang: str,
    overdue: list[Obligation],
    overdue_count: int,
    overdue_total: int,
    review: list[Obligation],
    review_count: int,
    review_new: int,
    schedule_url: str,
) -> tuple[str, str, dict[str, Any]]:
    """A controller's digest of the day, in ``lang``: counts, the first items, links."""
    with translation.override(lang):
        title = _(
            "Daily digest for %(date)s: %(overdue)d newly overdue, %(review)d awaiting review"
        ) % {"date": _date(day), "overdue": overdue_count, "review": review_count}
        sections: list[dict[str, Any]] = []
        for heading, obligations, count in (
            (
                _("Control deadline passed without an execution report: %(count)d")
                % {"count": overdue_count},
                overdue,
                overdue_count,
            ),
            (
                _("Execution reports awaiting review: %(count)d (new: %(new)d)")
                % {"count": review_count, "new": review_new},
                review,
                review_count,
            ),
        ):
            if not count:
                continue
            items = [obligation_item(o, lang) for o in obligations]
            for item in items:
                item["text"] = _line(item)
            more = count - len(items)
            sections.append(
                {
                    "heading": heading,
                    "items": items,
                    "more": (_("…and %(count)d more") % {"count": more}) if more > 0 else "",
                }
            )
        total = _("Overdue in total in your plans: %(count)d") % {"count": overdue_total}
        lines: list[str] = []
        for section in sections:
            lines.append(str(section["heading"]))
            lines.extend(f"  {item['text']}" for item in section["items"])
            if section["more"]:
                lines.append(f"  {section['more']}")
        lines.append(total)
        data = {
            "date": _date(day),
            "sections": sections,
            "total": total,
            "schedule_url": schedule_url,
            "overdue_count": overdue_count,
            "review_count": review_count,
        }
    return title, "\n".join(lines), data
