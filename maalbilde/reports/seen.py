"""The status rows a person sees of a plan: those of the organisations whose figures they
see, a network's figures as its rounds released them to those who may not see its own, and,
for a published year, the rows as they were published. The plan page, its exports, the
reports and the reports sent by e-mail all show these rows."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from maalbilde.networks.selectors import released_figures
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.permissions import figures_in_public, figures_in_reach
from maalbilde.plans.models import PlanVersion, Publication
from maalbilde.plans.status import TargetStatus, format_value, plan_status_cached


def sites_in_reach(version: PlanVersion, reach: set[str]) -> QuerySet[Organisation]:
    """Every organisation below the plan's owner whose figures the person sees (a network's
    members join it after its plan was written), not only those the plan names."""
    below = Organisation.objects.filter(path__startswith=version.owner.path, slug__in=reach)
    return below.exclude(pk=version.owner_id).order_by("path")


def visible(statuses: list, reach: set[str]) -> list:
    return [s for s in statuses if s.organisation in reach]


def statuses_shown(
    version: PlanVersion,
    *,
    year: int,
    site: Organisation | None,
    reach: set[str] | None,
    today: datetime.date,
    published: Publication | None = None,
) -> list[TargetStatus]:
    """The status rows a page (or its export) shows: those of the organisations in `reach`
    (without a reach, the public's), a network's figures as its rounds released them to
    those who may not see its own, a publication's rows for a published year."""
    statuses = plan_status_cached(version, year=year, organisation=site, today=today)
    if published is not None:
        statuses = _as_published(published, statuses)
    seen = reach if reach is not None else _public_reach()
    statuses = visible(statuses, seen) + _as_released(
        version, year, statuses, seen, public=reach is None
    )
    return [s.as_public() for s in statuses] if reach is None else statuses


def _as_published(published: Publication, live: list[TargetStatus]) -> list[TargetStatus]:
    """The status rows as they stood when the year was published; where a figure has changed
    since (late data, a correction), the row says so and gives today's. Written assessments
    are the latest public ones."""
    kept = published.statuses.get(translation.get_language()) or next(
        iter(published.statuses.values()), []
    )
    rows = [row for row in map(TargetStatus.from_dict, kept) if row is not None]
    if not kept or len(rows) < len(kept):
        return live  # published before its figures were kept: the live ones
    now = {_row_key(row): row for row in live}
    when = formats.date_format(timezone.localtime(published.published_at), "SHORT_DATE_FORMAT")
    shown = []
    for row in rows:
        today = now.get(_row_key(row))
        if today is not None:  # assessments are words beside the figures: the latest show
            row = replace(row, comment=today.comment, public_comment=today.public_comment)
        if today is not None and row.target_id is None and row.public_verdict is None:
            row = replace(row, public_verdict=today.public_verdict)  # a verdict written since
        if today is not None and today.actual != row.actual:
            note = _("Changed since it was published on %(date)s: now %(actual)s.") % {
                "date": when, "actual": format_value(today.actual, today.unit)}  # fmt: skip
            row = replace(row, reason=f"{row.reason} {note}")
        shown.append(row)
    return shown


def _row_key(row: TargetStatus) -> tuple:
    return (row.level, row.target_id, row.key, row.goal, row.organisation)


def _as_released(version: PlanVersion, year: int, statuses: list[TargetStatus],
                 seen: set[str], *, public: bool) -> list[TargetStatus]:  # fmt: skip
    """For those who do not see the network's own figures (its members, its viewers, the
    public), the figures its rounds fill as the rounds' latest releases give them (the public:
    of rounds published as open data); never a live total that moves with each approval. Only
    public assessments go with them."""
    owner = version.owner.slug
    if owner in seen:
        return []
    released = released_figures(version.plan_id, year, open_data_only=public)
    return [
        replace(row, actual=figure.value, comment=row.public_comment, reason=_(
            "%(value)s in %(period)s, as the round “%(round)s” released it (release %(number)s)."
        ) % {"value": format_value(figure.value, row.unit), "period": row.period,
             "round": figure.round_title, "number": figure.release})
        for row in statuses
        if row.organisation == owner and row.level == "indicator" and row.target_id is None
        and (figure := released.get(row.key or "")) is not None
    ]  # fmt: skip


def _public_reach() -> set[str]:
    """Published plans show the figures of organisations outside networks: a network's
    figures are members' answers and their sums, published only as its rounds' releases."""
    return set(figures_in_public().values_list("slug", flat=True))


def figures_seen_by(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    """The slugs of the organisations whose figures the user sees (`figures_in_reach`)."""
    return set(figures_in_reach(user).values_list("slug", flat=True))
