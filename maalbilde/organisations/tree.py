"""The tree below an organisation as people look for it: a network's members and units by
region, and its bodies and partners apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from maalbilde.organisations.models import Organisation
from maalbilde.organisations.permissions import paths_above

# Kinds that are no unit of the network's work: committees and partners are listed apart.
APART = (Organisation.Kind.BODY, Organisation.Kind.PARTNER)


@dataclass
class Region:
    """A region and the units in it; `node` is the region's own organisation, if it has one
    (else the region is an attribute of the units)."""

    name: str
    node: Organisation | None
    units: list[Organisation] = field(default_factory=list)


def units_by_region(
    root: Organisation, visible: QuerySet[Organisation]
) -> tuple[list[Region], list[Organisation]]:
    """The units below `root` that the reader may see, by region — a region organisation
    they lie under, else their attribute `region`, else none ("") — in name order; and the
    bodies and partners below it, apart."""
    below = list(visible.subtree(root).exclude(pk=root.pk).order_by("name"))
    nodes = {o.path: o for o in below if o.kind == Organisation.Kind.REGION}
    regions: dict[str, Region] = {
        node.name: Region(node.name, node) for node in sorted(nodes.values(), key=_name)
    }
    apart = []
    for organisation in below:
        if organisation.kind in APART:
            apart.append(organisation)
            continue
        if organisation.kind == Organisation.Kind.REGION:
            continue
        node = next((n for path, n in nodes.items() if organisation.path.startswith(path)), None)
        name = node.name if node else str(organisation.attributes.get("region", ""))
        regions.setdefault(name, Region(name, node)).units.append(organisation)
    ordered = sorted(regions.values(), key=lambda r: (r.name == "", r.name))
    return ordered, apart


def _name(organisation: Organisation) -> str:
    return organisation.name


def entries_above_and_of(organisation: Organisation) -> list[dict[str, Any]]:
    """The organisation and those above it as plan-file entries, the top first, as they are
    stored: a file that names them leaves them as they are."""
    chain = Organisation.objects.filter(path__in=paths_above(organisation.path)).select_related(
        "parent").order_by("path")  # fmt: skip
    return [{"slug": o.slug, "name": o.name, "kind": o.kind,
             **({"parent": o.parent.slug} if o.parent_id and o.parent else {}),
             **({"description": o.description} if o.description else {}),
             **({"contact_email": o.contact_email} if o.contact_email else {}),
             **({"attributes": o.attributes} if o.attributes else {})}
            for o in chain]  # fmt: skip
