"""The project office's control (issue #10, "Status and control"): a project's declared status
with its reason and history, its risk register, its board by the obligations' states, and the
regional status reports on the control loop — services, who may do what, and what a refusal
leaves unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from jospar.control.discipline_counts import discipline_counts_check
from jospar.control.models import Obligation
from jospar.control.project_office.board import (
    DONE,
    IN_REVIEW,
    TODO,
    board_move,
    board_reorder,
    project_board,
)
from jospar.control.project_office.services import (
    status_report_accept,
    status_report_return,
    status_report_save,
    status_report_submit,
    status_schedule_set,
)
from jospar.control.services.project_tasks import key_event_put_on_control, project_task_issue
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.services.review import report_accept
from jospar.control.tests.conftest import in_days
from jospar.control.tests.office_world import OfficeWorld, build_office
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User
from jospar.programs.models import BoardCard, NodeStatus, Risk, StatusReport
from jospar.programs.models_office import DeclaredStatus, Frequency, StatusReportState
from jospar.programs.selectors.office import (
    node_declared_status,
    node_declared_statuses,
    risk_overdue,
)
from jospar.programs.services.office import project_status_set, risk_add, risk_close, risk_edit
from jospar.programs.services.status_reports import periods

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user: Callable[..., User]) -> OfficeWorld:
    return build_office(make_user)


def _state() -> dict[str, Any]:
    return {
        "statuses": list(NodeStatus.objects.values_list("pk", "status", "reason")),
        "risks": list(
            Risk.objects.order_by("pk").values_list(
                "pk", "title", "probability", "impact", "owner", "review_on", "is_open"
            )
        ),
        "cards": list(BoardCard.objects.order_by("pk").values_list("task", "position")),
        "reports": list(
            StatusReport.objects.order_by("pk").values_list("pk", "state", "narrative", "version")
        ),
        "obligations": list(
            Obligation.objects.order_by("pk").values_list(
                "pk", "deadline", "submitted_at", "returned_at", "accepted_at", "in_force"
            )
        ),
        "audit": AuditEvent.objects.count(),
    }


# --- declared status -------------------------------------------------------------------------


def test_status_needs_a_reason_unless_on_track_and_keeps_its_history(w: OfficeWorld) -> None:
    manager = w["project_manager"]
    before = _state()
    with pytest.raises(ServiceError) as refused:
        project_status_set(actor=manager, node=w.project, status="at_risk", reason="  ")
    assert refused.value.fields == {"reason": [refused.value.message]}
    with pytest.raises(ServiceError):
        project_status_set(actor=manager, node=w.project, status="purple", reason="x")
    assert _state() == before
    project_status_set(actor=manager, node=w.project, status="on_track", reason="")
    project_status_set(
        actor=w["project_head"], node=w.project, status="off_track", reason="The venue fell"
    )
    assert node_declared_status(w.project.pk) == DeclaredStatus.OFF_TRACK
    assert node_declared_status(w.sibling.pk) is None
    assert node_declared_statuses([w.project.pk, w.sibling.pk, w.base.pk]) == {
        w.project.pk: "off_track"
    }
    history = list(NodeStatus.objects.filter(node=w.project).order_by("id"))
    assert [(h.status, h.set_by.username) for h in history] == [
        ("on_track", "project_manager"),
        ("off_track", "project_head"),
    ]
    event = AuditEvent.objects.filter(action="program.status_declared").order_by("id").last()
    assert event is not None
    assert event.reason == "The venue fell"


def test_a_reason_is_enforced_by_the_database_too(w: OfficeWorld) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        NodeStatus.objects.create(node=w.project, status="at_risk", reason="", set_by=w["expert"])


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("project_manager", True),  # own node
        ("project_head", True),
        ("sub_manager", True),  # the parent's manager holds below
        ("sibling_manager", False),  # a sibling's
        ("other_sub_manager", False),  # another sub-program's
        ("event_manager", False),  # a child's role does not hold above
        ("expert", False),
        ("task_executor", False),
        ("curator", False),  # approves, does not run the project
        ("astana_office", False),  # a regional office
        ("observer", False),
        ("stranger", False),
    ],
)
def test_who_declares_the_status(w: OfficeWorld, who: str, allowed: bool) -> None:
    before = _state()
    if allowed:
        project_status_set(actor=w[who], node=w.project, status="at_risk", reason="Late")
        assert node_declared_status(w.project.pk) == "at_risk"
    else:
        with pytest.raises(PermissionRefused):
            project_status_set(actor=w[who], node=w.project, status="at_risk", reason="Late")
        assert _state() == before


def test_declared_statuses_of_a_whole_tree_in_one_query(
    w: OfficeWorld, django_assert_max_num_queries: Any
) -> None:
    for node in (w.project, w.sibling, w.base):
        project_status_set(actor=w["sub_manager"], node=node, status="at_risk", reason="r")
        project_status_set(actor=w["sub_manager"], node=node, status="on_track", reason="")
    with django_assert_max_num_queries(1):
        found = node_declared_statuses([w.project.pk, w.sibling.pk, w.base.pk, w.sub.pk])
    assert found == dict.fromkeys([w.project.pk, w.sibling.pk, w.base.pk], "on_track")


# --- risks ------------------------------------------------------------------------------------


def _risk(w: OfficeWorld, actor: User | None = None, **values: Any) -> Risk:
    fields: dict[str, Any] = {
        "title": "The venue is not ready",
        "probability": 3,
        "impact": 4,
        "owner": w["project_head"],
        "response": "Book a second venue",
        "review_on": in_days(7),
    }
    fields.update(values)
    return risk_add(actor=actor or w["project_manager"], node=w.project, **fields)


def test_risk_register_add_edit_close(w: OfficeWorld) -> None:
    risk = _risk(w)
    assert risk.score == 12
    assert not risk_overdue(risk, dt.date.today())
    edited = risk_edit(
        actor=w["project_head"],
        risk=risk,
        title="The venue is late",
        probability=5,
        impact=5,
        owner=w["project_manager"],
        response="Move the event",
        review_on=in_days(-1),
    )
    assert edited.score == 25
    assert edited.owner == w["project_manager"]
    assert risk_overdue(edited, dt.date.today())
    with pytest.raises(ServiceError):
        risk_close(actor=w["project_manager"], risk=edited, note="")
    closed = risk_close(actor=w["project_manager"], risk=edited, note="Moved indoors")
    assert not closed.is_open
    assert not risk_overdue(closed, dt.date.today() + dt.timedelta(9))
    with pytest.raises(Conflict):
        risk_edit(
            actor=w["project_manager"],
            risk=closed,
            title="x",
            probability=1,
            impact=1,
            owner=w["project_manager"],
            response="",
            review_on=in_days(3),
        )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"program.risk_added", "program.risk_changed", "program.risk_closed"} <= actions


@pytest.mark.parametrize(
    "values",
    [
        {"probability": 0},
        {"impact": 6},
        {"probability": None},
        {"title": ""},
        {"owner": None},
        {"review_on": None},
    ],
)
def test_a_risk_out_of_scale_is_refused(w: OfficeWorld, values: dict[str, Any]) -> None:
    before = _state()
    with pytest.raises(ServiceError):
        _risk(w, **values)
    assert _state() == before


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("project_manager", True),
        ("sub_manager", True),
        ("sibling_manager", False),
        ("event_manager", False),
        ("expert", False),
        ("almaty_office", False),
        ("stranger", False),
    ],
)
def test_who_keeps_the_risks(w: OfficeWorld, who: str, allowed: bool) -> None:
    risk = _risk(w)
    before = _state()
    if allowed:
        _risk(w, actor=w[who])
        risk_close(actor=w[who], risk=risk, note="done")
        return
    with pytest.raises(PermissionRefused):
        _risk(w, actor=w[who])
    with pytest.raises(PermissionRefused):
        risk_close(actor=w[who], risk=risk, note="done")
    assert _state() == before


# --- the board --------------------------------------------------------------------------------


def _tasks(w: OfficeWorld) -> list[Any]:
    manager = w["project_manager"]
    tasks = [
        project_task_issue(
            actor=manager,
            node=w.project,
            addressees=["Астана қаласының әкімдігі"],
            required_items=[f"Ақпарат {i}"],
            deadline=in_days(10 + i),
        )
        for i in range(4)
    ]
    tasks.append(
        key_event_put_on_control(actor=manager, event=w.event, owner=w.astana_akimat.name_kk)
    )
    return tasks


def _column_ids(w: OfficeWorld, key: str) -> list[int]:
    return [c.task.pk for col in project_board(w.project) if col.key == key for c in col.cards]


def test_the_board_follows_the_obligations_and_keeps_the_managers_order(w: OfficeWorld) -> None:
    tasks = _tasks(w)
    executor = w["akimat_executor"]
    ob = Obligation.objects.get(project_task=tasks[0])
    report_submit(
        actor=executor,
        report=report_draft_save(actor=executor, obligation=ob, text="ok", lang="kk"),
    )
    assert _column_ids(w, IN_REVIEW) == [tasks[0].pk]
    report_accept(actor=w["project_manager"], report=ob.reports.get())
    assert _column_ids(w, DONE) == [tasks[0].pk]
    todo = _column_ids(w, TODO)
    assert todo == [t.pk for t in tasks[1:]]  # by deadline until ordered; the key event too
    board_move(actor=w["project_manager"], node=w.project, task_id=tasks[3].pk, direction="up")
    assert _column_ids(w, TODO) == [tasks[1].pk, tasks[3].pk, tasks[2].pk, tasks[4].pk]
    board_reorder(
        actor=w["project_head"],
        node=w.project,
        task_ids=[tasks[4].pk, tasks[2].pk, tasks[1].pk, tasks[3].pk],
    )
    assert _column_ids(w, TODO) == [tasks[4].pk, tasks[2].pk, tasks[1].pk, tasks[3].pk]
    # Another project's board keeps its own order.
    assert BoardCard.objects.filter(node=w.project).count() == 4
    before = _state()
    with pytest.raises(ServiceError):  # a card moves within its own column only
        board_reorder(
            actor=w["project_manager"], node=w.project, task_ids=[tasks[0].pk, tasks[1].pk]
        )
    with pytest.raises(PermissionRefused):
        board_move(actor=w["sibling_manager"], node=w.project, task_id=tasks[1].pk, direction="up")
    with pytest.raises(PermissionRefused):
        board_move(actor=w["expert"], node=w.project, task_id=tasks[1].pk, direction="down")
    with pytest.raises(ServiceError):
        board_move(actor=w["project_manager"], node=w.sibling, task_id=tasks[1].pk, direction="up")
    assert _state() == before


def test_the_board_reads_in_a_fixed_number_of_queries(
    w: OfficeWorld, django_assert_max_num_queries: Any
) -> None:
    _tasks(w)
    with django_assert_max_num_queries(4):
        small = project_board(w.project)
    _tasks_more = [
        project_task_issue(
            actor=w["project_manager"],
            node=w.project,
            addressees=["Астана қаласының әкімдігі", "Алматы қаласының әкімдігі"],
            required_items=[f"Тағы {i}"],
            deadline=in_days(30 + i),
        )
        for i in range(15)
    ]
    assert _tasks_more
    with django_assert_max_num_queries(4):
        large = project_board(w.project)
    assert sum(len(c.cards) for c in large) == sum(len(c.cards) for c in small) + 15


# --- status reports ---------------------------------------------------------------------------


def test_periods_monthly_by_the_5th_quarterly_by_the_10th() -> None:
    monthly = periods(Frequency.MONTHLY, dt.date(2026, 1, 17), dt.date(2026, 4, 5))
    assert monthly == [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31), dt.date(2026, 2, 5)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 5)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 5)),
    ]
    quarterly = periods(Frequency.QUARTERLY, dt.date(2026, 2, 10), dt.date(2027, 1, 10))
    assert [(s.month, e.month, d) for s, e, d in quarterly] == [
        (1, 3, dt.date(2026, 4, 10)),
        (4, 6, dt.date(2026, 7, 10)),
        (7, 9, dt.date(2026, 10, 10)),
        (10, 12, dt.date(2027, 1, 10)),
    ]


def _schedule(w: OfficeWorld, actor: str = "curator", **kw: Any) -> Any:
    values: dict[str, Any] = {
        "program": w.program,
        "node": w.sub,
        "frequency": Frequency.MONTHLY,
        "starts_on": (dt.date.today().replace(day=1) - dt.timedelta(days=40)).replace(day=1),
        "regions": [w.astana, w.almaty],
    }
    values.update(kw)
    return status_schedule_set(actor=w[actor], **values)


def _first(w: OfficeWorld, region: Any) -> StatusReport:
    report = (
        StatusReport.objects.filter(region=region, in_force=True)
        .select_related("schedule", "program")
        .order_by("period_start")
        .first()
    )
    assert report is not None
    return report


def test_a_schedule_makes_reports_owed_on_the_control_loop(w: OfficeWorld) -> None:
    outcome = _schedule(w)
    reports = StatusReport.objects.filter(in_force=True)
    assert outcome.made
    assert reports.count() == len(outcome.made)
    assert {r.due_on.day for r in reports} == {5}
    obligations = Obligation.objects.filter(status_report__isnull=False)
    assert obligations.count() == reports.count()
    assert all(o.organisation_id is None and o.region_id is not None for o in obligations)
    assert discipline_counts_check() == []
    # Quarterly now: the monthly reports not yet written leave force, quarterly ones are owed.
    _schedule(w, frequency=Frequency.QUARTERLY)
    live = StatusReport.objects.filter(in_force=True)
    assert {r.due_on.day for r in live} == {10}
    assert not Obligation.objects.filter(status_report__in_force=False, in_force=True).exists()
    assert discipline_counts_check() == []


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("curator", True),
        ("sub_head", True),
        ("other_sub_head", False),  # a sibling sub-program's head
        ("sub_manager", False),
        ("regional_curator", False),
        ("astana_office", False),
        ("stranger", False),
    ],
)
def test_who_sets_the_schedule(w: OfficeWorld, who: str, allowed: bool) -> None:
    before = _state()
    if allowed:
        assert _schedule(w, actor=who).made
        return
    with pytest.raises(PermissionRefused):
        _schedule(w, actor=who)
    assert _state() == before


def test_the_office_writes_the_centre_returns_then_accepts(w: OfficeWorld) -> None:
    manager, executor = w["project_manager"], w["akimat_executor"]
    task = project_task_issue(
        actor=manager,
        node=w.project,
        addressees=["Астана қаласының әкімдігі"],
        required_items=["Ақпарат"],
        deadline=in_days(3),
    )
    ob = Obligation.objects.get(project_task=task)
    report_submit(
        actor=executor,
        report=report_draft_save(actor=executor, obligation=ob, text="ok", lang="kk"),
    )
    report_accept(actor=manager, report=ob.reports.get())
    _schedule(w, starts_on=dt.date.today().replace(day=1))
    report = _first(w, w.astana)
    office = w["astana_office"]
    with pytest.raises(Conflict):
        status_report_submit(actor=office, report=report)  # nothing written yet
    report = status_report_save(
        actor=office, report=report, narrative="Done a lot", risks="Rain", help_requests="Money"
    )
    assert report.state == StatusReportState.DRAFT
    assert report.figures["tasks_done"] == 1
    assert report.figures["tasks_overdue"] == 0
    report = status_report_submit(actor=office, report=report)
    frozen = dict(report.figures)
    obligation = Obligation.objects.get(status_report=report)
    assert obligation.submitted_at is not None
    assert obligation.first_late_days == 0
    # Refused: another region's office, the sibling sub-program's head, a regional curator.
    before = _state()
    with pytest.raises(PermissionRefused):
        status_report_return(actor=w["other_sub_head"], report=report, comment="no")
    with pytest.raises(PermissionRefused):
        status_report_accept(actor=w["almaty_office"], report=report)
    with pytest.raises(PermissionRefused):
        status_report_accept(actor=w["regional_curator"], report=report)
    with pytest.raises(ServiceError):
        status_report_return(actor=w["sub_head"], report=report, comment="")
    assert _state() == before
    status_report_return(actor=w["sub_head"], report=report, comment="Add the districts")
    obligation.refresh_from_db()
    assert obligation.returned_at is not None
    # A new task done after the report was sent: the frozen figures do not move.
    report.refresh_from_db()
    assert report.figures == frozen
    report = status_report_save(
        actor=office, report=report, narrative="Done, by district", risks="", help_requests=""
    )
    report = status_report_submit(actor=office, report=report)
    assert report.version == 2
    status_report_accept(actor=w["curator"], report=report, comment="Good")
    report.refresh_from_db()
    obligation.refresh_from_db()
    assert report.state == StatusReportState.ACCEPTED
    assert obligation.accepted_at is not None
    assert [r.accepted for r in report.reviews.order_by("id")] == [False, True]
    with pytest.raises(Conflict):
        status_report_save(actor=office, report=report, narrative="x", risks="", help_requests="")
    assert discipline_counts_check() == []


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("astana_office", True),  # own region, own sub-program
        ("almaty_office", False),  # another region's office
        ("astana_other_office", False),  # own region, a sibling sub-program
        ("regional_curator", False),  # the akim approves, the office writes
        ("curator", False),
        ("project_manager", False),
        ("akimat_executor", False),
        ("stranger", False),
    ],
)
def test_who_writes_a_regions_status_report(w: OfficeWorld, who: str, allowed: bool) -> None:
    _schedule(w)
    report = _first(w, w.astana)
    before = _state()
    if allowed:
        status_report_save(actor=w[who], report=report, narrative="n", risks="", help_requests="")
        return
    with pytest.raises(PermissionRefused):
        status_report_save(actor=w[who], report=report, narrative="n", risks="", help_requests="")
    assert _state() == before


# --- the schedule kept a year ahead ------------------------------------------------------------


def test_the_daily_job_keeps_the_reports_a_year_ahead(w: OfficeWorld, settings: Any) -> None:
    from django.core.management import call_command

    from jospar.control.discipline_counts import discipline_counts_check
    from jospar.control.project_office.services import status_schedules_extend
    from jospar.control.tasks import extend_status_schedules
    from jospar.core.scheduler import periodic_jobs
    from jospar.programs.services.status_reports import HORIZON_DAYS

    start = dt.date.today().replace(day=1)
    _schedule(w, starts_on=start)
    first = StatusReport.objects.count()
    horizon = dt.date.today() + dt.timedelta(days=HORIZON_DAYS)
    assert max(StatusReport.objects.values_list("due_on", flat=True)) <= horizon
    # Nothing new today: the job makes nothing and writes no audit row.
    audit = AuditEvent.objects.count()
    assert status_schedules_extend(on=dt.date.today()) == 0
    assert AuditEvent.objects.count() == audit
    # Three months on, the monthly reports of those months for each of the two regions.
    later = dt.date.today() + dt.timedelta(days=92)
    made = status_schedules_extend(on=later)
    assert made in (4, 6, 8)  # two to four due dates (the 5th) in 92 days, for two regions
    assert StatusReport.objects.count() == first + made
    due = sorted(StatusReport.objects.values_list("due_on", flat=True))
    assert due[-1] <= later + dt.timedelta(days=HORIZON_DAYS)
    assert {d.day for d in due} == {5}
    keys = list(StatusReport.objects.values_list("region_id", "period_start"))
    assert len(keys) == len(set(keys))
    owed = Obligation.objects.filter(status_report__isnull=False, in_force=True)
    assert owed.count() == StatusReport.objects.filter(in_force=True).count()
    assert discipline_counts_check() == []
    assert AuditEvent.objects.filter(action="program.status_schedule_extended").count() == 1
    # Idempotent: again the same day (by the task, as beat calls it), nothing more.
    assert extend_status_schedules(later.isoformat())["reports_made"] == 0
    call_command("extend_status_schedules", "--on", later.isoformat())
    assert StatusReport.objects.count() == first + made
    # A report retired by a quarterly setting stays retired; the extension keeps the new rhythm.
    _schedule(w, starts_on=start, frequency=Frequency.QUARTERLY)
    before = StatusReport.objects.filter(in_force=True).count()
    status_schedules_extend(on=later + dt.timedelta(days=200))
    live = StatusReport.objects.filter(in_force=True)
    assert live.count() > before
    assert {r.due_on.day for r in live} == {10}
    assert "status_schedules" in {job.name for job in periodic_jobs()}
    assert "status_schedules" in settings.CELERY_BEAT_SCHEDULE
