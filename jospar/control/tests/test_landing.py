"""Where each role lands, what its menu offers, and the "Today" page's counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.control.models import Obligation, ObligationStatus
from jospar.control.selectors.obligations import ObligationFilter, obligation_status_counts
from jospar.control.selectors.today import today_desk
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_return
from jospar.control.services.schedule import obligations_sync_for_plan
from jospar.control.tests.conftest import World, in_days
from jospar.core.models import Role, User
from jospar.navigation import landing_url, menu_for
from jospar.plans.models import Activity, ActivityExecutor

# role → (where `/` and the login send them, the menu's entries in order)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    "administrator": (
        "plans:upload",
        [
            "schedule",
            "plans",
            "programs",
            "indicators",
            "monitoring",
            "discipline",
            "directory",
            "moderation",
            "civic",
            "initiatives",
            "events",
            "initiatives-queue",
            "import",
            "calendar",
        ],
    ),
    "controller_own": (
        "control:today",
        [
            "today",
            "review",
            "schedule",
            "plans",
            "programs",
            "indicators",
            "monitoring",
            "discipline",
            "directory",
            "civic",
            "initiatives",
            "events",
        ],
    ),
    "executor_own": (
        "control:today",
        [
            "today",
            "my-obligations",
            "plans",
            "programs",
            "indicators",
            "monitoring",
            "discipline",
            "directory",
            "civic",
            "initiatives",
            "events",
        ],
    ),
    "observer": (
        "control:discipline",
        [
            "schedule",
            "plans",
            "programs",
            "indicators",
            "monitoring",
            "discipline",
            "directory",
            "civic",
            "initiatives",
            "events",
        ],
    ),
    "official": ("civic:queue", ["akimat-queue", "civic", "initiatives", "events"]),
    "moderator": ("civic:moderation", ["moderation", "civic", "initiatives", "events"]),
    "citizen": ("civic:map", ["civic", "initiatives", "events"]),
}


@pytest.fixture
def people(world: World, make_user: Callable[..., User]) -> dict[str, User]:
    found = {
        role: world.person(role)
        for role in ("administrator", "controller_own", "executor_own", "observer")
    }
    found["official"] = make_user(
        Role.CIVIC_OFFICIAL, organisation=world.akimat, username="official"
    )
    found["moderator"] = make_user(Role.MODERATOR, username="moderator")
    found["citizen"] = make_user(username="citizen", email="citizen@example.kz")
    return found


def _client(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _menu_ids(html: str) -> list[str]:
    nav = html[html.index('<nav class="main-nav"') : html.index("</nav>")]
    return re.findall(r'id="nav-([\w-]+)"', nav)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_lands_on_its_work_and_sees_its_menu(role: str, people: dict[str, User]) -> None:
    user = people[role]
    landing, menu = EXPECTED[role]
    assert landing_url(user) == reverse(landing)
    assert [entry.key for entry in menu_for(user)] == menu
    client = _client(user)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == reverse(landing)
    page = client.get(reverse(landing))
    assert page.status_code == 200
    assert _menu_ids(page.content.decode()) == menu
    # A menu entry never leads to a refusal.
    for entry in menu_for(user):
        assert client.get(entry.url).status_code == 200, entry.url


def test_staff_administrator_sees_the_administration(people: dict[str, User]) -> None:
    user = people["administrator"]
    user.is_staff = True
    user.save()
    assert [e.key for e in menu_for(user)][-1] == "admin"
    assert _client(user).get(reverse("admin:index")).status_code == 200


def test_login_lands_on_the_role_page(people: dict[str, User]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        reverse("login"),
        {"username": "exec_own", "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("control:today")


def test_anonymous_sees_the_front_page_and_only_the_portal(db: Any) -> None:
    page = _client(None).get(reverse("home"))
    assert page.status_code == 200
    assert _menu_ids(page.content.decode()) == ["civic", "initiatives", "events"]
    assert menu_for(None)
    assert [e.key for e in menu_for(None)] == ["civic", "initiatives", "events"]
    assert landing_url(None) == reverse("home")


def test_a_long_name_is_cut_in_the_header_not_the_layout(people: dict[str, User]) -> None:
    user = people["citizen"]
    user.first_name = ("Әбдірахманқызы " * 9).strip()  # 134 of the 150 characters allowed
    user.save()
    html = _client(user).get(reverse("civic:map")).content.decode()
    assert re.search(r'<span class="who" title="Әбдірахманқызы', html)


# --- the "Today" page ---------------------------------------------------------------------------


def _many(world: World) -> Activity:
    """One more activity the ministry owes on many dates around today."""
    dates = [in_days(d) for d in (-30, -10, -3, 0, 2, 5, 7, 8, 20, 60)]
    activity = Activity.objects.create(
        plan=world.plan,
        number="3",
        position=3,
        title_ru="Отчитаться",
        title_kk="Есеп беру",
        report_dates=[d.isoformat() for d in dates],
    )
    ActivityExecutor.objects.create(
        activity=activity, position=1, code_ru="МК", organisation=world.ministry
    )
    obligations_sync_for_plan(actor=None, plan=world.plan)
    return activity


def _return_one(world: World, activity: Activity, due: dt.date, new: dt.date) -> None:
    executor, controller = world.person("executor_own"), world.person("controller_own")
    obligation = Obligation.objects.get(activity=activity, due_on=due)
    draft = report_draft_save(actor=executor, obligation=obligation, text="Сделано", lang="ru")
    report = report_submit(actor=executor, report=draft)
    report_return(actor=controller, report=report, comment="Дополнить", new_deadline=new)


def test_today_counts_equal_the_lists_they_link_to(world: World) -> None:
    activity = _many(world)
    _return_one(world, activity, in_days(20), in_days(3))  # returned, due within the week
    _return_one(world, activity, in_days(60), in_days(30))  # returned, due later
    executor = world.person("executor_own")
    desk = today_desk(executor)
    assert desk.executor is not None
    assert desk.controller is None
    listed = obligation_status_counts(executor, ObligationFilter(organisation_id=world.ministry.pk))
    assert desk.executor.due_soon == listed[ObligationStatus.DUE_SOON] > 0
    assert desk.executor.overdue == listed[ObligationStatus.OVERDUE] == 3
    assert desk.executor.returned == listed[ObligationStatus.RETURNED] == 2
    statuses = {o.status for o in desk.executor.overdue_rows}  # type: ignore[attr-defined]
    assert statuses == {ObligationStatus.OVERDUE}
    assert len(desk.executor.returned_rows) == 2

    controller = world.person("controller_own")
    desk = today_desk(controller)
    assert desk.executor is None
    assert desk.controller is not None
    listed = obligation_status_counts(controller)
    assert desk.controller.overdue == listed[ObligationStatus.OVERDUE] == 3
    assert desk.controller.awaiting_review == 0
    # Another department's controller sees none of it.
    other = today_desk(world.person("controller_other")).controller
    assert other is not None
    assert other.overdue == 0
    assert other.overdue_rows == []


def test_the_desk_counts_waiting_reports_up_to_its_bound(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jospar.control.selectors import today as today_selectors

    activity = _many(world)
    executor, controller = world.person("executor_own"), world.person("controller_own")
    for obligation in Obligation.objects.filter(activity=activity).order_by("due_on")[:3]:
        draft = report_draft_save(actor=executor, obligation=obligation, text="Сделано", lang="ru")
        report_submit(actor=executor, report=draft)
    desk = today_desk(controller).controller
    assert desk is not None
    assert (desk.awaiting_review, desk.awaiting_review_more) == (3, False)
    monkeypatch.setattr(today_selectors, "DESK_COUNT_BOUND", 2)
    desk = today_desk(controller).controller
    assert desk is not None
    assert (desk.awaiting_review, desk.awaiting_review_more) == (2, True)
    html = _client(controller).get(reverse("control:today"), HTTP_ACCEPT_LANGUAGE="en")
    assert re.search(
        r'id="count-review" data-count="2" data-more="1"><strong>more than 2<',
        html.content.decode(),
    )


def test_the_review_page_counts_as_far_as_the_desk_and_numbers_its_pages_that_far(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The queue is worked oldest first: past the bound the page says "more than" and numbers
    the pages up to it; the desk counts as far."""
    from jospar.control.selectors import obligations as obligation_selectors
    from jospar.control.selectors import today as today_selectors
    from jospar.control.views import review as review_views

    activity = _many(world)
    executor, controller = world.person("executor_own"), world.person("controller_own")
    for obligation in Obligation.objects.filter(activity=activity).order_by("due_on")[:3]:
        draft = report_draft_save(actor=executor, obligation=obligation, text="Сделано", lang="ru")
        report_submit(actor=executor, report=draft)
    assert today_selectors.DESK_COUNT_BOUND == obligation_selectors.REVIEW_COUNT_BOUND == 1_000
    client = _client(controller)
    html = client.get(reverse("control:review"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'id="review-count">3 reports wait<', html)
    monkeypatch.setattr(review_views, "REVIEW_COUNT_BOUND", 2)
    monkeypatch.setattr(review_views, "PAGE_SIZE", 1)
    response = client.get(reverse("control:review"), HTTP_ACCEPT_LANGUAGE="en")
    assert re.search(r'id="review-count">More than 2 reports wait\.<', response.content.decode())
    assert response.context["page"].paginator.num_pages == 2


def test_today_page_links_each_count_to_its_list(world: World) -> None:
    _many(world)
    client = _client(world.person("executor_own"))
    html = client.get(reverse("control:today")).content.decode()
    found = dict(re.findall(r'href="([^"]+)" id="count-overdue" data-count="(\d+)"', html))
    ((url, count),) = found.items()
    assert count == "3"
    listed = client.get(url.replace("&amp;", "&")).content.decode()
    assert listed.count('data-status="overdue"') >= 3


def test_today_costs_the_same_for_more_obligations(world: World) -> None:
    executor = world.person("executor_own")
    client = _client(executor)
    client.get(reverse("control:today"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("control:today"))
    _many(world)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("control:today"))
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("executor_own", 200),
        ("akimat_executor", 200),
        ("controller_own", 200),
        ("observer", 403),
        ("administrator", 403),
    ],
)
def test_today_permission_matrix(world: World, role: str, status: int) -> None:
    response = _client(world.people[role]).get(reverse("control:today"))
    assert response.status_code == status
    assert _client(world.people[role]).post(reverse("control:today")).status_code in (
        302 if role == "anonymous" else 405,
    )
