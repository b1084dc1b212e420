"""The private original of a photo, video or audio note, for the report's akimat and the
moderators: downloaded as an attachment, never shown inline."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from jospar.civic.access import access_media_original


@require_GET
def media_original(request: HttpRequest, media_id: int) -> FileResponse:
    media = access_media_original(request.user, media_id)
    name = str(media.original.name or "")
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    response = FileResponse(
        media.original.open("rb"),
        as_attachment=True,
        filename=f"report-{media.report_id}-{media.pk}.{extension}",
        content_type=media.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
