"""Every page of every role, in Kazakh and Russian, in a real Chromium at a phone's width
(issue #8, "What it must show").

English is the catalogues' source language: its pages are the same markup with the msgids shown,
so what a walk in English could find (an untranslated sentence cannot be; an overflow of a longer
text shows first in Russian) the two walks already find. Leaving it out keeps CI within its 20
minutes (docs/decisions.md, "CI time").

Against a live server holding the demo (`jospar demo`, plus a plan upload waiting for review and
a consolidated report), each role — administrator, controller, executor, observer, official,
moderator, citizen, anonymous — opens every page in one browser context per language, 390 px
wide. A page fails on:

- an error in the console, or an uncaught script error;
- a broken image (``naturalWidth`` 0 once loaded);
- a request to any host but the live server (recorded from the page's requests, none of which
  is intercepted: interception turns the browser's cache off, and every page then fetched its
  styles, scripts and fonts again — a quarter of the walk's time). The maps are walked without
  a tile server, the case they must survive; ``civic/tests/test_browser_map.py`` loads them
  with the tile host blocked and ``core/tests/test_maps.py`` checks the policy that names it;
- an English sentence of jospar's own catalogue on a Kazakh or Russian page (a msgid of four
  words or more, shown verbatim: untranslated);
- a horizontal overflow (``scrollWidth`` > ``clientWidth``);
- an error page (4xx/5xx) without jospar's stylesheet;
- a serious or critical axe-core violation of WCAG 2.0/2.1 A and AA (Kazakh pages only: the
  markup does not change with the language), checked once per page in the whole walk, by the
  first role of either half that opens it.

"Every page" is derived from the URL patterns: a pattern that is neither visited nor excluded
below with a reason fails the test, so a new page cannot be forgotten. Defects in other helpers'
areas are listed in ``KNOWN_DEFECTS`` — narrow (check, page, detail), each with the branch that
fixes it — so that the integrator removes them after merging.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jospar.core.tests.test_translations import _english_sentences

PASSWORD = "demo-pass-1"
LANGS = ("kk", "ru")
WIDTH = 390

# --- what is not visited, and why -----------------------------------------------------------
# Route prefixes (as the URL patterns spell them) that are not pages.
EXCLUDED_PREFIXES = {
    "api/": "the JSON API: no page (its own tests cover it)",
    "open311/v2/": "Open311 GeoReport v2: XML/JSON for machines (its own tests cover it)",
    "i18n/": "the language switch: a POST from every page's header",
    "admin/r/": "the admin's 'view on site' redirect",
    "admin/jsi18n/": "the admin's JavaScript catalogue",
    "admin/autocomplete/": "the admin's autocomplete JSON",
}
# Single patterns that are not pages, by route.
EXCLUDED_ROUTES = {
    "accounts/logout/": "POST only (the header's form)",
    "admin/logout/": "POST only",
    "admin/login/": "the admin's login: a signed-in person is sent on; jospar's login is visited",
    "plans/upload/<id:upload_id>/status/": "htmx fragment polled by the upload page",
    "plans/upload/<id:upload_id>/cell/": "htmx fragment of the upload page",
    "plans/upload/<id:upload_id>/correct/": "POST only",
    "plans/upload/<id:upload_id>/save/": "POST only",
    "plans/upload/<id:upload_id>/discard/": "POST only",
    "control/obligations/<id:obligation_id>/report/": "POST only (the report form)",
    "control/attachments/<id:attachment_id>/": "a file download, not a page",
    "control/reports/<id:report_id>/submit/": "POST only",
    "control/reports/<id:report_id>/attachments/<id:attachment_id>/remove/": "POST only",
    "control/reports/<id:report_id>/links/<id:link_id>/remove/": "POST only",
    "control/reports/<id:report_id>/accept/": "POST only",
    "control/reports/<id:report_id>/return/": "POST only",
    "control/activities/<id:activity_id>/decide/": "POST only",
    "control/exports/<id:export_id>/status/": "htmx fragment polled by the export page",
    "control/exports/<id:export_id>/download/": "a file download, not a page",
    "control/discipline/map.json": "data of the discipline page",
    "control/plan-options/": "htmx fragment of the plan filter's search",
    "civic/map/clusters.json": "data of the portal's map",
    "civic/map/regions.geojson": "data of the portal's map",
    "civic/reports.csv": "a CSV download (its page for a large export: test_portal_export)",
    "civic/exports/": "POST only",
    "civic/exports/<id:export_id>/": "shown only to who asked for the export; the demo has "
    "none (tested in civic/tests/test_portal_export.py)",
    "civic/exports/<id:export_id>/file/": "a file download, not a page",
    "civic/reports/new/nearby/": "htmx fragment of the filing page",
    "civic/media/<id:media_id>/original/": "a file download, not a page",
    "notifications/<id:notification_id>/read/": "POST only",
    "notifications/<id:notification_id>/open/": "POST only (the notification's button)",
    "notifications/settings/": "POST only (the notifications page's form)",
    "notifications/read-all/": "POST only",
    "media/<path:path>": "uploaded files (the media helper serves them)",
    "^media/(?P<path>.*)$": "uploaded files (the media helper serves them)",
    "plans/<id:plan_id>/title/": "POST only (the plan page's title form)",
    "plans/upload/<id:upload_id>/details/": "POST only (the upload page's details form)",
    "plans/upload/<id:upload_id>/executor/": "POST only (the upload page's executor links)",
    "programs/upload/<id:upload_id>/save/": "POST only",
    "control/plans/<id:plan_id>/amendments/<id:amendment_id>/": (
        "the demo holds no amending act; control/tests/test_browser_amendment.py opens it"
    ),
    "control/plans/<id:plan_id>/amendments/<id:amendment_id>/correct/": "POST only",
    "control/plans/<id:plan_id>/amendments/<id:amendment_id>/apply/": "POST only",
    "control/plans/<id:plan_id>/amendments/<id:amendment_id>/discard/": "POST only",
    "programs/upload/<id:upload_id>/discard/": "POST only",
    "civic/map/places.geojson": "data of the portal's map",
    "civic/map/search.json": "data of the portal's map search",
    "media/<path:name>": "uploaded files, served through an access check (test_media_serving)",
    "indicators/export.xlsx": "an XLSX download",
    "regions/shapes.geojson": "data of every map (the regions' shapes)",
    "indicators/regions/<id:region_id>/export.xlsx": "an XLSX download",
    "indicators/exchange/values.csv": "a CSV download",
    "indicators/exchange/dataValueSets.json": "a JSON download",
    "indicators/values/<id:value_id>/review/": "POST only (the approval queue's buttons)",
    "programs/roles/<id:role_id>/revoke/": "POST only (the roles page's buttons)",
    "control/obligations/<id:obligation_id>/evidence/": "POST only (the obligation page's forms)",
    "control/program-nodes/<id:node_id>/key-event/": "POST only (the node page's button)",
    "control/reports/<id:report_id>/evidence/<id:evidence_id>/remove/": "POST only",
    "control/project-tasks/<id:task_id>/withdraw/": "POST only (the task page's button)",
    "programs/nodes/<id:node_id>/status/": "POST only (the node page's status form)",
    "programs/risks/<id:risk_id>/close/": "POST only (the risk page's close form)",
    "control/program-nodes/<id:node_id>/board/move/": "POST only (the board's ↑/↓ buttons)",
    "control/program-nodes/<id:node_id>/board/order/": "POST only (the board's drag and drop)",
    "control/programs/<id:program_id>/status-reports/schedule/": "POST only (the list's form)",
    "control/status-reports/<id:status_report_id>/review/": "POST only (the report's buttons)",
    "control/project-tasks/<id:task_id>/print/<slug:fmt>/<slug:lang>/": "a file download",
    "monitoring/sources/<id:source_id>/upload/": "POST only (the sources page's file form)",
    "monitoring/proposals/<id:proposal_id>/decide/": "POST only (the publication page's buttons)",
    "monitoring/report/<id:report_id>/download/": "a file download, not a page",
    "monitoring/report/<id:report_id>/submit/": "POST only",
    "monitoring/report/<id:report_id>/attach/": "POST only (the report page's button)",
    "monitoring/sources/<id:source_id>/active/": "POST only (the source page's button)",
    "monitoring/activities/<id:activity_id>/rubrics/": "POST only (the activity page's form)",
    "monitoring/activities/<id:activity_id>/monitoring/": "POST only (the activity page's button)",
    "initiatives/map/clusters.json": "data of the initiatives' map",
    "initiatives/open-data/initiatives.<str:fmt>": "open-data downloads (CSV, JSON, GeoJSON)",
    "initiatives/<id:initiative_id>/submit/": "POST only",
    "initiatives/<id:initiative_id>/changes/": "POST only (the decision page's second form)",
    "initiatives/<id:initiative_id>/start/": "POST only",
    "initiatives/<id:initiative_id>/pledge/": "POST only (the initiative page's forms)",
    "initiatives/<id:initiative_id>/rate/": "POST only",
    "initiatives/<id:initiative_id>/survey/": "POST only",
    "initiatives/pledges/<id:pledge_id>/check-in/": "POST only",
    "initiatives/check-ins/<id:checkin_id>/confirm/": "POST only",
    "initiatives/people/consent/": "POST only (the profile page's form)",
    "initiatives/documents/<id:document_id>/": "a file download, not a page",
    "initiatives/media/<path:name>": "photos, served through an access check",
    "initiatives/<id:initiative_id>/vote/open/": "POST only (the initiative page's vote form)",
    "initiatives/<id:initiative_id>/vote/": "POST only (the initiative page's vote buttons)",
    "initiatives/<id:initiative_id>/vote/decide/": "POST only",
    "initiatives/heart/<id:cycle_id>/publish/": "POST only (the results page's button)",
    "initiatives/heart/nominees/<id:nominee_id>/vote/": "POST only (the vote buttons)",
    "initiatives/heart/nominees/<id:nominee_id>/certificate.pdf": "a PDF download, not a page",
    "events/feed.ics": "an iCalendar feed (events/tests/test_ical.py reads it back)",
    "events/<id:event_id>/event.ics": "an iCalendar file (events/tests/test_ical.py)",
    "events/<id:event_id>/moderate/": "POST only (the event page's moderation forms)",
    "events/<id:event_id>/cancel/": "POST only (the event page's form)",
    "events/<id:event_id>/report/": "POST only (the event page's form)",
    "events/<id:event_id>/register/": "POST only (the event page's button)",
    "events/<id:event_id>/photos/<id:photo_id>/remove/": "POST only (the confirm step beside"
    " each report photo on the event page; events/tests/test_photo_remove.py)",
    "events/photos/<path:name>": "the report's photos, served through an access check"
    " (events/tests/test_report_photos.py)",
}
# Admin pages of each model: the list, the add and the change page are visited; these are not.
EXCLUDED_ADMIN_SUFFIXES = {
    "/delete/": "a confirmation before a delete (the admin refuses most deletes)",
    "/history/": "Django's change history, the change page's chrome",
    "/password/": "the admin's password form for another user",
}
# Admin pages are visited in Kazakh only: Django's own Russian and English catalogues are
# complete, and jospar's Kazakh completes Django's (``framework_messages.ADMIN_MESSAGES``).
# They are a desktop tool: opened at a desktop's width (every other page at a phone's).
ADMIN_LANGS = ("kk",)
ADMIN_WIDTH = 1280

# --- defects other helpers fix in parallel: remove each line once its branch is merged -------
# (check, route of the page or "*", a piece of the finding's text, the reason)
KNOWN_DEFECTS: list[tuple[str, str, str, str]] = [
    # Django's own admin widgets, not jospar's markup: select2 (autocomplete fields) has no
    # accessible name, the two-list selector's help icon carries a prohibited aria-label.
    (
        "axe",
        "*",
        "aria-input-field-name (serious): ['.select2-selection'",
        "Django admin's select2 widget (upstream)",
    ),
    (
        "axe",
        "*",
        "aria-prohibited-attr (serious): ['label[for=",
        "Django admin's SelectFilter widget (upstream)",
    ),
]


@dataclass
class Finding:
    check: str
    role: str
    lang: str
    url: str
    route: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.role}/{self.lang} {self.url}: {self.detail}"


@dataclass
class Page:
    route: str
    url: str
    admin: bool = False


@dataclass
class Run:
    # Where the halves of one run claim the pages they check with axe (``_claim``).
    claims: Path
    findings: list[Finding] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    pages: int = 0


def _claims_directory(tmp_path: Path) -> Path:
    """One directory for both halves of a test run: on CI's two workers they run at once, each
    in its own process (``PYTEST_XDIST_TESTRUNUID`` is the run's, the same in both)."""
    uid = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    directory = Path(tempfile.gettempdir()) / f"jospar-axe-{uid}" if uid else tmp_path / "axe"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _claim(run: Run, url: str) -> bool:
    """True for the first half of the run to open ``url`` (the file's creation is atomic)."""
    try:
        (run.claims / hashlib.sha256(url.encode()).hexdigest()).open("x").close()
    except FileExistsError:
        return False
    return True


pytestmark = [
    pytest.mark.browser,
]


# --- the pages, from the URL patterns --------------------------------------------------------


def _patterns(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ns + (f"{p.namespace}:" if p.namespace else "")
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), ns + (p.name or "")


def all_routes() -> dict[str, str]:
    """Route → URL name, for every URL pattern of the project."""
    return dict(_patterns(get_resolver().url_patterns))


def excluded(route: str) -> str | None:
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if route.startswith(prefix):
            return reason
    if route in EXCLUDED_ROUTES:
        return EXCLUDED_ROUTES[route]
    if route.startswith("admin/"):
        for suffix, reason in EXCLUDED_ADMIN_SUFFIXES.items():
            if route.endswith(suffix):
                return reason
    return None


def _samples() -> dict[str, Any]:
    """A value for each URL argument, from the demo's data."""
    from jospar.civic.models import CitizenReport
    from jospar.control.models import ExecutionReport, Obligation
    from jospar.control.models_exports import ReportExport
    from jospar.core.models import Notification, Region, User
    from jospar.events.models import PublicEvent
    from jospar.indicators.models import DataValue, Indicator, SurveyWave
    from jospar.initiatives.models import HeartCycle, HeartNominee, Initiative
    from jospar.media.models import Publication, Rubric, Source
    from jospar.plans.models import Activity, Plan, PlanRevision, PlanUpload
    from jospar.programs.models import (
        Program,
        ProgramNode,
        ProgramUpload,
        ProjectTask,
        Risk,
        StatusReport,
    )

    executor = User.objects.get(username="executor")
    obligation = (
        Obligation.objects.filter(organisation=executor.organisation, reports__isnull=False)
        .order_by("id")
        .first()
    )
    assert obligation is not None
    report = ExecutionReport.objects.filter(obligation=obligation).order_by("id").first()
    plan = Plan.objects.order_by("id").first()
    assert plan is not None
    assert report is not None
    return {
        "plan_id": plan.pk,
        "revision_id": PlanRevision.objects.filter(plan=plan).order_by("id").first().pk,  # type: ignore[union-attr]
        "activity_id": Activity.objects.filter(plan=plan).order_by("position").first().pk,  # type: ignore[union-attr]
        "obligation_id": obligation.pk,
        "report_id": report.pk,
        "upload_id": PlanUpload.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "export_id": ReportExport.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "organisation_id": executor.organisation_id,
        "region_id": Region.objects.get(code="astana").pk,
        "notification_id": Notification.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "civic_report_id": CitizenReport.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "program_id": Program.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "node_id": ProgramNode.objects.filter(kind="base_project").order_by("id").first().pk,  # type: ignore[union-attr]
        "program_upload_id": ProgramUpload.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "publication_id": Publication.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "source_id": Source.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "rubric_id": Rubric.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "user_id": User.objects.get(username="controller").pk,
        "indicator_id": Indicator.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "wave_id": SurveyWave.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "task_id": ProjectTask.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "risk_id": Risk.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "status_report_id": StatusReport.objects.exclude(state="due").order_by("id").first().pk,  # type: ignore[union-attr]
        "value_id": DataValue.objects.filter(region__code="astana").order_by("id").first().pk,  # type: ignore[union-attr]
        "initiative_id": Initiative.objects.filter(state="implemented").order_by("id").first().pk,  # type: ignore[union-attr]
        "cycle_id": HeartCycle.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        # Last year's winner with the published story: its page, its story's form and the
        # stories' list all show something (this year's nominees have no certificate yet).
        "nominee_id": HeartNominee.objects.filter(story__state="published")
        .order_by("id")
        .first()
        .pk,  # type: ignore[union-attr]
        "event_id": PublicEvent.objects.filter(state="published", initiative__isnull=False)
        .order_by("id")
        .first()
        .pk,  # type: ignore[union-attr]
        "token": "not-a-real-token",
        "uidb64": "MQ",
    }


_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _admin_url(route: str, name: str) -> str | None:
    """An admin page's URL: the list and add pages as they are, a change page of the first
    object of its model (None when the model has no row)."""
    from django.contrib import admin

    if "<path:object_id>" not in route:
        return "/" + _ARG.sub("", route) if "<" not in route else None
    for model in admin.site._registry:
        meta = model._meta
        if name == f"admin:{meta.app_label}_{meta.model_name}_change":
            first = model._default_manager.order_by("pk").first()
            return reverse(name, args=[first.pk]) if first is not None else None
    return None


def pages(samples: dict[str, Any]) -> tuple[list[Page], dict[str, str]]:
    """The pages to open, and every route that is not opened with its reason."""
    from django.contrib import admin

    found: list[Page] = []
    skipped: dict[str, str] = {}
    for route, name in all_routes().items():
        reason = excluded(route)
        if reason is not None:
            skipped[route] = reason
            continue
        if route.startswith("admin/"):
            if route == "admin/<app_label>/":
                for label in sorted({m._meta.app_label for m in admin.site._registry}):
                    found.append(Page(route, reverse("admin:app_list", args=[label]), True))
                continue
            url = _admin_url(route, name)
            if url is None:
                skipped[route] = "the demo has no row of this model"
            else:
                found.append(Page(route, url, True))
            continue
        kwargs: dict[str, Any] = {}
        for _conv, arg in _ARG.findall(route):
            key = "civic_report_id" if arg == "report_id" and name.startswith("civic:") else arg
            if arg == "upload_id" and name.startswith("programs:"):
                key = "program_upload_id"
            kwargs[arg] = samples[key]
        found.append(Page(route, reverse(name, kwargs=kwargs)))
    return found, skipped


# --- the checks ------------------------------------------------------------------------------

_PAGE_STATE = """() => {
  const se = document.scrollingElement || document.documentElement;
  const broken = [...document.images]
    .filter(i => i.complete && i.naturalWidth === 0 && i.getAttribute('src'))
    .map(i => i.getAttribute('src'));
  const sheets = [...document.styleSheets].filter(s => {
    try { return s.href && s.href.includes('/static/') && s.cssRules.length > 0; }
    catch (e) { return false; }
  }).length;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > se.clientWidth + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''));
  return {scrollWidth: se.scrollWidth, clientWidth: se.clientWidth, broken, sheets, wide,
          text: document.body ? document.body.innerText : ''};
}"""


def _known(finding: Finding) -> bool:
    return any(
        check == finding.check
        and (route == "*" or route == finding.route)
        and piece in finding.detail
        for check, route, piece, _reason in KNOWN_DEFECTS
    )


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
            },
            "resultTypes": ["violations"],
        },
    )
    problems = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(n.get("target", [])) for n in violation.get("nodes", [])][:3]
            problems.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return problems


