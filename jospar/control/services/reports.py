"""An executor's report: a draft kept until submitted, its files and links, and submitting it.

A draft is saved as often as wanted; submitting freezes that version. A returned report is
revised in a new version, which starts as a copy of the returned one. A co-executor of an
activity with a lead executor writes an *input* to the lead instead of a report to the
controller; the lead reads the inputs and submits one consolidated report.
"""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_after, counts_before
from jospar.control.models import (
    ExecutionReport,
    Obligation,
    ReportAttachment,
    ReportKind,
    ReportLink,
    ReportState,
)
from jospar.control.review_notices import notify_submitted
from jospar.control.services.common import (
    facts,
    locked,
    require_open,
    require_reporter,
)
from jospar.control.services.evidence import evidence_copy, require_evidence
from jospar.control.uploads import check_attachment, max_files, storage_name
from jospar.core.audit import audit_record
from jospar.core.calendar import next_working_day
from jospar.core.errors import Conflict, ServiceError
from jospar.core.files_pending import PendingFiles, save_pending
from jospar.core.models import User

REPORT_LANGS = ("kk", "ru")
TEXT_MAX_CHARS = 50_000
LINKS_MAX = 50
_url = URLValidator(schemes=["http", "https"])


def _kind_for(obligation: Obligation) -> str:
    return ReportKind.INPUT if obligation.lead_obligation_id else ReportKind.REPORT


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_text(text: str, lang: str) -> tuple[str, str]:
    if lang not in REPORT_LANGS:
        message = _("Write the report in Kazakh or Russian.")
        raise ServiceError("invalid_language", message, {"lang": [message]})
    text = (text or "").replace("\r\n", "\n")
    if len(text) > TEXT_MAX_CHARS:
        message = _("The text is %(n)d characters long; a report may have at most %(limit)d.") % {
            "n": len(text),
            "limit": TEXT_MAX_CHARS,
        }
        raise ServiceError("text_too_long", message, {"text": [message]})
    return text, lang


def _under_review(obligation: Obligation) -> bool:
    return ExecutionReport.objects.filter(
        obligation=obligation, kind=ReportKind.REPORT, state=ReportState.SUBMITTED
    ).exists()


def _refuse_under_review() -> Conflict:
    return Conflict(
        "under_review",
        _("The report is with the controller. It can be changed only if it is returned."),
    )


def _draft_of(report: ExecutionReport) -> ExecutionReport:
    """The report re-read under lock; refused unless it is still a draft."""
    current = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if current.state != ReportState.DRAFT:
        raise Conflict(
            "not_a_draft",
            _("This version has already been submitted and can no longer be changed."),
        )
    return current


def _start_version(actor: User, obligation: Obligation, kind: str) -> ExecutionReport:
    """A new draft; a revision starts as a copy of the previous version, files and links too."""
    previous = (
        ExecutionReport.objects.filter(obligation=obligation, kind=kind)
        .order_by("-version")
        .first()
    )
    top = ExecutionReport.objects.filter(obligation=obligation, kind=kind).aggregate(
        v=Max("version")
    )["v"]
    draft = ExecutionReport.objects.create(
        obligation=obligation,
        kind=kind,
        version=(top or 0) + 1,
        state=ReportState.DRAFT,
        lang=previous.lang if previous else "kk",
        text=previous.text if previous else "",
        organisation_id=obligation.organisation_id,
        author=actor,
    )
    if previous is not None:
        old = list(previous.attachments.order_by("id"))
        copies = ReportAttachment.objects.bulk_create(
            ReportAttachment(
                report=draft,
                file=a.file.name,
                original_name=a.original_name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
            )
            for a in old
        )
        evidence_copy(previous, draft, {a.pk: c for a, c in zip(old, copies, strict=True)})
        ReportLink.objects.bulk_create(
            ReportLink(report=draft, url=link.url, title=link.title)
            for link in previous.links.all()
        )
    return draft


def report_draft_save(
    *, actor: User, obligation: Obligation, text: str, lang: str
) -> ExecutionReport:
    """Create or update the obligation's draft (a report, or a co-executor's input)."""
    with transaction.atomic():
        obligation = locked(obligation)
        require_reporter(actor, obligation)
        require_open(obligation)
        text, lang = _check_text(text, lang)
        kind = _kind_for(obligation)
        draft = (
            ExecutionReport.objects.select_for_update()
            .filter(obligation=obligation, state=ReportState.DRAFT)
            .order_by("-version")
            .first()
        )
        created = draft is None
        if draft is None:
            if kind == ReportKind.REPORT and _under_review(obligation):
                raise _refuse_under_review()
            draft = _start_version(actor, obligation, kind)
        elif draft.kind != kind:
            raise Conflict(
                "lead_changed",
                _(
                    "The plan's lead executor for this activity changed since the draft was"
                    " started. Ask the administrator to check the plan."
                ),
            )
        before = None if created else {"lang": draft.lang, "text_sha256": _text_digest(draft.text)}
        draft.text, draft.lang = text, lang
        draft.author = actor
        draft.save()
        _audit_draft_saved(actor, obligation, draft, before, created=created)
    return draft


