"""What the consolidated report says, read once with a fixed number of queries.

One row per activity that owes a report in the period; in it, one entry per obligation counted:
the executor (or, for the group of akimats, each region's akimat), the latest report submitted
or accepted, and the obligation's status from :mod:`jospar.control.status`.

Where an activity has a lead executor, the plan wants one consolidated report from the lead:
the lead's report is the activity's information, and the co-executors' inputs (their own
obligations pointing at the lead's) are left out. An export limited to one organisation (an
executor's request) shows that organisation's own obligations instead, inputs included.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.control.models import (
    EvidenceKind,
    ExecutionReport,
    Obligation,
    ObligationStatus,
    ReportAttachment,
    ReportEvidence,
    ReportLink,
    ReportState,
)
from jospar.control.status import status_of, today
from jospar.core.collation import sort_key
from jospar.core.models import Organisation, pick_lang
from jospar.planparser.model import AKIMATS
from jospar.plans.models import Activity, ActivityExecutor, Plan

# States of a report that count as information given: a draft is not yet given, a returned
# report was refused by the controller.
INFORMATION_STATES = (ReportState.SUBMITTED.value, ReportState.ACCEPTED.value)

# Reports read by a list of ids up to this many, by the subquery beyond.
CHOSEN_AS_LIST = 10_000

# Control characters other than tab and line breaks are not allowed in Word or Excel files.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return _CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class Entry:
    """One obligation of the period: who owes the report, on which date, and what was given."""

    label: str
    organisation_id: int | None
    due_on: dt.date
    status: ObligationStatus
    text: str = ""
    links: tuple[Link, ...] = ()
    attachments: tuple[str, ...] = ()
    # The evidence of completion, one line each (kind: number, date, address, ... or the
    # reason it is not given), in the report's language.
    evidence: tuple[str, ...] = ()
    reported: bool = False
    submitted_on: dt.date | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n") if p.strip()]


@dataclass(frozen=True)
class Row:
    """One activity of the plan as the report shows it."""

    activity_id: int
    number: str
    section: str
    title: str
    completion_form: str
    executors: tuple[str, ...]
    deadline_text: str
    entries: tuple[Entry, ...]

    @property
    def several_dates(self) -> bool:
        """True when the period holds more than one report date: entries then name their date."""
        return len({e.due_on for e in self.entries}) > 1

    def entry_label(self, entry: Entry) -> str:
        if self.several_dates:
            return f"{entry.label} ({entry.due_on:%d.%m.%Y})"
        return entry.label

    @property
    def reported(self) -> list[Entry]:
        return [e for e in self.entries if e.reported]

    @property
    def not_reported(self) -> list[str]:
        return [self.entry_label(e) for e in self.entries if not e.reported]

    def status_groups(self) -> list[tuple[ObligationStatus, list[str]]]:
        """Each status with the executors in it, in the order of the entries. One group means
        the whole activity has that status."""
        groups: dict[ObligationStatus, list[str]] = {}
        for entry in self.entries:
            groups.setdefault(entry.status, []).append(self.entry_label(entry))
        return list(groups.items())


@dataclass(frozen=True)
class ConsolidatedReport:
    plan_id: int
    plan_title: str
    approved_on: dt.date | None
    approval_number: str
    lang: str
    period_start: dt.date
    period_end: dt.date
    status_on: dt.date
    organisation_name: str
    rows: tuple[Row, ...] = field(default_factory=tuple)
    # "plan", or "program" for the program variant (rows are project tasks and key events,
    # sections are "sub-program — base project"; ``plan_id``/``plan_title`` name the program).
    subject: str = "plan"

    @property
    def entries(self) -> list[Entry]:
        return [e for row in self.rows for e in row.entries]


@dataclass(frozen=True)
class Summary:
    """The counts of the second sheet: obligations per status, and per executor and status."""

    by_status: list[tuple[ObligationStatus, int]]
    by_executor: list[tuple[str, dict[ObligationStatus, int], int]]
    total: int


def summarise(report: ConsolidatedReport) -> Summary:
    by_status: dict[ObligationStatus, int] = defaultdict(int)
    by_executor: dict[str, dict[ObligationStatus, int]] = {}
    for entry in report.entries:
        by_status[entry.status] += 1
        counts = by_executor.setdefault(entry.label, defaultdict(int))
        counts[entry.status] += 1
    return Summary(
        by_status=[(s, by_status.get(s, 0)) for s in ObligationStatus],
        by_executor=[
            (label, dict(counts), sum(counts.values()))
            for label, counts in sorted(
                by_executor.items(), key=lambda item: sort_key(item[0], report.lang)
            )
        ],
        total=sum(by_status.values()),
    )


def _obligations_in_period(
    plan: Plan, start: dt.date, end: dt.date, organisation_id: int | None
) -> QuerySet[Obligation]:
    """The obligations the report counts: in force, of activities in force, due in the period
    as the plan dates them (``due_on``: a moved or extended deadline does not move a report
    into another period)."""
    qs = Obligation.objects.filter(
        activity__plan=plan,
        activity__in_force=True,
        executor__in_force=True,
        in_force=True,
        due_on__gte=start,
        due_on__lte=end,
    )
    if organisation_id is not None:
        return qs.filter(organisation_id=organisation_id)
    return qs.filter(lead_obligation__isnull=True)


def _latest_report_id() -> Subquery:
    latest = (
        ExecutionReport.objects.filter(obligation=OuterRef("pk"), state__in=INFORMATION_STATES)
        .order_by("-submitted_at", "-version", "-id")
        .values("pk")[:1]
    )
    return Subquery(latest)


def executor_label(executor: ActivityExecutor, lang: str) -> str:
    """An executor as the plan prints it in that language, with the plan's marks."""
    code = pick_lang(executor, "code", lang)
    if executor.is_akimat_group or code == AKIMATS:
        code = _("Local executive bodies (akimats of all regions)")
    marks = []
    if executor.lead:
        marks.append(_("lead"))
    if executor.by_agreement:
        marks.append(_("by agreement"))
    return f"{code} ({', '.join(marks)})" if marks else code


