"""YAML that people send (plan files, round files): looked over as a stream of events before
anything is built from it, so that a file nested thousands deep or made of anchors and aliases
that expand without end is refused at once, in linear time and memory, with the line where
it goes wrong. Building the data afterwards (which recurses) then meets only shallow files
without aliases."""

from __future__ import annotations

import yaml
from django.utils.translation import gettext as _

# Deeper than any plan or round file needs (a plan nests about eight levels).
MAX_DEPTH = 40


class YamlRefused(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def yaml_shape_check(text: str, *, max_depth: int = MAX_DEPTH, anchors: bool = False) -> None:
    """Refuse nesting deeper than `max_depth` and, unless `anchors`, anchors and aliases
    (&name, *name); YamlRefused says which and where. Syntax errors are left to the reader
    that follows. (Plan files refuse aliases after composing, where the path to each is
    known; composing shares an aliased node rather than copying it.)"""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if not anchors and (
                isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
            ):
                raise YamlRefused(_("Anchors and aliases (&name, *name) are not allowed."), line)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise YamlRefused(
                        _("The file is nested deeper than %(depth)s levels.")
                        % {"depth": max_depth},
                        line,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return
