"""The program of `002_*` for `jospar demo`: demo people in project roles on its tree, and a
few project tasks issued, reported and reviewed through the same services as the pages.

- the administrator (staff) names the observer the customer and the controller the program's
  curator and the manager of the first sub-program; the executor and the Astana akimat's
  executor become project task executors there;
- the manager issues three tasks on the sub-program's first base project: to the Astana akimat
  (reported and accepted), to the Astana akimat again (reported and returned with a new date),
  and to the ministry with the akimat as co-executor (open, due in a month).

- the project office's control (`demo_office.py`): the base project declared at risk, its risk
  register, the Astana akimat's executor as the head of Astana's regional project office and
  monthly status reports on the sub-program — one accepted, one returned, one being written.

A second run finds the manager's tasks and the schedule and does nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jospar.control.demo_office import demo_office_play
from jospar.control.models import Obligation
from jospar.control.services.project_tasks import project_task_issue
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept, report_return
from jospar.core.models import User
from jospar.programs.models import NodeKind, Program, ProgramNode, ProgramRole, ProjectTask
from jospar.programs.roles import ProjectRole
from jospar.programs.services.roles import program_role_assign

TEXT = (
    "Тапсырма орындалды, материалдар қоса беріледі. / Задание выполнено, материалы"
    " прилагаются.\n(jospar demo)"
)
TASKS = (
    (
        ["Өңірлік жобалық офистің тоқсандық есебін ұсыну", "Іс-шаралар фотосуреттерін ұсыну"],
        10,
        "accept",
    ),
    (["Қалалық «Туған жер» форумын өткізу туралы ақпарат ұсыну"], 20, "return"),
    (["Өңірлердегі медиа-жоспардың орындалуы туралы ақпарат"], 30, "open"),
)


def _grant(admin: User, program: Program, node: ProgramNode | None, user: User, role: str) -> None:
    if not ProgramRole.objects.filter(
        program=program, node=node, user=user, role=role, in_force=True
    ).exists():
        program_role_assign(actor=admin, program=program, node=node, user=user, role=role)


def _report(executor: User, obligation: Obligation) -> None:
    draft = report_draft_save(actor=executor, obligation=obligation, text=TEXT, lang="kk")
    report_submit(actor=executor, report=draft)


def demo_programs_play(
    *, admin: User, customer: User, manager: User, executors: list[User]
) -> tuple[int, int]:
    """(tasks issued, reports sent); (0, 0) when there is no program or it has been played."""
    program = Program.objects.order_by("id").first()
    sub = (
        ProgramNode.objects.filter(program=program, kind=NodeKind.SUBPROGRAM, in_force=True)
        .order_by("position", "id")
        .first()
    )
    base = (
        ProgramNode.objects.filter(parent=sub, kind=NodeKind.BASE_PROJECT, in_force=True)
        .order_by("position", "id")
        .first()
    )
    if program is None or sub is None or base is None:
        return 0, 0
    _grant(admin, program, None, customer, ProjectRole.CUSTOMER)
    _grant(admin, program, None, manager, ProjectRole.PROGRAM_CURATOR)
    _grant(admin, program, sub, manager, ProjectRole.MANAGER)
    for executor in executors:
        _grant(admin, program, sub, executor, ProjectRole.TASK_EXECUTOR)
    issued, sent = (0, 0)
    if not ProjectTask.objects.filter(program=program, issued_by=manager).exists():
        issued, sent = _issue(base, manager, executors)
    office = executors[-1]
    if office.organisation is not None and office.organisation.region is not None:
        demo_office_play(
            admin=admin,
            program=program,
            sub=sub,
            base=base,
            manager=manager,
            office=office,
            region=office.organisation.region,
        )
    return issued, sent


def _issue(base: ProgramNode, manager: User, executors: list[User]) -> tuple[int, int]:
    akimat, ministry = executors[-1].organisation, executors[0].organisation
    if akimat is None or ministry is None:
        return 0, 0
    today = timezone.localdate()
    issued = sent = 0
    for items, days, outcome in TASKS:
        to = [akimat.name_kk] if outcome != "open" else [ministry.name_kk, akimat.name_kk]
        task = project_task_issue(
            actor=manager,
            node=base,
            addressees=to,
            required_items=items,
            deadline=today + dt.timedelta(days=days),
            contact="+7 7172 74 00 00, ruhani@demo.jospar.kz",
            prepared_by_title="Кіші Бағдарлама менеджері",
        )
        issued += 1
        if outcome == "open":
            continue
        obligation = Obligation.objects.get(project_task=task, organisation=akimat)
        _report(executors[-1], obligation)
        sent += 1
        report = obligation.reports.order_by("-version").first()
        assert report is not None
        if outcome == "accept":
            report_accept(actor=manager, report=report)
        else:
            report_return(
                actor=manager,
                report=report,
                comment="Форумның бағдарламасын және қатысушылар тізімін қосыңыз. (jospar demo)",
                new_deadline=today + dt.timedelta(days=days + 7),
            )
    return issued, sent