def _entry_label(obligation: Obligation, lang: str) -> str:
    if obligation.region_id is not None:
        if obligation.organisation is not None:
            name = pick_lang(obligation.organisation, "name", lang)
            if name:
                return name
        assert obligation.region is not None
        return _("Akimat: %(region)s") % {"region": pick_lang(obligation.region, "name", lang)}
    return pick_lang(obligation.executor, "code", lang)


def _completion_form(activity: Activity, lang: str) -> str:
    other = "ru" if lang == "kk" else "kk"
    forms = getattr(activity, f"completion_form_{lang}") or getattr(
        activity, f"completion_form_{other}"
    )
    return "; ".join(str(f) for f in forms or [])


def evidence_line(evidence: ReportEvidence) -> str:
    """One piece of evidence as the report prints it, in the active language."""
    kind = str(EvidenceKind(evidence.kind).label)
    if evidence.missing_reason:
        return _("%(kind)s: not given — %(reason)s") % {
            "kind": kind,
            "reason": clean_text(evidence.missing_reason),
        }
    parts = []
    if evidence.number:
        parts.append(_("No. %(number)s") % {"number": clean_text(evidence.number)})
    if evidence.date:
        parts.append(f"{evidence.date:%d.%m.%Y}")
    for text in (evidence.outlet, evidence.place, evidence.url):
        if text:
            parts.append(clean_text(text))
    if evidence.participants is not None:
        parts.append(
            ngettext("%(n)d participant", "%(n)d participants", evidence.participants)
            % {"n": evidence.participants}
        )
    names = [clean_text(f.original_name) for f in evidence.files.all()]
    if names:
        parts.append(", ".join(names))
    return f"{kind}: {'; '.join(parts)}"


def consolidated_report(
    *,
    plan: Plan,
    lang: str,
    period_start: dt.date,
    period_end: dt.date,
    organisation: Organisation | None = None,
    on: dt.date | None = None,
) -> ConsolidatedReport:
    """Everything the report shows, in eight queries whatever the size of the plan."""
    with translation.override(lang):
        return _consolidated_report(
            plan=plan,
            lang=lang,
            period_start=period_start,
            period_end=period_end,
            organisation=organisation,
            on=on or today(),
        )


