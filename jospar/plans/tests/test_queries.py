"""Every list costs a fixed number of queries: 20 rows and 200 rows cost the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.models import Obligation
from jospar.core.models import (
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Region,
    RegionKind,
    Role,
    User,
)
from jospar.plans.models import Activity, ActivityExecutor, Plan, PlanRevision

pytestmark = pytest.mark.django_db


def _organisation(i: int) -> Organisation:
    org = Organisation.objects.create(
        kind=OrganisationKind.MINISTRY, name_ru=f"Министерство {i}", abbr_ru=f"М{i}"
    )
    OrganisationAlias.objects.create(organisation=org, lang="ru", code=f"М{i}", name=org.name_ru)
    return org


def build(rows: int) -> Plan:
    """``rows`` plans, each with an activity, an executor, an obligation and a revision; the
    first plan also has ``rows`` activities of its own."""
    start = Plan.objects.count()
    region = Region.objects.create(
        code=f"r{start}", kind=RegionKind.OBLAST, name_kk="о", name_ru="о", name_en=f"R{start}"
    )
    first: Plan | None = None
    for i in range(rows):
        plan = Plan.objects.create(
            title_ru=f"План {start + i}",
            approved_on=dt.date(2015, 1, 1) + dt.timedelta(days=i),
            approval_number=str(i),
        )
        first = first or plan
        PlanRevision.objects.create(
            plan=plan,
            lang="ru",
            number=1,
            source_filename="p.txt",
            source_sha256=f"{start}-{i}",
            source_text="текст",
            parsed={"activities": []},
        )
    assert first is not None
    for i in range(rows):
        plan = first if i % 2 == 0 else Plan.objects.filter(title_ru=f"План {start + i}").get()
        activity = Activity.objects.create(
            plan=plan,
            number=str(i + 1),
            position=i + 1,
            title_ru=f"Мероприятие {i}",
            report_dates=["2016-03-15"],
            warnings=[{"code": "x", "message": "m"}] if i % 3 else [],
        )
        org = _organisation(start + i)
        executor = ActivityExecutor.objects.create(
            activity=activity, position=1, code_ru=org.abbr_ru, organisation=org
        )
        group = ActivityExecutor.objects.create(
            activity=activity, position=2, code_ru="akimats", is_akimat_group=True
        )
        Obligation.objects.create(
            activity=activity, executor=executor, organisation=org, due_on=dt.date(2016, 3, 15)
        )
        Obligation.objects.create(
            activity=activity, executor=group, region=region, due_on=dt.date(2016, 3, 15)
        )
    return first


def _owing(plan: Plan) -> Organisation | None:
    """An organisation that owes something in ``plan``."""
    executor = ActivityExecutor.objects.filter(activity__plan=plan).first()
    assert executor is not None
    return executor.organisation


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


LISTS: dict[str, Callable[[Plan], str]] = {
    "plans:list": lambda plan: reverse("plans:list"),
    "plans:detail": lambda plan: reverse("plans:detail", args=[plan.pk]),
    "plans:obligations": lambda plan: reverse("plans:obligations"),
    "plans:obligations filtered": lambda plan: (
        reverse("plans:obligations") + f"?plan={plan.pk}&due_from=2016-01-01&due_to=2016-12-31"
    ),
    "api plans": lambda plan: "/api/plans/",
    "api plan activities": lambda plan: f"/api/plans/{plan.pk}/activities/",
    "api obligations": lambda plan: "/api/obligations/",
    "api organisations": lambda plan: "/api/organisations/",
    "api regions": lambda plan: "/api/regions/?geometry=1",
}


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.EXECUTOR])
@pytest.mark.parametrize("name", list(LISTS))
def test_list_query_count_does_not_grow_with_rows(
    name: str,
    role: Role,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    small = build(20)
    user = make_user(role)
    if role == Role.EXECUTOR:
        # An executor of an organisation that owes in both plans' sets.
        user.organisation = _owing(small)
        user.save()
    client = Client()
    client.force_login(user)
    url = LISTS[name]
    client.get(url(small))  # warm caches (content types, session)
    with_20 = _count(client, url(small))
    big = build(200)
    if (
        name in ("plans:detail", "api plan activities", "plans:obligations filtered")
        and role == Role.EXECUTOR
    ):
        user.organisation = _owing(big)
        user.save()
        client.force_login(user)
        client.get(url(big))
    with django_assert_max_num_queries(with_20):
        response = client.get(url(big))
    assert response.status_code == 200
