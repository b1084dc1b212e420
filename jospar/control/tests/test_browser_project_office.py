"""The project office in a real Chromium, on «Рухани жаңғыру» read from `002_*`: the manager
declares a base project at risk with a reason, adds a risk, reorders the board (by keyboard
buttons and by dragging); the head of Astana's regional project office writes the month's
status report and sends it; the centre returns it with a comment, the office sends it again,
the centre accepts. Console errors, broken images, requests to any other address and serious
axe violations fail the test. Screenshots go to ``var/screenshots/office-*.png``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from jospar.control.project_office.services import status_schedule_set
from jospar.control.services.project_tasks import project_task_issue
from jospar.control.tests.test_browser_loop import PASSWORD
from jospar.control.tests.test_browser_project_task import _check_images, _watched
from jospar.core.models import Organisation, Region, Role, User
from jospar.core.tests.test_browser_all_pages import _axe
from jospar.programs.models import (
    BoardCard,
    NodeKind,
    NodeStatus,
    ProgramNode,
    ProgramRole,
    Risk,
    StatusReport,
)
from jospar.programs.models_office import Frequency
from jospar.programs.roles import ProjectRole
from jospar.programs.selectors.office import node_declared_status
from jospar.programs.services import program_import

SEED = next((Path(__file__).resolve().parents[2] / "programs" / "demo_seeds").glob("002_*.txt"))
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [pytest.mark.browser]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"office-{name}.png"), full_page=True)


def _order(page: Any) -> list[int]:
    cards = page.locator('section[data-column="todo"] .board-card')
    return [int(cards.nth(i).get_attribute("data-task")) for i in range(cards.count())]


def test_status_risk_board_and_a_status_report_returned_then_accepted(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = make_user(Role.ADMINISTRATOR, username="admin", password=PASSWORD)
    program = program_import(
        actor=admin, data=SEED.read_text(encoding="utf-8"), filename=SEED.name
    ).program
    base = (
        ProgramNode.objects.filter(program=program, kind=NodeKind.BASE_PROJECT)
        .select_related("parent")
        .first()
    )
    assert base is not None
    assert base.parent is not None
    sub = base.parent
    manager = make_user(username="manager", password=PASSWORD, first_name="Айгүл")
    ProgramRole.objects.create(program=program, node=sub, user=manager, role=ProjectRole.MANAGER)
    centre = make_user(username="centre", password=PASSWORD, first_name="Ерлан")
    ProgramRole.objects.create(
        program=program, node=sub, user=centre, role=ProjectRole.SUBPROGRAM_HEAD
    )
    astana = Region.objects.get(code="astana")
    office = make_user(username="office", password=PASSWORD, first_name="Дана")
    ProgramRole.objects.create(
        program=program,
        node=sub,
        user=office,
        role=ProjectRole.REGIONAL_OFFICE_HEAD,
        region=astana,
    )
    akimat = Organisation.objects.get(region__code="astana")
    tasks = [
        project_task_issue(
            actor=manager,
            node=base,
            addressees=[akimat.name_kk],
            required_items=[f"Ақпарат ұсыну {i}"],
            deadline=timezone.localdate() + dt.timedelta(days=10 + i),
        )
        for i in range(3)
    ]
    status_schedule_set(
        actor=centre,
        program=program,
        node=sub,
        frequency=Frequency.MONTHLY,
        starts_on=(timezone.localdate().replace(day=1) - dt.timedelta(days=40)).replace(day=1),
        regions=[astana],
    )
    report = StatusReport.objects.filter(region=astana).order_by("period_start").first()
    assert report is not None
    url = live_server.url
    problems: list[str] = []

    # The manager declares the base project at risk, with a reason.
    boss = _watched(browser, url, "manager", problems)
    boss.goto(f"{url}/programs/nodes/{base.pk}/")
    boss.check('#status-form input[value="at_risk"]')
    boss.fill("#status-form textarea[name=reason]", "Форум өтетін алаң дайын емес")
    boss.click("#status-form button[type=submit]")
    boss.wait_for_load_state()
    assert boss.locator("#declared-status [data-status]").get_attribute("data-status") == "at_risk"
    assert node_declared_status(base.pk) == "at_risk"
    assert NodeStatus.objects.get().reason == "Форум өтетін алаң дайын емес"
    problems += [f"axe node: {p}" for p in _axe(boss)]
    _shot(boss, "01-status")

    # ... adds a risk to the register.
    boss.click("#risks-link")
    boss.wait_for_url(f"**/programs/nodes/{base.pk}/risks/")
    boss.fill("#risk-title", "Мердігер кешігуі мүмкін")
    boss.select_option("#risk-probability", "4")
    boss.select_option("#risk-impact", "5")
    boss.select_option("#risk-owner", str(manager.pk))
    boss.fill("#risk-response", "Екінші мердігермен келісу")
    boss.fill("#risk-review", (timezone.localdate() + dt.timedelta(days=7)).isoformat())
    boss.click("#risk-form button[type=submit]")
    boss.wait_for_load_state()
    row = boss.locator("#risks tbody tr[data-risk]")
    assert row.count() == 1
    assert row.get_attribute("data-score") == "20"
    assert Risk.objects.get().score == 20
    problems += [f"axe risks: {p}" for p in _axe(boss)]
    _shot(boss, "02-risk")

    # ... reorders the board: a keyboard button (a form, no script needed), then a drag.
    boss.goto(f"{url}/control/program-nodes/{base.pk}/board/")
    ids = [t.pk for t in tasks]
    assert _order(boss) == ids
    down = boss.locator(f'.board-card[data-task="{ids[0]}"] .move-down')
    down.focus()
    with boss.expect_navigation():
        boss.keyboard.press("Enter")
    assert _order(boss) == [ids[1], ids[0], ids[2]]
    # The board saves the order, then reloads itself (board.js): the test waits for that
    # reload, or its own next navigation may cut it (net::ERR_ABORTED, seen in CI).
    with (
        boss.expect_navigation(),
        boss.expect_response(lambda r: "/board/order/" in r.url and r.status == 204),
    ):
        boss.drag_and_drop(
            f'.board-card[data-task="{ids[2]}"]',
            f'.board-card[data-task="{ids[1]}"]',
            target_position={"x": 10, "y": 2},
        )
    boss.wait_for_load_state()
    boss.goto(f"{url}/control/program-nodes/{base.pk}/board/")
    assert _order(boss) == [ids[2], ids[1], ids[0]]
    assert [c.task_id for c in BoardCard.objects.filter(node=base).order_by("position")] == [
        ids[2],
        ids[1],
        ids[0],
    ]
    problems += [f"axe board: {p}" for p in _axe(boss)]
    _check_images(boss, problems)
    _shot(boss, "03-board")

    # Astana's regional project office writes the month's status report and sends it.
    desk = _watched(browser, url, "office", problems)
    desk.goto(f"{url}/control/programs/{program.pk}/status-reports/")
    desk.click(f'#status-reports tr[data-report="{report.pk}"] a')
    desk.wait_for_url(f"**/control/status-reports/{report.pk}/")
    desk.fill("#narrative", "Өңірде 12 іс-шара өткізілді.")
    desk.fill("#risks", "Алаң дайын емес.")
    desk.fill("#help_requests", "Әдістемелік көмек қажет.")
    desk.click("#send-report")
    desk.wait_for_load_state()
    assert desk.locator("#report-state").get_attribute("data-state") == "submitted"
    problems += [f"axe report: {p}" for p in _axe(desk)]
    _shot(desk, "04-sent")

    # The centre returns it with a comment...
    head = _watched(browser, url, "centre", problems)
    head.goto(f"{url}/control/status-reports/{report.pk}/")
    assert head.locator('[data-figure="tasks_done"]').inner_text() == "0"
    head.fill("#comment", "Аудандар бойынша көрсетіңіз.")
    head.click("#return-report")
    head.wait_for_load_state()
    assert head.locator("#report-state").get_attribute("data-state") == "returned"
    _shot(head, "05-returned")

    # ... the office revises and sends it again; the centre accepts.
    desk.reload()
    desk.fill("#narrative", "Өңірде 12 іс-шара өткізілді: Есіл ауданында 5, Алматы ауданында 7.")
    desk.click("#send-report")
    desk.wait_for_load_state()
    assert desk.locator("#report-state").get_attribute("data-state") == "submitted"
    head.reload()
    head.click("#accept-report")
    head.wait_for_load_state()
    assert head.locator("#report-state").get_attribute("data-state") == "accepted"
    assert head.locator("#review-history li").count() == 2
    problems += [f"axe review: {p}" for p in _axe(head)]
    _check_images(head, problems)
    _shot(head, "06-accepted")
    report.refresh_from_db()
    assert report.state == "accepted"
    assert report.version == 2
    assert report.obligation.accepted_at is not None
    assert not problems, problems