def _consolidated_report(
    *,
    plan: Plan,
    lang: str,
    period_start: dt.date,
    period_end: dt.date,
    organisation: Organisation | None,
    on: dt.date,
) -> ConsolidatedReport:
    organisation_id = organisation.pk if organisation is not None else None
    base = _obligations_in_period(plan, period_start, period_end, organisation_id)
    obligations = list(
        base.annotate(report_id=_latest_report_id())
        .select_related("executor", "organisation", "region")
        .order_by("activity_id", "executor__position", "due_on", "id")
    )
    activities = list(
        Activity.objects.filter(pk__in=base.values("activity_id"))
        .only(
            "id",
            "number",
            "position",
            "section_kk",
            "section_ru",
            "title_kk",
            "title_ru",
            "completion_form_kk",
            "completion_form_ru",
            "deadline_text_kk",
            "deadline_text_ru",
        )
        .order_by("position", "id")
    )
    executors: dict[int, list[ActivityExecutor]] = defaultdict(list)
    for executor in ActivityExecutor.objects.filter(
        activity_id__in=base.values("activity_id"), in_force=True
    ).order_by("activity_id", "position"):
        executors[executor.activity_id].append(executor)

    # The reports the obligations chose, from the rows already read: the latest-report
    # subquery over every obligation of the period ran again in each of the four reads below.
    # Past the bound, the subquery again: a statement's parameters are limited (SQLite, and
    # PostgreSQL with server-side binding).
    chosen_ids = sorted({o.report_id for o in obligations if getattr(o, "report_id", None)})
    chosen: Any = (
        chosen_ids
        if len(chosen_ids) <= CHOSEN_AS_LIST
        else base.annotate(report_id=_latest_report_id()).values("report_id")
    )
    reports = {
        r.pk: r
        for r in ExecutionReport.objects.filter(pk__in=chosen).only(
            "id", "text", "submitted_at", "kind"
        )
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

    evidence: dict[int, list[str]] = defaultdict(list)
    for row in (
        ReportEvidence.objects.filter(report_id__in=chosen)
        .prefetch_related(Prefetch("files", queryset=ReportAttachment.objects.order_by("id")))
        .order_by("report_id", "kind", "id")
    ):
        evidence[row.report_id].append(evidence_line(row))

    entries: dict[int, list[tuple[tuple[Any, ...], Entry]]] = defaultdict(list)
    for obligation in obligations:
        report_id: int | None = getattr(obligation, "report_id", None)
        report = reports.get(report_id) if report_id is not None else None
        label = _entry_label(obligation, lang)
        entry = Entry(
            label=label,
            organisation_id=obligation.organisation_id,
            due_on=obligation.due_on,
            status=status_of(obligation, on),
            text=clean_text(report.text) if report is not None else "",
            links=tuple(links.get(report.pk, ())) if report is not None else (),
            attachments=tuple(attachments.get(report.pk, ())) if report is not None else (),
            evidence=tuple(evidence.get(report.pk, ())) if report is not None else (),
            reported=report is not None,
            submitted_on=obligation.submitted_on,
        )
        if obligation.executor is None or obligation.activity_id is None:
            continue  # a project task's: not part of a plan's report
        key = (obligation.executor.position, sort_key(label, lang), obligation.due_on)
        entries[obligation.activity_id].append((key, entry))

    other = "ru" if lang == "kk" else "kk"
    rows = tuple(
        Row(
            activity_id=a.pk,
            number=a.number,
            section=clean_text(pick_lang(a, "section", lang)),
            title=clean_text(pick_lang(a, "title", lang)),
            completion_form=clean_text(_completion_form(a, lang)),
            executors=tuple(executor_label(e, lang) for e in executors.get(a.pk, [])),
            deadline_text=clean_text(
                getattr(a, f"deadline_text_{lang}") or getattr(a, f"deadline_text_{other}")
            ),
            entries=tuple(e for _key, e in sorted(entries.get(a.pk, []), key=lambda p: p[0])),
        )
        for a in activities
    )
    return ConsolidatedReport(
        plan_id=plan.pk,
        plan_title=clean_text(pick_lang(plan, "title", lang)),
        approved_on=plan.approved_on,
        approval_number=plan.approval_number,
        lang=lang,
        period_start=period_start,
        period_end=period_end,
        status_on=on,
        organisation_name=pick_lang(organisation, "name", lang) if organisation else "",
        rows=rows,
    )


def activity_count(
    *, plan: Plan, period_start: dt.date, period_end: dt.date, organisation: Organisation | None
) -> int:
    """How many rows the report will have: decides whether it is built at once."""
    base = _obligations_in_period(
        plan, period_start, period_end, organisation.pk if organisation else None
    )
    return base.values("activity_id").distinct().count()


def entry_count(
    *, plan: Plan, period_start: dt.date, period_end: dt.date, organisation: Organisation | None
) -> int:
    """How many entries (obligations with their reports) the report will hold: what its
    building time grows with (19 activities may hold 1,722 entries)."""
    return _obligations_in_period(
        plan, period_start, period_end, organisation.pk if organisation else None
    ).count()
