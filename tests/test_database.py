"""The suite runs on the database DATABASE_URL names, so the PostgreSQL run is real."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_configured_database():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    """A change to a model comes with its migration (makemigrations --check)."""
    from django.core.management import call_command

    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_the_system_checks_pass():
    """Django's checks of the project (models, URLs, templates, settings), which the project's
    own commands skip and `maalbilde serve` runs before it starts."""
    from django.core.management import call_command

    call_command("check", fail_level="WARNING", verbosity=0)
