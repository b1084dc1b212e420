"""The control loop's services: every transition, and every refusal leaving nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jospar.control.models import (
    ControlDecision,
    ControlDecisionKind,
    ExecutionReport,
    Obligation,
    ObligationStatus,
    ReportKind,
    ReportState,
)
from jospar.control.selectors.obligations import lead_inputs, removed_activity_ids, review_queue
from jospar.control.services.decisions import (
    activity_control_remove,
    activity_control_restore,
    activity_mark_executed,
    deadline_extend,
)
from jospar.control.services.reports import (
    report_attachment_add,
    report_draft_save,
    report_draft_update,
    report_link_add,
    report_submit,
)
from jospar.control.services.review import report_accept, report_return
from jospar.control.services.schedule import obligations_sync_for_plan
from jospar.control.status import status_of
from jospar.control.tests.conftest import World, in_days, pdf_bytes, snapshot
from jospar.core.calendar import next_working_day
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db

HOLIDAY = dt.date(2030, 3, 8)  # International Women's Day, a Friday
AFTER_HOLIDAY = dt.date(2030, 3, 11)


def refused(call: Callable[[], Any], error: type[ServiceError], code: str) -> ServiceError:
    """Run a call that must be refused with this code, and check that nothing changed."""
    before = snapshot()
    with pytest.raises(error) as caught:
        call()
    assert caught.value.code == code, caught.value.as_dict()
    assert snapshot() == before, f"{code}: something changed"
    return caught.value


def fresh(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_related("activity", "activity__plan").get(pk=obligation.pk)


def submitted(world: World, obligation: Obligation, user: User | None = None) -> ExecutionReport:
    user = user or world.person("executor_own")
    draft = report_draft_save(actor=user, obligation=obligation, text="Орындалды.", lang="kk")
    return report_submit(actor=user, report=draft)


# --- the executor ------------------------------------------------------------------------


def test_draft_is_saved_repeatedly_then_submitted_and_frozen(world: World) -> None:
    executor = world.person("executor_own")
    audit = AuditEvent.objects.count()
    draft = report_draft_save(actor=executor, obligation=world.own, text="Бірінші", lang="kk")
    again = report_draft_save(actor=executor, obligation=world.own, text="Екінші нұсқа", lang="ru")
    assert again.pk == draft.pk
    assert again.version == 1
    assert ExecutionReport.objects.get(pk=draft.pk).text == "Екінші нұсқа"
    assert draft.kind == ReportKind.REPORT
    assert AuditEvent.objects.count() == audit + 2
    assert status_of(fresh(world.own)) == ObligationStatus.NOT_YET_DUE

    report = report_submit(actor=executor, report=again)
    assert report.state == ReportState.SUBMITTED
    obligation = fresh(world.own)
    assert obligation.submitted_at is not None
    assert status_of(obligation) == ObligationStatus.SUBMITTED_ON_TIME
    assert list(review_queue(world.person("controller_own"))) == [report]
    # Frozen: the submitted version is not a draft any more.
    refused(lambda: report_submit(actor=executor, report=report), Conflict, "not_a_draft")
    refused(
        lambda: report_link_add(actor=executor, report=report, url="https://egov.kz/"),
        Conflict,
        "not_a_draft",
    )
    # And no new version while the controller has it.
    refused(
        lambda: report_draft_save(actor=executor, obligation=world.own, text="x", lang="kk"),
        Conflict,
        "under_review",
    )


def test_submit_someone_elses_obligation_is_refused(world: World) -> None:
    draft = report_draft_save(
        actor=world.person("executor_own"), obligation=world.own, text="Жасалды", lang="kk"
    )
    for role in ("executor_other", "akimat_executor", "observer", "controller_own"):
        refused(
            partial(report_submit, actor=world.person(role), report=draft),
            PermissionRefused,
            "not_your_obligation",
        )
        refused(
            partial(
                report_draft_save,
                actor=world.person(role),
                obligation=world.own,
                text="x",
                lang="kk",
            ),
            PermissionRefused,
            "not_your_obligation",
        )


def test_akimat_executor_reports_for_its_region(world: World) -> None:
    user = world.person("akimat_executor")
    report = submitted(world, world.akimats, user)
    assert report.obligation_id == world.akimats.pk
    assert fresh(world.akimats).submitted_at is not None


def test_empty_report_and_bad_language_are_refused(world: World) -> None:
    executor = world.person("executor_own")
    draft = report_draft_save(actor=executor, obligation=world.own, text="   ", lang="kk")
    error = refused(
        lambda: report_submit(actor=executor, report=draft), ServiceError, "empty_report"
    )
    assert "text" in error.fields
    refused(
        lambda: report_draft_save(actor=executor, obligation=world.own, text="x", lang="en"),
        ServiceError,
        "invalid_language",
    )


def test_links_must_be_http_or_https(world: World) -> None:
    executor = world.person("executor_own")
    draft = report_draft_save(actor=executor, obligation=world.own, text="x", lang="kk")
    for url in ("javascript:alert(1)", "ftp://example.kz/a", "egov.kz", "", "http://"):
        refused(
            partial(report_link_add, actor=executor, report=draft, url=url),
            ServiceError,
            "invalid_link",
        )
    link = report_link_add(actor=executor, report=draft, url="https://egov.kz/news/1", title="N")
    assert link.url == "https://egov.kz/news/1"


# --- the controller -------------------------------------------------------------------------


def test_return_then_resubmit_then_accept(world: World, media: Any) -> None:
    executor, controller = world.person("executor_own"), world.person("controller_own")
    draft = report_draft_save(actor=executor, obligation=world.own, text="Бірінші", lang="kk")
    report_attachment_add(
        actor=executor,
        report=draft,
        stream=SimpleUploadedFile("esep.pdf", pdf_bytes()),
        name="esep.pdf",
    )
    report_link_add(actor=executor, report=draft, url="https://kazinform.kz/1", title="ҚазАқпарат")
    first = report_submit(actor=executor, report=draft)

    review = report_return(
        actor=controller, report=first, comment="Толықтырыңыз", new_deadline=HOLIDAY
    )
    assert review.new_deadline == AFTER_HOLIDAY == next_working_day(HOLIDAY)
    obligation = fresh(world.own)
    assert obligation.deadline == AFTER_HOLIDAY
    assert status_of(obligation) == ObligationStatus.RETURNED
    assert ExecutionReport.objects.get(pk=first.pk).state == ReportState.RETURNED
    assert list(review_queue(controller)) == []

    # The revision starts as a copy of the returned version, files and links too.
    second = report_draft_save(actor=executor, obligation=world.own, text="Толықтырылды", lang="kk")
    assert second.version == 2
    assert second.attachments.count() == 1
    assert second.links.count() == 1
    assert second.attachments.get().file.name == first.attachments.get().file.name
    second = report_submit(actor=executor, report=second)
    assert status_of(fresh(world.own)) == ObligationStatus.SUBMITTED_ON_TIME

    accepted = report_accept(actor=controller, report=second, comment="Қабылданды")
    assert accepted.decision == "accepted"
    obligation = fresh(world.own)
    assert obligation.accepted_at is not None
    assert status_of(obligation) == ObligationStatus.ACCEPTED
    assert ExecutionReport.objects.get(pk=second.pk).state == ReportState.ACCEPTED
    # Accepted: nothing more changes.
    refused(lambda: report_accept(actor=controller, report=second), Conflict, "already_reviewed")
    refused(
        lambda: report_draft_save(actor=executor, obligation=world.own, text="x", lang="kk"),
        Conflict,
        "already_accepted",
    )


def test_review_refusals(world: World) -> None:
    executor, controller = world.person("executor_own"), world.person("controller_own")
    draft = report_draft_save(actor=executor, obligation=world.own, text="Жоба", lang="kk")
    refused(lambda: report_accept(actor=controller, report=draft), Conflict, "not_submitted")
    refused(
        lambda: report_return(
            actor=controller, report=draft, comment="x", new_deadline=in_days(10)
        ),
        Conflict,
        "not_submitted",
    )
    report = report_submit(actor=executor, report=draft)
    error = refused(
        lambda: report_return(
            actor=controller, report=report, comment="  ", new_deadline=in_days(10)
        ),
        ServiceError,
        "comment_required",
    )
    assert "comment" in error.fields
    error = refused(
        lambda: report_return(
            actor=controller, report=report, comment="Қайта", new_deadline=in_days(-1)
        ),
        ServiceError,
        "date_in_past",
    )
    assert "new_deadline" in error.fields
    refused(
        lambda: report_return(actor=controller, report=report, comment="Қайта", new_deadline=None),
        ServiceError,
        "date_required",
    )
    for role in ("executor_own", "observer", "controller_other", "administrator"):
        refused(
            partial(report_accept, actor=world.person(role), report=report),
            PermissionRefused,
            "not_controller",
        )
    report_accept(actor=controller, report=report)
    refused(lambda: report_accept(actor=controller, report=report), Conflict, "already_reviewed")
    refused(
        lambda: report_return(
            actor=controller, report=report, comment="x", new_deadline=in_days(3)
        ),
        Conflict,
        "already_reviewed",
    )


def test_a_plan_without_a_department_is_controlled_by_any_controller(world: World) -> None:
    world.plan.controller_organisation = None
    world.plan.save()
    report = submitted(world, world.own)
    report_accept(actor=world.person("controller_other"), report=report)
    assert fresh(world.own).accepted_at is not None


# --- the lead executor and its co-executors -------------------------------------------------


def test_co_executor_input_goes_to_the_lead_and_acceptance_covers_it(world: World) -> None:
    lead_user, controller = world.person("executor_own"), world.person("controller_own")
    co = world.co
    assert co.lead_obligation_id == world.lead.pk
    input_ = submitted(world, co, world.co_user)
    assert input_.kind == ReportKind.INPUT
    assert fresh(co).submitted_at is not None
    # Inputs are not the controller's to review.
    assert list(review_queue(controller)) == []
    refused(lambda: report_accept(actor=controller, report=input_), Conflict, "input_not_reviewed")
    # The lead sees them all.
    contributions = lead_inputs(world.lead)
    assert [(c.obligation.pk, c.latest) for c in contributions] == [(co.pk, input_)]

    report = submitted(world, world.lead, lead_user)
    assert report.kind == ReportKind.REPORT
    # Returning the lead's report returns the lead's obligation only.
    report_return(actor=controller, report=report, comment="Қайта", new_deadline=in_days(20))
    assert status_of(fresh(world.lead)) == ObligationStatus.RETURNED
    assert fresh(co).returned_at is None
    assert status_of(fresh(co)) == ObligationStatus.SUBMITTED_ON_TIME

    second = report_draft_save(actor=lead_user, obligation=world.lead, text="Жиынтық", lang="kk")
    second = report_submit(actor=lead_user, report=second)
    report_accept(actor=controller, report=second)
    assert status_of(fresh(co)) == ObligationStatus.ACCEPTED
    assert ExecutionReport.objects.get(pk=input_.pk).state == ReportState.ACCEPTED


def test_lead_and_co_executor_cannot_act_for_each_other(world: World) -> None:
    refused(
        lambda: report_draft_save(
            actor=world.person("executor_own"), obligation=world.co, text="x", lang="kk"
        ),
        PermissionRefused,
        "not_your_obligation",
    )
    refused(
        lambda: report_draft_save(actor=world.co_user, obligation=world.lead, text="x", lang="kk"),
        PermissionRefused,
        "not_your_obligation",
    )
    input_ = submitted(world, world.co, world.co_user)
    refused(
        lambda: report_accept(actor=world.person("executor_own"), report=input_),
        PermissionRefused,
        "not_controller",
    )


# --- the controller's decisions -------------------------------------------------------------


def test_extension_of_one_obligation_moves_off_a_holiday(world: World) -> None:
    controller = world.person("controller_own")
    decision = deadline_extend(
        actor=controller,
        activity=world.standalone,
        obligation=world.own,
        new_deadline=HOLIDAY,
        reason="Хат бойынша",
    )
    assert decision.kind == ControlDecisionKind.EXTENDED
    assert decision.new_deadline == AFTER_HOLIDAY
    assert fresh(world.own).deadline == AFTER_HOLIDAY
    assert fresh(world.akimats).deadline == next_working_day(in_days(40))
    audit = AuditEvent.objects.filter(action="deadline.extended").get()
    assert audit.reason == "Хат бойынша"
    # Not later than the current deadline: refused.
    error = refused(
        lambda: deadline_extend(
            actor=controller,
            activity=world.standalone,
            obligation=world.own,
            new_deadline=HOLIDAY,
            reason="Тағы",
        ),
        ServiceError,
        "not_later",
    )
    assert "new_deadline" in error.fields


def test_extension_of_the_whole_activity(world: World) -> None:
    controller = world.person("controller_own")
    deadline_extend(
        actor=controller, activity=world.standalone, new_deadline=HOLIDAY, reason="Бәріне"
    )
    assert fresh(world.own).deadline == AFTER_HOLIDAY
    assert fresh(world.akimats).deadline == AFTER_HOLIDAY
    refused(
        lambda: deadline_extend(
            actor=controller, activity=world.standalone, new_deadline=None, reason="x"
        ),
        ServiceError,
        "date_required",
    )
    refused(
        lambda: deadline_extend(
            actor=controller, activity=world.standalone, new_deadline=HOLIDAY, reason=" "
        ),
        ServiceError,
        "reason_required",
    )
    refused(
        lambda: deadline_extend(
            actor=world.person("controller_other"),
            activity=world.standalone,
            new_deadline=dt.date(2031, 1, 6),
            reason="x",
        ),
        PermissionRefused,
        "not_controller",
    )


def test_mark_executed_accepts_every_open_obligation(world: World) -> None:
    controller = world.person("controller_own")
    activity_mark_executed(actor=controller, activity=world.standalone, reason="Орындалды")
    assert status_of(fresh(world.own)) == ObligationStatus.ACCEPTED
    assert status_of(fresh(world.akimats)) == ObligationStatus.ACCEPTED
    assert status_of(fresh(world.lead)) == ObligationStatus.NOT_YET_DUE
    refused(
        lambda: activity_mark_executed(actor=controller, activity=world.standalone, reason="x"),
        Conflict,
        "nothing_open",
    )


def test_remove_from_control_and_put_back(world: World) -> None:
    controller, executor = world.person("controller_own"), world.person("executor_own")
    draft = report_draft_save(actor=executor, obligation=world.own, text="Жоба", lang="kk")
    decision = activity_control_remove(
        actor=controller, activity=world.standalone, reason="Өзектілігін жойды"
    )
    assert decision.kind == ControlDecisionKind.REMOVED
    assert not fresh(world.own).in_force
    assert not fresh(world.akimats).in_force
    assert removed_activity_ids(world.plan) == {world.standalone.pk}
    # A removed activity's obligations take no reports, no decisions.
    refused(lambda: report_submit(actor=executor, report=draft), Conflict, "removed_from_control")
    refused(
        lambda: report_draft_save(actor=executor, obligation=world.own, text="x", lang="kk"),
        Conflict,
        "removed_from_control",
    )
    refused(
        lambda: deadline_extend(
            actor=controller, activity=world.standalone, new_deadline=HOLIDAY, reason="x"
        ),
        Conflict,
        "removed_from_control",
    )
    refused(
        lambda: activity_control_remove(actor=controller, activity=world.standalone, reason="x"),
        Conflict,
        "already_removed",
    )
    # Syncing the plan's schedule again does not undo the controller's decision.
    obligations_sync_for_plan(actor=None, plan=world.plan)
    assert not fresh(world.own).in_force

    activity_control_restore(actor=controller, activity=world.standalone, reason="Қайта алынды")
    assert fresh(world.own).in_force
    assert fresh(world.akimats).in_force
    assert removed_activity_ids(world.plan) == set()
    refused(
        lambda: activity_control_restore(actor=controller, activity=world.standalone, reason="x"),
        Conflict,
        "not_removed",
    )
    report_submit(actor=executor, report=draft)
    kinds = list(
        ControlDecision.objects.filter(activity=world.standalone)
        .order_by("decided_at", "id")
        .values_list("kind", flat=True)
    )
    assert kinds == [ControlDecisionKind.REMOVED, ControlDecisionKind.RESTORED]


def test_decisions_need_a_reason_and_a_controller(world: World) -> None:
    controller = world.person("controller_own")
    refused(
        lambda: activity_control_remove(actor=controller, activity=world.standalone, reason=""),
        ServiceError,
        "reason_required",
    )
    for role in ("executor_own", "observer", "administrator", "controller_other"):
        refused(
            partial(
                activity_control_remove,
                actor=world.person(role),
                activity=world.standalone,
                reason="x",
            ),
            PermissionRefused,
            "not_controller",
        )


def test_every_change_is_in_the_audit_chain(world: World) -> None:
    from jospar.core.audit import audit_verify_chain

    report = submitted(world, world.own)
    report_return(
        actor=world.person("controller_own"), report=report, comment="x", new_deadline=in_days(5)
    )
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["report.draft_saved", "report.submitted", "report.returned"]
    assert audit_verify_chain().ok


def test_a_submitted_or_returned_version_is_never_edited(world: World) -> None:
    executor = world.person("executor_own")
    report = submitted(world, world.own)
    refused(
        lambda: report_draft_update(actor=executor, report=report, text="Өзгерту"),
        Conflict,
        "not_a_draft",
    )
    report_return(
        actor=world.person("controller_own"),
        report=report,
        comment="Қайта",
        new_deadline=in_days(9),
    )
    refused(
        lambda: report_draft_update(actor=executor, report=report, text="Өзгерту"),
        Conflict,
        "not_a_draft",
    )
    client = Client()
    client.force_login(executor)
    before = snapshot()
    response = client.patch(
        f"/api/reports/{report.pk}/", {"text": "API"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_a_draft"
    assert snapshot() == before
