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
    from jospar.control.services_reports import report_draft_save
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
    import datetime as dt

    from django.utils import timezone

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
    return {
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
