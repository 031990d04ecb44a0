"""A round's results out: every answer for the secretariat (XLSX and CSV), and open data of
approved, aggregated figures only, under the same least-answers rule members see."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from maalbilde.lib.spreadsheets import csv_for_excel, formula_safe_table, rows_csv, xlsx_bytes
from maalbilde.networks.models import Answer, Round, RoundMember
from maalbilde.networks.models import Value as AnswerValue
from maalbilde.networks.releases import STATISTIC_COLUMNS, SURVEY_COLUMNS, latest_release
from maalbilde.networks.results import SurveyResult, member_grouping
from maalbilde.organisations.models import size_group_label


def answers_table(round_: Round) -> tuple[list[str], list[list[Any]]]:
    """One row per member asked: its region, size group, respondent group and state, then
    one column per question (numbers as numbers, chosen options joined by "; ", texts as
    written)."""
    questions = list(round_.questions.order_by("position"))
    members = (
        RoundMember.objects.filter(round=round_).select_related("organisation", "group")
        .annotate(**member_grouping("organisation__"))
    )  # fmt: skip
    answers = {a.organisation_id: a for a in Answer.objects.filter(round=round_)}
    cells: dict[tuple[int, int], Any] = {}
    for value in AnswerValue.objects.filter(answer__round=round_).select_related("answer"):
        shown = value.number if value.number is not None else (
            "; ".join(value.choices) if value.choices else value.text)  # fmt: skip
        cells[(value.answer.organisation_id, value.question_id)] = shown
    fixed = [_("Member"), _("Region"), _("Size group"), _("Group"), _("State")]
    labels = [*fixed, *(q.label for q in questions)]
    # Two questions may share a label, or a question be called "Group"; a column name must
    # be its own.
    header = [*fixed, *(f"{q.label} ({q.slug})" if labels.count(q.label) > 1 else q.label
                        for q in questions)]  # fmt: skip
    rows = []
    for member in members.order_by("organisation__name"):
        answer = answers.get(member.organisation_id)
        state = answer.get_state_display() if answer else _("not started")
        rows.append([
            member.organisation.name, member.region, size_group_label(member.size),
            member.group.name if member.group else "", state,
            *(cells.get((member.organisation_id, q.pk)) for q in questions),
        ])  # fmt: skip
    return header, rows


def answers_xlsx(round_: Round) -> bytes:
    header, rows = answers_table(round_)
    return xlsx_bytes(header, rows, sheet=round_.title)


def answers_csv(round_: Round) -> bytes:
    return rows_csv(*answers_table(round_))


def open_data(round_: Round) -> dict[str, Any]:
    """The latest release: approved answers aggregated, for each question and group with
    coverage, and the figures only where they keep every member's answer private; with the
    release's number, date and notes and what it held back."""
    release = latest_release(round_)
    if release is None:
        return {"round": round_.slug, "title": round_.title, "year": round_.year,
                "release": None, "statistics": [], "survey": []}  # fmt: skip
    return {
        "round": round_.slug, "title": round_.title, "year": round_.year,
        "release": release.number, "released": release.created_at.date().isoformat(),
        "notes": release.notes,
        "held_back": [{"figure": item["cell"], "as_in_release": item.get("kept")}
                      for item in release.held_back],
        "statistics": [{k: row.get(k, False if k == "held_back" else None)
                        for k in STATISTIC_COLUMNS} for row in release.statistics],
        "survey": [{k: row.get(k, False if k == "held_back" else None) for k in SURVEY_COLUMNS}
                   for row in release.survey],
    }  # fmt: skip


def open_data_json(round_: Round) -> bytes:
    return json.dumps(open_data(round_), ensure_ascii=False, indent=1).encode("utf-8")


def open_data_csv(round_: Round) -> bytes:
    """The statistics of the latest release, comma-separated with a decimal point, as open
    data portals read them; each row says the release its figures are from."""
    data = open_data(round_)
    rows = [{"round": data["round"], "year": data["year"], **row} for row in data["statistics"]]
    table = pl.DataFrame(rows, infer_schema_length=None)
    return formula_safe_table(table).write_csv().encode("utf-8")


def survey_csv(results: list[SurveyResult]) -> bytes:
    """Survey results as a table: per question and respondent group, each option with its
    count, then the free-text answers (for the secretariat only), one to a row."""
    rows = []
    for result in results:
        group = result.group or _("all respondents")
        rows += [[result.question.label, group, option, str(count)]
                 for option, count in result.counts]  # fmt: skip
        rows += [[result.question.label, group, text, None] for text in result.texts]
    header = [_("Question"), _("Group"), _("Answer"), _("Count")]
    # Every column as text: a survey whose first questions are free text has no count in its
    # first rows, from which a type would be guessed.
    return csv_for_excel(pl.DataFrame(rows, schema={h: pl.String for h in header}, orient="row"))
