"""Backups of the database and the files together (`jospar backup`, `jospar restore`).

An archive is a directory (or the same packed as ``.tar`` / ``.tar.gz``) holding

- ``manifest.json``: jospar's version, when, the database engine, the applied migrations, the
  audit chain's head (events and HMAC), and every file with its size and SHA-256;
- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite:
  its online backup API), with its SHA-256 in the manifest;
- ``files/<store>/<name>``: every file of every storage a model's file field uses (the media
  storage, local or S3, and the private originals).

Consistency. On PostgreSQL the dump is taken from a snapshot exported by a REPEATABLE READ
transaction, and the manifest's migrations, audit head and list of files the database refers to
are read in that same transaction; on SQLite the online backup copies one consistent state and
the same facts are read from the copy. Files are copied after the snapshot: a file the snapshot
refers to but the storage no longer has (deleted in the meantime) fails the backup, so that an
archive never restores a row without its file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField
from django.utils import timezone

import jospar
from jospar.core.models import AuditChainHead, AuditEvent

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Anything that makes a backup or a restore refuse; the message says what."""


def sha256_of(handle: Any) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# --- which storages hold files ---------------------------------------------------------------


def _store_label(storage: Storage) -> str:
    if _location(storage) == _location(default_storage):
        return "media"
    return f"{type(storage).__module__}.{type(storage).__qualname__}".replace(".", "-")


def file_fields() -> list[tuple[Any, FileField]]:
    found = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, FileField):
                found.append((model, model_field))
    return found


def stores() -> dict[str, Storage]:
    """Every storage a model's file field uses, by a stable label ("media" for the default)."""
    out: dict[str, Storage] = {"media": default_storage}
    for _model, model_field in file_fields():
        storage = model_field.storage
        label = _store_label(storage)
        if label not in out:
            out[label] = storage
    return out


