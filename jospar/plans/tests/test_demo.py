"""`jospar demo`, the README's start: the seed plans imported by jospar's own importer, one demo
user per role with the printed password working, and the portal's demo reports; run twice, it
adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.civic.models import CitizenReport, ReportState
from jospar.control.discipline_counts import discipline_counts_check
from jospar.control.models import Obligation, ObligationStatus
from jospar.control.selectors.obligations import obligation_status_counts
from jospar.control.selectors.today import today_desk
from jospar.core.models import AuditEvent, Role, User
from jospar.plans.models import Activity, Plan
from jospar.programs.models import NodeStatus, Program, ProgramRole, ProjectTask, Risk, StatusReport

pytestmark = pytest.mark.django_db


def _figures() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        Activity.objects.count(),
        Obligation.objects.count(),
        User.objects.count(),
        CitizenReport.objects.count(),
        Program.objects.count(),
        ProjectTask.objects.count(),
        ProgramRole.objects.count(),
        StatusReport.objects.count(),
        Risk.objects.count(),
        NodeStatus.objects.count(),
    )


def test_demo_imports_the_seeds_makes_the_users_and_the_portal_reports() -> None:
    out = io.StringIO()
    call_command("demo", password="demo-pass-1", port=8080, stdout=out)
    assert Plan.objects.count() == 2  # 000 and 001 are one plan in two languages; 003 another
    assert Activity.objects.count() == 28 + 18
    assert Program.objects.get().nodes.filter(kind="subprogram").count() == 4  # 002, the program
    # Project tasks of the program on the control loop: accepted, returned, open.
    tasks = Obligation.objects.filter(project_task__isnull=False)
    assert ProjectTask.objects.count() == 3
    assert tasks.filter(accepted_at__isnull=False).count() == 1
    assert tasks.filter(returned_at__isnull=False).count() == 1
    assert ProgramRole.objects.filter(user__username="controller", role="manager").exists()
    # The project office: a base project at risk, its risks, Astana's status reports.
    assert NodeStatus.objects.get().status == "at_risk"
    assert Risk.objects.count() == 2
    written = StatusReport.objects.exclude(state="due").order_by("period_start")
    assert [r.state for r in written] == ["accepted", "returned", "draft"]
    assert all(r.figures for r in written)
    printed = out.getvalue()
    for username, role in (
        ("admin", Role.ADMINISTRATOR),
        ("controller", Role.CONTROLLER),
        ("executor", Role.EXECUTOR),
        ("akimat", Role.EXECUTOR),
        ("observer", Role.OBSERVER),
        ("official", Role.CIVIC_OFFICIAL),
        ("moderator", Role.MODERATOR),
    ):
        user = User.objects.get(username=username)
        assert user.has_role(role), username
        assert user.check_password("demo-pass-1")
        assert f"  {username} " in printed
    assert User.objects.get(username="citizen").check_password("demo-pass-1")
    states = sorted(CitizenReport.objects.values_list("state", flat=True))
    assert states == sorted([ReportState.PUBLISHED, ReportState.IN_PROGRESS, ReportState.DONE])
    assert set(CitizenReport.objects.values_list("region__code", flat=True)) == {"astana"}
    # The Map of civic initiatives: one initiative in every state, in Astana.
    from jospar.initiatives.models import Initiative, InitiativeState

    assert set(Initiative.objects.values_list("state", flat=True)) == set(InitiativeState.values)
    # Generous Heart's end: last year's Astana cycle with its results published, a winner in
    # every nomination (each with a certificate), and a published best-practice story.
    from jospar.initiatives.certificates import has_certificate
    from jospar.initiatives.models import HeartCycle, HeartNominee, HeartStory

    last_year = timezone.localdate().year - 1
    ended = HeartCycle.objects.get(year=last_year, region__code="astana")
    assert ended.results_published_at is not None
    assert ended.vote_until.year == last_year
    assert ended.results_on < timezone.localdate()
    winners = HeartNominee.objects.filter(nomination__cycle=ended, place=1).select_related(
        "nomination__cycle"
    )
    assert sorted(w.nomination.category for w in winners) == ["ngo", "patron", "volunteer"]
    assert all(has_certificate(w) for w in winners)
    assert HeartStory.objects.filter(nominee__in=winners, state="published").count() == 1
    anonymous = Client()
    story = HeartStory.objects.get()
    results = anonymous.get(reverse("initiatives:heart-results", args=[ended.pk]))
    assert results.status_code == 200
    for winner in winners:
        certificate = reverse("initiatives:heart-certificate", args=[winner.pk])
        assert certificate in results.content.decode()
        assert anonymous.get(certificate).status_code == 200
    assert story.title in anonymous.get(reverse("initiatives:heart-stories")).content.decode()
    assert story.title in results.content.decode()
    # This year's cycle stays open for the vote beside it.
    assert HeartCycle.objects.get(year=last_year + 1).results_published_at is None

    # Quietly: no e-mail dump; the logins last, with the port asked for and every e-mail.
    assert "Content-Type:" not in printed
    assert "Subject:" not in printed
    lines = printed.strip().splitlines()
    header = "Demo users (log in at http://127.0.0.1:8080/accounts/login/):"
    assert lines.count(header) == 1
    tail = lines[lines.index(header) :]
    # The users' lines follow the header, last.
    users = [line.split()[0] for line in tail[1:] if line.startswith("  ")]
    assert {"admin", "controller", "citizen", "patron", "volunteer", "juror"} <= set(users)
    assert len(tail) <= len(users) + 3
    assert "citizen@demo.jospar.kz" in "\n".join(tail)
    assert "8000" not in printed

    # The schedule runs around today: a mix of statuses, not a wall of red.
    observer = User.objects.get(username="observer")
    counts = obligation_status_counts(observer)
    total = sum(counts.values())
    for status in (
        ObligationStatus.DUE_SOON,
        ObligationStatus.NOT_YET_DUE,
        ObligationStatus.OVERDUE,
        ObligationStatus.ACCEPTED,
        ObligationStatus.RETURNED,
        ObligationStatus.SUBMITTED_ON_TIME,
        ObligationStatus.SUBMITTED_LATE,
    ):
        assert counts[status] > 0, status
    assert counts[ObligationStatus.OVERDUE] < total / 2
    # The reports give the evidence their forms of completion ask for.
    from jospar.control.models import ReportEvidence

    assert ReportEvidence.objects.filter(kind="information").exclude(files=None).exists()
    desk = today_desk(User.objects.get(username="executor"))
    assert desk.executor is not None
    assert desk.executor.due_soon
    assert desk.executor.overdue
    assert desk.executor.returned
    assert discipline_counts_check() == []

    # Indicators: the program's, with values of two years, a survey, computed figures.
    from jospar.indicators.models import DataValue, Indicator, SurveyWave, ValueState

    assert Indicator.objects.filter(source_indicator__isnull=False).count() >= 40
    assert DataValue.objects.filter(state=ValueState.APPROVED, origin="imported").exists()
    assert DataValue.objects.filter(state=ValueState.SUBMITTED, region__code="astana").exists()
    assert SurveyWave.objects.count() == 2
    assert DataValue.objects.filter(origin="computed").exists()
    # …with targets, two years of approved values for several regions, and the three Civic
    # Control indicators computed.
    from jospar.indicators.models import Target
    from jospar.indicators.periods import parse_period

    typed = Indicator.objects.filter(source_indicator__isnull=False).exclude(method="computed")
    assert typed.count() >= 30
    assert not typed.filter(targets__isnull=True).exists()
    assert Target.objects.filter(indicator__in=typed).count() >= typed.count()
    approved = DataValue.objects.filter(state=ValueState.APPROVED, region__isnull=False)
    assert len({parse_period(p).year for p in approved.values_list("period", flat=True)}) >= 2
    assert approved.values("region").distinct().count() >= 5
    assert set(
        DataValue.objects.filter(origin="computed", indicator__rule__startswith="civic_")
        .values_list("indicator__rule", flat=True)
        .distinct()
    ) == {"civic_solved_promptly", "civic_solved_by_citizens", "civic_reports_per_month"}
    indicator_values = DataValue.objects.count()

    before = _figures()
    # The last row's id, not the count: ids need not follow the count (PostgreSQL sequences).
    audit_rows = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("demo", password="demo-pass-1", stdout=io.StringIO())
    assert _figures() == before
    assert DataValue.objects.count() == indicator_values
    assert not AuditEvent.objects.filter(pk__gt=audit_rows, action__startswith="indicator").exists()
    assert not AuditEvent.objects.filter(pk__gt=audit_rows, action__startswith="survey").exists()
    assert obligation_status_counts(observer) == counts
    # Only the users' new passwords are written again.
    assert not AuditEvent.objects.filter(pk__gt=audit_rows, action__startswith="report").exists()
    assert not AuditEvent.objects.filter(pk__gt=audit_rows, action__startswith="deadline").exists()
    assert not AuditEvent.objects.filter(pk__gt=audit_rows, action__startswith="heart").exists()
    assert not AuditEvent.objects.filter(
        pk__gt=audit_rows, action__startswith="initiative"
    ).exists()
    assert not AuditEvent.objects.filter(pk__gt=audit_rows, action="organisation.created").exists()
