"""A plan file written as YAML with comments: each guess a person should check stands as a
comment above the value it concerns, with the sentence it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Commented:
    """A value with the comments to write above it."""

    value: Any
    comments: tuple[str, ...]


def yaml_with_comments(data: dict[str, Any], heading: list[str]) -> str:
    """`data` as block YAML, `Commented` values with their comments above them, and the
    `heading` comments first."""
    lines = [f"# {line}".rstrip() for line in heading]
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _comments(value: Any, indent: int, lines: list[str]) -> Any:
    if isinstance(value, Commented):
        for comment in value.comments:
            for part in comment.splitlines() or [""]:
                lines.append(f"{' ' * indent}# {part}".rstrip())
        return value.value
    return value


def _simple(value: Any) -> bool:
    return not isinstance(value, dict | list) or not value


def _mapping(data: dict[str, Any], indent: int, lines: list[str], first: str = "") -> None:
    for position, (key, raw) in enumerate(data.items()):
        value = _comments(raw, indent, lines)
        lead = first if position == 0 and first else " " * indent
        if isinstance(value, str) and "\n" in value.strip():
            # Paragraphs as a literal block, as a person writes them.
            lines.append(f"{lead}{key}: |-")
            lines += [f"{' ' * (indent + 2)}{line}".rstrip() for line in value.strip().split("\n")]
        elif _simple(value):
            lines.append(f"{lead}{key}: {_scalar(value)}")
        else:
            lines.append(f"{lead}{key}:")
            _block(value, indent + 2, lines)


def _block(value: Any, indent: int, lines: list[str]) -> None:
    if isinstance(value, dict):
        _mapping(value, indent, lines)
        return
    for raw in value:
        item = _comments(raw, indent, lines)
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, lines, first=f"{' ' * indent}- ")
        elif _simple(item):
            lines.append(f"{' ' * indent}- {_scalar(item)}")
        else:
            lines.append(f"{' ' * indent}-")
            _block(item, indent + 2, lines)
