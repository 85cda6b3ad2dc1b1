"""Strict YAML reading: plain values plus the line and column of every one of them.

PyYAML's loaders silently keep the last of two duplicate keys and construct
Python objects from tags. Here the document is composed into YAML nodes with
the safe resolver and walked by hand, so that duplicate keys, foreign tags,
YAML 1.1 surprises (`yes` as a boolean, `010` as 8, unquoted dates) and hostile
documents (alias bombs, deep nesting, huge files) become located issues
instead of surprises. Every bound names itself when hit. Pure: text in,
values and issues out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000  # values after alias expansion
MAX_DEPTH = 32  # mappings and lists inside the top-level mapping

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_PLAIN_BOOL = ("true", "false")
Path_ = tuple[str, ...]
Loader = type[yaml.SafeLoader] | type[yaml.CSafeLoader]
# libyaml (when PyYAML was built with it) composes the same nodes about ten times faster: 0.3 s of
# every `pulumi preview` with 1,000 jobs. Plain scalars have style None there and '' here (`not node.style`).
_FAST_LOADER: Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Location:
    line: int
    column: int


@dataclass(frozen=True)
class RawIssue:
    location: Location
    path: Path_
    code: str
    message: str


@dataclass
class ReadResult:
    value: Any
    locations: dict[Path_, Location]  # where each value (and each mapping key's value) starts
    key_locations: dict[Path_, Location]  # where each mapping key itself starts
    issues: list[RawIssue]


class _Bound(Exception):
    def __init__(self, issue: RawIssue) -> None:
        self.issue = issue


def _loc(node: yaml.Node | yaml.Mark | yaml.Event) -> Location:
    mark = node if isinstance(node, yaml.Mark) else node.start_mark
    return Location(mark.line + 1, mark.column + 1) if mark is not None else Location(1, 1)


def file_too_large(size: int) -> RawIssue:
    return RawIssue(Location(1, 1), (), "file-too-large",
                    f"the file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes (split it into several spec files)")


def read_yaml(text: str) -> ReadResult:
    """Read one YAML document; every problem becomes a RawIssue with its location."""
    result = ReadResult(None, {}, {}, [])
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        result.issues.append(file_too_large(size))
        return result
    try:
        try:
            too_deep, documents = _compose(text, _FAST_LOADER)
        except yaml.YAMLError:
            # Read again with the pure-Python loader: its messages and marks are the ones reported.
            too_deep, documents = _compose(text, yaml.SafeLoader)
        if too_deep is not None:
            result.issues.append(too_deep)
            return result
    except yaml.MarkedYAMLError as exc:
        result.issues.append(_syntax_issue(exc, text))
        return result
    except yaml.YAMLError as exc:
        result.issues.append(RawIssue(Location(1, 1), (), "yaml-syntax", str(exc)))
        return result
    if len(documents) > 1:
        result.issues.append(
            RawIssue(_loc(documents[1]), (), "multiple-documents", "a spec file holds one YAML document; remove '---'")
        )
        return result
    if not documents or documents[0] is None:
        return result
    walker = _Walker(result)
    try:
        result.value = walker.walk(documents[0], (), 0)
    except _Bound as bound:
        result.issues.append(bound.issue)
        result.value = None
    return result


def _compose(text: str, loader: Loader) -> tuple[RawIssue | None, list[yaml.Node]]:
    too_deep = _first_too_deep(text, loader)
    return (too_deep, []) if too_deep is not None else (None, list(yaml.compose_all(text, Loader=loader)))


def _first_too_deep(text: str, loader: Loader) -> RawIssue | None:
    """Measure nesting on the event stream, before PyYAML's recursive composer could overflow the stack."""
    depth = -1  # the top-level mapping is depth 0, as in _Walker
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return RawIssue(_loc(event), (), "too-deep", f"values are nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _syntax_issue(exc: yaml.MarkedYAMLError, text: str) -> RawIssue:
    mark = exc.problem_mark or exc.context_mark
    where = _loc(mark) if mark is not None else Location(1, 1)
    problem = (exc.problem or "invalid YAML").strip()
    if "\t" in text and ("tab" in problem.lower() or "'\\t'" in problem):
        problem += " (YAML does not allow tabs for indentation; use spaces)"
    return RawIssue(where, (), "yaml-syntax", problem)


class _Walker:
    def __init__(self, result: ReadResult) -> None:
        self.result = result
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def walk(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Bound(RawIssue(_loc(node), path, "too-many-nodes",
                                  f"the document expands to more than {MAX_NODES} values (an alias bomb?); "
                                  "write the values out instead of repeating aliases"))
        is_container = isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
        if is_container and depth > MAX_DEPTH:  # reachable only through aliases: the event scan bounds written nesting
            raise _Bound(RawIssue(_loc(node), path, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"))
        self.result.locations.setdefault(path, _loc(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._tag_issue(node, path)
            return [self.walk(item, path + (str(i),), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp" and not node.style:
            self._issue(node, path, "unquoted-date", f"YAML reads {node.value} as a date; quote it ('{node.value}') to keep it text")
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self._tag_issue(node, path)
            return node.value
        value = self.constructor.construct_object(node)
        if not node.style:
            self._ambiguous_plain_scalar(node, path, value)
        return value

    def _ambiguous_plain_scalar(self, node: yaml.ScalarNode, path: Path_, value: Any) -> None:
        text = node.value
        if node.tag == "tag:yaml.org,2002:bool" and text.lower() not in _PLAIN_BOOL:
            self._issue(node, path, "ambiguous-boolean",
                        f"YAML 1.1 reads {text} as the boolean {str(value).lower()}; write {str(value).lower()}, or quote it ('{text}') for text")
        elif node.tag == "tag:yaml.org,2002:int" and not _PLAIN_INT.match(text):
            self._issue(node, path, "ambiguous-number",
                        f"YAML 1.1 reads {text} as the number {value}; write {value}, or quote it ('{text}') for text")
        elif node.tag == "tag:yaml.org,2002:float" and not math.isfinite(value):
            self._issue(node, path, "not-json", f"{text} is not a number JSON can carry; quote it ('{text}') for text")
        elif node.tag == "tag:yaml.org,2002:float" and (":" in text or "_" in text):
            self._issue(node, path, "ambiguous-number",
                        f"YAML 1.1 reads {text} as the number {value}; write {value}, or quote it ('{text}') for text")

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._tag_issue(node, path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(key_node, path, "merge-key", "merge keys ('<<') are not allowed; write the values out, or use `defaults:`")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self._issue(key_node, path, "key-type", "mapping keys must be plain text, not a list, mapping or tagged value")
                continue
            key = str(key_node.value)
            child = path + (key,)
            if key in out:
                first = self.result.key_locations[child]
                self._issue(key_node, child, "duplicate-key",
                            f"duplicate key {key!r} (first at line {first.line}, column {first.column}); "
                            "YAML would silently keep only the last one: remove or rename one")
                continue
            self.result.key_locations[child] = _loc(key_node)
            out[key] = self.walk(value_node, child, depth + 1)
        return out

    def _issue(self, node: yaml.Node, path: Path_, code: str, message: str) -> None:
        self.result.issues.append(RawIssue(_loc(node), path, code, message))

    def _tag_issue(self, node: yaml.Node, path: Path_) -> None:
        self._issue(node, path, "tag", f"YAML tag {node.tag!r} is not allowed in specs; remove it (specs hold plain values only)")
