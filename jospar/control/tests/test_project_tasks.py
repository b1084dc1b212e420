"""Project tasks (and key events) of a program as obligations of the same control loop: issued
by a manager, reported by the body's executor with a file, returned and accepted by the
project's manager; co-executors' input; discipline counts; who may do what."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from jospar.control.access.obligations import visible_obligations
from jospar.control.discipline_counts import discipline_counts_check
from jospar.control.models import Obligation, ReportState
from jospar.control.reminders import open_obligations
from jospar.control.selectors.obligations import in_force
from jospar.control.services.project_tasks import (
    key_event_put_on_control,
    project_task_issue,
    project_task_withdraw,
)
from jospar.control.services.reports import (
    report_attachment_add,
    report_draft_save,
    report_submit,
)
from jospar.control.services.review import report_accept, report_return
from jospar.control.tests.conftest import in_days, pdf_bytes
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Organisation, OrganisationKind, Region, Role, User
from jospar.programs.models import NodeKind, Program, ProgramNode, ProgramRole, ProjectTask
from jospar.programs.roles import ProjectRole

pytestmark = pytest.mark.django_db


@dataclass
class Office:
    program: Program
    project: ProgramNode
    sibling: ProgramNode
    event: ProgramNode
    manager: User
    other_manager: User
    astana: Organisation
    ministry: Organisation
    akimat_executor: User
    ministry_executor: User


def _node(program: Program, parent: ProgramNode | None, kind: str, name: str) -> ProgramNode:
    return ProgramNode.objects.create(
        program=program, parent=parent, kind=kind, position=1, name_kk=name
    )


@pytest.fixture
def office(make_user: Callable[..., User]) -> Office:
    region = Region.objects.create(
        code="astana", kind="city", name_kk="Астана қаласы", name_ru="город Астана", name_en="A"
    )
    astana = Organisation.objects.create(
        kind=OrganisationKind.AKIMAT,
        name_kk="Астана қаласының әкімдігі",
        name_ru="Акимат города Астаны",
        region=region,
    )
    ministry = Organisation.objects.create(
        kind=OrganisationKind.MINISTRY,
        name_kk="Мәдениет және спорт министрлігі",
        name_ru="Министерство культуры и спорта",
        abbr_kk="МСМ",
    )
    program = Program.objects.create(title_kk="Рухани жаңғыру")
    sub = _node(program, None, NodeKind.SUBPROGRAM, "Туған жер")
    base = _node(program, sub, NodeKind.BASE_PROJECT, "Базалық жоба")
    project = _node(program, base, NodeKind.PROJECT, "Жоба")
    sibling = _node(program, base, NodeKind.PROJECT, "Басқа жоба")
    event = _node(program, project, NodeKind.KEY_EVENT, "Түйінді оқиға")
    event.due_on = in_days(20)
    event.save()
    manager, other_manager = make_user(), make_user()
    ProgramRole.objects.create(
        program=program, node=project, user=manager, role=ProjectRole.PROJECT_MANAGER
    )
    ProgramRole.objects.create(
        program=program, node=sibling, user=other_manager, role=ProjectRole.PROJECT_MANAGER
    )
    return Office(
        program=program,
        project=project,
        sibling=sibling,
        event=event,
        manager=manager,
        other_manager=other_manager,
        astana=astana,
        ministry=ministry,
        akimat_executor=make_user(Role.EXECUTOR, organisation=astana),
        ministry_executor=make_user(Role.EXECUTOR, organisation=ministry),
    )


def _issue(office: Office, *addressees: str, actor: User | None = None):  # type: ignore[no-untyped-def]
    return project_task_issue(
        actor=actor or office.manager,
        node=office.project,
        addressees=list(addressees) or ["Астана қаласының әкімдігі"],
        required_items=["Ақпарат ұсыну", "Іс-шара өткізу"],
        deadline=in_days(10),
        contact="+7 7172 000000",
    )


def _report(actor: User, obligation: Obligation, text: str = "Орындалды") -> None:
    draft = report_draft_save(actor=actor, obligation=obligation, text=text, lang="kk")
    report_attachment_add(
        actor=actor,
        report=draft,
        stream=SimpleUploadedFile("esep.pdf", pdf_bytes()),
        name="esep.pdf",
    )
    report_submit(actor=actor, report=draft)


def test_issue_report_return_accept(office: Office) -> None:
    task = _issue(office)
    obligation = Obligation.objects.get(project_task=task)
    assert obligation.activity_id is None
    assert obligation.executor_id is None
    assert obligation.organisation == office.astana
    assert obligation.region_id == office.astana.region_id
    assert obligation.due_on == task.deadline
    # The executor's list, the reminders and the schedule's "in force" all include it.
    assert obligation in visible_obligations(office.akimat_executor)
    assert obligation in open_obligations()
    assert Obligation.objects.filter(in_force(), pk=obligation.pk).exists()
    assert obligation in visible_obligations(office.manager)
    assert obligation not in visible_obligations(office.other_manager)
    assert obligation not in visible_obligations(office.ministry_executor)

    _report(office.akimat_executor, obligation)
    report = obligation.reports.get()
    with pytest.raises(PermissionRefused):  # the sibling project's manager reviews nothing here
        report_accept(actor=office.other_manager, report=report)
    report_return(
        actor=office.manager, report=report, comment="Толықтырыңыз", new_deadline=in_days(12)
    )
    obligation.refresh_from_db()
    assert obligation.returned_at is not None

    _report(office.akimat_executor, obligation, "Толықтырылды")
    latest = obligation.reports.order_by("-version").first()
    assert latest is not None
    assert latest.version == 2
    report_accept(actor=office.manager, report=latest)
    obligation.refresh_from_db()
    latest.refresh_from_db()
    assert obligation.accepted_at is not None
    assert latest.state == ReportState.ACCEPTED
    # The kept discipline counts (both grains) match the obligations.
    assert discipline_counts_check() == []


def test_co_executors_send_input_to_the_lead(office: Office) -> None:
    task = _issue(office, "Астана қаласының әкімдігі", "МСМ (келісім бойынша)")
    lead = Obligation.objects.get(project_task=task, organisation=office.astana)
    co = Obligation.objects.get(project_task=task, organisation=office.ministry)
    assert co.lead_obligation_id == lead.pk
    assert lead.lead_obligation_id is None
    assert task.addressees.get(organisation=office.ministry).by_agreement
    draft = report_draft_save(actor=office.ministry_executor, obligation=co, text="Үлес", lang="kk")
    assert draft.kind == "input"


def test_who_may_issue(office: Office, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionRefused):
        _issue(office, actor=office.other_manager)
    with pytest.raises(PermissionRefused):
        _issue(office, actor=make_user(Role.ADMINISTRATOR))
    with pytest.raises(ServiceError):
        _issue(office, "Жоқ ұйым")
    with pytest.raises(ServiceError):
        project_task_issue(
            actor=office.manager,
            node=office.project,
            addressees=["МСМ"],
            required_items=[" "],
            deadline=in_days(3),
        )


def test_one_source_exactly(office: Office) -> None:
    task = _issue(office)
    obligation = Obligation.objects.get(project_task=task)
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.create(due_on=dt.date(2030, 1, 1), organisation=office.astana)
    assert obligation.pk


def test_key_event_and_withdrawal(office: Office) -> None:
    task = key_event_put_on_control(
        actor=office.manager, event=office.event, owner="Астана қаласының әкімдігі"
    )
    obligation = Obligation.objects.get(project_task=task)
    assert obligation.due_on == office.event.due_on
    _report(office.akimat_executor, obligation)
    report_accept(actor=office.manager, report=obligation.reports.get())
    other = _issue(office)
    with pytest.raises(ServiceError):
        project_task_withdraw(actor=office.manager, task=other, reason=" ")
    project_task_withdraw(actor=office.manager, task=other, reason="Қажет емес")
    gone = Obligation.objects.get(project_task=other)
    assert not gone.in_force
    assert gone not in open_obligations()


def test_pages_issue_print_and_obligation(office: Office, client: Client) -> None:
    client.force_login(office.manager)
    node_page = client.get(reverse("programs:node", args=[office.project.pk]))
    assert b"issue-task-link" in node_page.content
    new = reverse("control:project-task-new", args=[office.project.pk])
    assert client.get(new).status_code == 200
    bad = client.post(new, {"addressee": ["Жоқ ұйым"], "items": "Бір", "deadline": "2099-01-01"})
    assert bad.status_code == 400
    response = client.post(
        new,
        {
            "addressee": ["Астана қаласының әкімдігі", "", ""],
            "items": "Ақпарат ұсыну\nІс-шара өткізу",
            "deadline": in_days(10).isoformat(),
            "contact": "+7 7172 000000",
            "prepared_by_name": "Менеджер",
            "prepared_by_title": "Кіші Бағдарлама менеджері",
            "lang": "kk",
        },
    )
    assert response.status_code == 302
    task = ProjectTask.objects.get()
    assert task.required_items == ["Ақпарат ұсыну", "Іс-шара өткізу"]
    detail = client.get(reverse("control:project-task", args=[task.pk]))
    assert detail.status_code == 200
    assert "Астана қаласының әкімдігі" in detail.content.decode()
    docx_response = client.get(reverse("control:project-task-print", args=[task.pk, "docx", "kk"]))
    assert docx_response.status_code == 200
    text = "\n".join(
        [p.text for p in docx.Document(io.BytesIO(docx_response.content)).paragraphs]
        + [
            c.text
            for t in docx.Document(io.BytesIO(docx_response.content)).tables
            for r in t.rows
            for c in r.cells
        ]
    )
    assert "ЖОБАЛЫҚ ТАПСЫРМА" in text
    assert "Астана қаласының әкімдігі" in text
    assert "Ақпарат ұсыну;" in text
    assert "«Жоба» Жоба" in text
    ru = client.get(reverse("control:project-task-print", args=[task.pk, "docx", "ru"]))
    assert "ПРОЕКТНОЕ ЗАДАНИЕ" in "\n".join(
        p.text for p in docx.Document(io.BytesIO(ru.content)).paragraphs
    )
    pdf = client.get(reverse("control:project-task-print", args=[task.pk, "pdf", "ru"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("control:project-task-print", args=[task.pk, "xls", "kk"])).status_code
        == 404
    )
    obligation = Obligation.objects.get(project_task=task)
    # The executor sees it in the list and on its page; the manager reviews it there.
    client.force_login(office.akimat_executor)
    listed = client.get(reverse("control:obligations"))
    assert f'data-obligation="{obligation.pk}"' in listed.content.decode()
    page = client.get(reverse("control:obligation", args=[obligation.pk]))
    assert page.status_code == 200
    assert "Ақпарат ұсыну" in page.content.decode()
    _report(office.akimat_executor, obligation)
    client.force_login(office.manager)
    review = client.get(reverse("control:review"))
    assert review.status_code == 200
    assert f"№{task.pk}" in review.content.decode()
    page = client.get(reverse("control:obligation", args=[obligation.pk]))
    assert b"accept-report" in page.content
    # Others: not found.
    client.force_login(office.other_manager)
    assert client.get(reverse("control:project-task", args=[task.pk])).status_code == 404
    assert client.get(reverse("control:obligation", args=[obligation.pk])).status_code == 404
