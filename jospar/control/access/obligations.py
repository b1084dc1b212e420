"""Who may see and act on obligations, reports and their files.

Objects named in a URL are fetched by the ``access_*`` functions here: ``Http404`` for both
"missing" and "not yours". What someone may *do* with an object they can see is decided by the
``can_*`` functions, which the services check again (``PermissionRefused``).

- An executor sees its organisation's obligations (an akimat's user: its region's, whose
  ``organisation`` is that akimat) and writes their reports; the lead executor also reads the
  co-executors' submitted inputs to its obligation.
- A controller sees the obligations of the plans it controls and reviews their reports.
- The head of an organisation (named as its head, or holding the head role in it) reads its
  obligations and submitted reports: overdue reminders are sent to the head, and open here.
- Observers and administrators read everything. Drafts are seen by their organisation only.
- An obligation of a project task (`sources.py`) is reviewed by its project's manager and read
  by whoever holds a role on that part of the program's tree.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportEvidence,
    ReportKind,
    ReportLink,
    ReportState,
)
from jospar.control.sources import can_review, read_tasks_q
from jospar.core.models import Organisation, Role, User
from jospar.plans.access import (
    can_control_plan,
    can_see_all_plans,
    controlled_plans_q,
    is_controller,
    is_executor,
)
from jospar.plans.models import Activity, Plan


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def headed_organisation_ids(user: User) -> set[int]:
    """The organisations whose obligations this user reads as their head."""
    if not _active(user):
        return set()
    # Read once per user object, that is once per request (as ``User.has_role``).
    headed: frozenset[int] | None = user.__dict__.get("_headed_organisations")
    if headed is None:
        headed = frozenset(Organisation.objects.filter(head=user).values_list("pk", flat=True))
        user.__dict__["_headed_organisations"] = headed
    ids = set(headed)
    if user.organisation_id and user.has_role(Role.HEAD):
        ids.add(user.organisation_id)
    return ids


def visible_obligations(user: User) -> QuerySet[Obligation]:
    """Every obligation for those who read everything; a controller's plans'; an executor's own.

    Withdrawn obligations (``in_force`` false) are included: lists filter them out, while a
    report once written against one stays readable."""
    if not _active(user):
        return Obligation.objects.none()
    if can_see_all_plans(user):
        return Obligation.objects.all()
    condition: Q | None = None
    if is_controller(user):
        condition = controlled_plans_q(user, prefix="activity__plan__")
    if is_executor(user):
        mine = Q(organisation_id=user.organisation_id)
        condition = mine if condition is None else condition | mine
    headed = headed_organisation_ids(user)
    if headed:
        theirs = Q(organisation_id__in=headed)
        condition = theirs if condition is None else condition | theirs
    tasks = read_tasks_q(user)
    if tasks is not None:
        condition = tasks if condition is None else condition | tasks
    if condition is None:
        return Obligation.objects.none()
    return Obligation.objects.filter(condition)


def can_report_for(user: User, obligation: Obligation) -> bool:
    """Only an executor of the organisation that owes the report writes it."""
    return (
        _active(user)
        and is_executor(user)
        and obligation.organisation_id is not None
        and obligation.organisation_id == user.organisation_id
    )


def can_control(user: User, plan: Plan) -> bool:
    return _active(user) and can_control_plan(user, plan)


def can_review_obligation(user: User, obligation: Obligation) -> bool:
    """The controller of its plan, or the manager of its project task."""
    return _active(user) and can_review(user, obligation)


def _sees_obligation_as_reader(user: User, obligation: Obligation) -> bool:
    """Sees it without owing it: administrators, observers, controllers of its plan (or
    holders of a role over its project task)."""
    if can_see_all_plans(user):
        return True
    if obligation.organisation_id is not None and obligation.organisation_id in (
        headed_organisation_ids(user)
    ):
        return True
    if obligation.project_task_id is not None:
        return visible_obligations(user).filter(pk=obligation.pk).exists()
    return obligation.activity is not None and can_control(user, obligation.activity.plan)


def _leads(user: User, obligation: Obligation) -> bool:
    """The user's organisation is the lead executor this obligation's input goes to."""
    lead = obligation.lead_obligation
    return (
        lead is not None
        and is_executor(user)
        and lead.organisation_id is not None
        and lead.organisation_id == user.organisation_id
    )


def can_read_report(user: User, report: ExecutionReport) -> bool:
    if not _active(user):
        return False
    obligation = report.obligation
    if can_report_for(user, obligation):
        return True
    if report.state == ReportState.DRAFT:
        return False
    if report.kind == ReportKind.INPUT and _leads(user, obligation):
        return True
    return _sees_obligation_as_reader(user, obligation)


def access_obligation(user: User, obligation_id: int) -> Obligation:
    obligation = (
        visible_obligations(user)
        .filter(pk=obligation_id)
        .select_related(
            "activity",
            "activity__plan",
            "activity__plan__controller_organisation",
            "executor",
            "organisation",
            "region",
            "lead_obligation",
            "lead_obligation__organisation",
            "lead_obligation__executor",
            "project_task",
            "project_task__node",
            "project_task__program",
        )
        .first()
    )
    if obligation is None:
        raise Http404
    return obligation


def _report(report_id: int) -> ExecutionReport | None:
    return (
        ExecutionReport.objects.filter(pk=report_id)
        .select_related(
            "obligation",
            "obligation__activity",
            "obligation__activity__plan",
            "obligation__organisation",
            "obligation__region",
            "obligation__executor",
            "obligation__lead_obligation",
            "obligation__project_task",
            "obligation__project_task__node",
            "author",
        )
        .first()
    )


def access_report(user: User, report_id: int) -> ExecutionReport:
    report = _report(report_id)
    if report is None or not can_read_report(user, report):
        raise Http404
    return report


def access_attachment(user: User, attachment_id: int) -> ReportAttachment:
    attachment = ReportAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    report = access_report(user, attachment.report_id)
    attachment.report = report
    return attachment


def access_report_attachment(user: User, report_id: int, attachment_id: int) -> ReportAttachment:
    attachment = access_attachment(user, attachment_id)
    if attachment.report_id != report_id:
        raise Http404
    return attachment


def access_report_link(user: User, report_id: int, link_id: int) -> ReportLink:
    report = access_report(user, report_id)
    link = ReportLink.objects.filter(pk=link_id, report_id=report.pk).first()
    if link is None:
        raise Http404
    link.report = report
    return link


def access_report_evidence(user: User, report_id: int, evidence_id: int) -> ReportEvidence:
    report = access_report(user, report_id)
    evidence = ReportEvidence.objects.filter(pk=evidence_id, report_id=report.pk).first()
    if evidence is None:
        raise Http404
    evidence.report = report
    return evidence


def access_control_activity(user: User, activity_id: int) -> Activity:
    """An activity as its control page shows it: to whoever reads or controls its plan.

    An executor sees the plan's activities through the plans pages; the control page, with every
    executor's obligations and the controller's decisions, is for readers and controllers."""
    activity = (
        Activity.objects.filter(pk=activity_id)
        .select_related("plan", "plan__controller_organisation")
        .first()
    )
    if activity is None or not _active(user):
        raise Http404
    if can_see_all_plans(user) or can_control(user, activity.plan):
        return activity
    raise Http404
