"""Files that people write (plan files, funding files): YAML read with where each value stands,
checked against a JSON Schema, every problem said in plain words with its path, line and
column, all of them at once, so that a person can fix the whole file in one go."""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema
import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from maalbilde.lib.yamlfiles import YamlRefused, yaml_shape_check

PathTuple = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """A problem found in the data, before it is placed at a line and column."""

    path: PathTuple
    message: str
    at_key: bool = False


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where it is, and what is wrong in plain words."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        column = f":{self.column}" if self.column is not None else ""
        where = f"{self.line}{column}: " if self.line else ""
        inside = f"{self.path}: " if self.path else ""
        return f"{where}{inside}{self.message}"


class DocumentInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def format_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise DocumentInvalid(
            [
                Problem(
                    "",
                    _(
                        "The file is not UTF-8 text: byte 0x%(byte)02X cannot be read. "
                        "Save the file as UTF-8 and try again."
                    )
                    % {"byte": raw[error.start]},
                    line,
                    column,
                )
            ]
        ) from error


class DocumentLoader(yaml.SafeLoader):
    """YAML without implicit dates: a date stays the text it was written as, and the schema
    checks it, so that 2027-02-30 is a clear problem rather than a crash."""


DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Positions:
    """Where each value (and each mapping key) stands in the file."""

    def __init__(self) -> None:
        self.values: dict[PathTuple, yaml.Mark] = {}
        self.keys: dict[PathTuple, yaml.Mark] = {}
        self.issues: list[Issue] = []
        self._seen: set[int] = set()

    def walk(self, node: yaml.Node, path: PathTuple = ()) -> None:
        if id(node) in self._seen:
            # Only an alias (*name) reaches a node twice. Our files do without them, and
            # refusing them keeps a file of nested aliases from expanding without end.
            self.issues.append(
                Issue(path, _("Anchors and aliases (&name, *name) are not allowed."))
            )
            return
        self._seen.add(id(node))
        self.values[path] = node.start_mark
        if isinstance(node, yaml.MappingNode):
            seen_keys: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = (*path, key)
                self.keys.setdefault(child, key_node.start_mark)
                if key in seen_keys:
                    self.issues.append(
                        Issue(
                            child,
                            _("The key “%(key)s” appears twice here; keep one.") % {"key": key},
                            at_key=True,
                        )
                    )
                    continue
                seen_keys.add(key)
                self.walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index))

    def locate(self, issues: list[Issue]) -> list[Problem]:
        problems = []
        for issue in issues:
            mark = self._mark_for(issue.path, key=issue.at_key)
            problems.append(
                Problem(
                    format_path(issue.path),
                    issue.message,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                )
            )
        return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.path))

    def _mark_for(self, path: PathTuple, *, key: bool) -> yaml.Mark | None:
        if key and path in self.keys:
            return self.keys[path]
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path)


def yaml_problem(error: Exception) -> DocumentInvalid:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context
    else:
        mark, problem = None, str(error)
    return DocumentInvalid(
        [
            Problem(
                "",
                _("The file is not valid YAML: %(problem)s.") % {"problem": problem},
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            )
        ]
    )


def load_yaml(text: str) -> tuple[Any, Positions]:
    """The file's data, where each part of it stands, and the problems found on the way."""
    if not text.strip():
        raise DocumentInvalid([Problem("", _("The file is empty."))])
    try:
        yaml_shape_check(text, anchors=True)
    except YamlRefused as refused:
        raise DocumentInvalid([Problem("", refused.message, refused.line)]) from None
    loader = None
    try:
        loader = DocumentLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise DocumentInvalid([Problem("", _("The file is empty."))])
        positions = Positions()
        positions.walk(node)
        if positions.issues:
            raise DocumentInvalid(positions.locate(positions.issues))
        data = loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError) as error:
        raise yaml_problem(error) from error
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise DocumentInvalid([Problem("", _("The file is empty."))])
    return plain(data), positions


