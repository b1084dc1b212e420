"""The project office's control for `jospar demo`, through the same services as the pages: the
manager declares the first base project at risk and records two risks (one whose review is
overdue); the program's curator sets monthly status reports on the sub-program for Astana; the
head of Astana's regional project office writes them — the oldest accepted, the next returned
with a comment, the latest left as a draft. A second run (the schedule exists) does nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jospar.control.project_office.services import (
    status_report_accept,
    status_report_return,
    status_report_save,
    status_report_submit,
    status_schedule_set,
)
from jospar.core.models import Region, User
from jospar.programs.models import (
    Program,
    ProgramNode,
    ProgramRole,
    StatusReport,
    StatusSchedule,
)
from jospar.programs.models_office import DeclaredStatus, Frequency
from jospar.programs.roles import ProjectRole
from jospar.programs.services.office import project_status_set, risk_add
from jospar.programs.services.roles import program_role_assign

NARRATIVE = (
    "Өңірде «Туған жер» жобасы бойынша 12 іс-шара өткізілді, 3 400 адам қатысты."
    " / В регионе проведено 12 мероприятий по проекту «Туған жер», участвовали 3 400 человек."
    "\n(jospar demo)"
)
RISKS_TEXT = "Мердігердің кешігуі мүмкін. / Возможна задержка подрядчика. (jospar demo)"
HELP = "Әдістемелік көмек қажет. / Нужна методическая помощь. (jospar demo)"


def demo_office_play(
    *,
    admin: User,
    program: Program,
    sub: ProgramNode,
    base: ProgramNode,
    manager: User,
    office: User,
    region: Region,
) -> int:
    """The number of status reports written (0 on a second run)."""
    if StatusSchedule.objects.filter(program=program).exists():
        return 0
    if not ProgramRole.objects.filter(
        program=program, user=office, role=ProjectRole.REGIONAL_OFFICE_HEAD, in_force=True
    ).exists():
        program_role_assign(
            actor=admin,
            program=program,
            node=sub,
            user=office,
            role=ProjectRole.REGIONAL_OFFICE_HEAD,
            region=region,
        )
    today = timezone.localdate()
    project_status_set(
        actor=manager,
        node=base,
        status=DeclaredStatus.AT_RISK,
        reason="Форум өткізу туралы есеп қайтарылды. / Отчёт о форуме возвращён. (jospar demo)",
    )
    risk_add(
        actor=manager,
        node=base,
        title="Өңірлерде іс-шара өткізу орындарының жетіспеуі (jospar demo)",
        probability=3,
        impact=4,
        owner=manager,
        response="Әкімдіктермен алаңдарды алдын ала келісу.",
        review_on=today + dt.timedelta(days=14),
    )
    risk_add(
        actor=manager,
        node=base,
        title="Медиа-жоспардың қаржыландыруы кешігуі (jospar demo)",
        probability=2,
        impact=5,
        owner=office,
        response="Қаржы министрлігіне хат жіберу.",
        review_on=today - dt.timedelta(days=3),
    )
    first = (today.replace(day=1) - dt.timedelta(days=93)).replace(day=1)
    status_schedule_set(
        actor=manager,
        program=program,
        node=sub,
        frequency=Frequency.MONTHLY,
        starts_on=first,
        regions=[region],
    )
    reports = list(
        StatusReport.objects.filter(program=program, region=region, due_on__lte=today)
        .select_related("schedule", "program")
        .order_by("period_start")[:3]
    )
    for i, report in enumerate(reports):
        report = status_report_save(
            actor=office, report=report, narrative=NARRATIVE, risks=RISKS_TEXT, help_requests=HELP
        )
        if i == len(reports) - 1 and len(reports) > 2:
            continue  # the latest: a draft
        report = status_report_submit(actor=office, report=report)
        if i == 0:
            status_report_accept(actor=manager, report=report, comment="Қабылданды. (jospar demo)")
        else:
            status_report_return(
                actor=manager,
                report=report,
                comment="Қатысушылар санын аудан бойынша көрсетіңіз. (jospar demo)",
            )
    return len(reports)
