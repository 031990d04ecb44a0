"""A database made by an earlier Målbilde, with the four plans and the demo data, migrates to
this one with every row kept: the moves between apps change no table (docs/architecture.md).

The database is kept in tests/databases/, made at the last commit before the layers were
drawn, from a checkout of it (`git archive 63abf91 | tar -x`), with
`DATABASE_URL=sqlite:///maalbilde-63abf91.sqlite3 MAALBILDE_LANGUAGE=en`:
`python -m maalbilde.cli migrate`, `… plan import plans/*.yaml`, `… demo --today 2026-11-23`,
then `xz -9`."""

import lzma
import os
import shutil
import sqlite3
import subprocess
import sys

from tests.conftest import REPO

EARLIER = REPO / "tests/databases/maalbilde-63abf91.sqlite3.xz"


def run(database, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database, "MAALBILDE_LANGUAGE": "en",
           "SECRET_KEY": "upgrade-test"}  # fmt: skip
    ran = subprocess.run([sys.executable, "-m", "maalbilde.cli", *args], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    return ran.stdout


def rows_per_table(path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'django_migrations'")]  # fmt: skip
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def latest_migrations(path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT app, max(name) FROM django_migrations GROUP BY app"))


def test_a_database_of_the_earlier_version_with_the_demo_migrates_with_every_row(tmp_path):
    path = tmp_path / "maalbilde.sqlite3"
    with lzma.open(EARLIER) as packed, path.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    database = f"sqlite:///{path}"
    # Made before the moves: the observations and the audit trail were still in data.
    made_by = latest_migrations(path)
    assert made_by["maalbilde_data"] == "0007_register_form_token" and "networks" in made_by
    assert made_by["plans"] == "0002_publications"
    before = rows_per_table(path)
    assert before["maalbilde_data_observation"] > 0 and before["maalbilde_data_fact"] > 0

    run(database, "migrate", "-v", "0")
    after = rows_per_table(path)
    # Every table of the earlier version holds the same rows; new tables come empty. Only the
    # catalogue of models (content types and their permissions) grows with the new ones.
    catalogue = {"django_content_type", "auth_permission"}
    kept = {table: rows for table, rows in after.items() if table in before}
    assert {t: n for t, n in kept.items() if t not in catalogue} == {
        t: n for t, n in before.items() if t not in catalogue}  # fmt: skip
    assert all(after[t] >= before[t] for t in catalogue)
    assert all(rows == 0 for table, rows in after.items() if table not in before)
    # Typed-in figures recorded before entries named their organisation now name it.
    with sqlite3.connect(path) as connection:
        named = dict(connection.execute(
            "SELECT organisation_id IS NOT NULL, count(*) FROM maalbilde_data_auditentry "
            "WHERE action = 'observation' GROUP BY 1"))  # fmt: skip
        askvik = connection.execute(
            "SELECT count(*) FROM maalbilde_data_auditentry a JOIN organisations_organisation o "
            "ON o.id = a.organisation_id WHERE a.subject LIKE 'norske-kulturhus/%/nk-askvik/%' "
            "AND o.slug = 'nk-askvik'").fetchone()[0]  # fmt: skip
    assert named.get(0, 0) == 0 and named[1] > 0 and askvik > 0
    # The moved model reads the same rows, and the plans' status is computed from them.
    count = "from maalbilde.plans.models import Observation; print(Observation.objects.count())"
    counted = run(database, "shell", "-c", count)
    assert int(counted.splitlines()[-1]) == before["maalbilde_data_observation"]
    status = run(database, "status", "--plan", "ringve-rockheim", "--year", "2026",
                 "--format", "json")  # fmt: skip
    assert '"indicator": "besokstall"' in status
