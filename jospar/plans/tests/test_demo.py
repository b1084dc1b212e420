"""`jospar demo`, the README's start: the seed plans imported by jospar's own importer, one demo
user per role with the printed password working, and the portal's demo reports; run twice, it
adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from jospar.civic.models import CitizenReport, ReportState
from jospar.control.models import Obligation
from jospar.core.models import Role, User
from jospar.plans.models import Activity, Plan
from jospar.programs.models import Program

pytestmark = pytest.mark.django_db


def _figures() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        Activity.objects.count(),
        Obligation.objects.count(),
        User.objects.count(),
        CitizenReport.objects.count(),
        Program.objects.count(),
    )


def test_demo_imports_the_seeds_makes_the_users_and_the_portal_reports() -> None:
    out = io.StringIO()
    call_command("demo", password="demo-pass-1", stdout=out)
    assert Plan.objects.count() == 2  # 000 and 001 are one plan in two languages; 003 another
    assert Activity.objects.count() == 28 + 18
    assert Program.objects.get().nodes.filter(kind="subprogram").count() == 4  # 002, the program
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

    before = _figures()
    call_command("demo", password="demo-pass-1", stdout=io.StringIO())
    assert _figures() == before