def _visit(
    context: Any,
    page: Any,
    target: Page,
    *,
    role: str,
    lang: str,
    base: str,
    english: list[str],
    run: Run,
    events: dict[str, list[str]],
) -> int:
    """Opens the page, reports what fails; returns the HTTP status (0: did not load)."""
    events["console"].clear()
    events["outside"].clear()
    events["missing"].clear()
    url = base + target.url
    events["document"][:] = [url]

    def report(check: str, detail: str) -> None:
        finding = Finding(check, role, lang, target.url, target.route, detail)
        if not _known(finding):
            run.findings.append(finding)

    try:
        response = page.goto(url, wait_until="load")
    except Exception as exc:  # a timeout or a crash of the page is a finding too
        report("load", str(exc).splitlines()[0])
        return 0
    run.pages += 1
    status = response.status if response is not None else 0
    state = page.evaluate(_PAGE_STATE)
    for message in events["console"]:
        report("console", message)
    for missing in sorted(set(events["missing"])):
        report("missing-resource", missing)
    for host in sorted(set(events["outside"])):
        report("outside-host", host)
    for src in state["broken"]:
        report("broken-image", src)
    if state["scrollWidth"] > state["clientWidth"]:
        report(
            "overflow",
            f"{state['scrollWidth']} > {state['clientWidth']} px: {', '.join(state['wide'])}",
        )
    if status >= 500:
        report("server-error", str(status))
    if status >= 400 and state["sheets"] == 0:
        report("unstyled-error", f"HTTP {status}")
    if lang != "en":
        text = " ".join(state["text"].split())
        for sentence in english:
            if sentence in text:
                report("untranslated", sentence)
    # Axe checks a page once in the whole walk, as the first role of either half that opens
    # it (each half builds the same demo, so a page has the same address in both); a role sent
    # elsewhere (the login) has not opened it, or the page itself would never be checked.
    opened = urlsplit(page.url).path == urlsplit(url).path
    if lang == "kk" and target.url not in run.visited and status < 400 and opened:
        run.visited.add(target.url)
        if _claim(run, target.url):
            for problem in _axe(page):
                report("axe", problem)
    return status


