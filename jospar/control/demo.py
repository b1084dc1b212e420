"""The control loop for `jospar demo`, played through the services so that the lists show a real
mix instead of a wall of red.

The seed plans are real plans of 2015–2016: imported as they are, every obligation is long
overdue. Their text is not rewritten (a demo that shows a forged plan teaches nothing). Instead
the demo does what people would do, through the same services as the pages, with its reasons
saying so:

- the controller extends the deadlines of an executor's latest obligations to dates around
  today (some due within days, some later);
- the executor reports on some of them in time, and the controller accepts some, returns one
  with a new date, and leaves the others awaiting review;
- the executor reports late on most of the old obligations, and the controller accepts them:
  the rest stay overdue.

A second run finds the executor's reports and does nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jospar.control.models import ExecutionReport, Obligation
from jospar.control.selectors import in_force
from jospar.control.services_decisions import deadline_extend
from jospar.control.services_reports import report_draft_save, report_submit
from jospar.control.services_review import report_accept, report_return
from jospar.core.errors import ServiceError
from jospar.core.models import User

REASON = "jospar demo: the deadline moved so that the demo shows work around today"
TEXT = (
    "Іс-шара жоспарға сәйкес орындалды. / Мероприятие выполнено в соответствии с планом.\n"
    "(jospar demo)"
)
# What happens to the executor's latest obligations, by days from today of the new deadline.
# "submit": reported before the deadline; "accept"/"return": then decided by the controller.
CURRENT = [
    (2, ""),
    (4, ""),
    (6, ""),
    (12, ""),
    (25, ""),
    (40, ""),
    (9, "submit"),
    (11, "submit"),
    (14, "accept"),
    (16, "accept"),
    (10, "return"),
]


def _report(executor: User, obligation: Obligation) -> ExecutionReport:
    draft = report_draft_save(actor=executor, obligation=obligation, text=TEXT, lang="kk")
    return report_submit(actor=executor, report=draft)


def _play(controller: User, executor: User, on: dt.date) -> int:
    owed = list(
        Obligation.objects.filter(
            in_force(),
            organisation_id=executor.organisation_id,
            lead_obligation__isnull=True,
            accepted_at__isnull=True,
            submitted_at__isnull=True,
        )
        .select_related("activity", "activity__plan")
        .order_by("-deadline", "-id")
    )
    current, old = owed[: len(CURRENT)], owed[len(CURRENT) :]
    done = 0
    for obligation, (days, step) in zip(current, CURRENT, strict=False):
        try:
            deadline_extend(
                actor=controller,
                activity=obligation.activity,
                obligation=obligation,
                new_deadline=on + dt.timedelta(days=days),
                reason=REASON,
            )
            if step:
                report = _report(executor, obligation)
                if step == "accept":
                    report_accept(actor=controller, report=report, comment="jospar demo")
                elif step == "return":
                    report_return(
                        actor=controller,
                        report=report,
                        comment="Қосымша құжаттарды тіркеңіз. / Приложите подтверждающие документы.",
                        new_deadline=on + dt.timedelta(days=5),
                    )
            done += 1
        except ServiceError:
            continue
    # Of the old obligations, two in three reported late and accepted; one in three overdue.
    for index, obligation in enumerate(old):
        if index % 3 == 2:
            continue
        try:
            report = _report(executor, obligation)
            if index % 6 != 1:
                report_accept(actor=controller, report=report, comment="jospar demo")
            done += 1
        except ServiceError:
            continue
    return done


def demo_control_play(*, controller: User, executors: list[User]) -> int:
    """Plays the loop once for each executor with no report yet; returns the steps done."""
    on = timezone.localdate()
    done = 0
    for executor in executors:
        if ExecutionReport.objects.filter(author=executor).exists():
            continue
        done += _play(controller, executor, on)
    return done
