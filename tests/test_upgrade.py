"""A database made by an earlier Målbilde, with the four plans and the demo data, migrates to
this one with every row kept: the moves between apps change no table (docs/architecture.md).
The earlier code is taken from the repository's history and run in a process of its own."""

import datetime
import os
import sqlite3
import subprocess
import sys
import tarfile
from io import BytesIO

from tests.conftest import REPO

# The last commit before the layers were drawn.
EARLIER = "63abf91"
DAY = datetime.date(2026, 11, 23)


def run(code_dir, database, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database, "MAALBILDE_LANGUAGE": "en",
           "MAALBILDE_DATA_DIR": str(code_dir / "var"), "SECRET_KEY": "upgrade-test"}  # fmt: skip
    ran = subprocess.run([sys.executable, "-m", "maalbilde.cli", *args], cwd=code_dir, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    return ran.stdout


def rows_per_table(path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'django_migrations'")]  # fmt: skip
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_database_of_the_earlier_version_with_the_demo_migrates_with_every_row(tmp_path):
    archive = subprocess.run(["git", "-C", str(REPO), "archive", EARLIER], capture_output=True,
                             check=True).stdout  # fmt: skip
    earlier = tmp_path / "earlier"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(earlier, filter="data")
    path = tmp_path / "maalbilde.sqlite3"
    database = f"sqlite:///{path}"
    # The earlier code runs from its own folder, not from the installed project.
    where = run(earlier, database, "shell", "-c", "import maalbilde; print(maalbilde.__file__)")
    assert where.strip().splitlines()[-1].startswith(str(earlier))
    run(earlier, database, "migrate", "-v", "0")
    run(earlier, database, "plan", "import", *map(str, sorted((earlier / "plans").glob("*.yaml"))))
    run(earlier, database, "demo", "--today", DAY.isoformat())
    before = rows_per_table(path)
    assert before["maalbilde_data_observation"] > 0 and before["maalbilde_data_fact"] > 0

    run(REPO, database, "migrate", "-v", "0")
    after = rows_per_table(path)
    # Every table of the earlier version holds the same rows; new tables come empty. Only the
    # catalogue of models (content types and their permissions) grows with the new ones.
    catalogue = {"django_content_type", "auth_permission"}
    kept = {table: rows for table, rows in after.items() if table in before}
    assert {t: n for t, n in kept.items() if t not in catalogue} == {
        t: n for t, n in before.items() if t not in catalogue}  # fmt: skip
    assert all(after[t] >= before[t] for t in catalogue)
    assert all(rows == 0 for table, rows in after.items() if table not in before)
    # The moved model reads the same rows, and the plans' status is computed from them.
    count = "from maalbilde.plans.models import Observation; print(Observation.objects.count())"
    counted = run(REPO, database, "shell", "-c", count)
    assert int(counted.splitlines()[-1]) == before["maalbilde_data_observation"]
    status = run(REPO, database, "status", "--plan", "ringve-rockheim", "--year", "2026",
                 "--format", "json")  # fmt: skip
    assert '"indicator": "besokstall"' in status
