"""Files no row points at are deleted: what a killed process left behind (issue #9).

A service writes its files under a temporary name inside its transaction and removes them if the
transaction fails (``jospar.core.files_pending``). A process killed with
``kill -9`` in between removes nothing: the database rolls back, the disk does not, and what
stays may be a citizen's private original with the phone's GPS position in it. So, periodically
(``jospar sweep-files``; Celery beat and the embedded scheduler as the ``sweep_files`` job):

* under every upload folder of every ``FileField`` (found from the models themselves, on the
  field's own storage: local disk or S3), a file that no row names and that is older than
  ``FILES_ORPHAN_GRACE_HOURS`` is deleted — the grace period is longer than any transaction, so
  a file whose row is not committed yet is never taken;
* under ``pending/`` (where files are written until their row commits,
  ``jospar.core.files_pending``), a temporary a committed row names is adopted (its process was
  killed between the commit and the adoption), and one no row names is deleted once older than
  the grace period;
* in ``FILE_UPLOAD_TEMP_DIR`` (where Django spools large uploads while a request runs), files
  older than ``FILES_TEMP_MAX_AGE_HOURS`` are deleted.

A ``FileField`` whose ``upload_to`` is a function names its folder by the function's
``upload_root`` attribute; one without it is not swept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from jospar.core.files_pending import PENDING, adopt

logger = logging.getLogger(__name__)

# A temporary a committed row names is adopted by the sweep only when this old: younger, its
# own process is still adopting it.
ADOPT_AFTER = dt.timedelta(minutes=10)


@dataclass
class SweepResult:
    deleted: list[str] = field(default_factory=list)
    kept_young: int = 0
    referenced: int = 0
    temp_deleted: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "deleted": len(self.deleted),
            "kept_young": self.kept_young,
            "referenced": self.referenced,
            "temp_deleted": len(self.temp_deleted),
            "adopted": len(self.adopted),
        }


def grace() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "FILES_ORPHAN_GRACE_HOURS", 6)))


def temp_max_age() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "FILES_TEMP_MAX_AGE_HOURS", 6)))


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField) and model_field.concrete:
                yield model, model_field


def _root(model_field: models.FileField) -> str:
    upload_to = model_field.upload_to
    if callable(upload_to):
        return str(getattr(upload_to, "upload_root", "")).strip("/")
    text = str(upload_to).split("%", 1)[0]
    return text.rsplit("/", 1)[0].strip("/") if "/" in text else ""


def _storage_key(storage: Storage) -> str:
    location = getattr(storage, "location", None)
    if location:
        return f"disk:{os.path.abspath(str(location))}"
    return f"{type(storage).__name__}:{getattr(storage, 'bucket_name', id(storage))}"


def upload_folders() -> list[tuple[Storage, str]]:
    """Each (storage, folder) some ``FileField`` uploads into, once."""
    seen: dict[tuple[str, str], tuple[Storage, str]] = {}
    for _model, model_field in _file_fields():
        root = _root(model_field)
        if not root:
            continue  # a field writing at the top of a storage is not swept: too broad
        seen.setdefault((_storage_key(model_field.storage), root), (model_field.storage, root))
    return list(seen.values())


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, model_field in _file_fields():
        column = model_field.name
        rows = model._default_manager.exclude(**{column: ""}).exclude(**{f"{column}__isnull": True})
        names.update(str(name) for name in rows.values_list(column, flat=True).iterator())
    return names


def storages() -> list[Storage]:
    seen: dict[str, Storage] = {}
    for _model, model_field in _file_fields():
        seen.setdefault(_storage_key(model_field.storage), model_field.storage)
    return list(seen.values())


def pending_rows() -> dict[str, tuple[str, str]]:
    """Temporary name → (model, field) of the rows that still name a temporary."""
    found: dict[str, tuple[str, str]] = {}
    for model, model_field in _file_fields():
        column = model_field.name
        rows = model._default_manager.filter(**{f"{column}__startswith": f"{PENDING}/"})
        for name in rows.values_list(column, flat=True).iterator():
            found[str(name)] = (model._meta.label, column)
    return found


def _modified(storage: Storage, name: str) -> dt.datetime | None:
    try:
        modified = storage.get_modified_time(name)
    except (FileNotFoundError, NotImplementedError):
        return None
    return timezone.make_aware(modified) if timezone.is_naive(modified) else modified


def _sweep_pending(now: dt.datetime, result: SweepResult, dry_run: bool) -> None:
    rows = pending_rows()
    oldest = now - grace()
    adopt_before = now - ADOPT_AFTER
    for storage in storages():
        for name in list(_walk(storage, PENDING)):
            modified = _modified(storage, name)
            if modified is None:
                continue
            row = rows.get(name)
            if row is not None:
                if modified > adopt_before:
                    continue  # its own process is adopting it right now
                if not dry_run:
                    try:
                        adopt(row[0], row[1], name)
                    except FileNotFoundError:
                        continue
                logger.info("sweep-files: adopted %s", name)
                result.adopted.append(name)
                continue
            if modified > oldest:
                result.kept_young += 1
                continue
            if not dry_run:
                with contextlib.suppress(FileNotFoundError):
                    storage.delete(name)
            logger.info("sweep-files: deleted temporary %s", name)
            result.deleted.append(name)


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def _sweep_temp(now: dt.datetime, result: SweepResult, dry_run: bool) -> None:
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not folder or not os.path.isdir(folder):
        return
    oldest = (now - temp_max_age()).timestamp()
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < oldest:
                    if not dry_run:
                        os.unlink(entry.path)
                    result.temp_deleted.append(entry.path)
            except FileNotFoundError:
                continue  # its request finished meanwhile and removed it


def sweep_files(*, now: dt.datetime | None = None, dry_run: bool = False) -> SweepResult:
    """Delete the orphaned files (see the module's text); ``dry_run`` only lists them."""
    now = now or timezone.now()
    oldest = now - grace()
    result = SweepResult()
    # Read the names before listing the files: a row committed after this read belongs to a
    # file written after it too, which the grace period keeps.
    names = referenced_names()
    for storage, folder in upload_folders():
        for name in _walk(storage, folder):
            if name in names:
                result.referenced += 1
                continue
            try:
                modified = storage.get_modified_time(name)
            except (FileNotFoundError, NotImplementedError):
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified)
            if modified > oldest:
                result.kept_young += 1
                continue
            if not dry_run:
                try:
                    storage.delete(name)
                except FileNotFoundError:
                    continue
            logger.info("sweep-files: deleted orphan %s", name)
            result.deleted.append(name)
    _sweep_pending(now, result, dry_run)
    _sweep_temp(now, result, dry_run)
    return result