def _console(events: dict[str, list[str]], message: Any) -> None:
    if message.type != "error":
        return
    # Chromium logs the page's own error status ("Failed to load resource: ... 404"): the status
    # is checked for itself (a styled error page), so only other resources count here.
    if message.text.startswith("Failed to load resource") and (
        message.location.get("url", "") == events["document"][0]
    ):
        return
    events["console"].append(f"{message.text} ({message.location.get('url', '')})")


def _response(events: dict[str, list[str]], response: Any) -> None:
    # A resource of the page (a stylesheet, a script, an image, the icon, a map's data) that the
    # server refuses or lacks: the page's own status is checked for itself.
    document = events["document"][0]
    if response.status < 400 or response.url == document:
        return
    if urlsplit(response.url).netloc == urlsplit(document).netloc:
        events["missing"].append(f"{response.status} {urlsplit(response.url).path}")


def _context(
    browser: Any, base: str, lang: str, events: dict[str, list[str]], width: int = WIDTH
) -> Any:
    context = browser.new_context(
        locale={"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}[lang],
        viewport={"width": width, "height": 800},
    )
    context.set_default_timeout(20_000)
    host = urlsplit(base).netloc
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])

    def request(sent: Any) -> None:
        netloc = urlsplit(sent.url).netloc
        if netloc != host and not sent.url.startswith(("data:", "blob:")):
            events["outside"].append(netloc)

    # Watched, not intercepted: a route would turn the browser's cache off (module docstring).
    context.on("request", request)
    return context


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


