"""The control loop for `jospar demo`, played through the services so that the lists show a real
mix instead of a wall of red.

The seed plans are real plans of 2015–2016: imported as they are, every obligation is long
overdue. Their text is not rewritten (a demo that shows a forged plan teaches nothing). Instead
the demo does what people would do, through the same services as the pages, with its reasons
saying so:

- the controller extends every open deadline of each plan by the same whole number of weeks, so
  that two fifths of the schedule lies behind today and the rest ahead (``plan_schedule_shift``,
  each decision giving the demo as its reason);
- the demo executors report late on most of what is behind (the controller accepts most of it;
  a third stays overdue) and report in time on a few of what is ahead: one is returned with a
  new date, two wait for review, two are accepted. Each report gives the evidence its
  activity's form of completion asks for (a document, a publication, an event's photos, or why
  there are none).

A second run finds the executor's reports and does nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from typing import IO

from django.utils import timezone

from jospar.control.models import ControlDecision, EvidenceKind, ExecutionReport, Obligation
from jospar.control.selectors.obligations import in_force
from jospar.control.services.evidence import EvidenceInput, report_evidence_add, required_kinds
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept, report_return
from jospar.control.services.schedule_shift import MAX_WEEKS, plan_schedule_shift
from jospar.control.status import due_soon_days
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.plans.models import Plan

REASON = (
    "jospar demo: the seed plans are of 2015-2016; their deadlines are moved by whole weeks so"
    " that the demo's schedule runs around today"
)
TEXT = (
    "Іс-шара жоспарға сәйкес орындалды. / Мероприятие выполнено в соответствии с планом.\n"
    "(jospar demo)"
)
# Where today falls in each plan's schedule once moved: about two fifths of it behind.
SHARE_BEHIND = 0.4


@functools.cache
def _document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Орындалуы туралы ақпарат / Информация об исполнении (jospar demo)")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (0, 114, 143)).save(out, "PNG")
    return out.getvalue()


def _evidence(executor: User, draft: ExecutionReport, on: dt.date, index: int) -> None:
    """What the activity's form of completion asks for, as an executor would give it; every
    seventh report says why its event has no photos instead (the controller then comments)."""
    for kind in required_kinds(draft.obligation):
        files: list[tuple[IO[bytes], str]] = []
        if kind == EvidenceKind.INFORMATION:
            data = EvidenceInput(kind=kind)
            files = [(io.BytesIO(_document()), "aqparat.docx")]
        elif kind == EvidenceKind.ACT:
            data = EvidenceInput(kind=kind, number=f"{100 + index}-demo", date=on)
            files = [(io.BytesIO(_document()), "buiryq.docx")]
        elif kind == EvidenceKind.DRAFT_LAW:
            data = EvidenceInput(kind=kind, url="https://legalacts.egov.kz/")
        elif kind == EvidenceKind.MEDIA:
            data = EvidenceInput(
                kind=kind, url="https://www.inform.kz/", outlet="Kazinform", date=on
            )
        elif index % 7 == 3:
            data = EvidenceInput(
                kind=kind,
                missing_reason="Іс-шара онлайн өтті. / Мероприятие прошло онлайн (jospar demo).",
            )
        else:
            data = EvidenceInput(kind=kind, date=on, place="Астана", participants=40 + index)
            files = [(io.BytesIO(_photo()), "photo.png")]
        report_evidence_add(actor=executor, report=draft, data=data, files=files)


def _report(executor: User, obligation: Obligation, on: dt.date, index: int) -> ExecutionReport:
    draft = report_draft_save(actor=executor, obligation=obligation, text=TEXT, lang="kk")
    _evidence(executor, draft, on, index)
    return report_submit(actor=executor, report=draft)


def _shift(controller: User, on: dt.date) -> int:
    """Moves every open deadline of each plan by the same whole number of weeks (weekdays
    stay weekdays), through ``plan_schedule_shift``, so that today falls inside the schedule."""
    moved = 0
    for plan in Plan.objects.order_by("id"):
        owed = list(
            Obligation.objects.filter(
                in_force(),
                activity__plan=plan,
                accepted_at__isnull=True,
                submitted_at__isnull=True,
                deadline__isnull=False,
            )
            .order_by("deadline", "id")
            .values_list("deadline", flat=True)
        )
        if not owed:
            continue
        # The deadline two fifths into the schedule lands within the coming week.
        pivot = owed[int(len(owed) * SHARE_BEHIND)]
        assert pivot is not None
        weeks = -((pivot - on).days // 7)
        if weeks <= 0:
            continue
        try:
            moved += plan_schedule_shift(
                actor=controller, plan=plan, weeks=min(weeks, MAX_WEEKS), reason=REASON
            )
        except ServiceError:
            continue
    return moved


def _play(controller: User, executor: User, on: dt.date) -> int:
    """The executor reports, the controller decides: most of what is past is reported late
    (and mostly accepted), a third stays overdue; of what is ahead, one report is returned,
    two wait for review, two are accepted, the rest are not yet due."""
    owed = list(
        Obligation.objects.filter(
            in_force(),
            organisation_id=int(executor.organisation_id or 0),
            lead_obligation__isnull=True,
            accepted_at__isnull=True,
            submitted_at__isnull=True,
            deadline__isnull=False,
        ).order_by("deadline", "id")
    )
    past = [o for o in owed if o.deadline is not None and o.deadline < on]
    # What is due within the coming days is left to do: the "Today" page shows it.
    soon = on + dt.timedelta(days=due_soon_days())
    ahead = [o for o in owed if o.deadline is not None and o.deadline > soon]
    steps = 0
    for index, obligation in enumerate(past):
        if index % 3 == 2:
            continue
        try:
            report = _report(executor, obligation, on, index)
            if index % 6 != 1:
                report_accept(actor=controller, report=report, comment="jospar demo")
            steps += 1
        except ServiceError:
            continue
    plan = ["return", "submit", "submit", "accept", "accept"]
    for index, (obligation, step) in enumerate(zip(ahead, plan, strict=False)):
        try:
            report = _report(executor, obligation, on, index)
            if step == "accept":
                report_accept(actor=controller, report=report, comment="jospar demo")
            elif step == "return":
                report_return(
                    actor=controller,
                    report=report,
                    comment="Қосымша құжаттарды тіркеңіз. / Приложите подтверждающие документы.",
                    new_deadline=on + dt.timedelta(days=5),
                )
            steps += 1
        except ServiceError:
            continue
    return steps


def demo_control_play(*, controller: User, executors: list[User]) -> tuple[int, int]:
    """Moves the schedule once, and plays the loop once for each executor with no report yet;
    returns (deadlines moved, reports sent). A second run does nothing."""
    on = timezone.localdate()
    moved = 0
    if not ControlDecision.objects.filter(reason=REASON).exists():
        moved = _shift(controller, on)
    sent = 0
    for executor in executors:
        if ExecutionReport.objects.filter(author=executor).exists():
            continue
        sent += _play(controller, executor, on)
    return moved, sent
