import datetime
import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED_FUNDING = sorted((REPO / "funding").glob("*.yaml"))
SHIPPED_PLANS = sorted((REPO / "plans").glob("*.yaml"))
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
DEMO_DAY = datetime.date(2026, 11, 23)
# The fixtures through which a test reaches the database.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                     "django_db_serialized_rollback"}  # fmt: skip


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "database: runs Målbilde on DATABASE_URL in processes of its own"
    )


def pytest_collection_modifyitems(config, items) -> None:
    """The PostgreSQL pass runs what touches a database; the rest ran in the SQLite pass."""
    if not ON_POSTGRESQL:
        return
    touches = [item for item in items if uses_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
    items[:] = touches


def uses_database(item) -> bool:
    marked = item.get_closest_marker("django_db") or item.get_closest_marker("database")
    return bool(marked) or bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing(django_test_environment):
    """Passwords hashed in a fraction of a millisecond instead of a quarter of a second: the
    tests make and check hundreds, and what they test is who may log in, not the hash."""
    from django.test import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory, worker_id) -> Callable[[Path], None]:
    """Puts the four plans and the demo data into the test database and their files into a
    folder.

    The first build of a run is kept as a snapshot of the tables and files; a later call, in
    any test process, gets a copy of that snapshot, which takes a fraction of a second rather
    than the seconds a build takes."""
    # This run's folder: shared by its test processes, new for every run.
    run = tmp_path_factory.getbasetemp()
    snapshot = (run if worker_id == "master" else run.parent) / "demo-snapshot"

    def demo_into(folder: Path) -> None:
        with snapshot.with_suffix(".lock").open("w") as lock:
            if (snapshot / "done").exists():
                _tables_load(snapshot)
                shutil.copytree(snapshot / "files", folder, dirs_exist_ok=True)
                return
            _demo_build(folder)
            try:  # the first to finish keeps it; one that is still being kept is not awaited
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            if not (snapshot / "done").exists():
                _tables_save(snapshot)
                shutil.copytree(folder, snapshot / "files")
                (snapshot / "done").touch()

    return demo_into


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory, demo_snapshot):
    """The four plans and the demo data, committed for a module's tests (each test's own
    changes are rolled back by its `db`), deleted after the module. Yields the folder holding
    the demo's files."""
    from django.core.management import call_command

    folder = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock():
        demo_snapshot(folder)
    yield folder
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _demo_build(folder: Path) -> None:
    from django.core.management import call_command
    from django.test import override_settings
    from django.utils import translation

    from maalbilde.demo.load import demo_load

    with override_settings(DATA_DIR=folder), translation.override("nb"):
        call_command("plan", "import", *map(str, SHIPPED_PLANS), verbosity=0)
        call_command("funding", "import", *map(str, SHIPPED_FUNDING), verbosity=0)
        demo_load(today=DEMO_DAY)


def _demo_models() -> list:
    """The demo's models, many-to-many tables included; Django's own catalogue is left out:
    it is the same in every test database."""
    from django.apps import apps

    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in
            ("organisations", "maalbilde_data", "plans", "networks", "funding")]  # fmt: skip


def _tables_save(snapshot: Path) -> None:
    from django.db import connection

    snapshot.mkdir(exist_ok=True)
    with connection.cursor() as cursor:
        for model in _demo_models():
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    (snapshot / table).write_bytes(b"".join(bytes(part) for part in copy))
            else:
                cursor.execute(f'SELECT * FROM "{table}"')
                (snapshot / table).write_bytes(pickle.dumps(cursor.fetchall()))