def report_draft_open(*, actor: User, obligation: Obligation) -> ExecutionReport:
    """The obligation's draft as it is; started (a copy of the last version) when there is none.

    What adding evidence uses: evidence belongs to a draft, and adding it must not change the
    draft's text."""
    draft = (
        ExecutionReport.objects.filter(obligation=obligation, state=ReportState.DRAFT)
        .order_by("-version")
        .first()
    )
    if draft is not None:
        return draft
    last = ExecutionReport.objects.filter(obligation=obligation).order_by("-version").first()
    if last is not None:
        return report_draft_save(actor=actor, obligation=obligation, text=last.text, lang=last.lang)
    lang = actor.language if actor.language in REPORT_LANGS else "kk"
    return report_draft_save(actor=actor, obligation=obligation, text="", lang=lang)


def _audit_draft_saved(
    actor: User,
    obligation: Obligation,
    draft: ExecutionReport,
    before: dict[str, Any] | None,
    *,
    created: bool,
) -> None:
    """The text itself is not logged: its length and digest show that it changed."""
    audit_record(
        actor=actor,
        action="report.draft_saved",
        object_type="control.ExecutionReport",
        object_id=draft.pk,
        before=before,
        after={
            "obligation": obligation.pk,
            "kind": draft.kind,
            "version": draft.version,
            "lang": draft.lang,
            "text_length": len(draft.text),
            "text_sha256": _text_digest(draft.text),
            "created": created,
        },
    )


def report_draft_update(
    *, actor: User, report: ExecutionReport, text: str | None = None, lang: str | None = None
) -> ExecutionReport:
    """Change this draft's text or language; refused once it is submitted."""
    with transaction.atomic():
        obligation, draft = _editable(actor, report)
        text, lang = _check_text(draft.text if text is None else text, lang or draft.lang)
        before = {"lang": draft.lang, "text_sha256": _text_digest(draft.text)}
        draft.text, draft.lang, draft.author = text, lang, actor
        draft.save()
        _audit_draft_saved(actor, obligation, draft, before, created=False)
    return draft


def _editable(actor: User, report: ExecutionReport) -> tuple[Obligation, ExecutionReport]:
    """The report's obligation and the draft itself, both locked; refused unless the actor may
    still change it."""
    obligation = locked(report.obligation)
    require_reporter(actor, obligation)
    require_open(obligation)
    return obligation, _draft_of(report)


editable_draft = _editable


