"""Backup and restore: a database written out and restored into an empty one holds the same
rows, from SQLite to SQLite, and — in the PostgreSQL pass — from SQLite to PostgreSQL and
from PostgreSQL to PostgreSQL. Run as the command line is, in processes of their own, on
databases of their own; a restore into a database with rows, or of a file that is no backup,
is refused and changes nothing."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.conftest import ON_POSTGRESQL

REPO = Path(__file__).resolve().parent.parent


def maalbilde(database: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database, "MAALBILDE_TASKS": "immediate"}
    return subprocess.run([sys.executable, "-m", "maalbilde.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, check=check)  # fmt: skip


def rows(backup: Path) -> list[dict]:
    with gzip.open(backup, "rt", encoding="utf-8") as lines:
        next(lines)
        return [json.loads(line) for line in lines]


def postgres_database(name: str) -> str:
    """A new, empty database on the test's PostgreSQL server."""
    url = urlsplit(os.environ["DATABASE_URL"])
    server = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(url._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> tuple[str, Path]:
    """A SQLite database with a plan, its organisations, a typed-in figure and a user, and
    its backup."""
    folder = tmp_path_factory.mktemp("backup")
    database = f"sqlite:///{folder / 'kilde.sqlite3'}"
    maalbilde(database, "migrate", "-v", "0")
    maalbilde(database, "plan", "import", str(REPO / "plans/norske-kulturhus.yaml"))
    maalbilde(database, "shell", "-c", (
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('ola', 'ola@example.org', 'et-langt-passord')"))  # fmt: skip
    backup = folder / "kilde.jsonl.gz"
    maalbilde(database, "backup", str(backup))
    return database, backup


def test_sqlite_to_sqlite_holds_the_same_rows(source, tmp_path):
    _database, backup = source
    target = f"sqlite:///{tmp_path / 'mål.sqlite3'}"
    said = maalbilde(target, "restore", str(backup)).stdout
    again = tmp_path / "igjen.jsonl.gz"
    maalbilde(target, "backup", str(again))
    restored = rows(again)
    assert restored == rows(backup) and f"{len(restored)} rader" in said
    models = {row["model"] for row in restored}
    assert {"organisations.organisation", "plans.plan", "auth.user"} <= models


@pytest.mark.database
@pytest.mark.skipif(not ON_POSTGRESQL, reason="the PostgreSQL pass runs it")
def test_sqlite_to_postgresql_and_postgresql_to_postgresql(source, tmp_path):
    _database, backup = source
    first = postgres_database("maalbilde_restore_1")
    maalbilde(first, "restore", str(backup))
    from_postgresql = tmp_path / "pg.jsonl.gz"
    maalbilde(first, "backup", str(from_postgresql))
    assert rows(from_postgresql) == rows(backup)
    second = postgres_database("maalbilde_restore_2")
    maalbilde(second, "restore", str(from_postgresql))
    again = tmp_path / "pg2.jsonl.gz"
    maalbilde(second, "backup", str(again))
    assert rows(again) == rows(backup)
    # New rows get new keys after a restore (the sequences follow the restored rows).
    made = maalbilde(second, "shell", "-c", (
        "from django.contrib.auth.models import User; "
        "print(User.objects.create_user('kari').pk)")).stdout  # fmt: skip
    assert int(made.strip().splitlines()[-1]) > max(
        r["pk"] for r in rows(backup) if r["model"] == "auth.user")  # fmt: skip


def test_a_restore_into_a_database_with_rows_or_of_another_file_is_refused(source, tmp_path):
    database, backup = source
    refused = maalbilde(database, "restore", str(backup), check=False)
    assert refused.returncode != 0 and "ikke tom" in refused.stderr
    other = tmp_path / "annet.gz"
    other.write_bytes(b"ikke en sikkerhetskopi")
    target = f"sqlite:///{tmp_path / 'tom.sqlite3'}"
    refused = maalbilde(target, "restore", str(other), check=False)
    assert refused.returncode != 0 and "ikke en sikkerhetskopi fra Målbilde" in refused.stderr
    # Made by a newer version (a migration this one does not have): refused, not cut down.
    with gzip.open(backup, "rt", encoding="utf-8") as lines:
        header, body = json.loads(next(lines)), list(lines)
    header["migrations"]["plans"] = "9999_from_a_newer_version"
    newer = tmp_path / "nyere.jsonl.gz"
    with gzip.open(newer, "wt", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n" + "".join(body))
    refused = maalbilde(target, "restore", str(newer), check=False)
    assert refused.returncode != 0 and "plans.9999_from_a_newer_version" in refused.stderr
    # A copy cut short: refused, and nothing of it stored.
    cut = tmp_path / "avkortet.jsonl.gz"
    cut.write_bytes(backup.read_bytes()[: len(backup.read_bytes()) // 2])
    refused = maalbilde(target, "restore", str(cut), check=False)
    assert refused.returncode != 0 and "slutter før siste rad" in refused.stderr
    assert "Traceback" not in refused.stderr
    empty = tmp_path / "tom.jsonl.gz"
    maalbilde(target, "backup", str(empty))
    assert [row["model"] for row in rows(empty)] == []


def test_a_backup_is_readable_by_its_owner_only(source):
    _database, backup = source
    assert backup.stat().st_mode & 0o777 == 0o600


def test_a_backup_of_an_earlier_version_restores(source, tmp_path):
    """A row written before the audit trail moved to organisations and gained fields, and a
    field since dropped: restored under the model's new name, new fields at their defaults."""
    _database, backup = source
    with gzip.open(backup, "rt", encoding="utf-8") as lines:
        header = next(lines)
        body = list(lines)
    earlier = {"model": "maalbilde_data.auditentry", "pk": 9001, "fields": {
        "at": "2026-11-01T10:00:00Z", "user": None, "action": "import", "subject": "besok #1",
        "before": None, "after": {"rows": 3}, "dropped_since": "x"}}  # fmt: skip
    old = tmp_path / "tidligere.jsonl.gz"
    with gzip.open(old, "wt", encoding="utf-8") as out:
        out.write(header + "".join(body) + json.dumps(earlier) + "\n")
    target = f"sqlite:///{tmp_path / 'ny.sqlite3'}"
    maalbilde(target, "restore", str(old))
    again = tmp_path / "igjen.jsonl.gz"
    maalbilde(target, "backup", str(again))
    entry = next(r for r in rows(again) if r["pk"] == 9001)
    assert entry["model"] == "organisations.auditentry"
    assert entry["fields"]["after"] == {"rows": 3} and entry["fields"]["object_kind"] == ""
    assert entry["fields"]["organisation"] is None and "dropped_since" not in entry["fields"]
