"""Writes to the organisation tree."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from maalbilde.organisations.models import Organisation

_FIELDS = ["name", "kind", "description", "contact_email", "attributes"]
# What an entry written before a field existed (or by a script) leaves out.
_DEFAULTS = {"contact_email": ""}

# Parts of the domain above this one place things at organisations that must stay inside
# an owner: a plan's targets and tasks inside the plan's organisation. Each registers a
# function listing what it places, as (holder in words, owner slug, organisation slug),
# leaving out the holder a change is made for (`holder`, opaque here), whose own places
# that change replaces.
Placements = Callable[[str], Iterable[tuple[str, str, str]]]
_placements: list[Placements] = []


class OrganisationMoveRefused(Exception):
    """Moving organisations would take something placed in one outside its owner."""


def placements_register(placements: Placements) -> None:
    if placements not in _placements:
        _placements.append(placements)


def organisations_upsert(
    *, entries: list[dict[str, Any]], holder: str = ""
) -> dict[str, Organisation]:
    """Create or update organisations from plan-file entries; return them by slug.

    Entries may name parents listed later in the same list, or organisations already
    stored. Paths are rebuilt afterwards for the whole tree, so moving a subtree moves
    everything below it. A move that would take something placed by another holder
    outside its owner is refused (OrganisationMoveRefused), with nothing changed.
    """
    refused = organisation_moves_refused(entries, holder)
    if refused:
        raise OrganisationMoveRefused(" ".join(refused))
    entries = [{**_DEFAULTS, **entry} for entry in entries]
    slugs = [entry["slug"] for entry in entries]
    existing = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    Organisation.objects.bulk_create(
        Organisation(slug=slug, path=f"/{slug}/", **{f: e[f] for f in _FIELDS})
        for slug, e in zip(slugs, entries, strict=True)
        if slug not in existing
    )
    by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    outside = {e["parent"] for e in entries if e["parent"] and e["parent"] not in by_slug}
    parents = {**by_slug, **{o.slug: o for o in Organisation.objects.filter(slug__in=outside)}}
    for entry in entries:
        organisation = by_slug[entry["slug"]]
        for name in _FIELDS:
            setattr(organisation, name, entry[name])
        organisation.parent = parents[entry["parent"]] if entry["parent"] else None
    Organisation.objects.bulk_update(by_slug.values(), [*_FIELDS, "parent"], batch_size=500)
    organisation_paths_rebuild()
    return {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}


def organisation_paths_rebuild() -> int:
    """Recompute every materialised path from the parent links; return how many changed."""
    rows = list(Organisation.objects.values_list("id", "slug", "parent_id", "path"))
    parent_of = {pk: parent for pk, _slug, parent, _path in rows}
    slug_of = {pk: slug for pk, slug, _parent, _path in rows}
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        if pk not in paths:
            parent = parent_of[pk]
            paths[pk] = (path_of(parent) if parent else "/") + slug_of[pk] + "/"
        return paths[pk]

    changed = [
        Organisation(id=pk, path=path_of(pk))
        for pk, _slug, _parent, path in rows
        if path_of(pk) != path
    ]
    Organisation.objects.bulk_update(changed, ["path"], batch_size=500)
    return len(changed)


def organisation_moves_refused(entries: list[dict[str, Any]], holder: str = "") -> list[str]:
    """Why the entries' new parents cannot be: what other holders place at an organisation
    that would no longer be below their owner. Empty when nothing moves or all stays."""
    parents = dict(Organisation.objects.values_list("slug", "parent__slug"))
    moved = [e for e in entries if e["slug"] in parents and parents[e["slug"]] != e["parent"]]
    if not moved:
        return []
    parents.update({e["slug"]: e["parent"] for e in entries})
    placed = {row for placements in _placements for row in placements(holder)}
    return [
        _(
            "%(holder)s sets “%(organisation)s” targets or tasks, and after this change to the "
            "tree that organisation would no longer be below “%(owner)s”."
        )
        % {"holder": what, "organisation": organisation, "owner": owner}
        for what, owner, organisation in sorted(placed)
        if not _is_at_or_below(organisation, owner, parents)
    ]


def _is_at_or_below(slug: str | None, ancestor: str, parents: Mapping[str, str | None]) -> bool:
    seen: set[str] = set()
    while slug is not None and slug not in seen:
        if slug == ancestor:
            return True
        seen.add(slug)
        slug = parents.get(slug)
    return False
