"""Reading a project's own control: its declared status (one call for a whole tree, for the
dashboard's traffic lights), the history of its declarations, its risk register, and the status
reports of a program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from jospar.programs.models import NodeStatus, Program, Risk, StatusReport


def node_declared_statuses(node_ids: Iterable[int]) -> dict[int, str]:
    """Each node's latest declared status ("on_track", "at_risk", "off_track"); nodes never
    declared are absent. One query."""
    ids = sorted({int(i) for i in node_ids})
    if not ids:
        return {}
    out: dict[int, str] = {}
    for node_id, status in (
        NodeStatus.objects.filter(node_id__in=ids)
        .order_by("node_id", "-id")
        .values_list("node_id", "status")
    ):
        out.setdefault(node_id, status)
    return out


def node_declared_status(node_id: int) -> str | None:
    """The node's latest declared status, or None when none was declared."""
    return node_declared_statuses([node_id]).get(int(node_id))


def status_history(node_id: int, limit: int = 50) -> list[NodeStatus]:
    return list(
        NodeStatus.objects.filter(node_id=node_id).select_related("set_by").order_by("-id")[:limit]
    )


def node_risks(node_id: int, *, include_closed: bool = True) -> QuerySet[Risk]:
    qs = Risk.objects.filter(node_id=node_id).select_related("owner")
    if not include_closed:
        qs = qs.filter(is_open=True)
    return qs.order_by("-is_open", "review_on", "id")


def risk_overdue(risk: Risk, today: dt.date) -> bool:
    """An open risk whose review date has passed."""
    return risk.is_open and risk.review_on < today


def program_status_reports(
    program: Program, *, region_ids: set[int] | None = None, limit: int = 500
) -> list[StatusReport]:
    """The program's status reports in force, latest period first (None: every region)."""
    qs = StatusReport.objects.filter(program=program, in_force=True).select_related(
        "region", "written_by"
    )
    if region_ids is not None:
        qs = qs.filter(region_id__in=sorted(region_ids))
    return list(qs.order_by("-period_start", "region__name_kk", "id")[:limit])


def program_declared_statuses(program_id: int) -> dict[int, str]:
    """The latest declared status of every node of a program that has one; one query."""
    out: dict[int, str] = {}
    for node_id, status in (
        NodeStatus.objects.filter(node__program_id=program_id)
        .order_by("node_id", "-id")
        .values_list("node_id", "status")
    ):
        out.setdefault(node_id, status)
    return out
