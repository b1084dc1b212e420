"""The world the edge tests request against."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jospar.core.models import User


@pytest.fixture
def edge_world(
    regions: None, make_user: Callable[..., User], settings: Any, tmp_path: Path
) -> dict[str, str]:
    """Real ids of one object of each kind, by URL parameter name."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.GEOCODER_URL = ""
    from jospar.civic.models import Topic
    from jospar.civic.services import report_file
    from jospar.control.services.reports import report_draft_save
    from jospar.control.tests.conftest import build_world

    world = build_world(make_user)
    executor = world.person("executor_own")
    report = report_draft_save(actor=executor, obligation=world.own, text="Done.", lang="ru")
    citizen = make_user(username="citizen@example.kz", email="citizen@example.kz")
    civic = report_file(
        actor=citizen,
        topic=Topic.objects.get(code="roads"),
        description="A deep pothole at the crossing of Abai and Dostyk.",
        latitude=43.238,
        longitude=76.945,
        survey={"problem": "pothole"},
    )
    indicator, program, node = _edge_indicator(world.region)
    import datetime as dt

    from django.utils import timezone

    from jospar.core.models import Role
    from jospar.initiatives.services import cycle_create

    today = timezone.localdate()
    cycle = cycle_create(
        actor=make_user(Role.ADMINISTRATOR, username="heart-admin"),
        year=today.year,
        region=None,
        nominations_from=today,
        jury_from=today + dt.timedelta(days=300),
        vote_from=today + dt.timedelta(days=300),
        vote_until=today + dt.timedelta(days=330),
        results_on=today + dt.timedelta(days=360),
    )
    from jospar.media.models import Rubric, Source

    source = Source.objects.create(name="Edge", kind="national", method="feed", url="https://e.kz/")
    rubric = Rubric.objects.create(
        name="Edge", activity=world.standalone, expected=1, period="month"
    )
    from jospar.events.services import event_create

    starts = timezone.now() + dt.timedelta(days=3)
    event = event_create(
        actor=executor,
        data={
            "title_kk": "Форум",
            "title_ru": "Форум",
            "kind": "forum",
            "region": world.region.pk,
            "place": "Hall",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            "volunteers_wanted": 3,
        },
    )
    status_report = _edge_project_office(program, node, world.region, executor)
    return {
        "status_report_id": str(status_report.pk),
        "indicator_id": str(indicator.pk),
        "program_id": str(program.pk),
        "node_id": str(node.pk),
        "cycle_id": str(cycle.pk),
        "source_id": str(source.pk),
        "rubric_id": str(rubric.pk),
        "event_id": str(event.pk),
        "executor": str(executor.pk),
        "controller": str(world.person("controller_own").pk),
        "plan_id": str(world.plan.pk),
        "activity_id": str(world.standalone.pk),
        "obligation_id": str(world.own.pk),
        "organisation_id": str(world.ministry.pk),
        "region_id": str(world.region.pk),
        "control_report_id": str(report.pk),
        "civic_report_id": str(civic.pk),
        "request_id": str(civic.pk),
        "code": "roads",
    }


def _edge_project_office(program: Any, node: Any, region: Any, person: Any) -> Any:
    """A risk on the node and a status report of the program, for the project office's API."""
    import datetime as dt

    from jospar.programs.models import Risk, StatusReport, StatusSchedule

    Risk.objects.create(
        node=node,
        title="Edge",
        probability=2,
        impact=3,
        owner=person,
        review_on=dt.date(2026, 1, 1),
        created_by=person,
    )
    schedule = StatusSchedule.objects.create(
        program=program, frequency="monthly", starts_on=dt.date(2026, 1, 1), set_by=person
    )
    return StatusReport.objects.create(
        schedule=schedule,
        program=program,
        region=region,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        due_on=dt.date(2026, 2, 5),
    )


def _edge_indicator(region: Any) -> tuple[Any, Any, Any]:
    """An indicator of a program node with an approved regional value, so that the indicators'
    pages (the map, the program tree) read real rows behind their hostile parameters."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from jospar.indicators.models import DataValue, Indicator, Target
    from jospar.programs.models import Program, ProgramNode

    program = Program.objects.create(title_kk="Бағдарлама", title_ru="Программа")
    node = ProgramNode.objects.create(program=program, kind="subprogram", position=1, name_kk="1")
    indicator = Indicator.objects.create(
        code="edge",
        name_kk="Көрсеткіш",
        name_ru="Показатель",
        kind="outcome",
        method="local_reports",
        level="region",
        frequency="quarterly",
        aggregation="sum",
        node=node,
    )
    Target.objects.create(indicator=indicator, year=2024, value=Decimal(10))
    DataValue.objects.create(
        indicator=indicator,
        period="2024Q1",
        period_type="quarterly",
        period_start=dt.date(2024, 1, 1),
        region=region,
        value=Decimal(12),
        state="approved",
        entered_at=timezone.now(),
    )
    return indicator, program, node