def _location(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3:{bucket}/{getattr(storage, 'location', '')}"
    return str(getattr(storage, "location", ""))


def _walk(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        dirs, names = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def referenced_files() -> dict[str, set[str]]:
    """Names the database refers to, by store label (read in the caller's snapshot)."""
    out: dict[str, set[str]] = {}
    for model, model_field in file_fields():
        label = _store_label(model_field.storage)
        names = (
            model._default_manager.exclude(**{model_field.name: ""})
            .exclude(**{f"{model_field.name}__isnull": True})
            .values_list(model_field.name, flat=True)
        )
        out.setdefault(label, set()).update(str(n) for n in names)
    return out


# --- facts of the database -------------------------------------------------------------------


def database_facts() -> dict[str, Any]:
    head = AuditChainHead.objects.filter(pk=1).first()
    return {
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "audit": {
            "events": AuditEvent.objects.count(),
            "seq": head.seq if head is not None else 0,
            "head": head.last_hash if head is not None else None,
        },
    }


def _pg_env_and_dsn() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


# --- backup ----------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)


def backup(dest: str | os.PathLike[str]) -> BackupResult:
    """Write an archive at ``dest``: a new directory, or a ``.tar``/``.tar.gz`` file."""
    target = Path(dest)
    packed = target.name.endswith((".tar", ".tar.gz", ".tgz"))
    if target.exists():
        raise BackupError(f"{target} exists already; a backup never overwrites one")
    work = Path(tempfile.mkdtemp(prefix="jospar-backup-", dir=target.parent)) if packed else target
    work.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _write_archive(work)
        if packed:
            mode = "w:gz" if target.name.endswith(("gz", ".tgz")) else "w"
            with tarfile.open(target, mode) as tar:  # type: ignore[call-overload]
                for item in sorted(work.rglob("*")):
                    tar.add(item, arcname=str(item.relative_to(work)), recursive=False)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if packed:
            target.unlink(missing_ok=True)
        raise
    if packed:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(target, manifest)


def _write_archive(work: Path) -> dict[str, Any]:
    vendor = connection.vendor
    if vendor == "postgresql":
        db_file = work / "database.dump"
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            env, args = _pg_env_and_dsn()
            done = subprocess.run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--file",
                    str(db_file),
                    str(settings.DATABASES["default"]["NAME"]),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            facts = database_facts()
            referenced = referenced_files()
    elif vendor == "sqlite":
        db_file = work / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(db_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        # The facts are read from the copy, so they describe exactly what was copied.
        facts, referenced = _facts_of_sqlite_copy(db_file)
    else:
        raise BackupError(f"backups of {vendor} databases are not supported")
    with db_file.open("rb") as handle:
        db_hash, db_size = sha256_of(handle)

    files: list[dict[str, Any]] = []
    missing: list[str] = []
    for label, storage in stores().items():
        present = set()
        for name in _walk(storage):
            if label == "media" and _is_anchor(name):
                continue  # anchors are kept outside backups on purpose
            out = work / "files" / label / name
            out.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, out.open("wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
            with out.open("rb") as handle:
                digest, size = sha256_of(handle)
            files.append({"store": label, "name": name, "size": size, "sha256": digest})
            present.add(name)
        missing += [f"{label}:{n}" for n in sorted(referenced.get(label, set()) - present)]
    if missing:
        raise BackupError(
            "files the database refers to are missing from storage: " + ", ".join(missing[:20])
        )
    manifest = {
        "format": FORMAT,
        "jospar_version": jospar.__version__,
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": vendor,
            "file": db_file.name,
            "size": db_size,
            "sha256": db_hash,
        },
        **facts,
        "files": files,
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


def _is_anchor(name: str) -> bool:
    prefix = str(getattr(settings, "AUDIT_ANCHOR_PREFIX", "") or "").strip("/")
    return bool(prefix) and name.startswith(prefix + "/")


def _facts_of_sqlite_copy(db_file: Path) -> tuple[dict[str, Any], dict[str, set[str]]]:
    copy = sqlite3.connect(db_file)
    try:
        migrations = sorted(
            f"{app}.{name}" for app, name in copy.execute("SELECT app, name FROM django_migrations")
        )
        events = copy.execute(f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table}").fetchone()[0]
        head = copy.execute(
            f"SELECT seq, last_hash FROM {AuditChainHead._meta.db_table} WHERE id = 1"
        ).fetchone()
        referenced: dict[str, set[str]] = {}
        for model, model_field in file_fields():
            label = _store_label(model_field.storage)
            rows = copy.execute(
                f'SELECT "{model_field.column}" FROM "{model._meta.db_table}" '
                f'WHERE "{model_field.column}" IS NOT NULL AND "{model_field.column}" <> \'\''
            )
            referenced.setdefault(label, set()).update(str(r[0]) for r in rows)
    finally:
        copy.close()
    facts = {
        "migrations": migrations,
        "audit": {
            "events": events,
            "seq": head[0] if head else 0,
            "head": head[1] if head else None,
        },
    }
    return facts, referenced


# --- restore ---------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    audit_events: int
    notes: list[str] = field(default_factory=list)


def open_archive(src: Path, scratch: Path) -> Path:
    if src.is_dir():
        return src
    if not src.exists():
        raise BackupError(f"{src} does not exist")
    with tarfile.open(src) as tar:
        tar.extractall(scratch, filter="data")
    return scratch


def archive_check(root: Path) -> dict[str, Any]:
    """The archive's manifest, after checking the database file's and every file's hash."""
    try:
        manifest: dict[str, Any] = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable {MANIFEST} in the archive: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    problems = []
    db = manifest["database"]
    with (root / db["file"]).open("rb") as handle:
        if sha256_of(handle)[0] != db["sha256"]:
            problems.append(f"the database file {db['file']} does not match its hash")
    for entry in manifest["files"]:
        path = root / "files" / entry["store"] / entry["name"]
        if not path.is_file():
            problems.append(f"{entry['store']}:{entry['name']} is missing from the archive")
            continue
        with path.open("rb") as handle:
            if sha256_of(handle)[0] != entry["sha256"]:
                problems.append(f"{entry['store']}:{entry['name']} does not match its hash")
    if problems:
        raise BackupError("the archive is damaged: " + "; ".join(problems[:20]))
    return manifest


def database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return True
    for table in (AuditEvent._meta.db_table, "core_user"):
        if table in tables:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
                if cursor.fetchone():
                    return False
    return True


def restore(src: str | os.PathLike[str], *, force: bool = False) -> RestoreResult:
    """Restore the database and files of an archive into this installation's database and
    storages, then verify the audit chain and every file's hash. Refuses a database that holds
    data unless ``force``."""
    with tempfile.TemporaryDirectory(prefix="jospar-restore-") as scratch:
        root = open_archive(Path(src), Path(scratch))
        manifest = archive_check(root)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"the archive holds a {vendor} database; this installation uses {connection.vendor}"
            )
        if not force and not database_is_empty():
            raise BackupError(
                "the database is not empty; restore into an empty one, or pass --force to "
                "replace what it holds"
            )
        known = {f"{m.app_label}.{m.name}" for m in _code_migrations()}
        unknown = sorted(set(manifest["migrations"]) - known)
        if unknown:
            raise BackupError(
                "the archive comes from a newer jospar (migrations this code lacks: "
                + ", ".join(unknown[:10])
                + ")"
            )
        db_file = root / manifest["database"]["file"]
        if vendor == "postgresql":
            _restore_postgresql(db_file)
        else:
            _restore_sqlite(db_file)
        restored = _restore_files(root, manifest)
    return _verify_after_restore(manifest, restored, known)


def _code_migrations() -> list[Any]:
    from django.db.migrations.loader import MigrationLoader

    return list(MigrationLoader(None, ignore_no_migrations=True).disk_migrations.values())


def _restore_postgresql(db_file: Path) -> None:
    connection.close()
    env, args = _pg_env_and_dsn()
    done = subprocess.run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(settings.DATABASES["default"]["NAME"]),
            str(db_file),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _restore_sqlite(db_file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_files(root: Path, manifest: dict[str, Any]) -> int:
    targets = stores()
    count = 0
    for entry in manifest["files"]:
        storage = targets.get(entry["store"])
        if storage is None:
            raise BackupError(f"no storage here for the archive's {entry['store']} files")
        name = entry["name"]
        if storage.exists(name):
            storage.delete(name)
        with (root / "files" / entry["store"] / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"{entry['store']}:{name} was stored as {saved}")
        count += 1
    return count


def _verify_after_restore(manifest: dict[str, Any], files: int, known: set[str]) -> RestoreResult:
    from jospar.core.audit import audit_verify_chain
    from jospar.core.audit_anchor import anchor_restored

    notes: list[str] = []
    facts = database_facts()
    expected = manifest["audit"]
    if (facts["audit"]["seq"], facts["audit"]["head"]) != (expected["seq"], expected["head"]):
        raise BackupError(
            f"the restored audit head ({facts['audit']['seq']} events) is not the archive's "
            f"({expected['seq']} events)"
        )
    anchor_restored(seq=expected["seq"] or 0, mac=expected["head"])
    report = audit_verify_chain()
    if not report.ok:
        raise BackupError(f"the restored audit chain does not verify: {report.problem}")
    targets = stores()
    bad = []
    for entry in manifest["files"]:
        with targets[entry["store"]].open(entry["name"], "rb") as handle:
            if sha256_of(handle)[0] != entry["sha256"]:
                bad.append(f"{entry['store']}:{entry['name']}")
    if bad:
        raise BackupError("restored files do not match their hashes: " + ", ".join(bad[:20]))
    pending = sorted(known - set(manifest["migrations"]))
    if pending:
        notes.append(f"{len(pending)} migrations newer than the archive: run `jospar migrate`")
    return RestoreResult(manifest, files, report.checked, notes)


def manifest_time(manifest: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(manifest["created_at"])
