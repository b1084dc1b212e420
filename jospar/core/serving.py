"""Uploaded files served through the application, after the caller checked who may have them.

One function for every stored file a person downloads or sees — citizens' public photos and
thumbnails, the private originals, control-loop attachments, the consolidated report — so that
the headers are the same everywhere and the bytes leave by the cheapest way the deployment has:

* **S3** (``S3_BUCKET`` set): a redirect to a short-lived signed URL
  (``FILES_SIGNED_URL_SECONDS``); the type, the disposition and the cache policy travel in the
  signature (``response-content-*``), so that the bucket answers with our headers.
* **Local disk behind nginx** (``FILES_X_ACCEL_PREFIX`` set, e.g. ``/_files/``): an empty answer
  with ``X-Accel-Redirect: /_files/media/<name>`` (or ``/_files/private/<name>``); nginx serves
  the bytes from an ``internal`` location that nobody can request directly
  (``deploy/nginx.conf``).
* **Otherwise** (the embedded default, tests): the application streams the file itself.

Public copies are cacheable (``public, max-age``); everything else is ``private, no-store``.
Every answer says ``X-Content-Type-Options: nosniff``; a file that is not an image is an
attachment and is sandboxed should a browser render it anyway.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

PUBLIC_MAX_AGE = 3600
# A file that is not an image is never rendered in the site's origin.
SANDBOX = "default-src 'none'; sandbox"
# An image opened on its own still needs its own bytes.
IMAGE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


def public_max_age() -> int:
    return int(getattr(settings, "FILES_PUBLIC_MAX_AGE", PUBLIC_MAX_AGE))


def signed_url_seconds() -> int:
    return int(getattr(settings, "FILES_SIGNED_URL_SECONDS", 300))


def _cache_control(public: bool) -> str:
    return f"public, max-age={public_max_age()}" if public else "private, no-store"


def _local_area(file: FieldFile) -> str | None:
    """``media`` or ``private``: which of the two local roots the file's storage is."""
    location = getattr(file.storage, "location", None)
    if not location:
        return None
    roots = {
        os.path.abspath(str(settings.MEDIA_ROOT)): "media",
    }
    private = getattr(settings, "CIVIC_PRIVATE_MEDIA_ROOT", None)
    if private:
        roots[os.path.abspath(str(private))] = "private"
    return roots.get(os.path.abspath(str(location)))


def _is_remote(file: FieldFile) -> bool:
    return hasattr(file.storage, "bucket_name")


def _headers(
    response: HttpResponseBase, *, content_type: str, public: bool, inline: bool, name: str
) -> HttpResponseBase:
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = _cache_control(public)
    response["Content-Security-Policy"] = IMAGE_POLICY if inline else SANDBOX
    disposition = content_disposition_header(not inline, name)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def serve_file(
    file: FieldFile,
    *,
    content_type: str,
    public: bool,
    download_name: str = "",
    inline: bool = False,
) -> HttpResponseBase:
    """The answer that delivers ``file``. ``inline`` only for images (shown in a page);
    anything else is an attachment named ``download_name``. 404 if the file is gone."""
    if not file or not file.name:
        raise Http404
    name = str(file.name)
    download_name = download_name or name.rsplit("/", 1)[-1]
    inline = inline and content_type.startswith("image/")
    if _is_remote(file):
        disposition = content_disposition_header(not inline, download_name) or "inline"
        url = file.storage.url(  # type: ignore[call-arg]
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": _cache_control(public),
            },
            expire=signed_url_seconds(),
        )
        redirect = HttpResponseRedirect(url)
        # The redirect lives shorter than the signature it carries.
        redirect["Cache-Control"] = (
            f"public, max-age={min(public_max_age(), signed_url_seconds() // 2)}"
            if public
            else "private, no-store"
        )
        return redirect
    prefix = str(getattr(settings, "FILES_X_ACCEL_PREFIX", "") or "")
    area = _local_area(file)
    if prefix and area:
        if not file.storage.exists(name):
            raise Http404
        response = HttpResponse()
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{area}/{quote(name)}"
        return _headers(
            response, content_type=content_type, public=public, inline=inline, name=download_name
        )
    try:
        handle = file.storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise Http404 from exc
    streamed = FileResponse(handle, content_type=content_type)
    return _headers(
        streamed, content_type=content_type, public=public, inline=inline, name=download_name
    )
