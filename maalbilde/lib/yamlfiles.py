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


def yaml_value_set(text: str, path: tuple[str | int, ...], value: object) -> str:
    """`text` with the value at `path` (keys and list indexes) set to `value`, in block style
    (in flow style inside a flow collection); everything else — comments, order, layout —
    stays as the person wrote it. A missing last key (or keys) is added to its mapping. For
    files already read and checked: the path's lists and their items must exist."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for depth, step in enumerate(path):
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step]
            continue
        if not isinstance(node, yaml.MappingNode):
            raise ValueError(f"no mapping at {path[:depth]}")
        pair = next(((k, v) for k, v in node.value if k.value == step), None)
        if pair is None:
            nested: object = value
            for key in reversed(path[depth + 1 :]):
                nested = {key: nested}
            return _key_added(text, node, str(step), nested)
        key, found = pair
        if depth == len(path) - 1:
            written = _flow(value) if node.flow_style else _block(value, key.start_mark.column)
            return text[: key.end_mark.index] + ":" + written + text[_end(found) :]
        node = found
    raise ValueError("empty path")


def _flow(value: object) -> str:
    """A value as YAML on one line, after a space."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 30,
                          sort_keys=False)  # fmt: skip
    return " " + text.strip().removesuffix("...").strip()


def _block(value: object, column: int) -> str:
    """A value as YAML after a key at `column`: a scalar on the key's line, a mapping or a
    list on the lines below, two spaces further in."""
    if not isinstance(value, dict | list) or not value:
        return _flow(value)
    text = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, width=1 << 30,
                          sort_keys=False)  # fmt: skip
    indent = " " * (column + 2)
    return "".join("\n" + indent + line for line in text.rstrip("\n").split("\n"))


def _end(node: yaml.Node) -> int:
    """Where a node's own text ends: a block collection's reaches to its last value, not to
    the next line's indentation."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _end(node.value[-1])
    return node.end_mark.index


def _key_added(text: str, mapping: yaml.MappingNode, key: str, value: object) -> str:
    if mapping.flow_style or not mapping.value:
        closing = text.rindex("}", 0, mapping.end_mark.index)
        separator = ", " if mapping.value else ""
        return text[:closing] + f"{separator}{key}:{_flow(value)}" + text[closing:]
    column = mapping.value[0][0].start_mark.column
    end = _end(mapping)
    return text[:end] + f"\n{' ' * column}{key}:{_block(value, column)}" + text[end:]
