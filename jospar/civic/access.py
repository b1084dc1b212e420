"""Who may see and act on a citizen's report. Objects named in a URL: 404 for both "missing"
and "not yours".

* The public sees a report once it is published and not hidden.
* Its author sees it always (also while it waits for a moderator, or is hidden).
* An official (role «civic official») sees every report of the akimat the official belongs to;
  an official of a department sees the reports routed to that department (or to a
  department under it). Officials see the author and the contact, which the public never does.
* Moderators and administrators see every report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from jospar.civic.models import CitizenReport, ReportCsvExport, ReportMedia
from jospar.core.files_pending import final_name
from jospar.core.models import Organisation, Role, User

_MAX_DEPTH = 12


def _user(user: Any) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def can_moderate(user: Any) -> bool:
    """A moderator or an administrator: holds, publishes, hides and unhides."""
    actor = _user(user)
    return actor is not None and (actor.is_administrator or actor.has_role(Role.MODERATOR))


def is_civic_official(user: Any) -> bool:
    actor = _user(user)
    return (
        actor is not None
        and actor.organisation_id is not None
        and actor.has_role(Role.CIVIC_OFFICIAL)
    )


def _ancestors_or_self(organisation_id: int) -> list[int]:
    """The organisation and the ones above it (a department, its directorate, the akimat)."""
    chain: list[int] = []
    current: int | None = organisation_id
    while current is not None and current not in chain and len(chain) < _MAX_DEPTH:
        chain.append(current)
        current = (
            Organisation.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        )
    return chain


def is_official_for(user: Any, report: CitizenReport) -> bool:
    """The user answers this report for its akimat: an official of the akimat itself, or of
    the department the report is routed to (or of a body above that department)."""
    if not is_civic_official(user):
        return False
    organisation_id = user.organisation_id
    if organisation_id == report.akimat_id:
        return True
    if report.department_id is None:
        return False
    cache: dict[int, list[int]] = getattr(report, "_department_chain", {})
    chain = cache.get(report.department_id)
    if chain is None:
        chain = _ancestors_or_self(report.department_id)
        cache[report.department_id] = chain
        report._department_chain = cache  # type: ignore[attr-defined]
    return bool(organisation_id in chain)


def is_author(user: Any, report: CitizenReport) -> bool:
    actor = _user(user)
    return actor is not None and report.author_id is not None and report.author_id == actor.pk


def can_see_report(user: Any, report: CitizenReport) -> bool:
    return (
        report.is_public
        or is_author(user, report)
        or can_moderate(user)
        or is_official_for(user, report)
    )


def _report(report_id: Any) -> CitizenReport:
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise Http404 from None
    report = (
        CitizenReport.objects.select_related("topic", "region", "akimat", "department")
        # Only the region's name is wanted: its boundary (about 10 KB of JSON) is left.
        .defer("region__bbox")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def access_report_public(user: Any, report_id: Any) -> CitizenReport:
    """A report as a page shows it: public, or the user's own, or the user's to answer or to
    moderate; 404 otherwise."""
    report = _report(report_id)
    if not can_see_report(user, report):
        raise Http404
    return report


def access_report_official(user: Any, report_id: Any) -> CitizenReport:
    """A report as its akimat works on it (author, contact, internal notes, originals)."""
    report = _report(report_id)
    if not (is_official_for(user, report) or can_moderate(user)):
        raise Http404
    return report


def access_media_original(user: Any, media_id: Any) -> ReportMedia:
    """The private original of a photo, video or audio note: the report's akimat and the
    moderators only (the author sent it, but a download is not how an author uses it)."""
    try:
        pk = int(media_id)
    except (TypeError, ValueError):
        raise Http404 from None
    media = ReportMedia.objects.select_related("report").filter(pk=pk).first()
    if media is None:
        raise Http404
    if not (is_official_for(user, media.report) or can_moderate(user)):
        raise Http404
    return media


def access_media_public_copy(user: Any, name: Any) -> ReportMedia:
    """The row whose public copy or thumbnail is stored as ``name``: for everyone who may see
    its report, unless a moderator hid the photo (404 otherwise, and for any other file under
    ``MEDIA_ROOT``: attachments and exports have their own checked downloads)."""
    name = str(name or "")
    if (
        not name
        or len(name) > 255
        or not final_name(name).startswith(("civic/public/", "civic/thumbs/"))
    ):
        raise Http404
    media = (
        ReportMedia.objects.select_related("report")
        .filter(Q(public_file=name) | Q(thumbnail=name), hidden=False)
        .first()
    )
    if media is None or not can_see_report(user, media.report):
        raise Http404
    return media


def access_csv_export(user: Any, export_id: Any) -> ReportCsvExport:
    """A background CSV export: only the person who asked for it; 404 otherwise."""
    try:
        pk = int(export_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    export = ReportCsvExport.objects.filter(pk=pk, requested_by=user).first()
    if export is None:
        raise Http404
    return export
