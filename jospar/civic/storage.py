"""Where the originals of citizens' photos, videos and audio notes are kept: never public.

An original may carry the phone's GPS position, its owner's name and the device; it is shown to
the akimat and to moderators through an access-checked download, never by a URL of its own. On
the embedded default it lives outside ``MEDIA_ROOT`` (which the development server publishes);
with S3 it lives in the same private bucket as everything else, reached only by signed links.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A directory outside ``MEDIA_ROOT``; it has no URL. The location is read from the
    settings each time, so that an override (tests) is followed."""

    def __init__(self) -> None:
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self) -> str:
        return str(
            getattr(settings, "CIVIC_PRIVATE_MEDIA_ROOT", None)
            or os.path.join(str(settings.MEDIA_ROOT), os.pardir, "private")
        )

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no URL: use the access-checked download.")


def private_storage() -> Storage:
    if getattr(settings, "S3_BUCKET", ""):
        return storages["default"]
    return PrivateFileSystemStorage()
