"""A project task through the control loop, in a real Chromium: a sub-program manager of
«Рухани жаңғыру» (read from `002_*`) issues, on a base project, a project task to the Astana
akimat and prints it (PDF and DOCX); the akimat's executor reports with a file; the manager
returns it, the executor reports again, the manager accepts. Console errors, broken images and
requests to any other address fail the test. Screenshots go to ``var/screenshots/ptask-*.png``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import settings
from django.utils import timezone

from jospar.control.models import ExecutionReport, Obligation, ReportState
from jospar.control.tests.conftest import pdf_bytes
from jospar.control.tests.test_browser_loop import PASSWORD
from jospar.core.models import Organisation, Role, User
from jospar.programs.models import NodeKind, ProgramNode, ProgramRole, ProjectTask
from jospar.programs.roles import ProjectRole
from jospar.programs.services import program_import

SEED = next((Path(__file__).resolve().parents[2] / "programs" / "demo_seeds").glob("002_*.txt"))
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ptask-{name}.png"), full_page=True)


def _watched(chromium: Any, url: str, username: str, problems: list[str]) -> Any:
    context = chromium.new_context(locale="kk-KZ", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)

    def route(r: Any) -> None:
        if r.request.url.startswith(url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            problems.append(f"outside request: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def _check_images(page: Any, problems: list[str]) -> None:
    broken = page.evaluate(
        "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    problems.extend(f"broken image: {src}" for src in broken)


def _status(page: Any) -> str:
    return str(page.locator("#obligation-status [data-status]").get_attribute("data-status"))


def test_project_task_issue_print_report_return_accept(
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
    # The sub-program's manager (who prepares project tasks, as the form says) on a base project.
    project = (
        ProgramNode.objects.filter(program=program, kind=NodeKind.BASE_PROJECT)
        .select_related("parent")
        .first()
    )
    assert project is not None
    assert project.parent is not None
    manager = make_user(username="manager", password=PASSWORD, first_name="Айгүл Серікова")
    ProgramRole.objects.create(
        program=program, node=project.parent, user=manager, role=ProjectRole.MANAGER
    )
    akimat = Organisation.objects.get(region__code="astana")
    make_user(Role.EXECUTOR, organisation=akimat, username="astana", password=PASSWORD)
    url = live_server.url
    problems: list[str] = []
    attachment = tmp_path / "akparat.pdf"
    attachment.write_bytes(pdf_bytes())

    # The manager opens the project in the tree and issues a task to the Astana akimat.
    boss = _watched(browser, url, "manager", problems)
    boss.goto(f"{url}/programs/nodes/{project.pk}/")
    boss.click("#issue-task-link")
    boss.wait_for_url(f"**/control/program-nodes/{project.pk}/project-tasks/new/")
    boss.fill("#addressee-1", akimat.name_kk)
    boss.fill("#items", "Өңірлік жобалық офистің есебін ұсыну\nҚалалық іс-шараны өткізу")
    deadline = timezone.localdate() + dt.timedelta(days=14)
    boss.fill("#deadline", deadline.isoformat())
    boss.fill("#contact", "+7 7172 000000, manager@example.kz")
    _shot(boss, "01-issue")
    boss.click("#issue-task")
    boss.wait_for_url("**/control/project-tasks/*/")
    task = ProjectTask.objects.get(program=program)
    assert "Өңірлік жобалық офистің есебін ұсыну" in boss.locator("#task-items").inner_text()
    _check_images(boss, problems)
    _shot(boss, "02-task")

    # ... and prints it: PDF (Kazakh) and DOCX (Russian).
    with boss.expect_download() as pdf_info:
        boss.click("#print-pdf-kk")
    pdf_path = tmp_path / "task.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    with boss.expect_download() as docx_info:
        boss.click('#print-links a[href$="/docx/ru/"]')
    document = docx.Document(io.BytesIO(Path(docx_info.value.path()).read_bytes()))
    assert any(p.text == "ПРОЕКТНОЕ ЗАДАНИЕ" for p in document.paragraphs)
    obligation = Obligation.objects.get(project_task=task)
    # The program's dashboard: the base project's task is not due yet, so its light is unlit.
    dashboard = f"{url}/control/programs/{program.pk}/dashboard/?node={project.parent.pk}"
    boss.goto(dashboard)
    project_row = f'#program-tree tr[data-node="{project.pk}"]'
    assert boss.locator(project_row).get_attribute("data-light") == "none"

    # The akimat's executor finds it in its obligations and reports with a file.
    akim = _watched(browser, url, "astana", problems)
    akim.goto(f"{url}/control/obligations/?organisation={akimat.pk}")
    row = akim.locator(f'#obligations-table tr[data-obligation="{obligation.pk}"]')
    assert row.get_attribute("data-activity") == f"№{task.pk}"
    row.locator("td").first.locator("a").click()
    akim.wait_for_url(f"**/control/obligations/{obligation.pk}/")
    akim.fill("#id_text", "Есеп ұсынылды, іс-шара өткізілді.")
    akim.set_input_files("#id_files", str(attachment))
    akim.click("#submit-report")
    akim.wait_for_url(f"**/control/obligations/{obligation.pk}/**")
    assert _status(akim) == "submitted_on_time"
    _shot(akim, "03-reported")

    # The manager returns it with a comment and a new date.
    boss.goto(f"{url}/control/obligations/{obligation.pk}/")
    boss.fill("#return-comment", "Іс-шараның фотосуреттерін қосыңыз.")
    boss.fill("#return-date", (deadline + dt.timedelta(days=7)).isoformat())
    boss.click("#return-report")
    boss.wait_for_url(f"**/control/obligations/{obligation.pk}/")
    assert _status(boss) == "returned"
    _shot(boss, "04-returned")

    # The executor reports again.
    akim.goto(f"{url}/control/obligations/{obligation.pk}/")
    assert "фотосуреттерін" in akim.locator("#returned-note").inner_text()
    akim.fill("#id_text", "Есеп ұсынылды, іс-шара өткізілді; фотосуреттер қоса берілді.")
    akim.click("#submit-report")
    akim.wait_for_url(f"**/control/obligations/{obligation.pk}/**")
    assert _status(akim) == "submitted_on_time"

    # The manager accepts.
    boss.goto(f"{url}/control/obligations/{obligation.pk}/")
    boss.click("#accept-report")
    boss.wait_for_url(f"**/control/obligations/{obligation.pk}/")
    assert _status(boss) == "accepted"
    _shot(boss, "05-accepted")
    latest = ExecutionReport.objects.filter(obligation=obligation).order_by("-version").first()
    assert latest is not None
    assert latest.version == 2
    assert latest.state == ReportState.ACCEPTED
    boss.goto(f"{url}/control/project-tasks/{task.pk}/")
    assert (
        boss.locator(f'tr[data-obligation="{obligation.pk}"]').get_attribute("data-status")
        == "accepted"
    )
    # The dashboard changes accordingly: the task done on time lights the base project green.
    boss.goto(dashboard)
    assert boss.locator(project_row).get_attribute("data-light") == "green"
    _check_images(boss, problems)
    assert problems == []
