"""A database-independent backup of the whole IVP database, and its restore (docs/operations.md).

The backup file is a gzip'd JSON document::

    {"manifest": {"format": "ivp-backup", "format_version": 1, "ivp_version": ..., "django_version": ...,
                  "created_at": ..., "database_vendor": ..., "migrations": {app: [applied migration, ...]},
                  "models": {"app.model": {"rows": n, "sha256": hex}}},
     "data": {"app.model": [{"pk": ..., "fields": {...}}, ...]}}

`data` holds every row of every concrete model of every installed app (Django's own, IVP's, third-party
apps, and the auto-created many-to-many tables), serialised with Django's serialisers, ordered by primary
key. Many-to-many links are stored as rows of their through tables (with their own ids), so the copy is
exact. Date-times keep their microseconds; binary fields are base64. Each model's rows are checksummed
(sha256 over their canonical JSON text).

A restore goes only into a freshly migrated, empty database with the same migrations applied: the audit
trail is append-only, so a restore never merges into or overwrites existing data. The whole file is
checked (gzip CRC, JSON, manifest, checksums, every row deserialised) before anything is written; then
all rows are inserted in one transaction, foreign keys are checked at the end, sequences are reset
(PostgreSQL), and the restored database is serialised again and compared with the backup's checksums
before the transaction commits. The content types and permissions that `migrate` creates are the only
rows a fresh database has; they are replaced by the backup's, so that every reference to them stays right.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any
from uuid import UUID

import django
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "ivp-backup"
FORMAT_VERSION = 1
# Rows that `migrate` itself creates (post_migrate): present in every fresh database, replaced on restore.
AUTO_POPULATED = ("auth.permission", "contenttypes.contenttype")  # in deletion order


class BackupError(Exception):
    """A backup cannot be written or a backup file cannot be restored; the message says why."""


# --- Serialising ------------------------------------------------------------------------------------------


class _Serializer(PythonSerializer):
    """Django's python serialiser, without many-to-many lists: the auto-created through tables are backed up
    as models of their own (with their ids), so that a restore is an exact copy."""

    def handle_m2m_field(self, obj, field):
        pass


def _encode(value: Any) -> Any:
    # Like DjangoJSONEncoder, but without losing microseconds.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        from django.utils.duration import duration_iso_string

        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot serialise {type(value).__name__} in a backup")


def canonical_json(rows: list) -> str:
    return json.dumps(rows, default=_encode, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, in every installed app, ordered by label."""
    result = [m for m in apps.get_models(include_auto_created=True)
              if m._meta.managed and not m._meta.proxy and not m._meta.swapped]
    return sorted(result, key=lambda m: m._meta.label_lower)


def model_rows(model: type[models.Model], using: str) -> list[dict]:
    queryset = model._base_manager.using(using).order_by(model._meta.pk.attname)
    return [{"pk": obj["pk"], "fields": obj["fields"]}
            for obj in _Serializer().serialize(queryset.iterator(chunk_size=2000))]


def dump_database(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """Canonical JSON text of every model's rows ({label: text}); two databases hold the same data exactly
    when their dumps are equal. Used by the backup, the restore check and the tests."""
    return {model._meta.label_lower: canonical_json(model_rows(model, using)) for model in backed_up_models()}


def applied_migrations(using: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        result.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(result.items())}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ivp_version() -> str:
    try:
        return metadata.version("ivp")
    except metadata.PackageNotFoundError:  # running from a source tree without installation
        return "unknown"


@dataclass
class BackupSummary:
    path: Path
    models: int
    rows: int
    size: int
    sha256: str


def backup_write(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write a backup of database `using` to `path` atomically (a temporary file renamed into place)."""
    path = Path(path)
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # One consistent snapshot of all tables (must be the transaction's first statement).
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        migrations = applied_migrations(using)
        texts = dump_database(using)
    counts = {label: _row_count(text) for label, text in texts.items()}
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "ivp_version": _ivp_version(),
        "django_version": django.get_version(), "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor, "migrations": migrations,
        "models": {label: {"rows": counts[label], "sha256": _sha256(text)} for label, text in texts.items()},
    }
    chunks = ['{"manifest":', json.dumps(manifest, sort_keys=True, ensure_ascii=False), ',"data":{']
    chunks.append(",".join(f"{json.dumps(label)}:{text}" for label, text in texts.items()))
    chunks.append("}}")
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file readable by its owner only: a backup holds password hashes.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            with gzip.GzipFile(fileobj=_Hashing(raw, digest), mode="wb", filename="", mtime=0) as gz:
                for chunk in chunks:
                    gz.write(chunk.encode("utf-8"))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return BackupSummary(path, len(texts), sum(counts.values()), path.stat().st_size, digest.hexdigest())


def _row_count(text: str) -> int:
    return len(json.loads(text))


class _Hashing:
    """A write-only file object that hashes what passes through."""

    def __init__(self, raw, digest):
        self.raw, self.digest = raw, digest

    def write(self, data) -> int:
        self.digest.update(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- Reading and checking a backup file ------------------------------------------------------------------


@dataclass
class Backup:
    manifest: dict
    objects: dict[str, list[models.Model]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(len(v) for v in self.objects.values())


def backup_read(path: str | Path) -> Backup:
    """Read and check a whole backup file; raises BackupError. Writes nothing."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError as exc:
        raise BackupError(_("%(path)s: file not found") % {"path": path}) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupError(_("%(path)s: not a complete gzip file (truncated or damaged?): %(error)s")
                          % {"path": path, "error": exc}) from exc
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(_("%(path)s: not a valid backup document: %(error)s") % {"path": path, "error": exc}) from exc
    if not isinstance(document, dict) or not isinstance(document.get("manifest"), dict) \
            or not isinstance(document.get("data"), dict):
        raise BackupError(_("%(path)s: not an IVP backup (no manifest and data)") % {"path": path})
    manifest, data = document["manifest"], document["data"]
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s: not an IVP backup (format %(format)r)") % {"path": path,
                                                                                   "format": manifest.get("format")})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("%(path)s: backup format version %(version)r; this IVP reads version %(ours)d")
                          % {"path": path, "version": manifest.get("format_version"), "ours": FORMAT_VERSION})
    listed = manifest.get("models")
    if not isinstance(listed, dict) or not isinstance(manifest.get("migrations"), dict):
        raise BackupError(_("%(path)s: the manifest lists no models or migrations") % {"path": path})
    if set(listed) != set(data):
        raise BackupError(_("%(path)s: the manifest and the data name different models: %(labels)s")
                          % {"path": path, "labels": ", ".join(sorted(set(listed) ^ set(data)))})
    backup = Backup(manifest)
    for label in sorted(data):
        rows, expected = data[label], listed[label]
        if not isinstance(rows, list) or not isinstance(expected, dict):
            raise BackupError(_("%(path)s: %(model)s: malformed rows") % {"path": path, "model": label})
        if len(rows) != expected.get("rows") or _sha256(canonical_json(rows)) != expected.get("sha256"):
            raise BackupError(_("%(path)s: %(model)s: the rows do not match the manifest's count and checksum "
                                "(damaged or edited file)") % {"path": path, "model": label})
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise BackupError(_("%(path)s: %(model)s is not installed in this IVP") % {"path": path,
                                                                                       "model": label}) from exc
        backup.objects[label] = _deserialise(path, label, rows)
    return backup


