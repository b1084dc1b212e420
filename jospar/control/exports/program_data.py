"""The consolidated report's program variant: per sub-program and base project, each project
task and key event due in the period, what was done (the report given), what is late and why
(the manager's comment when returning it, the report's own words). Read in a fixed number of
queries; written by the same writers as a plan's report (``ConsolidatedReport`` with
``subject="program"``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from jospar.control.exports.data import (
    ConsolidatedReport,
    Entry,
    Link,
    Row,
    _latest_report_id,
    clean_text,
)
from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportLink,
    Review,
    ReviewDecision,
)
from jospar.control.status import status_of, today
from jospar.core.collation import sort_key
from jospar.core.models import pick_lang
from jospar.programs.models import (
    NodeKind,
    Program,
    ProgramNode,
    ProjectTaskAddressee,
    ProjectTaskKind,
)


def _obligations(program: Program, start: dt.date, end: dt.date) -> QuerySet[Obligation]:
    """The leads' obligations of the program's tasks due in the period (a co-executor's input
    goes to the lead, whose report speaks for the task, as in a plan's report)."""
    return Obligation.objects.filter(
        project_task__program=program,
        in_force=True,
        due_on__gte=start,
        due_on__lte=end,
        lead_obligation__isnull=True,
    )


def program_task_count(*, program: Program, period_start: dt.date, period_end: dt.date) -> int:
    """How many rows the report will have: decides whether it is built at once."""
    return (
        _obligations(program, period_start, period_end).values("project_task_id").distinct().count()
    )


def program_report(
    *,
    program: Program,
    lang: str,
    period_start: dt.date,
    period_end: dt.date,
    on: dt.date | None = None,
) -> ConsolidatedReport:
    with translation.override(lang):
        return _program_report(program, lang, period_start, period_end, on or today())


def _name(node: dict[str, Any], lang: str) -> str:
    other = "ru" if lang == "kk" else "kk"
    return clean_text(node[f"name_{lang}"] or node[f"name_{other}"])


def _program_report(
    program: Program, lang: str, start: dt.date, end: dt.date, on: dt.date
) -> ConsolidatedReport:
    base = _obligations(program, start, end)
    obligations = list(
        base.annotate(report_id=_latest_report_id())
        .select_related("organisation", "project_task")
        .order_by("project_task_id", "id")
    )
    nodes: dict[int, Any] = {
        n["id"]: n
        for n in ProgramNode.objects.filter(program=program).values(
            "id", "parent_id", "kind", "position", "printed_number", "name_kk", "name_ru"
        )
    }
    chosen = base.annotate(report_id=_latest_report_id()).values("report_id")
    reports = {
        r.pk: r for r in ExecutionReport.objects.filter(pk__in=chosen).only("id", "text", "kind")
    }
    links: dict[int, list[Link]] = defaultdict(list)
    for link in ReportLink.objects.filter(report_id__in=chosen).order_by("report_id", "id"):
        links[link.report_id].append(Link(url=link.url, title=clean_text(link.title)))
    attachments: dict[int, list[str]] = defaultdict(list)
    for attached_to, name in (
        ReportAttachment.objects.filter(report_id__in=chosen)
        .order_by("report_id", "id")
        .values_list("report_id", "original_name")
    ):
        attachments[attached_to].append(clean_text(name))
    # Why it is late: the manager's comments when returning it, the latest first.
    returns: dict[int, list[str]] = defaultdict(list)
    for obligation_id, decided_at, comment, new_deadline in (
        Review.objects.filter(
            decision=ReviewDecision.RETURNED, report__obligation__in=base.values("pk")
        )
        .order_by("report__obligation_id", "-decided_at")
        .values_list("report__obligation_id", "decided_at", "comment", "new_deadline")
    ):
        line = _("Returned on %(date)s: %(comment)s") % {
            "date": f"{decided_at:%d.%m.%Y}",
            "comment": clean_text(comment) or "—",
        }
        if new_deadline is not None:
            line += " " + _("(new date %(date)s)") % {"date": f"{new_deadline:%d.%m.%Y}"}
        returns[obligation_id].append(line)
    addressees: dict[int, list[str]] = defaultdict(list)
    for task_id, text, org_kk, org_ru in (
        ProjectTaskAddressee.objects.filter(task__obligations__in=base.values("pk"))
        .distinct()
        .order_by("task_id", "position")
        .values_list("task_id", "text", "organisation__name_kk", "organisation__name_ru")
    ):
        name = (org_kk or org_ru) if lang == "kk" else (org_ru or org_kk)
        addressees[task_id].append(clean_text(name or text))

    def chain(node_id: int) -> list[Any]:
        out: list[Any] = []
        current: int | None = node_id
        while current is not None and current in nodes and len(out) < 32:
            out.append(nodes[current])
            current = nodes[current]["parent_id"]
        return list(reversed(out))

    tasks: dict[int, Any] = {}
    entries: dict[int, list[tuple[tuple[Any, ...], Entry]]] = defaultdict(list)
    for obligation in obligations:
        task = obligation.project_task
        assert task is not None
        tasks[task.pk] = task
        report_id: int | None = getattr(obligation, "report_id", None)
        report = reports.get(report_id) if report_id is not None else None
        label = (
            clean_text(pick_lang(obligation.organisation, "name", lang))
            if obligation.organisation
            else "—"
        )
        entry = Entry(
            label=label,
            organisation_id=obligation.organisation_id,
            due_on=obligation.due_on,
            status=status_of(obligation, on),
            text=clean_text(report.text) if report is not None else "",
            links=tuple(links.get(report.pk, ())) if report is not None else (),
            attachments=tuple(attachments.get(report.pk, ())) if report is not None else (),
            # The writers print these lines under the information: here, why it is late. A
            # report returned and not yet sent again shows the manager's reason in its place.
            evidence=tuple(returns.get(obligation.pk, ())),
            reported=report is not None or bool(returns.get(obligation.pk)),
            submitted_on=obligation.submitted_on,
        )
        entries[task.pk].append(((sort_key(label, lang), obligation.due_on), entry))

    rows = []
    for task_id, task in tasks.items():
        path = chain(task.node_id)
        section_parts = [
            f"{n['printed_number']} {_name(n, lang)}".strip()
            for n in path
            if n["kind"] in (NodeKind.SUBPROGRAM, NodeKind.BASE_PROJECT)
        ]
        place = [
            f"{n['printed_number']} {_name(n, lang)}".strip()
            for n in path
            if n["kind"] in (NodeKind.PROJECT, NodeKind.DIRECTION, NodeKind.KEY_EVENT)
        ]
        items = [clean_text(str(i)) for i in (task.required_items or []) if str(i).strip()]
        kind = (
            str(ProjectTaskKind.KEY_EVENT.label)
            if task.kind == ProjectTaskKind.KEY_EVENT
            else str(ProjectTaskKind.TASK.label)
        )
        title = "; ".join(items) or kind
        if place:
            title = f"{' › '.join(place)}: {title}"
        node: dict[str, Any] = dict(nodes.get(task.node_id, {}))
        rows.append(
            (
                (tuple(n["position"] for n in path), task.deadline, task_id),
                Row(
                    activity_id=task_id,
                    number=f"{node.get('printed_number', '')} №{task_id}".strip(),
                    section=" — ".join(section_parts),
                    title=title,
                    completion_form=kind,
                    executors=tuple(addressees.get(task_id, ())),
                    deadline_text=f"{task.deadline:%d.%m.%Y}",
                    entries=tuple(e for _k, e in sorted(entries[task_id], key=lambda p: p[0])),
                ),
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return ConsolidatedReport(
        plan_id=program.pk,
        plan_title=clean_text(pick_lang(program, "title", lang)),
        approved_on=None,
        approval_number="",
        lang=lang,
        period_start=start,
        period_end=end,
        status_on=on,
        organisation_name="",
        rows=tuple(row for _key, row in rows),
        subject="program",
    )
