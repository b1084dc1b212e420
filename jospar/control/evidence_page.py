"""The report page's evidence sections: one per completion kind the activity asks evidence for,
with the draft's rows, what the kind asks and a form with that kind's fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.control.evidence_sources import ReportedEvent
from jospar.control.forms_evidence import EvidenceForm
from jospar.control.models import EvidenceKind, ExecutionReport, Obligation, ReportEvidence
from jospar.control.services.evidence import evidence_kinds_asked, required_kinds

# The fields each kind's form shows, besides the reason for giving none.
KIND_FIELDS: dict[str, list[str]] = {
    EvidenceKind.ACT: ["number", "date", "files"],
    EvidenceKind.DRAFT_LAW: ["url", "number", "date"],
    EvidenceKind.INFORMATION: ["files"],
    EvidenceKind.MEDIA: ["url", "outlet", "date"],
    EvidenceKind.EVENT: ["date", "place", "participants", "files"],
}
KIND_ASKS = {
    EvidenceKind.ACT: gettext_lazy("The act's number, date and file."),
    EvidenceKind.DRAFT_LAW: gettext_lazy(
        "The address where the draft is registered (for example on the portal of draft legal acts)."
    ),
    EvidenceKind.INFORMATION: gettext_lazy("The document sent."),
    EvidenceKind.MEDIA: gettext_lazy("Each publication: its address, outlet and date."),
    EvidenceKind.EVENT: gettext_lazy("Date, place, number of participants and photos."),
}


def evidence_form(
    kind: str,
    data: Any = None,
    files: Any = None,
    *,
    offered: Sequence[ReportedEvent] = (),
) -> EvidenceForm:
    form = EvidenceForm(data, files, initial={"kind": kind}, auto_id=f"ev-{kind}-%s")
    # The calendar's reported events: choosing one fills the date, place and participants, and
    # brings the photos of the event's report.
    form.fields["calendar_event"].choices = [  # type: ignore[attr-defined]
        ("", _("— type the facts below —")),
        *((str(e.id), e.label) for e in offered),
    ]
    labels = {
        EvidenceKind.ACT: (_("File of the act"), _("Date of the act")),
        EvidenceKind.DRAFT_LAW: (_("Files"), _("Date of registration")),
        EvidenceKind.INFORMATION: (_("Document"), _("Date")),
        EvidenceKind.MEDIA: (_("Files"), _("Date of the publication")),
        EvidenceKind.EVENT: (_("Photos"), _("Date of the event")),
    }
    files_label, date_label = labels[EvidenceKind(kind)]
    form.fields["files"].label = files_label
    form.fields["date"].label = date_label
    if kind == EvidenceKind.DRAFT_LAW:
        form.fields["number"].label = _("Registration number (if any)")
    if kind == EvidenceKind.EVENT:
        form.fields["files"].widget.attrs["accept"] = "image/*"
    return form


@dataclass
class EvidenceSection:
    kind: str
    label: str
    asks: str
    required: bool
    rows: list[ReportEvidence]
    form: EvidenceForm
    fields: list[BoundField] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def evidence_sections(
    obligation: Obligation,
    draft: ExecutionReport | None,
    *,
    posted: EvidenceForm | None = None,
    problems: dict[str, list[str]] | None = None,
    offered: Sequence[ReportedEvent] = (),
) -> list[EvidenceSection]:
    """One section per kind the activity asks evidence for, with the draft's rows and a form;
    the event's offers the calendar's reported events (``offered``) when there are any."""
    required = set(required_kinds(obligation))
    rows = list(draft.evidence.all()) if draft is not None else []
    posted_kind = posted.data.get("kind") if posted is not None else None
    sections = []
    for kind in evidence_kinds_asked(obligation):
        if posted is not None and posted_kind == kind:
            form = posted
        else:
            form = evidence_form(kind, offered=offered if kind == EvidenceKind.EVENT else ())
        names = KIND_FIELDS[kind]
        if kind == EvidenceKind.EVENT and offered:
            names = ["calendar_event", *names]
        sections.append(
            EvidenceSection(
                kind=kind,
                label=str(EvidenceKind(kind).label),
                asks=str(KIND_ASKS[EvidenceKind(kind)]),
                required=kind in required,
                rows=[r for r in rows if r.kind == kind],
                form=form,
                fields=[form[name] for name in names],
                problems=(problems or {}).get(f"evidence_{kind}", []),
            )
        )
    return sections
