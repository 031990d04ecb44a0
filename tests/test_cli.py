"""The `maalbilde` command: help at every level and exit codes a script can trust."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.conftest import SHIPPED_PLANS, dump, minimal_plan

MAALBILDE = [sys.executable, "-m", "maalbilde.cli"]


def run(*args: str, language: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "MAALBILDE_LANGUAGE": language}
    return subprocess.run([*MAALBILDE, *args], capture_output=True, text=True, timeout=120, env=env)


def test_help_at_every_level():
    top = run("--help")
    assert top.returncode == 0 and "maalbilde help <subcommand>" in top.stdout
    assert "plan" in top.stdout and "migrate" in top.stdout and "serve" in top.stdout
    plan = run("plan", "--help")
    assert plan.returncode == 0 and "validate" in plan.stdout and "export" in plan.stdout
    validate = run("plan", "validate", "--help")
    assert validate.returncode == 0 and "FILE" in validate.stdout
    serve = run("serve", "--help")
    assert serve.returncode == 0 and "--port" in serve.stdout


def test_validate_exit_codes(tmp_path: Path):
    assert run("plan", "validate", *map(str, SHIPPED_PLANS)).returncode == 0
    data = minimal_plan()
    data["plan"]["end_year"] = 2020
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(data), encoding="utf-8")
    result = run("plan", "validate", str(bad))
    assert result.returncode == 1
    assert "plan.end_year: The plan ends (2020) before it starts (2025)." in result.stderr


def test_messages_follow_the_language_setting(tmp_path: Path):
    bad = tmp_path / "tom.yaml"
    bad.write_text("")
    norwegian = run("plan", "validate", str(bad), language="nb")
    assert norwegian.returncode == 1
    assert f"{bad}:Filen er tom." in norwegian.stderr
    assert "Ingenting ble lagret." in norwegian.stderr
    english = run("plan", "validate", str(bad), language="en")
    assert f"{bad}:The file is empty." in english.stderr


@pytest.mark.django_db
def test_export_of_unknown_plan_is_a_clear_error():
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("plan", "export", "finnes-ikke")
    assert str(raised.value) == "There is no plan “finnes-ikke”. Plans: none."
