"""Evidence by form of completion: what a report must show for what its activity produced.

An activity's completion kinds (``Activity.completion_kinds``, read from its form of
completion) each ask for evidence: an act its number, date and file; a draft law the address
where it is registered; information the document; media publications their address, outlet and
date; an event its date, place, number of participants and photos. The executor adds evidence
to the draft (``report_evidence_add``), or, where it cannot exist, says why
(``missing_reason``). ``report_submit`` refuses a report of the lead executor whose required
kinds have neither, with a message per kind; the controller then reads the reasons beside the
report, and accepting a report that gives a reason instead of evidence needs the controller's
comment (``services_review.report_accept``). A co-executor's input is not held to it: the
lead's consolidated report is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from jospar.control.models import (
    EvidenceKind,
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportEvidence,
    ReportKind,
)
from jospar.control.uploads import check_attachment
from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import User

NUMBER_MAX = 100
URL_MAX = 1000
OUTLET_MAX = 300
PLACE_MAX = 500
REASON_MAX = 2000
PARTICIPANTS_MAX = 10_000_000
EVIDENCE_MAX = 50
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence as given (already read at the edge: bounded texts and dates)."""

    kind: str
    number: str = ""
    date: dt.date | None = None
    url: str = ""
    outlet: str = ""
    place: str = ""
    participants: int | None = None
    missing_reason: str = ""


def required_kinds(obligation: Obligation) -> list[str]:
    """The kinds of evidence the obligation's report must give (none for an input)."""
    if obligation.lead_obligation_id is not None or obligation.activity is None:
        # A project task states what it requires as a list of its own, not a form of completion.
        return []
    kinds = obligation.activity.completion_kinds or []
    return [k for k in EvidenceKind.values if k in kinds]


def evidence_kinds_asked(obligation: Obligation) -> list[str]:
    """The kinds the report form offers: the activity's, for a report and an input alike."""
    if obligation.activity is None:
        return []
    kinds = obligation.activity.completion_kinds or []
    return [k for k in EvidenceKind.values if k in kinds]


def missing_message(kind: str) -> str:
    """What a report lacks when it gives nothing for ``kind``."""
    messages = {
        EvidenceKind.ACT: _(
            "The activity ends with a legal act: give its number, date and file, or say why"
            " they cannot be given."
        ),
        EvidenceKind.DRAFT_LAW: _(
            "The activity ends with a draft law or act: give the address where it is"
            " registered, or say why it cannot be given."
        ),
        EvidenceKind.INFORMATION: _(
            "The activity ends with information: attach the document, or say why it cannot be"
            " given."
        ),
        EvidenceKind.MEDIA: _(
            "The activity ends with publications in the media: give at least one (address,"
            " outlet, date), or say why they cannot be given."
        ),
        EvidenceKind.EVENT: _(
            "The activity ends with an event: give its date, place, number of participants and"
            " photos, or say why they cannot be given."
        ),
    }
    return str(messages[EvidenceKind(kind)])