ROLES = {
    "anonymous": None,
    "administrator": "admin",
    "controller": "controller",
    "executor": "executor",
    "observer": "observer",
    "official": "official",
    "moderator": "moderator",
    "citizen": "citizen",
}
# The walk is split in two halves of about the same number of pages, each a test of its own, so
# that the two workers of the test run share it instead of one of them walking every page while
# the other waits (docs/decisions.md, "CI time"). The administrator's admin pages weigh most.
# Measured in CI's run (session 8): the administrator's half 163 s, the control half 105 s with
# four roles each; a role other than the administrator's costs about a quarter of the control
# half, so the moderator walks with the control half (docs/decisions.md, "CI time (session 8)").
ROLE_HALVES = {
    "administration-and-portal": ("administrator", "anonymous", "citizen"),
    "control-and-moderation": ("controller", "executor", "observer", "official", "moderator"),
}


def _demo_data() -> None:
    from jospar.control.services.exports import report_export_request
    from jospar.core.models import User
    from jospar.plans.models import Plan
    from jospar.plans.services.upload import plan_upload_create

    call_command("demo", password=PASSWORD, stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    seed = next((Path(__file__).resolve().parents[2] / "plans" / "demo_seeds").glob("003_*.txt"))
    plan_upload_create(actor=admin, data=seed.read_bytes(), filename=seed.name)
    from jospar.programs.services.uploads import program_upload_create

    program_seed = next(
        (Path(__file__).resolve().parents[2] / "programs" / "demo_seeds").glob("002_*.txt")
    )
    program_upload_create(actor=admin, data=program_seed.read_bytes(), filename=program_seed.name)
    plan = Plan.objects.order_by("id").first()
    assert plan is not None
    report_export_request(
        actor=User.objects.get(username="controller"),
        plan=plan,
        lang="kk",
        format="xlsx",
        period_start=dt.date.today() - dt.timedelta(days=3 * 365),
        period_end=dt.date.today() + dt.timedelta(days=3 * 365),
    )


def test_every_url_pattern_is_visited_or_excluded_with_a_reason() -> None:
    """The list is derived from the URL patterns: this fails only when the derivation breaks
    (a pattern with an argument no sample answers)."""
    routes = all_routes()
    assert len(routes) > 50
    for route in routes:
        if excluded(route) is None and not route.startswith("admin/"):
            for _conv, arg in _ARG.findall(route):
                assert arg in {
                    "plan_id",
                    "revision_id",
                    "activity_id",
                    "obligation_id",
                    "report_id",
                    "upload_id",
                    "export_id",
                    "organisation_id",
                    "region_id",
                    "notification_id",
                    "program_id",
                    "node_id",
                    "publication_id",
                    "source_id",
                    "rubric_id",
                    "user_id",
                    "initiative_id",
                    "event_id",
                    "cycle_id",
                    "nominee_id",
                    "token",
                    "uidb64",
                    "indicator_id",
                    "value_id",
                    "wave_id",
                    "task_id",
                    "risk_id",
                    "status_report_id",
                }, f"{route}: no sample for <{arg}>: add one to _samples() or exclude the route"


@pytest.mark.parametrize("half", sorted(ROLE_HALVES))
def test_every_page_of_every_role(
    half: str,
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # No tile server: the maps orient people with the regions' own shapes (module docstring).
    settings.MAP_TILE_URL = ""
    # The two halves build their demos at once on CI's two workers: the demo's news server
    # takes any free port (on its fixed one the second half found it taken, and no news).
    settings.MEDIA_DEMO_PORT = 0
    _demo_data()
    samples = _samples()
    targets, skipped = pages(samples)
    routes = all_routes()
    opened = {t.route for t in targets}
    forgotten = sorted(set(routes) - opened - set(skipped))
    assert not forgotten, f"URL patterns neither visited nor excluded: {forgotten}"

    english = _english_sentences()
    base = live_server.url
    run = Run(claims=_claims_directory(tmp_path))
    refused: set[tuple[str, str]] = set()
    opened_in: set[tuple[str, str]] = set()
    events: dict[str, list[str]] = {
        "console": [],
        "outside": [],
        "missing": [],
        "document": [""],
    }
    assert sorted(r for roles in ROLE_HALVES.values() for r in roles) == sorted(ROLES)
    for role in ROLE_HALVES[half]:
        username = ROLES[role]
        for lang in LANGS:
            for admin_pages in (False, True):
                if admin_pages and (role != "administrator" or lang not in ADMIN_LANGS):
                    continue
                width = ADMIN_WIDTH if admin_pages else WIDTH
                context = _context(browser, base, lang, events, width)
                page = context.new_page()
                page.on("console", lambda m: _console(events, m))
                page.on("pageerror", lambda e: events["console"].append(f"uncaught: {e}"))
                page.on("response", lambda r: _response(events, r))
                if username is not None:
                    _log_in(page, base, username)
                for target in targets:
                    if target.admin != admin_pages:
                        continue
                    # A page refused in Kazakh is checked once: only pages that open are
                    # opened again in Russian and English.
                    if lang != "kk" and (role, target.url) in refused:
                        continue
                    # Every role opens every page in Kazakh, the first language; in Russian a
                    # page is opened once, by the first role of this half that can (its
                    # translations and layout in the second language; the CI time this saves
                    # is in docs/decisions.md, "CI time (session 7)").
                    if lang != "kk" and (lang, target.url) in opened_in:
                        continue
                    status = _visit(
                        context,
                        page,
                        target,
                        role=role,
                        lang=lang,
                        base=base,
                        english=english,
                        run=run,
                        events=events,
                    )
                    if lang == "kk" and status >= 400:
                        refused.add((role, target.url))
                    elif lang != "kk" and 0 < status < 400:
                        opened_in.add((lang, target.url))
                context.close()
    assert run.pages > 150
    report = "\n".join(str(f) for f in run.findings)
    assert not run.findings, f"{len(run.findings)} problems on {run.pages} pages:\n{report}"