def report_attachment_add(
    *, actor: User, report: ExecutionReport, stream: IO[bytes] | Any, name: str
) -> ReportAttachment:
    """Attach a file to a draft, once its content is checked; refused files are not stored."""
    with transaction.atomic():
        obligation, report = _editable(actor, report)
        if report.attachments.count() >= max_files():
            message = _("A report may have at most %(limit)d files.") % {"limit": max_files()}
            raise ServiceError("too_many_files", message, {"file": [message]})
        checked = check_attachment(stream, name, getattr(stream, "size", None))
        attachment = ReportAttachment(
            report=report,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        stream.seek(0)
        pending = PendingFiles()
        # Under a temporary name until the row commits (jospar.core.files_pending).
        save_pending(attachment, "file", storage_name(checked), File(stream), pending=pending)
        try:
            attachment.save()
            audit_record(
                actor=actor,
                action="report.attachment_added",
                object_type="control.ExecutionReport",
                object_id=report.pk,
                after={
                    "obligation": obligation.pk,
                    "attachment": attachment.pk,
                    "name": checked.name,
                    "content_type": checked.content_type,
                    "size": checked.size,
                    "sha256": checked.sha256,
                },
            )
        except BaseException:
            pending.remove_all()
            raise
    return attachment


def report_attachment_remove(*, actor: User, attachment: ReportAttachment) -> None:
    with transaction.atomic():
        obligation, report = _editable(actor, attachment.report)
        row = ReportAttachment.objects.filter(pk=attachment.pk, report=report).first()
        if row is None:
            return
        name = str(row.file.name)
        row.delete()
        audit_record(
            actor=actor,
            action="report.attachment_removed",
            object_type="control.ExecutionReport",
            object_id=report.pk,
            before={
                "obligation": obligation.pk,
                "attachment": attachment.pk,
                "name": row.original_name,
                "sha256": row.sha256,
            },
        )
        # Earlier versions share the stored file: delete it only when nothing points at it.
        if not ReportAttachment.objects.filter(file=name).exists():
            storage = row.file.storage
            transaction.on_commit(lambda: storage.delete(name))


def report_link_add(
    *, actor: User, report: ExecutionReport, url: str, title: str = ""
) -> ReportLink:
    url = (url or "").strip()
    title = (title or "").strip()
    try:
        if len(url) > 1000:
            raise ValidationError("too long")
        _url(url)
    except ValidationError as exc:
        message = _("Give the full address of the publication, starting with http:// or https://.")
        raise ServiceError("invalid_link", message, {"url": [message]}) from exc
    if len(title) > 500:
        message = _("The title may be at most 500 characters long.")
        raise ServiceError("invalid_link", message, {"title": [message]})
    with transaction.atomic():
        obligation, report = _editable(actor, report)
        if report.links.count() >= LINKS_MAX:
            message = _("A report may have at most %(limit)d links.") % {"limit": LINKS_MAX}
            raise ServiceError("too_many_links", message, {"url": [message]})
        link = ReportLink.objects.create(report=report, url=url, title=title)
        audit_record(
            actor=actor,
            action="report.link_added",
            object_type="control.ExecutionReport",
            object_id=report.pk,
            after={"obligation": obligation.pk, "link": link.pk, "url": url, "title": title},
        )
    return link


def report_link_remove(*, actor: User, link: ReportLink) -> None:
    with transaction.atomic():
        obligation, report = _editable(actor, link.report)
        deleted, _rows = ReportLink.objects.filter(pk=link.pk, report=report).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="report.link_removed",
                object_type="control.ExecutionReport",
                object_id=report.pk,
                before={"obligation": obligation.pk, "link": link.pk, "url": link.url},
            )


def report_submit(*, actor: User, report: ExecutionReport) -> ExecutionReport:
    """Submit a draft: that version is frozen, and the obligation records when it was sent."""
    with transaction.atomic():
        obligation, report = _editable(actor, report)
        kind = _kind_for(obligation)
        if report.kind != kind:
            raise Conflict(
                "lead_changed",
                _(
                    "The plan's lead executor for this activity changed since the draft was"
                    " started. Ask the administrator to check the plan."
                ),
            )
        if not report.text.strip():
            message = _("Write what was done before submitting.")
            raise ServiceError("empty_report", message, {"text": [message]})
        if kind == ReportKind.REPORT and _under_review(obligation):
            raise _refuse_under_review()
        require_evidence(report)
        before = facts(obligation)
        kept = counts_before(Q(pk=obligation.pk))
        now = timezone.now()
        report.state = ReportState.SUBMITTED
        report.submitted_at = now
        report.author = actor
        report.save(update_fields=["state", "submitted_at", "author", "updated_at"])
        # A co-executor's input counts from the first time it was sent; a report, from each
        # submission (a resubmission after a return is what the new date is measured against).
        if kind == ReportKind.REPORT or obligation.submitted_at is None:
            obligation.submitted_at = now
            obligation.submitted_on = timezone.localdate(now)
        if obligation.deadline is None:
            obligation.deadline = next_working_day(obligation.due_on)
        if obligation.first_late_days is None:
            # The first submission's lateness stays with the obligation (docs/decisions.md).
            days = (timezone.localdate(now) - obligation.deadline).days
            obligation.first_late_days = max(days, 0)
        obligation.save(
            update_fields=["submitted_at", "submitted_on", "deadline", "first_late_days"]
        )
        counts_after(kept)
        notify_submitted(obligation=obligation, report=report, actor=actor)
        audit_record(
            actor=actor,
            action="report.submitted",
            object_type="control.Obligation",
            object_id=obligation.pk,
            before=before,
            after={
                **facts(obligation),
                "report": report.pk,
                "kind": report.kind,
                "version": report.version,
                "lang": report.lang,
                "text_sha256": _text_digest(report.text),
                "attachments": list(report.attachments.values_list("sha256", flat=True)),
                "links": list(report.links.values_list("url", flat=True)),
                "evidence": list(report.evidence.values_list("kind", flat=True)),
            },
        )
    return report