def _tables_load(snapshot: Path) -> None:
    """The snapshot's rows into this process's empty test database, in one transaction (each
    reference is checked at its end, so the order of the tables does not matter), with the
    key sequences moved past the rows."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    models = _demo_models()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        for model in models:
            table = model._meta.db_table
            data = (snapshot / table).read_bytes()
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(data)
            else:
                rows = pickle.loads(data)
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    cursor.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def minimal_plan(**plan_overrides) -> dict:
    """A small valid plan file as data: a museum with two sites, one goal, one indicator."""
    return {
        "format": "maalbilde-plan/1",
        "organisations": [
            {"slug": "testmuseet", "name": "Testmuseet", "kind": "organisation"},
            {"slug": "nord", "name": "Avdeling Nord", "kind": "site", "parent": "testmuseet"},
            {"slug": "sor", "name": "Avdeling Sør", "kind": "site", "parent": "testmuseet"},
        ],
        "plan": {
            "slug": "testplan",
            "title": "Strategiplan for Testmuseet",
            "owner": "testmuseet",
            "start_year": 2025,
            "end_year": 2028,
            "state": "adopted",
            "vision": "Alle skal ha et museum.",
            **plan_overrides,
        },
        "focus_areas": [
            {
                "slug": "formidling",
                "number": "1",
                "title": "Formidling",
                "goals": [
                    {
                        "slug": "flere-skolebesok",
                        "title": "Øke skolebesøkene til 300 i året.",
                        "initiatives": [
                            {
                                "slug": "ny-skolepakke",
                                "title": "Ny skolepakke",
                                "kind": "milestone",
                                "due": "2027-06-30",
                            }
                        ],
                    }
                ],
                "indicators": [
                    {
                        "slug": "skolebesok",
                        "name": "Antall skolebesøk per år",
                        "unit": "count",
                        "measures": ["flere-skolebesok"],
                        "targets": [
                            {"organisation": "nord", "value": 300, "each_year": True},
                            {"organisation": "sor", "value": 275, "year": 2026},
                        ],
                    }
                ],
            }
        ],
    }


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def write_plan(tmp_path):
    """Write plan data (or raw text/bytes) to a file and return its path."""

    def write(content, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, dict):
            content = dump(content)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


def pytest_report_header(config) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


def plan_with_data(**plan_overrides) -> dict:
    """The small plan with a visits dataset and indicators computed from it."""
    data = minimal_plan(**plan_overrides)
    data["datasets"] = [
        {
            "slug": "besok",
            "name": "Besøk",
            "organisation_column": "sted",
            "date_column": "dato",
            "columns": [
                {"name": "dato", "role": "date", "aliases": ["Dato", "Besøksdato"]},
                {"name": "sted", "role": "organisation", "aliases": ["Avdeling"]},
                {"name": "antall", "role": "measure", "aliases": ["Antall"]},
                {
                    "name": "kapasitet",
                    "role": "measure",
                    "aliases": ["Kapasitet"],
                    "empty": "skip",
                },
                {"name": "belegg", "role": "measure", "ratio_of": ["antall", "kapasitet"]},
                {"name": "billettype", "role": "category", "aliases": ["Billettype"]},
            ],
        }
    ]
    data["focus_areas"][0]["indicators"].append(
        {
            "slug": "besokstall",
            "name": "Besøk per år",
            "metric": {"dataset": "besok", "aggregate": "sum", "column": "antall"},
            "targets": [{"organisation": "testmuseet", "value": 1000, "each_year": True}],
        }
    )
    return data


def register_plan() -> dict:
    """The small plan with a register of media mentions and two indicators counted from it."""
    data = minimal_plan()
    data["datasets"] = [
        {
            "slug": "omtaler",
            "name": "Medieoppslag",
            "register": True,
            "organisation_column": "sted",
            "date_column": "dato",
            "columns": [
                {"name": "dato", "role": "date"},
                {"name": "sted", "role": "organisation"},
                {"name": "dekning", "role": "category", "choices": ["nasjonal", "lokal"]},
                {"name": "tittel", "role": "text", "label": "Tittel"},
                {"name": "rekkevidde", "role": "measure"},
            ],
        }
    ]
    data["focus_areas"][0]["indicators"] += [
        {
            "slug": "nasjonale-oppslag",
            "name": "Nasjonale medieoppslag",
            "metric": {
                "dataset": "omtaler",
                "aggregate": "count",
                "filters": [{"column": "dekning", "equals": "nasjonal"}],
            },
        },
        {
            "slug": "rekkevidde",
            "name": "Digital rekkevidde",
            "metric": {"dataset": "omtaler", "aggregate": "sum", "column": "rekkevidde"},
        },
    ]
    return data


@pytest.fixture(autouse=True)
def tasks_within_request(settings):
    """Tasks (browser imports) run within the request in tests, inside the test's
    transaction; tests of the worker run it in processes of their own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever an earlier request switched to."""
    from django.utils import translation

    with translation.override("nb"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages cached by one test are not another's: rolled-back tests reuse ids."""
    from django.core.cache import cache

    cache.clear()


def pdf_structure(pdf) -> tuple[dict[str, int], list[str]]:
    """A tagged PDF's structure tree (pypdf): how many elements of each kind (/H1, /Table,
    /Figure, …), and every figure's alternative text."""
    kinds: dict[str, int] = {}
    alternatives: list[str] = []

    def tags(element) -> None:
        element = element.get_object()
        kind = element.get("/S")
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "/Figure":
            alternatives.append(str(element.get("/Alt", "")))
        children = element.get("/K")
        if children is None:
            return
        for child in children if isinstance(children, list) else [children]:
            child = child.get_object() if hasattr(child, "get_object") else child
            if isinstance(child, dict):
                tags(child)

    tags(pdf.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alternatives
