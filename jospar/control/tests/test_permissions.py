"""Who may do what in the control loop: every page and API endpoint against every kind of
person. A refusal must change nothing (reports, files, links, reviews, decisions, obligation
facts, the audit log, the stored files); each person's request is rolled back before the next.

Columns: anonymous, executor of the obligation's organisation, executor of another
organisation, akimat executor of the region, observer, controller of the plan's department,
controller of another department, administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jospar.control.models import ExecutionReport, ReportAttachment, ReportEvidence, ReportLink
from jospar.control.services.evidence import EvidenceInput, report_evidence_add
from jospar.control.services.reports import (
    report_attachment_add,
    report_draft_save,
    report_link_add,
    report_submit,
)
from jospar.control.tests.conftest import (
    ROLES,
    World,
    in_days,
    pdf_bytes,
    png_bytes,
    snapshot,
    stored_files,
)

pytestmark = pytest.mark.django_db


@dataclass
class Loop:
    """The world, with a report in each state the endpoints act on."""

    world: World
    draft: ExecutionReport  # the ministry's draft for the standalone activity
    draft_file: ReportAttachment
    draft_link: ReportLink
    draft_evidence: ReportEvidence
    submitted: ReportAttachment  # a file of the lead's submitted report
    report: ExecutionReport  # the lead's submitted (consolidated) report
    input_: ExecutionReport  # the co-executor's submitted input to the lead


@pytest.fixture
def loop(world: World, media: Path) -> Loop:
    own = world.person("executor_own")
    draft = report_draft_save(actor=own, obligation=world.own, text="Жоба", lang="kk")
    draft_file = report_attachment_add(
        actor=own, report=draft, stream=SimpleUploadedFile("a.png", png_bytes()), name="a.png"
    )
    draft_link = report_link_add(actor=own, report=draft, url="https://egov.kz/", title="eGov")
    draft_evidence = report_evidence_add(
        actor=own,
        report=draft,
        data=EvidenceInput(kind="draft_law", url="https://legalacts.egov.kz/npa/view?id=1"),
    )
    co_input = report_draft_save(actor=world.co_user, obligation=world.co, text="Үлес", lang="kk")
    report_attachment_add(
        actor=world.co_user,
        report=co_input,
        stream=SimpleUploadedFile("u.pdf", pdf_bytes()),
        name="u.pdf",
    )
    co_input = report_submit(actor=world.co_user, report=co_input)
    report = report_draft_save(actor=own, obligation=world.lead, text="Жиынтық", lang="kk")
    submitted = report_attachment_add(
        actor=own, report=report, stream=SimpleUploadedFile("s.pdf", pdf_bytes()), name="s.pdf"
    )
    report = report_submit(actor=own, report=report)
    return Loop(world, draft, draft_file, draft_link, draft_evidence, submitted, report, co_input)


LOGIN = 302
OK = 302  # a page's POST redirects on success


@dataclass
class Endpoint:
    method: str
    url: Callable[[Loop], str]
    expected: tuple[int, ...]  # one status per ROLES column
    data: Callable[[Loop], dict[str, Any]] | None = None
    api: bool = False
    multipart: bool = False


def _u(name: str, *args: Callable[[Loop], Any]) -> Callable[[Loop], str]:
    return lambda lp: reverse(name, args=[a(lp) for a in args])


def own_id(lp: Loop) -> int:
    return lp.world.own.pk


def akimat_id(lp: Loop) -> int:
    return lp.world.akimats.pk


def lead_id(lp: Loop) -> int:
    return lp.world.lead.pk


#                     anon   own  other akimat obs ctrl  ctrl2 admin
PAGE_ALL = (LOGIN, 200, 200, 200, 200, 200, 200, 200)
PAGE_PLAN = (LOGIN, 200, 404, 200, 200, 200, 404, 200)
PAGE_OWN = (LOGIN, 200, 404, 404, 200, 200, 404, 200)
WRITE_OWN = (LOGIN, OK, 404, 404, 403, 403, 404, 403)
DRAFT_ONLY = (LOGIN, OK, 404, 404, 404, 404, 404, 404)
REVIEW = (LOGIN, 403, 404, 404, 403, OK, 404, 403)
READ_REPORT = (LOGIN, 200, 404, 404, 200, 200, 404, 200)
ACTIVITY = (LOGIN, 404, 404, 404, 200, 200, 404, 200)
DECIDE = (LOGIN, 404, 404, 404, 403, OK, 404, 403)

API_ALL = (401, 200, 200, 200, 200, 200, 200, 200)
API_PLAN = (401, 200, 404, 200, 200, 200, 404, 200)
API_OWN = (401, 200, 404, 404, 200, 200, 404, 200)
API_DRAFT = (401, 200, 404, 404, 404, 404, 404, 404)


def _api_draft(ok: int) -> tuple[int, ...]:
    return (401, ok, 404, 404, 404, 404, 404, 404)


ENDPOINTS: dict[str, Endpoint] = {
    # Pages
    "control:obligations": Endpoint("get", _u("control:obligations"), PAGE_ALL),
    "control:obligations?plan&status&quarter": Endpoint(
        "get",
        lambda lp: (
            reverse("control:obligations")
            + f"?plan={lp.world.plan.pk}&status=submitted_on_time&quarter=2016-Q1"
        ),
        PAGE_PLAN,
    ),
    "plans:obligations (alias)": Endpoint(
        "get", lambda lp: reverse("plans:obligations") + f"?plan={lp.world.plan.pk}", PAGE_PLAN
    ),
    "control:obligation": Endpoint("get", _u("control:obligation", own_id), PAGE_OWN),
    "control:obligation (akimat's)": Endpoint(
        "get",
        _u("control:obligation", akimat_id),
        (LOGIN, 404, 404, 200, 200, 200, 404, 200),
    ),
    "control:obligation (lead, with inputs)": Endpoint(
        "get", _u("control:obligation", lead_id), PAGE_OWN
    ),
    "control:report-save": Endpoint(
        "post",
        _u("control:report-save", own_id),
        WRITE_OWN,
        data=lambda lp: {"text": "Жаңа мәтін", "lang": "kk", "action": "save"},
    ),
    "control:report-save (akimat's, submit)": Endpoint(
        "post",
        _u("control:report-save", akimat_id),
        (LOGIN, 404, 404, OK, 403, 403, 404, 403),
        data=lambda lp: {"text": "Әкімдік есебі", "lang": "kk", "action": "submit"},
    ),
    "control:report-submit": Endpoint(
        "post", lambda lp: reverse("control:report-submit", args=[lp.draft.pk]), DRAFT_ONLY
    ),
    "control:attachment (draft's)": Endpoint(
        "get",
        lambda lp: reverse("control:attachment", args=[lp.draft_file.pk]),
        (LOGIN, 200, 404, 404, 404, 404, 404, 404),
    ),
    "control:attachment (submitted)": Endpoint(
        "get", lambda lp: reverse("control:attachment", args=[lp.submitted.pk]), READ_REPORT
    ),
    "control:attachment (co-executor's input, for the lead)": Endpoint(
        "get",
        lambda lp: reverse("control:attachment", args=[lp.input_.attachments.get().pk]),
        READ_REPORT,
    ),
    "control:attachment-remove": Endpoint(
        "post",
        lambda lp: reverse("control:attachment-remove", args=[lp.draft.pk, lp.draft_file.pk]),
        DRAFT_ONLY,
    ),
    "control:link-remove": Endpoint(
        "post",
        lambda lp: reverse("control:link-remove", args=[lp.draft.pk, lp.draft_link.pk]),
        DRAFT_ONLY,
    ),
    "control:evidence-add": Endpoint(
        "post",
        _u("control:evidence-add", own_id),
        WRITE_OWN,
        data=lambda lp: {
            "kind": "media",
            "url": "https://kazinform.kz/a",
            "outlet": "Kazinform",
            "date": "2030-01-10",
        },
    ),
    "control:evidence-remove": Endpoint(
        "post",
        lambda lp: reverse("control:evidence-remove", args=[lp.draft.pk, lp.draft_evidence.pk]),
        DRAFT_ONLY,
    ),
    "control:report-accept": Endpoint(
        "post",
        lambda lp: reverse("control:report-accept", args=[lp.report.pk]),
        REVIEW,
        data=lambda lp: {"comment": ""},
    ),
    "control:report-return": Endpoint(
        "post",
        lambda lp: reverse("control:report-return", args=[lp.report.pk]),
        REVIEW,
        data=lambda lp: {"comment": "Толықтырыңыз", "new_deadline": in_days(10).isoformat()},
    ),
    "control:review": Endpoint(
        "get", _u("control:review"), (LOGIN, 403, 403, 403, 403, 200, 200, 403)
    ),
    "control:activity": Endpoint(
        "get", lambda lp: reverse("control:activity", args=[lp.world.standalone.pk]), ACTIVITY
    ),
    "control:activity-decide": Endpoint(
        "post",
        lambda lp: reverse("control:activity-decide", args=[lp.world.standalone.pk]),
        DECIDE,
        data=lambda lp: {"kind": "removed", "reason": "Өзектілігін жойды"},
    ),
    "control:plan-controller GET": Endpoint(
        "get",
        lambda lp: reverse("control:plan-controller", args=[lp.world.plan.pk]),
        (LOGIN, 403, 404, 403, 403, 403, 404, 200),
    ),
    "control:plan-controller POST": Endpoint(
        "post",
        lambda lp: reverse("control:plan-controller", args=[lp.world.plan.pk]),
        (LOGIN, 403, 404, 403, 403, 403, 404, OK),
        data=lambda lp: {"organisation": lp.world.other_department.pk, "reason": "Бұйрық"},
    ),
    # API
    "api obligations": Endpoint("get", lambda lp: "/api/obligations/", API_ALL, api=True),
    "api obligations?plan&status": Endpoint(
        "get",
        lambda lp: f"/api/obligations/?plan={lp.world.plan.pk}&status=not_yet_due",
        API_PLAN,
        api=True,
    ),
    "api obligation": Endpoint(
        "get", lambda lp: f"/api/obligations/{lp.world.own.pk}/", API_OWN, api=True
    ),
    "api obligation reports": Endpoint(
        "get", lambda lp: f"/api/obligations/{lp.world.own.pk}/reports/", API_OWN, api=True
    ),
    "api obligation reports POST (draft)": Endpoint(
        "post",
        lambda lp: f"/api/obligations/{lp.world.own.pk}/reports/",
        (401, 200, 404, 404, 403, 403, 404, 403),
        data=lambda lp: {"text": "API арқылы", "lang": "ru"},
        api=True,
    ),
    "api obligation reports POST (akimat's, new)": Endpoint(
        "post",
        lambda lp: f"/api/obligations/{lp.world.akimats.pk}/reports/",
        (401, 404, 404, 201, 403, 403, 404, 403),
        data=lambda lp: {"text": "Әкімдік", "lang": "kk"},
        api=True,
    ),
    "api obligation inputs": Endpoint(
        "get", lambda lp: f"/api/obligations/{lp.world.lead.pk}/inputs/", API_OWN, api=True
    ),
    "api report (draft)": Endpoint(
        "get", lambda lp: f"/api/reports/{lp.draft.pk}/", API_DRAFT, api=True
    ),
    "api report (submitted)": Endpoint(
        "get", lambda lp: f"/api/reports/{lp.report.pk}/", API_OWN, api=True
    ),
    "api report (co-executor's input)": Endpoint(
        "get", lambda lp: f"/api/reports/{lp.input_.pk}/", API_OWN, api=True
    ),
    "api report PATCH": Endpoint(
        "patch",
        lambda lp: f"/api/reports/{lp.draft.pk}/",
        _api_draft(200),
        data=lambda lp: {"text": "Өзгертілді"},
        api=True,
    ),
    "api report attachments POST": Endpoint(
        "post",
        lambda lp: f"/api/reports/{lp.draft.pk}/attachments/",
        _api_draft(201),
        data=lambda lp: {"file": SimpleUploadedFile("b.pdf", pdf_bytes())},
        api=True,
        multipart=True,
    ),
    "api report attachment DELETE": Endpoint(
        "delete",
        lambda lp: f"/api/reports/{lp.draft.pk}/attachments/{lp.draft_file.pk}/",
        _api_draft(204),
        api=True,
    ),
    "api report links POST": Endpoint(
        "post",
        lambda lp: f"/api/reports/{lp.draft.pk}/links/",
        _api_draft(201),
        data=lambda lp: {"url": "https://kazinform.kz/a", "title": "ҚазАқпарат"},
        api=True,
    ),
    "api report evidence POST": Endpoint(
        "post",
        lambda lp: f"/api/reports/{lp.draft.pk}/evidence/",
        _api_draft(201),
        data=lambda lp: {"kind": "event", "missing_reason": "Іс-шара онлайн өтті"},
        api=True,
    ),
    "api report evidence DELETE": Endpoint(
        "delete",
        lambda lp: f"/api/reports/{lp.draft.pk}/evidence/{lp.draft_evidence.pk}/",
        _api_draft(204),
        api=True,
    ),
    "api report link DELETE": Endpoint(
        "delete",
        lambda lp: f"/api/reports/{lp.draft.pk}/links/{lp.draft_link.pk}/",
        _api_draft(204),
        api=True,
    ),
    "api report submit": Endpoint(
        "post", lambda lp: f"/api/reports/{lp.draft.pk}/submit/", _api_draft(200), api=True
    ),
    "api report accept": Endpoint(
        "post",
        lambda lp: f"/api/reports/{lp.report.pk}/accept/",
        (401, 403, 404, 404, 403, 200, 404, 403),
        data=lambda lp: {"comment": "Қабылданды"},
        api=True,
    ),
    "api report return": Endpoint(
        "post",
        lambda lp: f"/api/reports/{lp.report.pk}/return/",
        (401, 403, 404, 404, 403, 200, 404, 403),
        data=lambda lp: {"comment": "Қайта", "new_deadline": in_days(10).isoformat()},
        api=True,
    ),
    "api attachment download": Endpoint(
        "get",
        lambda lp: f"/api/attachments/{lp.submitted.pk}/download/",
        API_OWN,
        api=True,
    ),
    "api activity decisions": Endpoint(
        "get",
        lambda lp: f"/api/activities/{lp.world.standalone.pk}/decisions/",
        (401, 404, 404, 404, 200, 200, 404, 200),
        api=True,
    ),
    "api activity decisions POST": Endpoint(
        "post",
        lambda lp: f"/api/activities/{lp.world.standalone.pk}/decisions/",
        (401, 404, 404, 404, 403, 201, 404, 403),
        data=lambda lp: {"kind": "extended", "reason": "Хат", "new_deadline": "2030-03-08"},
        api=True,
    ),
}


def _request(client: Client, endpoint: Endpoint, url: str, lp: Loop) -> Any:
    data = endpoint.data(lp) if endpoint.data else {}
    if endpoint.method == "get":
        return client.get(url)
    if endpoint.api and not endpoint.multipart:
        call = getattr(client, endpoint.method)
        return call(url, data, content_type="application/json")
    return getattr(client, endpoint.method)(url, data)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(name: str, loop: Loop, media: Path) -> None:
    endpoint = ENDPOINTS[name]
    got: list[int] = []
    for role in ROLES:
        client = Client(headers={"accept-language": "en"})
        with transaction.atomic():
            person = loop.world.people[role]
            if person is not None:
                client.force_login(person)
            before, files = snapshot(), stored_files(media)
            url = endpoint.url(loop)
            response = _request(client, endpoint, url, loop)
            got.append(response.status_code)
            if response.status_code >= 400 or endpoint.method == "get":
                assert snapshot() == before, f"{name}: {role} changed something"
                assert stored_files(media) == files, f"{name}: {role} stored a file"
            if role == "anonymous" and not endpoint.api:
                assert response["Location"].startswith(reverse("login"))
            if endpoint.api and response.status_code >= 400:
                assert set(response.json()) == {"code", "message", "fields"}
            transaction.set_rollback(True)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, endpoint.expected, strict=True)), (
        name
    )


def test_executors_see_only_their_own_obligations(loop: Loop) -> None:
    world = loop.world
    client = Client()
    for role, organisation in (
        ("executor_own", world.ministry),
        ("akimat_executor", world.akimat),
        ("executor_other", world.other),
    ):
        client.force_login(world.person(role))
        rows = client.get("/api/obligations/?limit=200").json()["results"]
        assert {row["organisation"] for row in rows} <= {organisation.pk}, role
        page = client.get(reverse("control:obligations"))
        assert {o.organisation_id for o in page.context["page"].object_list} <= {organisation.pk}
    client.force_login(world.person("controller_other"))
    assert client.get("/api/obligations/").json()["count"] == 0
    client.force_login(world.person("controller_own"))
    assert client.get("/api/obligations/").json()["count"] == 4


def test_a_lead_reads_its_co_executors_inputs_but_not_their_drafts(loop: Loop) -> None:
    world = loop.world
    draft = report_draft_save(actor=world.co_user, obligation=world.co, text="Жоба", lang="kk")
    client = Client()
    client.force_login(world.person("executor_own"))
    assert client.get(f"/api/reports/{loop.input_.pk}/").status_code == 200
    assert client.get(f"/api/reports/{draft.pk}/").status_code == 404
    assert client.get(reverse("control:obligation", args=[world.co.pk])).status_code == 404
    inputs = client.get(f"/api/obligations/{world.lead.pk}/inputs/").json()["results"]
    assert [i["latest_input"]["id"] for i in inputs] == [loop.input_.pk]
