"""Writes to the organisation tree."""

from typing import Any

from maalbilde.organisations.models import Organisation


def organisations_upsert(*, entries: list[dict[str, Any]]) -> dict[str, Organisation]:
    """Create or update organisations from plan-file entries; return them by slug.

    Entries may name parents listed later in the same list. Paths are rebuilt afterwards for
    the whole tree, so moving a subtree moves everything below it.
    """
    existing = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[e["slug"] for e in entries])
    }
    by_slug: dict[str, Organisation] = {}
    for entry in entries:
        organisation = existing.get(entry["slug"]) or Organisation(slug=entry["slug"])
        organisation.name = entry["name"]
        organisation.kind = entry["kind"]
        organisation.description = entry["description"]
        organisation.attributes = entry["attributes"]
        if organisation.pk is None:
            organisation.path = f"/{organisation.slug}/"
            organisation.save()
        by_slug[entry["slug"]] = organisation
    for entry in entries:
        organisation = by_slug[entry["slug"]]
        parent = entry["parent"]
        organisation.parent = by_slug[parent] if parent else None
        organisation.save()
    organisation_paths_rebuild()
    for organisation in by_slug.values():
        organisation.refresh_from_db(fields=["path"])
    return by_slug


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
