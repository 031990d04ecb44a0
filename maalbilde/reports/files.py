"""Report files: a report declared as a document — its title and its sections in order —
checked like plan files (every problem with its line and column). Målbilde ships the board
report and the annual report (`shipped/`); a report file of one's own can be given too."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from maalbilde.lib.documents import checked_document

SCHEMA_PATH = Path(__file__).with_name("schema") / "report-file.schema.json"
SHIPPED = Path(__file__).with_name("shipped")
DEVIATIONS = ["behind", "at_risk", "not_met"]


@cache
def report_file_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def parse_report_file(raw: bytes) -> dict[str, Any]:
    """A report file's data, checked; or DocumentInvalid with every problem."""
    return checked_document(raw, report_file_schema(), _("a report file"))


@cache
def shipped_reports() -> dict[str, dict[str, Any]]:
    """The reports Målbilde ships, by slug, in the order they are offered."""
    found = [parse_report_file(path.read_bytes()) for path in sorted(SHIPPED.glob("*.yaml"))]
    order = {"board": 0, "annual": 1}
    return {r["slug"]: r for r in sorted(found, key=lambda r: order.get(r["slug"], 9))}


def report_names() -> dict[str, str]:
    """What each shipped report is called where one is chosen (Styrerapport), by slug."""
    return {slug: spec.get("name", slug) for slug, spec in shipped_reports().items()}
