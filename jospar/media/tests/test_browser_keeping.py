"""The monitoring's newer pages in a real Chromium, in Kazakh, at a phone's width (390 px): the
administrator adds a source (a refused form first), edits it and stops collecting it; the plan's
controller sets a rubric on the monitoring activity, sees its cadence and marks the activity as
reported by the quarterly monitoring report; the activity's executor builds the quarter's
report, submits it and attaches it to the execution report with one action. On every page: no
script error, no broken image, nothing asked outside jospar, no horizontal overflow, no serious
axe-core violation of WCAG 2.1 AA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from jospar.control.models import ReportAttachment
from jospar.control.tests.conftest import build_world
from jospar.core.models import User
from jospar.media.models import (
    MonitoringActivity,
    MonitoringReport,
    MonitoringReportUse,
    Rubric,
    Source,
)
from jospar.media.services.publications import NewPublication, publications_record
from tests.browser_checks import Watch, page_check

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser]


def _phone(browser: Any, base: str, username: str, watch: Watch) -> Any:
    context = browser.new_context(locale="kk-KZ", viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def test_sources_rubric_cadence_and_the_report_attached_on_a_phone(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    make_user: Callable[..., User],
    tmp_path: Any,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(make_user)
    activity = world.standalone
    base = live_server.url
    watch = Watch(base)
    text = "«Туған жер» айдары: ауылда жаңа мектеп ашылды, оқушылар мен ата-аналар қуанышты."
    district = Source.objects.create(name="Аудан жаңалықтары", kind="regional", method="feed")
    publications_record(
        source=district,
        news=[
            NewPublication(
                url=f"https://audan.example/{n}", text=text, published_on=dt.date(2026, 10, d)
            )
            for n, d in enumerate((5, 12))
        ],
    )

    # The administrator adds a source: a form without a name is refused, field by field.
    admin = _phone(browser, base, "administrator", watch)
    admin.goto(f"{base}/monitoring/sources/new/")
    page_check(admin, watch)
    admin.select_option("#s-kind", "national")
    admin.select_option("#s-method", "feed")
    admin.fill("#s-url", "https://egemen.example/rss")
    admin.click("#source-form button[type=submit]")
    admin.wait_for_load_state()
    assert admin.locator("#s-name-error").is_visible()
    assert admin.get_attribute("#s-name", "aria-invalid") == "true"
    # The refused form answers 400 (as every refused form does), which Chromium logs as a
    # failed resource; it is the only message expected.
    assert watch.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    watch.errors.clear()
    page_check(admin, watch)
    admin.fill("#s-name", "Егемен Қазақстан")
    admin.check("#source-form input[name=languages][value=kk]")
    admin.fill("#s-audience", "250000")
    admin.click("#source-form button[type=submit]")
    admin.wait_for_url("**/monitoring/sources/*/edit/")
    source = Source.objects.get(name="Егемен Қазақстан")
    assert (source.languages, source.declared_audience) == (["kk"], 250000)
    page_check(admin, watch)
    # ... edits it, and stops collecting it.
    admin.fill("#s-name", "Egemen Qazaqstan")
    admin.click("#source-form button[type=submit]")
    admin.wait_for_load_state()
    admin.click("#source-active-form button[type=submit]")
    admin.wait_for_load_state()
    source.refresh_from_db()
    assert (source.name, source.active) == ("Egemen Qazaqstan", False)
    admin.goto(f"{base}/monitoring/sources/")
    assert admin.locator('[data-state="disabled"]').count() == 1
    page_check(admin, watch)

    # The plan's controller sets the rubric the plan prescribes and sees its cadence.
    controller = _phone(browser, base, "controller_own", watch)
    page_url = f"{base}/monitoring/activities/{activity.pk}/?year=2026&quarter=4"
    controller.goto(page_url)
    page_check(controller, watch)
    controller.fill("#r-name", "«Туған жер»")
    controller.fill("#r-expected", "2")
    controller.select_option("#r-period", "month")
    controller.click("#rubric-form button[type=submit]")
    controller.wait_for_load_state()
    rubric = Rubric.objects.get()
    assert rubric.name == "Туған жер"
    controller.goto(page_url)
    rows = controller.locator("#cadence-table tbody tr")
    assert rows.count() == 3  # October, November, December
    assert controller.locator('#cadence-table tr[data-met="1"]').count() == 1
    assert controller.locator('#cadence-table tr[data-met="0"]').count() == 2
    page_check(controller, watch)
    controller.click(f'#cadence-table a[href$="/monitoring/rubrics/{rubric.pk}/"]')
    controller.wait_for_url(f"**/monitoring/rubrics/{rubric.pk}/")
    page_check(controller, watch)
    controller.fill("#r-expected", "1")
    controller.click("#rubric-edit-form button[type=submit]")
    controller.wait_for_load_state()
    rubric.refresh_from_db()
    assert rubric.expected == 1
    # ... and marks the activity as reported by the quarterly monitoring report.
    controller.goto(page_url)
    assert controller.locator('#cadence-table tr[data-met="1"]').count() == 1
    controller.click("#mark-form button[type=submit]")
    controller.wait_for_load_state()
    assert MonitoringActivity.objects.filter(activity=activity).exists()
    controller.goto(page_url)
    assert controller.locator("#monitoring-mark").is_visible()
    page_check(controller, watch)

    # The executor builds the quarter's report, submits it and attaches it with one action.
    executor = _phone(browser, base, "exec_own", watch)
    executor.goto(f"{base}/monitoring/report/")
    page_check(executor, watch)
    executor.fill("#r-year", "2026")
    executor.select_option("#r-quarter", "4")
    executor.select_option("#r-lang", "kk")
    executor.click("#report-form button[type=submit]")
    executor.wait_for_load_state()
    report = MonitoringReport.objects.get()
    assert report.data["total"] == 2
    executor.click(f'#reports-table form[action$="/report/{report.pk}/submit/"] button')
    executor.wait_for_load_state()
    report.refresh_from_db()
    assert report.submitted_at is not None
    page_check(executor, watch)
    executor.goto(page_url)
    attach = executor.locator(f'#monitoring-reports form[action$="/report/{report.pk}/attach/"]')
    assert attach.count() == 1
    page_check(executor, watch)
    attach.locator("button").click()
    executor.wait_for_load_state()
    use = MonitoringReportUse.objects.select_related("execution_report").get(report=report)
    assert use.execution_report.obligation_id == world.own.pk
    assert ReportAttachment.objects.filter(report__obligation=world.own).count() == 1
    executor.goto(page_url)
    page_check(executor, watch)
