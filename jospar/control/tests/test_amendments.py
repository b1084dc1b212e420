"""Amending acts applied to a saved plan: one revision that records the act, the changed rows
read again by the importer's rules, the control schedule derived again; nothing half-way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jospar.control.models import Obligation
from jospar.control.services.plan_revisions import plan_amendment_apply, plan_file_import
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from jospar.plans.models import (
    Activity,
    ActivityExecutor,
    Plan,
    PlanAmendment,
    PlanAmendmentStatus,
    PlanRevision,
)
from jospar.plans.services.amendments import (
    plan_amendment_change_correct,
    plan_amendment_create,
    plan_amendment_preview,
)

pytestmark = pytest.mark.django_db

ACTS = Path(__file__).resolve().parent / "fixtures" / "amendments"


def act_bytes(lang: str) -> bytes:
    return (ACTS / f"{lang}_act_seed.txt").read_bytes()


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, username="amend_admin")


@pytest.fixture
def plan(regions: None, admin: User, seed_path: Callable[[str], Path]) -> Plan:
    """«Нация Единого Будущего» in Kazakh and Russian, as one plan."""
    for prefix in ("000", "001"):
        path = seed_path(prefix)
        saved = plan_file_import(actor=admin, data=path.read_bytes(), filename=path.name).plan
    return saved


def snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "revisions": PlanRevision.objects.count(),
        "activities": list(
            Activity.objects.filter(plan=plan)
            .order_by("number")
            .values_list("number", "in_force", "title_ru", "report_dates")
        ),
        "executors": ActivityExecutor.objects.filter(in_force=True).count(),
        "obligations": list(
            Obligation.objects.order_by("pk").values_list("pk", "in_force", "withdrawn_reason")
        ),
        "audit": AuditEvent.objects.count(),
        "versions_differ": Plan.objects.get(pk=plan.pk).versions_differ,
    }


def upload(actor: User, plan: Plan, lang: str, data: bytes | None = None) -> PlanAmendment:
    return plan_amendment_create(
        actor=actor, plan=plan, data=data or act_bytes(lang), filename=f"{lang}_act.txt"
    )


def org(code: str) -> Organisation:
    found = Organisation.objects.filter(aliases__code=code, merged_into__isnull=True).first()
    assert found is not None, code
    return found


def test_an_act_applied_in_both_languages(plan: Plan, admin: User) -> None:
    mon, mir = org("МОН"), org("МИР")
    row12 = Activity.objects.get(plan=plan, number="12")
    assert row12.obligations.filter(in_force=True).exists()
    ru = upload(admin, plan, "ru")
    preview = plan_amendment_preview(ru)
    assert preview.problems == []
    words = next(p for p in preview.placed if p.op == "replace_words")
    assert words.rows[0]["before"][3].startswith("МИР, МКС")
    assert words.rows[0]["after"][3].startswith("МОН, МКС")

    outcome = plan_amendment_apply(actor=admin, amendment=ru)
    assert outcome.revision is not None
    revision = outcome.revision
    assert revision.lang == "ru"
    assert revision.act is not None
    assert (revision.act["number"], revision.act["date"]) == ("12", "2015-11-10")
    assert PlanRevision.objects.filter(plan=plan, lang="ru").count() == 2
    ru.refresh_from_db()
    assert ru.status == PlanAmendmentStatus.APPLIED
    assert ru.revision == revision

    # Removed row: out of force, its obligations out of control with the act as the reason.
    row12.refresh_from_db()
    assert not row12.in_force
    withdrawn = list(row12.obligations.all())
    assert withdrawn
    assert all(not o.in_force for o in withdrawn)
    assert all("№ 12" in o.withdrawn_reason for o in withdrawn)
    # New row: its executor owes its report.
    added = Activity.objects.get(plan=plan, number="5-1")
    assert added.title_ru.startswith("Издать сборник")
    assert added.report_dates == ["2015-12-20"]
    assert added.obligations.filter(in_force=True, organisation=mon).exists()
    # Changed row: executors and deadline read again with the importer's rules.
    row8 = Activity.objects.get(plan=plan, number="8")
    assert row8.report_dates == ["2015-11-25"]
    owing = set(row8.obligations.filter(in_force=True).values_list("organisation_id", flat=True))
    assert mon.pk in owing
    assert mir.pk not in owing
    assert not row8.obligations.filter(in_force=True, due_on="2015-11-20").exists()
    row5 = Activity.objects.get(plan=plan, number="5")
    assert row5.report_dates == ["2015-12-01"]
    assert [e.code_ru for e in row5.executors.filter(in_force=True)] == ["МКС", "МИР"]
    # The Kazakh text is not amended yet: the plan says its versions differ.
    plan.refresh_from_db()
    assert plan.versions_differ == {
        "lang": "ru",
        "acts": [{"title": revision.act["title"], "number": "12", "date": "2015-11-10"}],
    }
    assert AuditEvent.objects.filter(action="plan_amendment.applied").count() == 1
    assert AuditEvent.objects.filter(action="plan.amended").count() == 1

    kk = upload(admin, plan, "kk")
    assert plan_amendment_preview(kk).problems == []
    plan_amendment_apply(actor=admin, amendment=kk)
    plan.refresh_from_db()
    assert plan.versions_differ is None
    added.refresh_from_db()
    assert added.title_kk.startswith("Медиатұлғалардың сөйлеген")
    row8.refresh_from_db()
    assert row8.deadline_text_kk == "2015 жылғы 25 қарашаға дейін"
    # The same act again is refused.
    again = upload(admin, plan, "ru")
    before = snapshot(plan)
    with pytest.raises(Conflict):
        plan_amendment_apply(actor=admin, amendment=again)
    assert snapshot(plan) == before


def test_a_change_that_cannot_be_placed_stops_the_whole_act(plan: Plan, admin: User) -> None:
    text = (
        act_bytes("ru")
        .decode()
        .replace("строку, порядковый номер 12,", "строку, порядковый номер 99,")
    )
    text = text.replace("«МИР, МКС»", "«МИР и МКС»")
    amendment = upload(admin, plan, "ru", text.encode())
    preview = plan_amendment_preview(amendment)
    codes = {p.index: [x["code"] for x in p.problems] for p in preview.placed if p.problems}
    assert codes == {2: ["words_not_found"], 4: ["no_such_row"]}
    before = snapshot(plan)
    with pytest.raises(ServiceError) as refused:
        plan_amendment_apply(actor=admin, amendment=amendment)
    assert refused.value.code == "changes_not_placed"
    assert snapshot(plan) == before
    # The person corrects what was misread, and the act applies.
    plan_amendment_change_correct(
        actor=admin, amendment=amendment, index=2, skip=False, old="МИР, МКС"
    )
    amendment = plan_amendment_change_correct(
        actor=admin, amendment=amendment, index=4, skip=False, numbers="12"
    )
    assert plan_amendment_preview(amendment).problems == []
    plan_amendment_apply(actor=admin, amendment=amendment)
    assert not Activity.objects.get(plan=plan, number="12").in_force


def test_accepted_reports_stay(plan: Plan, admin: User) -> None:
    accepted = Obligation.objects.filter(activity__plan=plan, activity__number="12").first()
    assert accepted is not None
    Obligation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    plan_amendment_apply(actor=admin, amendment=upload(admin, plan, "ru"))
    accepted.refresh_from_db()
    assert accepted.in_force
    assert accepted.accepted_at is not None
    others = Obligation.objects.filter(activity__number="12", activity__plan=plan).exclude(
        pk=accepted.pk
    )
    assert others.exists()
    assert not others.filter(in_force=True).exists()


@pytest.mark.parametrize(
    "role", ["executor", "observer", "controller_other", "controller_no_department"]
)
def test_only_the_plans_controllers_and_administrators_apply(
    plan: Plan, admin: User, make_user: Callable[..., User], role: str
) -> None:
    department = Organisation.objects.create(kind=OrganisationKind.OTHER, name_ru="ОВП АП")
    elsewhere = Organisation.objects.create(kind=OrganisationKind.OTHER, name_ru="Другой отдел")
    Plan.objects.filter(pk=plan.pk).update(controller_organisation=department)
    plan.refresh_from_db()
    people = {
        "executor": make_user(Role.EXECUTOR, organisation=org("МКС"), username="e"),
        "observer": make_user(Role.OBSERVER, username="o"),
        "controller_other": make_user(Role.CONTROLLER, organisation=elsewhere, username="c"),
        "controller_no_department": make_user(Role.CONTROLLER, username="n"),
    }
    amendment = upload(admin, plan, "ru")
    before = snapshot(plan)
    actor = people[role]
    with pytest.raises(PermissionRefused):
        upload(actor, plan, "ru")
    with pytest.raises(PermissionRefused):
        plan_amendment_change_correct(actor=actor, amendment=amendment, index=0, skip=True)
    with pytest.raises(PermissionRefused):
        plan_amendment_apply(actor=actor, amendment=amendment)
    assert snapshot(plan) == before
    amendment.refresh_from_db()
    assert amendment.status == PlanAmendmentStatus.DRAFT
    # The plan's own controller may.
    own = make_user(Role.CONTROLLER, organisation=department, username="own")
    plan_amendment_apply(actor=own, amendment=amendment)
    assert PlanRevision.objects.filter(plan=plan, lang="ru", act__isnull=False).exists()


def test_the_pages_upload_review_correct_and_apply(
    plan: Plan, admin: User, client: Any, make_user: Callable[..., User]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    # Executors see the plan but not the way to amend it.
    executor = make_user(Role.EXECUTOR, organisation=org("МКС"), username="e_pages")
    client.force_login(executor)
    assert "amend-link" not in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert client.get(reverse("control:amendment-upload", args=[plan.pk])).status_code == 404
    client.force_login(admin)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "amend-link" in page
    refused = client.post(
        reverse("control:amendment-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("act.exe", b"MZ", content_type="application/octet-stream")},
    )
    assert refused.status_code == 400
    text = act_bytes("ru").decode().replace("«МИР, МКС»", "«МИР и МКС»")
    response = client.post(
        reverse("control:amendment-upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("ru_act.txt", text.encode(), content_type="text/plain")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    amendment = PlanAmendment.objects.get()
    review = client.get(response["Location"]).content.decode()
    assert "problems-summary" in review
    assert "МИР и МКС" in review
    before = snapshot(plan)
    apply_url = reverse("control:amendment-apply", args=[plan.pk, amendment.pk])
    assert client.post(apply_url).status_code == 400
    assert snapshot(plan) == before
    corrected = client.post(
        reverse("control:amendment-correct", args=[plan.pk, amendment.pk]),
        {"index": "2", "numbers": "8", "column": "4", "old": "МИР, МКС", "new": "МОН, МКС"},
    )
    assert corrected.status_code == 302
    review = client.get(reverse("control:amendment", args=[plan.pk, amendment.pk]))
    assert "problems-summary" not in review.content.decode()
    assert client.post(apply_url).status_code == 302
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "versions-differ" in page
    assert "№ 12" in page
