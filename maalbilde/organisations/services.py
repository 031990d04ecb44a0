"""Writes to the organisation tree."""

from typing import Any

from maalbilde.organisations.models import Organisation

_FIELDS = ["name", "kind", "description", "attributes"]


def organisations_upsert(*, entries: list[dict[str, Any]]) -> dict[str, Organisation]:
    """Create or update organisations from plan-file entries; return them by slug.

    Entries may name parents listed later in the same list, or organisations already
    stored. Paths are rebuilt afterwards for the whole tree, so moving a subtree moves
    everything below it.
    """
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
