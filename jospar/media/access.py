"""Who reads the monitoring and who keeps it. Objects named in a URL are fetched here (404 for
both "missing" and "not yours").

Publications are public texts, but the monitoring (sources' health, proposals, the report) is
working material of the state bodies: administrators, controllers, observers and executors read
it; administrators keep the sources; the controller, and an executor of the activity, decide on
a proposal.
"""

from __future__ import annotations

from django.http import Http404

from jospar.core.models import Role, User
from jospar.media.models import MatchProposal, MonitoringReport, Publication, Rubric, Source
from jospar.plans.access import access_activity, can_control_plan
from jospar.plans.models import Activity

_READERS = (Role.CONTROLLER, Role.OBSERVER, Role.EXECUTOR)


def can_read_monitoring(user: User) -> bool:
    return bool(user.is_authenticated) and (
        user.is_administrator or any(user.has_role(r) for r in _READERS)
    )


def can_keep_sources(user: User) -> bool:
    return bool(user.is_authenticated) and user.is_administrator


def can_write_monitoring_report(user: User) -> bool:
    return bool(user.is_authenticated) and (
        user.is_administrator or user.has_role(Role.CONTROLLER) or user.has_role(Role.EXECUTOR)
    )


def can_keep_rubrics(user: User, activity: Activity | None) -> bool:
    """Rubrics and the monitoring activities are set by administrators and by the controllers
    of the activity's plan."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_administrator:
        return True
    return activity is not None and can_control_plan(user, activity.plan)


def access_publication(user: User, publication_id: int) -> Publication:
    if not can_read_monitoring(user):
        raise Http404
    found = (
        Publication.objects.select_related("source", "source__region", "story")
        .filter(pk=publication_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_source(user: User, source_id: int) -> Source:
    if not can_read_monitoring(user):
        raise Http404
    found = Source.objects.select_related("region").filter(pk=source_id).first()
    if found is None:
        raise Http404
    return found


def access_proposal(user: User, proposal_id: int) -> MatchProposal:
    if not can_read_monitoring(user):
        raise Http404
    found = (
        MatchProposal.objects.select_related("publication", "activity", "program_node")
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_monitored_activity(user: User, activity_id: int) -> Activity:
    """An activity's monitoring page: a reader of the monitoring who sees the activity's plan."""
    if not can_read_monitoring(user):
        raise Http404
    return access_activity(user, activity_id)


def access_rubric(user: User, rubric_id: int) -> Rubric:
    """A rubric is edited by whoever keeps the rubrics of its activity."""
    found = Rubric.objects.select_related("activity", "activity__plan").filter(pk=rubric_id).first()
    if found is None or not can_read_monitoring(user) or not can_keep_rubrics(user, found.activity):
        raise Http404
    if found.activity_id is not None:
        access_activity(user, found.activity_id)
    return found


def access_monitoring_report(user: User, report_id: int) -> MonitoringReport:
    if not can_read_monitoring(user):
        raise Http404
    found = MonitoringReport.objects.filter(pk=report_id).first()
    if found is None:
        raise Http404
    return found
