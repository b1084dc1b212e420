"""Test data of the report exports: the seed plan «Нация Единого Будущего» in both languages,
people in every role, and reports and reviews written straight into the tables (the services
that write them are another part's)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportEvidence,
    ReportKind,
    ReportLink,
    ReportState,
    Review,
    ReviewDecision,
)
from jospar.control.models_exports import ReportExport
from jospar.control.services.plan_revisions import plan_file_import
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from jospar.plans.models import Activity, Plan

SEEDS = Path(__file__).resolve().parents[2] / "plans" / "demo_seeds"
Q1_2016 = (dt.date(2016, 1, 1), dt.date(2016, 3, 31))

ACCEPTED_TEXT = "Мониторинг проведён: выявлено 1 250 материалов.\nВторой абзац информации."
FORMULA_TEXT = '=HYPERLINK("http://evil.example/","нажмите")'
KAZAKH_TEXT = "Ақпарат әзірленді: ғылыми-әдістемелік құрал, өңірлік үйлестіру, һ і ү ұ ң қ ө"
EVIDENCE_URL = "https://kazinform.kz/news/evidence-1"
EVIDENCE_OUTLET = "ҚазАқпарат"
EVIDENCE_REASON = "Іс-шара онлайн өтті, фотосуреттер жоқ"
LEAD_TEXT = "Сводная информация ведущего исполнителя по медиа-планам."
INPUT_TEXT = "Вклад акимата, не для свода в отчёт."


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def import_seed_plan(*, both_languages: bool = True) -> Plan:
    """The Russian text, then the Kazakh one: one plan with both languages."""
    plan = None
    for prefix in ("001", "000") if both_languages else ("001",):
        path = seed(prefix)
        plan = plan_file_import(actor=None, data=path.read_bytes(), filename=path.name).plan
    assert plan is not None
    return plan


def obligation(plan: Plan, number: str, code_ru: str, due: dt.date) -> Obligation:
    return Obligation.objects.select_related("executor", "activity").get(
        activity__plan=plan, activity__number=number, executor__code_ru=code_ru, due_on=due
    )


def write_report(
    ob: Obligation,
    author: User,
    text: str,
    *,
    state: str = ReportState.SUBMITTED,
    kind: str = ReportKind.REPORT,
    on: dt.date | None = None,
    lang: str = "ru",
) -> ExecutionReport:
    """A submitted (or accepted) report, with the obligation's facts set as the services would."""
    day = on or ob.due_on
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    report = ExecutionReport.objects.create(
        obligation=ob,
        kind=kind,
        version=1,
        state=state,
        lang=lang,
        text=text,
        organisation_id=ob.organisation_id,
        author=author,
        submitted_at=moment,
    )
    ob.submitted_at, ob.submitted_on = moment, day
    if state == ReportState.ACCEPTED:
        ob.accepted_at = moment + dt.timedelta(days=1)
        Review.objects.create(
            report=report,
            decision=ReviewDecision.ACCEPTED,
            comment="Принято.",
            reviewer=author,
            decided_at=ob.accepted_at,
        )
    ob.save(update_fields=["submitted_at", "submitted_on", "accepted_at"])
    return report


@dataclass
class World:
    plan: Plan
    people: dict[str, User | None]
    own: Organisation

    def user(self, role: str) -> User:
        person = self.people[role]
        assert person is not None
        return person


