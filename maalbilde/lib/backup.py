"""Backup and restore in one format that does not depend on the database: gzip'd JSON lines,
a header naming the format and each app's latest migration, then every row, one to a line,
by Django's serializer (natural keys for content types and permissions). A backup of SQLite
restores into PostgreSQL and the other way, and a backup made before an upgrade restores
after it: the empty database is migrated, and the rows are read into today's models.

The backup reads in one transaction (on PostgreSQL a repeatable-read snapshot; on SQLite a
transaction that holds writers off for its few seconds), so it is consistent while the site
runs. It holds password hashes: keep it as safely as the database. The secret key is not in
it (docs/operations.md).
"""

from __future__ import annotations

import datetime
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils.translation import gettext as _

FORMAT = "maalbilde-backup/1"
# Made anew by migrations, or state that is not worth keeping (sessions, login throttling).
LEFT_OUT = {"contenttypes.contenttype", "auth.permission", "sessions.session",
            "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}  # fmt: skip
BATCH = 2000
# Models that moved from one app to another since a backup may have been made: old label →
# new (the table stayed the same).
MOVED = {
    "maalbilde_data.observation": "plans.observation",
    "maalbilde_data.auditentry": "organisations.auditentry",
}


class BackupRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _models() -> list[type[Model]]:
    chosen = [m for m in apps.get_models() if m._meta.label_lower not in LEFT_OUT]
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return [m for m in ordered if not m._meta.proxy and m._meta.managed]


def _lines() -> Iterator[str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    yield json.dumps({"format": FORMAT, "made": datetime.datetime.now(datetime.UTC).isoformat(),
                      "migrations": latest})  # fmt: skip
    for model in _models():
        rows = model._default_manager.order_by("pk")
        for start in range(0, rows.count(), BATCH):
            for item in json.loads(serializers.serialize(
                "json", rows[start : start + BATCH], use_natural_foreign_keys=True,
            )):  # fmt: skip
                yield json.dumps(item, ensure_ascii=False)


def backup_write(path: Path) -> int:
    """Write every row to `path`; returns how many."""
    count = -1
    # Readable by its owner only: it holds password hashes and every member's figures.
    path.touch(mode=0o600)
    path.chmod(0o600)
    with transaction.atomic(), gzip.open(path, "wt", encoding="utf-8") as out:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for line in _lines():
            out.write(line + "\n")
            count += 1
    return count


def backup_restore(path: Path) -> int:
    """Fill an empty database from a backup; returns how many rows it held."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as backup:
            header = json.loads(backup.readline())
    except (OSError, ValueError, EOFError) as error:
        raise BackupRefused(_("The file is not a Målbilde backup.")) from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupRefused(_("The file is not a Målbilde backup."))
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    newer = sorted(f"{app}.{name}" for app, name in header.get("migrations", {}).items()
                   if (app, name) not in known)  # fmt: skip
    if newer:
        # Its rows may hold what this version has no place for: refused, not cut down.
        raise BackupRefused(
            _("The backup was made by a newer version of Målbilde (%(migrations)s); "
              "upgrade before restoring it.") % {"migrations": ", ".join(newer)}
        )  # fmt: skip
    if _has_rows():
        raise BackupRefused(_("The database is not empty; restore into an empty database."))
    # Rows are read into today's models: the database is migrated first. A field a newer
    # version added takes its default, one it dropped is ignored, and a model that moved to
    # another app is found under its new name (MOVED).
    call_command("migrate", verbosity=0)
    count = 0
    restored: set[type[Model]] = set()
    try:
        with transaction.atomic(), gzip.open(path, "rt", encoding="utf-8") as backup:
            backup.readline()
            for line in backup:
                row = json.loads(line)
                row["model"] = MOVED.get(row["model"], row["model"])
                for found in serializers.deserialize(
                    "python", [row], handle_forward_references=True, ignorenonexistent=True
                ):
                    found.save()
                    restored.add(type(found.object))
                    count += 1
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(restored)):
                    cursor.execute(statement)
    except (OSError, EOFError, zlib.error) as error:
        # A file cut short (a copy that stopped): nothing of it was stored.
        raise BackupRefused(
            _("The backup ends before its last row; nothing was restored.")
        ) from error
    return count


def _has_rows() -> bool:
    tables = set(connection.introspection.table_names())
    return any(m._default_manager.exists() for m in _models() if m._meta.db_table in tables)
