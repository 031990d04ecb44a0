"""Round files: a reporting round or survey written as YAML, checked against its JSON Schema
and against the organisations and plan it names, then stored. Every year's statistics round
is the same file with a new year, so a round is copied by copying its file."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from maalbilde.lib.norwegian import slug_of
from maalbilde.lib.yamlfiles import YamlRefused, yaml_shape_check
from maalbilde.networks.models import Question, RespondentGroup, Round, RoundMember
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Plan

SCHEMA = json.loads((Path(__file__).parent / "schema" / "round-file.schema.json").read_text())
SCALE = (1, 5)


class RoundRefused(Exception):
    """What is wrong with a round file, every problem at once."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_round_file(text: str) -> dict[str, Any]:
    """The round file's data if it is well formed and valid, or RoundRefused."""
    if len(text.encode("utf-8")) > settings.ROUND_FILE_MAX_BYTES:
        raise RoundRefused([_("The round file is larger than %(limit)s bytes.")
                            % {"limit": settings.ROUND_FILE_MAX_BYTES}])  # fmt: skip
    try:
        yaml_shape_check(text)
    except YamlRefused as refused:
        where = _("line %(line)s: ") % {"line": refused.line} if refused.line else ""
        raise RoundRefused([where + refused.message]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("line %(line)s: ") % {"line": mark.line + 1} if mark else ""
        raise RoundRefused([where + _("not valid YAML")]) from None
    if isinstance(data, dict) and isinstance(data.get("deadline"), datetime.date):
        data["deadline"] = data["deadline"].isoformat()  # YAML reads 2026-03-01 as a date
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    problems = [
        f"{'.'.join(map(str, error.absolute_path)) or _('the file')}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        raise RoundRefused(problems)
    return data


def _questions(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(section, q) for section in data["sections"] for q in section["questions"]]


def _check(data: dict[str, Any], network: Organisation | None, plan: Plan | None) -> list[str]:
    problems = []
    if network is None:
        problems.append(_("There is no organisation “%(slug)s”.") % {"slug": data["network"]})
    if data.get("plan") and plan is None:
        problems.append(_("There is no plan “%(slug)s”.") % {"slug": data["plan"]})
    if plan is not None and network is not None and not network.path.startswith(plan.owner.path):
        # Approved numbers become the members' figures in the plan: they must be its own.
        problems.append(_("The plan “%(plan)s” is not the network's own: its members are not "
                          "part of it.") % {"plan": plan.slug})  # fmt: skip
    questions = _questions(data)
    slugs = [q["slug"] for _s, q in questions]
    for slug in {s for s in slugs if slugs.count(s) > 1}:
        problems.append(_("The question “%(slug)s” is there twice.") % {"slug": slug})
    kinds = {q["slug"]: q["kind"] for _s, q in questions}
    groups = {g["slug"] for g in data.get("groups", [])}
    typed_in = set()
    version = plan.current_version if plan is not None else None
    if version is not None:
        typed_in = set(
            version.indicators.filter(metric__isnull=True, formula__isnull=True)
            .values_list("slug", flat=True)
        )  # fmt: skip
    reporting = data.get("reporting_indicator")
    if reporting and plan is not None and reporting not in typed_in:
        problems.append(_("The plan has no typed-in indicator “%(indicator)s” "
                          "(“%(slug)s”).") % {"indicator": reporting,
                                              "slug": "reporting_indicator"})  # fmt: skip
    for section, question in questions:
        slug = question["slug"]
        if question["kind"] in ("single", "multiple") and not question.get("choices"):
            problems.append(_("“%(slug)s” needs its choices.") % {"slug": slug})
        if question.get("at_most") and kinds.get(question["at_most"]) != "number":
            message = _("“%(slug)s” is compared with “%(other)s”, which is not a number question.")
            problems.append(message % {"slug": slug, "other": question["at_most"]})
        for group in [*section.get("groups", []), *question.get("groups", [])]:
            if group not in groups:
                problems.append(_("“%(slug)s” names the group “%(group)s”, which the file does "
                                  "not declare.") % {"slug": slug, "group": group})  # fmt: skip
        if question.get("indicator"):
            if question["kind"] != "number":
                problems.append(_("Only a number question can fill an indicator (“%(slug)s”).")
                                % {"slug": slug})  # fmt: skip
            elif plan is not None and question["indicator"] not in typed_in:
                problems.append(_("The plan has no typed-in indicator “%(indicator)s” "
                                  "(“%(slug)s”).") % {"indicator": question["indicator"],
                                                      "slug": slug})  # fmt: skip
    return problems


def _members(data: dict[str, Any], network: Organisation) -> tuple[list[Organisation], list[str]]:
    chosen = data.get("members", {"kind": "member"})
    below = Organisation.objects.subtree(network).exclude(pk=network.pk)
    if isinstance(chosen, dict):
        root = Organisation.objects.filter(slug=chosen.get("under", network.slug)).first()
        if root is None or not root.path.startswith(network.path):
            return [], [_("“%(slug)s” is not part of the network.") % {"slug": chosen.get("under")}]
        chosen_below = below.filter(path__startswith=root.path, kind=chosen["kind"])
        for key, value in chosen.get("attributes", {}).items():
            chosen_below = chosen_below.filter(**{f"attributes__{key}": value})
        return list(chosen_below), []
    found = {o.slug: o for o in below.filter(slug__in=chosen)}
    missing = [slug for slug in chosen if slug not in found]
    problems = [_("“%(slug)s” is not a member of the network.") % {"slug": s} for s in missing]
    return [found[s] for s in chosen if s in found], problems


@transaction.atomic
def round_import(*, text: str, user: User | None = None) -> Round:
    """Store a round file as a round, or replace one that has no answers yet."""
    data = read_round_file(text)
    network = Organisation.objects.filter(slug=data["network"]).first()
    plan = Plan.objects.filter(slug=data["plan"]).first() if data.get("plan") else None
    problems = _check(data, network, plan)
    members, member_problems = _members(data, network) if network else ([], [])
    problems += member_problems
    grouped = {slug for g in data.get("groups", []) for slug in g["members"]}
    asked = {m.slug for m in members}
    problems += [
        _("The group member “%(slug)s” is not among the members asked.") % {"slug": slug}
        for slug in sorted(grouped - asked)
    ]
    if not members and not problems:
        problems.append(_("The round asks no members."))
    previous = None
    if data.get("previous"):
        previous = Round.objects.filter(slug=data["previous"]).first()
        if previous is None or (network is not None and previous.network_id != network.pk):
            problems.append(_("There is no round “%(slug)s”.") % {"slug": data["previous"]})
    existing = Round.objects.select_for_update().filter(slug=data["slug"]).first()
    if existing and network and existing.network_id != network.pk:
        problems.append(_("Another network has a round “%(slug)s”; choose another slug.")
                        % {"slug": data["slug"]})  # fmt: skip
    elif existing and existing.answers.exists():
        problems.append(_("The round “%(slug)s” already has answers; make a new round instead.")
                        % {"slug": data["slug"]})  # fmt: skip
    if problems or network is None:  # _check names a missing network among the problems
        raise RoundRefused(problems)
    if existing:
        existing.delete()
    audit_record(user=user, action="round-replace" if existing else "round-create",
                 subject=f"rounds/{data['slug']}", organisation=network,
                 after={"network": network.slug})  # fmt: skip
    round_ = Round.objects.create(
        network=network, slug=data["slug"], title=data["title"], year=data["year"],
        deadline=datetime.date.fromisoformat(data["deadline"]),
        instructions=data.get("instructions", ""), plan=plan,
        reporting_indicator=data.get("reporting_indicator", ""),
        late_answers=data.get("late_answers", False),
        change_warning_percent=data.get("change_warning_percent", 30), previous=previous,
        source=text,
    )  # fmt: skip
    groups = {
        g["slug"]: RespondentGroup.objects.create(round=round_, slug=g["slug"], name=g["name"])
        for g in data.get("groups", [])
    }
    group_of = {slug: groups[g["slug"]] for g in data.get("groups", []) for slug in g["members"]}
    RoundMember.objects.bulk_create(
        RoundMember(round=round_, organisation=m, group=group_of.get(m.slug)) for m in members
    )
    Question.objects.bulk_create(
        Question(
            round=round_, position=position, section=section["title"], slug=q["slug"],
            kind=q["kind"], label=q["label"], help=q.get("help", ""), unit=q.get("unit", ""),
            required=q.get("required", False),
            minimum=(SCALE[0] if q["kind"] == "scale" else q.get("minimum")),
            maximum=(SCALE[1] if q["kind"] == "scale" else q.get("maximum")),
            at_most=q.get("at_most", ""), choices=q.get("choices", []),
            groups=sorted({*section.get("groups", []), *q.get("groups", [])}),
            indicator=q.get("indicator", ""), prefill=q.get("prefill"),
        )
        for position, (section, q) in enumerate(_questions(data), start=1)
    )  # fmt: skip
    return round_


def round_copy(
    *,
    source: Round,
    title: str,
    year: int,
    deadline: datetime.date,
    instructions: str,
    user: User | None = None,
) -> Round:
    """Next period's round: the same members and questions as `source`, a new title, year,
    deadline and instructions, and `source` as the previous round that changes are compared
    with."""
    data = yaml.safe_load(source.source)
    base = slug_of(title, 80)
    slug = f"{source.network.slug}-{base}"[:80].strip("-")
    if Round.objects.filter(slug=slug).exists():
        raise RoundRefused([_("There is a round “%(slug)s” already; give the new round "
                              "another title.") % {"slug": slug}])  # fmt: skip
    data.update(slug=slug, title=title, year=year, deadline=deadline.isoformat(),
                instructions=instructions, previous=source.slug)  # fmt: skip
    return round_import(text=yaml.safe_dump(data, allow_unicode=True, sort_keys=False), user=user)