def _problems(data: EvidenceInput, files: int, images: int) -> dict[str, list[str]]:
    """What this piece of evidence lacks, field by field."""
    problems: dict[str, list[str]] = {}

    def lack(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    kind = data.kind
    if data.missing_reason:
        return problems
    if kind == EvidenceKind.ACT:
        if not data.number:
            lack("number", _("Give the act's number."))
        if data.date is None:
            lack("date", _("Give the date of the act."))
        if not files:
            lack("files", _("Attach the act's file."))
    elif kind == EvidenceKind.DRAFT_LAW:
        if not data.url:
            lack("url", _("Give the address where the draft is registered."))
    elif kind == EvidenceKind.INFORMATION:
        if not files:
            lack("files", _("Attach the document with the information."))
    elif kind == EvidenceKind.MEDIA:
        if not data.url:
            lack("url", _("Give the address of the publication."))
        if not data.outlet:
            lack("outlet", _("Name the outlet that published it."))
        if data.date is None:
            lack("date", _("Give the date of the publication."))
    elif kind == EvidenceKind.EVENT:
        if data.date is None:
            lack("date", _("Give the date of the event."))
        if not data.place:
            lack("place", _("Give the place of the event."))
        if not data.participants:
            lack("participants", _("Give the number of participants."))
        if not images:
            lack("files", _("Attach photos of the event (images)."))
    return problems


def _check(data: EvidenceInput) -> EvidenceInput:
    if data.kind not in EvidenceKind.values:
        message = _("Choose what the evidence is for.")
        raise ServiceError("invalid_evidence", message, {"kind": [message]})
    limits = {
        "number": NUMBER_MAX,
        "url": URL_MAX,
        "outlet": OUTLET_MAX,
        "place": PLACE_MAX,
        "missing_reason": REASON_MAX,
    }
    for field, limit in limits.items():
        if len(getattr(data, field)) > limit:
            message = _("At most %(limit)d characters.") % {"limit": limit}
            raise ServiceError("invalid_evidence", message, {field: [message]})
    if data.url:
        try:
            _url(data.url)
        except ValidationError as exc:
            message = _("Give the full address, starting with http:// or https://.")
            raise ServiceError("invalid_evidence", message, {"url": [message]}) from exc
    if data.participants is not None and not 0 <= data.participants <= PARTICIPANTS_MAX:
        message = _("The number of participants is out of range.")
        raise ServiceError("invalid_evidence", message, {"participants": [message]})
    return data


def report_evidence_add(
    *,
    actor: User,
    report: ExecutionReport,
    data: EvidenceInput,
    files: Sequence[tuple[IO[bytes] | Any, str]] = (),
) -> ReportEvidence:
    """Add one piece of evidence to a draft, with its files (checked by content, stored as the
    report's attachments); refused whole, field by field, when it lacks what its kind asks."""
    # Imported here: services_reports imports this module for the submission check.
    from jospar.control.services.reports import editable_draft, report_attachment_add

    data = _check(data)
    checked = []
    for stream, name in files:
        checked.append(check_attachment(stream, name, getattr(stream, "size", None)))
        stream.seek(0)
    images = sum(1 for c in checked if c.content_type.startswith("image/"))
    problems = _problems(data, len(checked), images)
    if problems:
        first = next(iter(problems.values()))[0]
        raise ServiceError("evidence_incomplete", first, problems)
    with transaction.atomic():
        obligation, report = editable_draft(actor, report)
        if report.evidence.count() >= EVIDENCE_MAX:
            message = _("A report may have at most %(limit)d pieces of evidence.") % {
                "limit": EVIDENCE_MAX
            }
            raise ServiceError("too_much_evidence", message, {"kind": [message]})
        evidence = ReportEvidence.objects.create(report=report, **_stated(data))
        attachments = [
            report_attachment_add(actor=actor, report=report, stream=stream, name=name)
            for stream, name in files
        ]
        evidence.files.set(attachments)
        audit_record(
            actor=actor,
            action="report.evidence_added",
            object_type="control.ExecutionReport",
            object_id=report.pk,
            after={
                "obligation": obligation.pk,
                "evidence": evidence.pk,
                **_facts(evidence),
                "files": [a.sha256 for a in attachments],
            },
        )
    return evidence


def _facts(evidence: ReportEvidence) -> dict[str, Any]:
    return {
        "kind": evidence.kind,
        "number": evidence.number,
        "date": evidence.date.isoformat() if evidence.date else None,
        "url": evidence.url,
        "outlet": evidence.outlet,
        "place": evidence.place,
        "participants": evidence.participants,
        "missing_reason": evidence.missing_reason,
    }


def report_evidence_remove(*, actor: User, evidence: ReportEvidence) -> None:
    """Remove a piece of evidence from a draft, with the files added with it."""
    from jospar.control.services.reports import editable_draft, report_attachment_remove

    with transaction.atomic():
        obligation, report = editable_draft(actor, evidence.report)
        row = ReportEvidence.objects.filter(pk=evidence.pk, report=report).first()
        if row is None:
            return
        files = list(row.files.all())
        facts = _facts(row)
        row.delete()
        for attachment in files:
            if not attachment.evidence.exists():
                report_attachment_remove(actor=actor, attachment=attachment)
        audit_record(
            actor=actor,
            action="report.evidence_removed",
            object_type="control.ExecutionReport",
            object_id=report.pk,
            before={"obligation": obligation.pk, "evidence": evidence.pk, **facts},
        )


def _complete(evidence: ReportEvidence) -> bool:
    if evidence.missing_reason:
        return True
    files = list(evidence.files.all())
    images = sum(1 for f in files if f.content_type.startswith("image/"))
    data = EvidenceInput(
        kind=evidence.kind,
        number=evidence.number,
        date=evidence.date,
        url=evidence.url,
        outlet=evidence.outlet,
        place=evidence.place,
        participants=evidence.participants,
    )
    return not _problems(data, len(files), images)


def evidence_missing(report: ExecutionReport) -> dict[str, list[str]]:
    """The kinds a report still lacks evidence for, as ``{"evidence_<kind>": [message]}``."""
    if report.kind != ReportKind.REPORT:
        return {}
    required = required_kinds(report.obligation)
    if not required:
        return {}
    given = {e.kind for e in report.evidence.prefetch_related("files") if _complete(e)}
    return {f"evidence_{k}": [missing_message(k)] for k in required if k not in given}


def require_evidence(report: ExecutionReport) -> None:
    """Refuse a report that lacks the evidence its activity's kinds ask for."""
    missing = evidence_missing(report)
    if missing:
        messages = [m for problems in missing.values() for m in problems]
        raise ServiceError("evidence_missing", " ".join(messages), missing)


# What a piece of evidence states: the same names on the submitted data and on the stored row.
_STATED = ("kind", "number", "date", "url", "outlet", "place", "participants", "missing_reason")


def _stated(source: Any) -> dict[str, Any]:
    return {name: getattr(source, name) for name in _STATED}


def has_missing_reasons(report: ExecutionReport) -> bool:
    return report.evidence.exclude(missing_reason="").exists()


def evidence_copy(
    previous: ExecutionReport,
    draft: ExecutionReport,
    attachments: dict[int, ReportAttachment],
) -> None:
    """Copy a version's evidence to the new draft; ``attachments`` maps old files to new."""
    for evidence in previous.evidence.prefetch_related("files"):
        copied = ReportEvidence.objects.create(report=draft, **_stated(evidence))
        copied.files.set([attachments[f.pk] for f in evidence.files.all() if f.pk in attachments])