def plain(value: Any) -> Any:
    """Plain JSON-like data: text keys, and whole numbers written as 2030.0 read as 2030."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def type_name(json_type: str) -> str:
    names = {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "boolean": _("yes or no (true/false)"),
        "array": _("a list"),
        "object": _("a mapping of keys to values"),
        "null": _("nothing"),
    }
    return names.get(json_type, json_type)


def value_kind(value: Any) -> str:
    if isinstance(value, bool):
        return type_name("boolean")
    if isinstance(value, int):
        return type_name("integer")
    if isinstance(value, float):
        return type_name("number")
    if isinstance(value, str):
        return type_name("string")
    if isinstance(value, list):
        return type_name("array")
    if isinstance(value, dict):
        return type_name("object")
    return type_name("null")


def quoted_list(values: Iterable[Any]) -> str:
    return ", ".join(f"“{v}”" for v in values)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return (" " + _("Did you mean “%(suggestion)s”?") % {"suggestion": close[0]}) if close else ""


def non_finite_issues(value: Any, path: PathTuple = ()) -> Iterator[Issue]:
    if isinstance(value, float) and not math.isfinite(value):
        yield Issue(path, _("“%(value)s” is not a number that can be stored.") % {"value": value})
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from non_finite_issues(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from non_finite_issues(item, (*path, index))


def schema_issues(data: Any, schema: dict[str, Any]) -> Iterator[Issue]:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield from explain(error)


def explain(error: jsonschema.ValidationError) -> Iterator[Issue]:
    path: PathTuple = tuple(error.absolute_path)
    value = error.instance
    kind = error.validator
    limit = error.validator_value
    if kind == "required":
        missing = [name for name in limit if isinstance(value, dict) and name not in value]
        for name in missing:
            yield Issue((*path, name), _("The required key “%(key)s” is missing.") % {"key": name})
    elif kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            message = _("Unknown key “%(key)s”.") % {"key": key} + did_you_mean(key, allowed)
            yield Issue((*path, key), message, at_key=True)
    elif kind == "type":
        names = [type_name(t) for t in (limit if isinstance(limit, list) else [limit])]
        expected = names[0]
        for name in names[1:]:
            expected = _("%(first)s or %(second)s") % {"first": expected, "second": name}
        yield Issue(
            path,
            _("Expected %(expected)s here, found %(found)s.")
            % {"expected": expected, "found": value_kind(value)},
        )
    elif kind == "enum":
        yield Issue(
            path,
            _("“%(value)s” is not allowed here; choose one of %(choices)s.")
            % {"value": value, "choices": quoted_list(limit)}
            + did_you_mean(value, [str(c) for c in limit]),
        )
    elif kind == "const":
        spelled = json.dumps(limit) if isinstance(limit, bool) else limit
        yield Issue(path, _("This must be “%(expected)s”.") % {"expected": spelled})
    elif kind == "pattern" and path and str(path[-1]).endswith("email"):
        yield Issue(path, _("“%(value)s” is not an e-mail address.") % {"value": value})
    elif kind == "pattern":
        yield Issue(
            path,
            _(
                "“%(value)s” is not a valid slug: use lower-case letters a–z, digits and "
                "single hyphens, such as “school-visits”."
            )
            % {"value": value},
        )
    elif kind == "minLength":
        yield Issue(path, _("This must not be empty."))
    elif kind == "maxLength":
        yield Issue(path, _("This is longer than %(limit)s characters.") % {"limit": limit})
    elif kind == "uniqueItems":
        yield Issue(path, _("The list names the same item more than once."))
    elif kind == "minItems":
        yield Issue(path, _("The list must have at least one item."))
    elif kind == "minimum":
        yield Issue(
            path,
            _("%(value)s is too small; the least allowed is %(limit)s.")
            % {"value": value, "limit": limit},
        )
    elif kind == "maximum":
        yield Issue(
            path,
            _("%(value)s is too large; the most allowed is %(limit)s.")
            % {"value": value, "limit": limit},
        )
    elif kind == "format":
        yield Issue(
            path, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
        )
    elif kind in ("anyOf", "oneOf") and error.schema.get("description"):
        # A value that may take several shapes: say what it should be, in the schema's words.
        yield Issue(path, _("“%(value)s” is not allowed here: %(expected)s")
                    % {"value": value, "expected": error.schema["description"]})  # fmt: skip
    else:
        yield Issue(path, error.message)


def checked_document(
    raw: bytes, schema: dict[str, Any], what: str,
    more: Callable[[dict[str, Any]], Iterable[Issue]] = lambda data: (),
) -> dict[str, Any]:  # fmt: skip
    """A file's data (a funding file, a scenario, a report file; `what` names the kind in
    words): within the size limit of files people write, YAML read with where each value
    stands, checked against its schema and, once the schema holds, by `more`; or
    DocumentInvalid with every problem at its line and column."""
    if len(raw) > settings.PLAN_FILE_MAX_BYTES:
        raise DocumentInvalid([Problem("", _(
            "The file is %(size)s bytes; %(what)s may be at most %(limit)s bytes."
        ) % {"size": len(raw), "what": what, "limit": settings.PLAN_FILE_MAX_BYTES})])  # fmt: skip
    data, positions = load_yaml(decode(raw))
    issues = [*non_finite_issues(data), *schema_issues(data, schema)]
    if not issues:
        issues = list(more(data))
    if issues:
        raise DocumentInvalid(positions.locate(issues))
    return data
