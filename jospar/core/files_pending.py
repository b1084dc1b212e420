"""Uploaded files are written under a temporary name and adopted when their row commits.

Every service that stores a file (civic media and their public copies, control report
attachments, plan uploads, consolidated reports) writes it with :func:`save_pending`: the bytes
go to ``pending/<the final name>`` on the field's storage, the row names that temporary file,
and after the transaction commits :func:`adopt` moves it to its final name and points the row
at it. So:

* a transaction that rolls back leaves nothing under the upload folders — only a temporary under
  ``pending/``, which the service removes at once (:class:`PendingFiles`) or, after a
  ``kill -9``, ``jospar sweep-files`` removes once it is older than the grace period (no row
  names it);
* a process killed between the commit and the adoption leaves a committed row that names a
  temporary file that exists: it is served as it is, and the sweep adopts it;
* an adoption killed after the copy but before the row moved leaves a final file no row names:
  the sweep's ordinary orphan rule removes it.

On local disk the adoption is a rename; on S3 a copy and a delete.
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models, transaction

logger = logging.getLogger(__name__)

PENDING = "pending"


def is_pending(name: str | None) -> bool:
    return bool(name) and str(name).startswith(f"{PENDING}/")


def final_name(name: str) -> str:
    return name[len(PENDING) + 1 :] if is_pending(name) else name


class PendingFiles:
    """The temporaries one service call wrote; :meth:`remove_all` when its transaction fails
    (the database rolls back, storage does not)."""

    def __init__(self) -> None:
        self.written: list[tuple[Storage, str]] = []

    def add(self, storage: Storage, name: str | None) -> None:
        if name:
            self.written.append((storage, str(name)))

    def remove_all(self) -> None:
        for storage, name in self.written:
            # Already gone, or the storage is away: the sweep takes what is left.
            with contextlib.suppress(Exception):
                storage.delete(name)
        self.written.clear()


def save_pending(
    instance: models.Model,
    field_name: str,
    name: str,
    content: File[Any],
    *,
    pending: PendingFiles | None = None,
) -> str:
    """Write ``content`` for ``instance.<field_name>`` under a temporary name and point the
    field at it (the caller saves the row in its transaction); adopted once that commits."""
    model_field = instance._meta.get_field(field_name)
    assert isinstance(model_field, models.FileField)
    fieldfile = getattr(instance, field_name)
    wanted = model_field.generate_filename(instance, name)
    storage = fieldfile.storage
    stored = storage.save(f"{PENDING}/{wanted}", content, max_length=model_field.max_length)
    fieldfile.name = stored
    fieldfile._committed = True
    if pending is not None:
        pending.add(storage, stored)
    label = instance._meta.label

    def adopt_after_commit() -> None:
        if instance.pk is not None:
            try:
                adopt(label, field_name, stored)
            except Exception:  # the storage is away: the sweep adopts it later
                logger.warning("files: could not adopt %s yet", stored, exc_info=True)

    transaction.on_commit(adopt_after_commit)
    return str(stored)


def _move(storage: Storage, source: str, wanted: str) -> str:
    if isinstance(storage, FileSystemStorage):
        target = storage.get_available_name(wanted)
        path = storage.path(target)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            # A hard link never replaces a file another adoption put there meanwhile.
            os.link(storage.path(source), path)
            return str(target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: copied below
            pass
    with storage.open(source, "rb") as handle:
        return str(storage.save(wanted, File(handle, name=os.path.basename(wanted))))


def adopt(label: str, field_name: str, name: str) -> str | None:
    """Move the temporary ``name`` to its final name and point every row whose ``field_name``
    names it there (a report's new version shares its files with the previous one); the final
    name, or None when no row names it any more (then nothing is kept)."""
    from django.apps import apps

    model = apps.get_model(label)
    if not is_pending(name):
        return name
    storage = model._meta.get_field(field_name).storage
    target = _move(storage, name, final_name(name))
    moved = model._default_manager.filter(**{field_name: name}).update(**{field_name: target})
    if not moved:  # no row names it, or another adoption won: keep only one copy
        with contextlib.suppress(FileNotFoundError):
            storage.delete(target)
        return None
    with contextlib.suppress(FileNotFoundError):
        storage.delete(name)
    return target


def read_stored(instance: models.Model, field_name: str) -> bytes:
    """The bytes of a stored file; if its temporary was adopted meanwhile (a task started right
    after the commit), the row is read again for the final name."""
    try:
        with getattr(instance, field_name).open("rb") as handle:
            return bytes(handle.read())
    except FileNotFoundError:
        if not is_pending(getattr(instance, field_name).name):
            raise
        instance.refresh_from_db(fields=[field_name])
        with getattr(instance, field_name).open("rb") as handle:
            return bytes(handle.read())
