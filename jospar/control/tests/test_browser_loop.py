"""The control loop as people do it, in a real Chromium: the Astana akimat reports on activity 14
of «Нация Единого Будущего» with a file, is refused until it attaches the information its form of
completion asks for («ПӘ-ге ақпарат»), the controller reads that evidence and returns the
report with a comment and a new date, the akimat revises and resubmits, the controller accepts,
then downloads the consolidated report as DOCX and reads its table, evidence included.
Screenshots go to ``var/screenshots/loop-*.png``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import settings
from django.utils import timezone

from jospar.control.models import ExecutionReport, Obligation, ReportState
from jospar.control.services.plan_revisions import plan_file_import
from jospar.control.tests.conftest import pdf_bytes
from jospar.core.calendar import next_working_day
from jospar.core.models import Organisation, OrganisationKind, Role, User

SEEDS = Path(__file__).resolve().parents[2] / "plans" / "demo_seeds"
SEED = next(SEEDS.glob("001_*.txt"))  # Russian
SEED_KK = next(SEEDS.glob("000_*.txt"))  # the same plan's Kazakh text
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
]


def _shot(page: Any, name: str, *, full: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"loop-{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def _log_in(browser: Any, url: str, username: str) -> Any:
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    # Executors and controllers land on "Today" (jospar.navigation).
    page.wait_for_url(f"{url}/control/today/")
    return page


def _status(page: Any) -> str:
    return str(page.locator("#obligation-status [data-status]").get_attribute("data-status"))


def test_report_return_resubmit_accept(
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
    plan = plan_file_import(actor=admin, data=SEED.read_bytes(), filename=SEED.name).plan
    # With its Kazakh version too, the Kazakh interface shows the activity in Kazakh.
    assert (
        plan_file_import(actor=admin, data=SEED_KK.read_bytes(), filename=SEED_KK.name).plan == plan
    )
    akimat = Organisation.objects.get(region__code="astana")
    make_user(
        Role.EXECUTOR,
        organisation=akimat,
        username="astana",
        password=PASSWORD,
        first_name="Астана қаласының әкімдігі",
    )
    department = Organisation.objects.create(
        kind=OrganisationKind.PRESIDENTIAL,
        name_kk="Ішкі саясат бөлімі",
        name_ru="Отдел внутренней политики",
        abbr_kk="ІСБ",
        abbr_ru="ОВП",
    )
    make_user(
        Role.CONTROLLER,
        organisation=department,
        username="controller",
        password=PASSWORD,
        first_name="Бақылаушы",
    )
    obligation = (
        Obligation.objects.filter(activity__plan=plan, activity__number="14", organisation=akimat)
        .order_by("deadline")
        .first()
    )
    assert obligation is not None
    url = live_server.url
    attachment = tmp_path / "akparat-14.pdf"
    attachment.write_bytes(pdf_bytes())
    document_file = tmp_path / "pa-akparat-14.pdf"
    document_file.write_bytes(pdf_bytes())

    # The akimat opens its obligations and finds activity 14.
    executor = _log_in(browser, url, "astana")
    executor.click("#nav-my-obligations")
    executor.wait_for_url("**/control/obligations/**")
    rows = executor.locator('#obligations-table tr[data-activity="14"]')
    assert rows.count() == 4
    assert "Болашағы Біртұтас Елдің" in rows.first.inner_text()
    _shot(executor, "01-my-obligations", full=False)
    row = executor.locator(f'#obligations-table tr[data-obligation="{obligation.pk}"]')
    assert row.get_attribute("data-status") == "overdue"
    row.locator("td").first.locator("a").click()
    executor.wait_for_url(f"**/control/obligations/{obligation.pk}/")
    assert _status(executor) == "overdue"
    _shot(executor, "02-obligation")

    # Writes the report with a file, and submits it.
    executor.fill("#id_text", "Астана қаласында 45 билборд және 120 плакат орналастырылды.")
    executor.select_option("#id_lang", "kk")
    executor.set_input_files("#id_files", str(attachment))
    executor.fill("#id_link_url", "https://astana.gov.kz/kk/news/1")
    executor.fill("#id_link_title", "Әкімдік жаңалығы")
    _shot(executor, "03-report-written")
    executor.click("#submit-report")
    # Refused: the form of completion asks for information to the Presidential Administration,
    # and no document is given for it. The draft (text, file, link) is kept.
    executor.wait_for_url(f"**/control/obligations/{obligation.pk}/report/")
    assert executor.locator("#evidence-information .error-text").count() == 1
    assert executor.locator("#evidence-information .badge.warn").count() == 1
    assert _status(executor) == "overdue"
    _shot(executor, "03b-evidence-refused")
    executor.set_input_files("#ev-information-files", str(document_file))
    executor.click("#evidence-add-information")
    executor.wait_for_url(f"**/control/obligations/{obligation.pk}/**")
    rows = executor.locator("#evidence-information li[data-evidence]")
    assert rows.count() == 1
    assert "pa-akparat-14.pdf" in rows.inner_text()
    assert executor.input_value("#id_text").startswith("Астана қаласында 45 билборд")
    executor.click("#submit-report")
    executor.wait_for_url(f"**/control/obligations/{obligation.pk}/**")
    assert _status(executor) == "submitted_late"
    assert executor.locator("#under-review").count() == 1
    assert sorted(executor.locator("#history ul.files a[download]").all_inner_texts()) == [
        "akparat-14.pdf",
        "pa-akparat-14.pdf",
    ]
    _shot(executor, "04-submitted")

    # The controller finds it in the review queue and returns it with a comment and a date.
    controller = _log_in(browser, url, "controller")
    controller.click("#nav-review")
    controller.wait_for_url("**/control/review/")
    queued = controller.locator('#review-table tr[data-activity="14"]')
    assert queued.count() == 1
    _shot(controller, "05-review-queue", full=False)
    queued.locator("td").first.locator("a").click()
    controller.wait_for_url(f"**/control/obligations/{obligation.pk}/**")
    assert controller.locator("#under-review").count() == 0
    assert controller.locator("#review article[data-version]").count() == 1
    assert controller.locator("#history").count() == 0  # the one version is in the review box
    # The evidence stands beside the report under review.
    given = controller.locator('#review [data-evidence-kind="information"]')
    assert given.count() == 1
    assert "pa-akparat-14.pdf" in given.inner_text()
    asked = timezone.localdate() + dt.timedelta(days=12)
    controller.fill("#return-comment", "Фотосуреттерді және орналастыру мекенжайларын қосыңыз.")
    controller.fill("#return-date", asked.isoformat())
    _shot(controller, "06-review")
    controller.click("#return-report")
    controller.wait_for_url(f"**/control/obligations/{obligation.pk}/")
    assert _status(controller) == "returned"
    moved = next_working_day(asked)
    obligation.refresh_from_db()
    assert obligation.deadline == moved
    _shot(controller, "07-returned-controller", full=False)

    # The akimat sees "returned" with the comment, revises and resubmits.
    executor.goto(f"{url}/control/obligations/{obligation.pk}/")
    assert _status(executor) == "returned"
    note = executor.locator("#returned-note").inner_text()
    assert "Фотосуреттерді" in note
    assert moved.strftime("%d.%m.%Y") in note
    assert executor.input_value("#id_text").startswith("Астана қаласында 45 билборд")
    # The revision starts with the returned version's file and link, and says so.
    assert "akparat-14.pdf" in executor.locator("#carried-over").inner_text()
    _shot(executor, "08-returned-executor")
    executor.fill(
        "#id_text",
        "Астана қаласында 45 билборд және 120 плакат орналастырылды; мекенжайлар мен"
        " фотосуреттер қоса беріліп отыр.",
    )
    executor.click("#submit-report")
    executor.wait_for_url(f"**/control/obligations/{obligation.pk}/**")
    # On time against the new date, but the first submission was late: lateness stays.
    assert _status(executor) == "submitted_late"
    assert executor.locator("#history article[data-version]").count() == 2
    latest = ExecutionReport.objects.filter(obligation=obligation).order_by("-version").first()
    assert latest is not None
    assert latest.version == 2
    assert latest.attachments.count() == 2
    assert latest.links.count() == 1
    assert latest.evidence.get().files.get().original_name == "pa-akparat-14.pdf"
    _shot(executor, "09-resubmitted")

    # The controller accepts.
    controller.goto(f"{url}/control/obligations/{obligation.pk}/")
    controller.click("#accept-report")
    controller.wait_for_url(f"**/control/obligations/{obligation.pk}/")
    assert _status(controller) == "accepted"
    latest.refresh_from_db()
    assert latest.state == ReportState.ACCEPTED

    # The akimat sees "accepted", on the page and in its list.
    executor.goto(f"{url}/control/obligations/{obligation.pk}/")
    assert _status(executor) == "accepted"
    assert executor.locator("#accepted-note").count() == 1
    assert executor.locator("#report-form").count() == 0
    _shot(executor, "10-accepted")
    executor.goto(f"{url}/control/obligations/?status=accepted")
    accepted = executor.locator('#obligations-table tr[data-activity="14"]')
    assert accepted.count() == 1
    assert accepted.get_attribute("data-status") == "accepted"
    _shot(executor, "11-accepted-list", full=False)

    # The controller builds the consolidated report for the period of that obligation, in
    # Kazakh, as DOCX, downloads it and finds activity 14 with what the akimat reported.
    controller.goto(f"{url}/plans/{plan.pk}/")
    controller.click(f'a[href="/control/plans/{plan.pk}/report/"]')
    controller.wait_for_url(f"**/control/plans/{plan.pk}/report/")
    controller.select_option("#id_period", "custom")
    controller.fill("#id_period_start", obligation.due_on.isoformat())
    controller.fill("#id_period_end", obligation.due_on.isoformat())
    controller.check('input[name="lang"][value="kk"]')
    controller.check('input[name="format"][value="docx"]')
    _shot(controller, "12-export-request")
    controller.click("main form button[type=submit]")
    controller.wait_for_url("**/control/exports/*/")
    link = controller.locator("#export-status a[download]")
    link.wait_for()
    _shot(controller, "13-export-ready", full=False)
    with controller.expect_download() as download_info:
        link.click()
    saved = tmp_path / "report.docx"
    download_info.value.save_as(saved)
    assert download_info.value.suggested_filename.endswith("-kk.docx")

    document = docx.Document(str(saved))
    assert document.paragraphs[0].text == "Іс-шаралар жоспарының орындалу барысы туралы ақпарат"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Р/с №",
        "Іс-шараның атауы",
        "Аяқталу нысаны",
        "Жауапты орындаушылар",
        "Орындалу мерзімі",
        "Орындалуы туралы ақпарат",
        "Орындалу белгісі",
    ]
    numbered = [row for row in table.rows[2:] if row.cells[0].text.strip() == "14"]
    assert len(numbered) == 1
    cells = [c.text for c in numbered[0].cells]
    assert "Болашағы Біртұтас Елдің" in cells[1]  # the activity in Kazakh
    assert "мекенжайлар мен фотосуреттер қоса беріліп отыр" in cells[5]  # the accepted version
    assert cells[5].count("Астана қаласында 45 билборд") == 1  # one version, not both
    assert "pa-akparat-14.pdf" in cells[5]  # the evidence of completion
    assert "Қабылданды" in cells[6]
