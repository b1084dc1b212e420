"""Fixtures of the control-loop tests: a small plan made by hand, one person per role, and a
snapshot of everything a refused request must leave as it was."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jospar.control.models import (
    ControlDecision,
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportEvidence,
    ReportLink,
    Review,
)
from jospar.control.services.schedule import obligations_sync_for_plan
from jospar.core.models import (
    AuditEvent,
    Organisation,
    OrganisationKind,
    Region,
    RegionKind,
    Role,
    User,
)
from jospar.plans.models import Activity, ActivityExecutor, Plan

ROLES = (
    "anonymous",
    "executor_own",
    "executor_other",
    "akimat_executor",
    "observer",
    "controller_own",
    "controller_other",
    "administrator",
)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@dataclass
class World:
    plan: Plan
    standalone: Activity  # executors: the ministry, and the akimats of all regions
    with_lead: Activity  # executors: the ministry (lead) and a co-executor
    ministry: Organisation
    co_executor: Organisation
    other: Organisation
    akimat: Organisation
    region: Region
    department: Organisation
    other_department: Organisation
    people: dict[str, User | None]
    co_user: User

    def obligation(self, activity: Activity, organisation: Organisation) -> Obligation:
        return Obligation.objects.get(activity=activity, organisation=organisation)

    @property
    def own(self) -> Obligation:
        return self.obligation(self.standalone, self.ministry)

    @property
    def akimats(self) -> Obligation:
        return self.obligation(self.standalone, self.akimat)

    @property
    def lead(self) -> Obligation:
        return self.obligation(self.with_lead, self.ministry)

    @property
    def co(self) -> Obligation:
        return self.obligation(self.with_lead, self.co_executor)

    def person(self, role: str) -> User:
        user = self.people[role]
        assert user is not None
        return user


def _org(name: str, kind: str = OrganisationKind.MINISTRY, **fields: Any) -> Organisation:
    return Organisation.objects.create(kind=kind, name_ru=name, name_kk=name, **fields)


def build_world(make_user: Callable[..., User], due: dt.date | None = None) -> World:
    due = due or in_days(40)
    region = Region.objects.create(
        code="ast", kind=RegionKind.CITY, name_kk="Астана", name_ru="Астана", name_en="Astana"
    )
    akimat = _org("Акимат города Астаны", OrganisationKind.AKIMAT, region=region)
    ministry = _org("Министерство культуры", abbr_ru="МК")
    co_executor = _org("Министерство образования", abbr_ru="МО")
    other = _org("Посторонний орган", OrganisationKind.OTHER)
    department = _org("Отдел внутренней политики", OrganisationKind.PRESIDENTIAL, abbr_ru="ОВП")
    other_department = _org("Другой отдел", OrganisationKind.PRESIDENTIAL, abbr_ru="ДО")
    plan = Plan.objects.create(
        title_ru="План мероприятий",
        title_kk="Іс-шаралар жоспары",
        approved_on=dt.date(2015, 10, 30),
        approval_number="10",
        controller_organisation=department,
    )
    standalone = Activity.objects.create(
        plan=plan,
        number="1",
        position=1,
        title_ru="Провести конференцию",
        title_kk="Конференция өткізу",
        report_dates=[due.isoformat()],
    )
    ActivityExecutor.objects.create(
        activity=standalone, position=1, code_ru="МК", organisation=ministry
    )
    ActivityExecutor.objects.create(
        activity=standalone, position=2, code_ru="akimats", is_akimat_group=True
    )
    with_lead = Activity.objects.create(
        plan=plan,
        number="2",
        position=2,
        title_ru="Издать сборник",
        title_kk="Жинақ шығару",
        report_dates=[due.isoformat()],
    )
    ActivityExecutor.objects.create(
        activity=with_lead, position=1, code_ru="МК", organisation=ministry, lead=True
    )
    ActivityExecutor.objects.create(
        activity=with_lead, position=2, code_ru="МО", organisation=co_executor
    )
    obligations_sync_for_plan(actor=None, plan=plan)
    people: dict[str, User | None] = {
        "anonymous": None,
        "executor_own": make_user(Role.EXECUTOR, organisation=ministry, username="exec_own"),
        "executor_other": make_user(Role.EXECUTOR, organisation=other, username="exec_other"),
        "akimat_executor": make_user(Role.EXECUTOR, organisation=akimat, username="exec_akimat"),
        "observer": make_user(Role.OBSERVER, username="observer"),
        "controller_own": make_user(
            Role.CONTROLLER, organisation=department, username="controller_own"
        ),
        "controller_other": make_user(
            Role.CONTROLLER, organisation=other_department, username="controller_other"
        ),
        "administrator": make_user(Role.ADMINISTRATOR, username="administrator"),
    }
    co_user = make_user(Role.EXECUTOR, organisation=co_executor, username="exec_co")
    return World(
        plan=plan,
        standalone=standalone,
        with_lead=with_lead,
        ministry=ministry,
        co_executor=co_executor,
        other=other,
        akimat=akimat,
        region=region,
        department=department,
        other_department=other_department,
        people=people,
        co_user=co_user,
    )


@pytest.fixture
def world(make_user: Callable[..., User], holidays_2030: None) -> World:
    return build_world(make_user)


@pytest.fixture
def holidays_2030(db: Any) -> None:
    """The 2030 public holidays the tests move dates off (seeded by a migration; made here when
    the tests run without migrations)."""
    from jospar.core.calendar import calendar_cache_clear
    from jospar.core.models import CalendarDay

    for day in (dt.date(2030, 3, 8), dt.date(2030, 12, 16)):
        CalendarDay.objects.get_or_create(
            day=day, defaults={"is_working": False, "name": "holiday", "source": "holidays"}
        )
    calendar_cache_clear()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def snapshot() -> dict[str, Any]:
    """What a refused change must leave exactly as it was."""
    return {
        "reports": list(
            ExecutionReport.objects.order_by("pk").values_list(
                "pk", "state", "version", "text", "lang", "submitted_at"
            )
        ),
        "attachments": ReportAttachment.objects.count(),
        "links": ReportLink.objects.count(),
        "evidence": ReportEvidence.objects.count(),
        "reviews": Review.objects.count(),
        "decisions": ControlDecision.objects.count(),
        "audit": AuditEvent.objects.count(),
        "obligations": list(
            Obligation.objects.order_by("pk").values_list(
                "pk",
                "deadline",
                "submitted_at",
                "submitted_on",
                "returned_at",
                "accepted_at",
                "in_force",
            )
        ),
        "plans": list(Plan.objects.order_by("pk").values_list("pk", "controller_organisation")),
    }


# --- files of every kind, made here ----------------------------------------------------------


def pdf_bytes() -> bytes:
    """A minimal, valid one-page PDF, written by hand (offsets computed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 35 >>\nstream\nBT /F1 12 Tf 20 100 Td (Esep) Tj ET\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 114, 143)).save(out, "PNG")
    return out.getvalue()


def docx_bytes(text: str = "Орындалуы туралы ақпарат") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Іс-шара"
    sheet["B1"] = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