def _deserialise(path: Path, label: str, rows: list) -> list[models.Model]:
    try:
        objects = serializers.deserialize(
            "python", ({"model": label, "pk": r["pk"], "fields": r["fields"]} for r in rows),
            ignorenonexistent=False)
        return [item.object for item in objects]
    except (DeserializationError, KeyError, TypeError, ValueError) as exc:
        raise BackupError(_("%(path)s: %(model)s: a row cannot be read: %(error)s")
                          % {"path": path, "model": label, "error": exc}) from exc


# --- Restoring --------------------------------------------------------------------------------------------


def _check_target(backup: Backup, using: str) -> None:
    ours = applied_migrations(using)
    theirs = {app: sorted(names) for app, names in backup.manifest["migrations"].items()}
    if ours != theirs:
        differences = []
        for app in sorted(set(ours) | set(theirs)):
            missing = sorted(set(theirs.get(app, [])) - set(ours.get(app, [])))
            extra = sorted(set(ours.get(app, [])) - set(theirs.get(app, [])))
            if missing:
                differences.append(_("%(app)s: not applied here: %(names)s") % {"app": app,
                                                                                "names": ", ".join(missing)})
            if extra:
                differences.append(_("%(app)s: not in the backup: %(names)s") % {"app": app, "names": ", ".join(extra)})
        raise BackupError(_("The database's migrations differ from the backup's; restore only into a database "
                            "migrated to the same state (%(differences)s).") % {"differences": "; ".join(differences)})
    installed = {m._meta.label_lower for m in backed_up_models()}
    if installed != set(backup.objects):
        raise BackupError(_("The installed models differ from the backup's: %(labels)s")
                          % {"labels": ", ".join(sorted(installed ^ set(backup.objects)))})
    filled = [f"{m._meta.label_lower} ({m._base_manager.using(using).count()})" for m in backed_up_models()
              if m._meta.label_lower not in AUTO_POPULATED and m._base_manager.using(using).exists()]
    if filled:
        raise BackupError(_("The database is not empty (%(tables)s). A backup is restored only into a freshly "
                            "migrated, empty database; nothing was changed.") % {"tables": ", ".join(filled)})


def backup_restore(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> Backup:
    """Restore a backup into the freshly migrated, empty database `using`; all or nothing."""
    backup = backup_read(path)
    connection = connections[using]
    try:
        with transaction.atomic(using=using):
            _check_target(backup, using)
            for label in AUTO_POPULATED:
                if label in backup.objects:
                    model = apps.get_model(label)
                    model._base_manager.using(using).all()._raw_delete(using)
            restored = [apps.get_model(label) for label in backup.objects]
            for model in restored:
                _insert(model, backup.objects[model._meta.label_lower], using)
            connection.check_constraints(table_names=[m._meta.db_table for m in restored])
            statements = connection.ops.sequence_reset_sql(no_style(), restored)
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
            after = dump_database(using)
            damaged = [label for label, text in after.items()
                       if _sha256(text) != backup.manifest["models"][label]["sha256"]]
            if damaged:
                raise BackupError(_("After loading, these tables differ from the backup: %(labels)s; "
                                    "nothing was changed.") % {"labels": ", ".join(damaged)})
    except DatabaseError as exc:
        raise BackupError(_("The database refused the backup's rows (%(error)s); nothing was changed.")
                          % {"error": exc}) from exc
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return backup


def _insert(model: type[models.Model], objects: Iterable[models.Model], using: str) -> None:
    """Insert rows as they are (raw: no auto_now, no signals), in batches."""
    objects = list(objects)
    if not objects:
        return
    fields = list(model._meta.local_concrete_fields)
    size = connections[using].ops.bulk_batch_size(fields, objects) or len(objects)
    manager = model._base_manager
    for start in range(0, len(objects), size):
        manager._insert(objects[start:start + size], fields=fields, using=using, raw=True)
