"""`jospar synth`: a small run on the test database (SQLite or PostgreSQL, whichever the
settings name), the same data again after --reset, and the refusal of a full run on SQLite."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jospar.control.models import ExecutionReport, Obligation, ObligationStatus
from jospar.control.status import status_of
from jospar.control.synth import PLAN_MARK, SynthSpec
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, User
from jospar.plans.models import Activity, Plan

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Plan.objects.filter(approval_number__startswith=PLAN_MARK).count(),
        Activity.objects.filter(plan__approval_number__startswith=PLAN_MARK).count(),
        Obligation.objects.filter(activity__plan__approval_number__startswith=PLAN_MARK).count(),
        ExecutionReport.objects.count(),
    )


def test_small_run_makes_every_outcome() -> None:
    out = io.StringIO()
    call_command("synth", "--small", stdout=out)
    plans, activities, obligations, reports = _counts()
    spec = SynthSpec.small()
    assert plans == spec.plans
    assert activities >= plans
    assert 0.7 * spec.obligations <= obligations <= 1.4 * spec.obligations
    assert reports > 0
    assert str(obligations) in out.getvalue()
    statuses = {status_of(o) for o in Obligation.objects.filter(in_force=True)}
    assert {
        ObligationStatus.ACCEPTED,
        ObligationStatus.SUBMITTED_ON_TIME,
        ObligationStatus.SUBMITTED_LATE,
        ObligationStatus.OVERDUE,
    } <= statuses
    # Every akimat-group obligation names its region and that region's akimat.
    for o in Obligation.objects.filter(region__isnull=False).select_related("organisation")[:50]:
        assert o.organisation is not None
        assert o.organisation.region_id == o.region_id
    # Facts agree with the reports: a returned obligation has a returned report.
    for o in Obligation.objects.filter(returned_at__isnull=False)[:20]:
        assert o.reports.filter(state="returned").exists()
    assert AuditEvent.objects.filter(action="control.synth_built").count() == 1
    assert User.objects.filter(username="synth-controller").exists()


def test_reset_rebuilds_the_same_data_and_keeps_the_rest() -> None:
    keep = Organisation.objects.create(kind=OrganisationKind.OTHER, name_ru="Настоящий орган")
    real = Plan.objects.create(title_ru="Настоящий план")
    call_command("synth", "--small", stdout=io.StringIO())
    first = _counts()
    call_command("synth", "--small", "--reset", stdout=io.StringIO())
    assert _counts() == first
    call_command("synth", "--reset-only", stdout=io.StringIO())
    assert _counts()[:3] == (0, 0, 0)
    assert Plan.objects.filter(pk=real.pk).exists()
    assert Organisation.objects.filter(pk=keep.pk).exists()
    assert not Organisation.objects.filter(name_en__startswith="[synth]").exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
def test_full_size_refused_on_sqlite() -> None:
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("synth", stdout=io.StringIO())
    assert Plan.objects.count() == 0


@pytest.mark.usefixtures("regions")
def test_civic_adds_the_citizens_reports_too() -> None:
    from jospar.civic.models import CitizenReport
    from jospar.civic.synth import CivicSynthSpec

    call_command("synth", "--small", "--civic", stdout=io.StringIO())
    assert _counts()[0] == SynthSpec.small().plans
    assert CitizenReport.objects.count() == CivicSynthSpec.small().reports
    # --civic-only leaves the control schedule as it is and adds the reports again (reset).
    before = _counts()
    call_command("synth", "--small", "--civic-only", "--reset", stdout=io.StringIO())
    assert _counts() == before
    assert CitizenReport.objects.count() == CivicSynthSpec.small().reports
