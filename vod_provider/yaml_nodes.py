"""Strict YAML reading: plain values plus the line and column of every one of them.

PyYAML's loaders silently keep the last of two duplicate keys and construct
Python objects from tags. Here the document is composed into YAML nodes with
the safe resolver and walked by hand, so that duplicate keys, foreign tags and
hostile documents (alias bombs, deep nesting, huge files) become located
issues instead of surprises. Pure: text in, values and issues out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 32

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
Path_ = tuple[str, ...]


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


def _loc(node: yaml.Node | yaml.Mark) -> Location:
    mark = node.start_mark if isinstance(node, yaml.Node) else node
    return Location(mark.line + 1, mark.column + 1)


def read_yaml(text: str) -> ReadResult:
    """Read one YAML document; every problem becomes a RawIssue with its location."""
    result = ReadResult(None, {}, {}, [])
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        result.issues.append(
            RawIssue(Location(1, 1), (), "file-too-large", f"file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes")
        )
        return result
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(mark) if mark is not None else Location(1, 1)
        problem = (exc.problem or "invalid YAML").strip()
        if "\t" in text and ("tab" in problem.lower() or "'\\t'" in problem):
            problem += " (YAML does not allow tabs for indentation; use spaces)"
        result.issues.append(RawIssue(where, (), "yaml-syntax", problem))
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


class _Walker:
    def __init__(self, result: ReadResult) -> None:
        self.result = result
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def walk(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Bound(RawIssue(_loc(node), path, "too-many-nodes",
                                  f"the document expands to more than {MAX_NODES} values (alias expansion?)"))
        if depth > MAX_DEPTH:
            raise _Bound(RawIssue(_loc(node), path, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"))
        self.result.locations.setdefault(path, _loc(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._tag_issue(node, path)
            return [self.walk(item, path + (str(i),), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag not in _SCALAR_TAGS:
            self._tag_issue(node, path)
            return node.value
        return self.constructor.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._tag_issue(node, path)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.result.issues.append(RawIssue(_loc(key_node), path, "merge-key",
                                                   "merge keys ('<<') are not allowed; write the values out"))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.result.issues.append(RawIssue(_loc(key_node), path, "key-type", "mapping keys must be plain strings"))
                continue
            key = str(key_node.value)
            child = path + (key,)
            if key in out:
                first = self.result.key_locations[child]
                self.result.issues.append(RawIssue(
                    _loc(key_node), child, "duplicate-key",
                    f"duplicate key {key!r} (first defined at line {first.line}, column {first.column}); "
                    "YAML would silently keep only the last one",
                ))
                continue
            self.result.key_locations[child] = _loc(key_node)
            out[key] = self.walk(value_node, child, depth + 1)
        return out

    def _tag_issue(self, node: yaml.Node, path: Path_) -> None:
        self.result.issues.append(RawIssue(_loc(node), path, "tag", f"YAML tag {node.tag!r} is not allowed in specs"))
