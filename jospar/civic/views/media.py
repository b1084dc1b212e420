"""A report's files. The public copy and thumbnail of a photo, for whoever may see the report
(cacheable when the report is public); the private original, for the report's akimat and the
moderators only, downloaded as an attachment. Both go through ``jospar.core.serving``."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from jospar.civic.access import access_media_original, access_media_public_copy
from jospar.core.serving import serve_file


@require_GET
def media_public(request: HttpRequest, name: str) -> HttpResponseBase:
    media = access_media_public_copy(request.user, name)
    file = media.thumbnail if media.thumbnail.name == name else media.public_file
    extension = name.rsplit(".", 1)[-1].lower()
    content_type = "image/png" if extension == "png" else "image/jpeg"
    if media.kind != "photo":
        content_type = media.content_type
    return serve_file(
        file,
        content_type=content_type,
        # A report not (or no longer) public is seen by its author and officials only.
        public=media.report.is_public,
        download_name=f"report-{media.report_id}-{media.pk}.{extension}",
        inline=True,
    )


@require_GET
def media_original(request: HttpRequest, media_id: int) -> HttpResponseBase:
    media = access_media_original(request.user, media_id)
    name = str(media.original.name or "")
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    return serve_file(
        media.original,
        content_type=media.content_type,
        public=False,
        download_name=f"report-{media.report_id}-{media.pk}.{extension}",
    )