def build_world(make_user: Callable[..., User], *, both_languages: bool = True) -> World:
    plan = import_seed_plan(both_languages=both_languages)
    own = (
        Organisation.objects.filter(activity_roles__code_ru="МКС", merged_into__isnull=True)
        .order_by("id")
        .first()
    )
    assert own is not None
    other = Organisation.objects.create(kind=OrganisationKind.OTHER, name_ru="Посторонний орган")
    people: dict[str, User | None] = {
        "anonymous": None,
        "executor_other": make_user(Role.EXECUTOR, organisation=other, username="exec_other"),
        "executor_own": make_user(Role.EXECUTOR, organisation=own, username="exec_own"),
        "observer": make_user(Role.OBSERVER, username="observer"),
        "controller": make_user(Role.CONTROLLER, username="controller"),
        "administrator": make_user(Role.ADMINISTRATOR, username="administrator"),
    }
    world = World(plan=plan, people=people, own=own)
    author = world.user("administrator")
    # Activity 10: МИР's quarterly report accepted (with a link and an attachment), СЦК silent.
    accepted = write_report(
        obligation(plan, "10", "МИР", dt.date(2016, 1, 5)),
        author,
        ACCEPTED_TEXT,
        state=ReportState.ACCEPTED,
        on=dt.date(2016, 1, 4),
    )
    ReportLink.objects.create(
        report=accepted, url="https://example.kz/news/1", title="Новость на сайте"
    )
    ReportLink.objects.create(report=accepted, url="javascript:alert(1)", title="Опасная ссылка")
    monitoring = ReportAttachment.objects.create(
        report=accepted,
        file="reports/test/monitoring.pdf",
        original_name="monitoring.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    # Its evidence of completion: a publication, the document, and a reason for no event.
    ReportEvidence.objects.create(
        report=accepted,
        kind="media",
        url=EVIDENCE_URL,
        outlet=EVIDENCE_OUTLET,
        date=dt.date(2016, 1, 4),
    )
    ReportEvidence.objects.create(report=accepted, kind="information").files.set([monitoring])
    ReportEvidence.objects.create(report=accepted, kind="event", missing_reason=EVIDENCE_REASON)
    # Activity 11: a report whose text looks like a spreadsheet formula.
    write_report(obligation(plan, "11", "МИР", dt.date(2016, 1, 5)), author, FORMULA_TEXT)
    # Activity 11 again: a Kazakh text, so that the PDF must carry Kazakh letters.
    write_report(
        obligation(plan, "11", "АО «Агентство «Хабар»", dt.date(2016, 1, 5)),
        author,
        KAZAKH_TEXT,
        lang="kk",
        on=dt.date(2016, 1, 8),
    )
    # A draft is not information: it must not appear.
    draft_ob = obligation(plan, "21", "КИСИ", dt.date(2016, 1, 5))
    ExecutionReport.objects.create(
        obligation=draft_ob,
        kind=ReportKind.REPORT,
        state=ReportState.DRAFT,
        text="ЧЕРНОВИК",
        author=author,
    )
    # Activity 9 (November 2015): МИР leads, the akimats send it their input.
    lead = obligation(plan, "9", "МИР", dt.date(2015, 11, 23))
    write_report(lead, author, LEAD_TEXT)
    contribution = Obligation.objects.filter(lead_obligation=lead).order_by("id").first()
    assert contribution is not None
    write_report(contribution, author, INPUT_TEXT, kind=ReportKind.INPUT)
    # The executor of МКС reported on activity 27.
    write_report(
        obligation(plan, "27", "МКС", dt.date(2016, 1, 5)),
        world.user("executor_own"),
        "МКС: видеоролики размещены.",
    )
    return world


def activities_due(
    plan: Plan, start: dt.date, end: dt.date, *, leads_only: bool = True
) -> list[Activity]:
    """Counted independently of the builder: the activities owing a report in the period."""
    obligations = Obligation.objects.filter(
        activity__plan=plan, in_force=True, activity__in_force=True, due_on__range=(start, end)
    )
    if leads_only:
        obligations = obligations.filter(lead_obligation__isnull=True)
    return list(
        Activity.objects.filter(pk__in=obligations.values("activity_id")).order_by("position")
    )


def section_count(activities: list[Activity], lang: str) -> int:
    count, previous = 0, ""
    for activity in activities:
        section = getattr(activity, f"section_{lang}") or activity.section
        if section and section != previous:
            count += 1
        previous = section
    return count


def snapshot() -> dict[str, int]:
    """What a refused request must leave as it was."""
    return {
        "exports": ReportExport.objects.count(),
        "audit": AuditEvent.objects.count(),
        "reports": ExecutionReport.objects.count(),
        "obligations_accepted": Obligation.objects.filter(accepted_at__isnull=False).count(),
    }


# A tiny PDF reader for the tests: inflate every stream and look at what the file holds.
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def pdf_inflated(data: bytes) -> bytes:
    parts = [data]
    for match in _STREAM.finditer(data):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_font_names(data: bytes) -> set[str]:
    """The fonts embedded, without the subset prefix (``ABCDEF+DejaVuSerif`` → ``DejaVuSerif``)."""
    names = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_,]+)", pdf_inflated(data))
    return {n.decode().split("+", 1)[-1] for n in names}


def pdf_page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf_inflated(data)))


def pdf_text(data: bytes) -> str | None:
    """The text as poppler's pdftotext reads it, or None where it is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done = subprocess.run(
        [tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def docx_bytes(data: bytes) -> Any:
    from docx import Document

    return Document(io.BytesIO(data))
