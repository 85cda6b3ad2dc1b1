"""Checking one spec document against the format defined in `spec.schema`, recording located issues.

Every key and value is checked, so one pass reports every problem of the file.
A job or template is built only when nothing about it is wrong.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from typing import Any, cast

from vod_provider.spec import schema
from vod_provider.spec.model import JobSpec, Mention, MentionKind, ParsedSpec, SpecIssue, TemplateFormat, TemplateSpec
from vod_provider.spec.schema import Field, Kind, Section
from vod_provider.spec.yaml_nodes import Location, ReadResult

Path_ = tuple[str, ...]
_INVALID = object()  # a value that failed its check (the issue is already recorded)


def kind_of(value: Any) -> str:
    """How a YAML value reads in a message: 'a mapping', 'the number 3', …"""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return {dict: "a mapping", list: "a list", type(None): "nothing (null)"}.get(type(value), f"a {type(value).__name__}")


def _dotted(path: Path_) -> str:
    return ".".join(path) or "(file)"


class DocumentChecker:
    """Validates one document's values, recording issues at their locations."""

    def __init__(self, file: str, read: ReadResult) -> None:
        self.file = file
        self.read = read
        self.issues: list[SpecIssue] = []
        self.mentions: list[Mention] = []
        self.jobs: list[JobSpec] = []
        self.templates: list[TemplateSpec] = []
        # Values YAML already objected to (a tag, a duplicate key…) are not checked again: one problem, one issue.
        self.raw_paths = {raw.path for raw in read.issues}

    def check(self) -> ParsedSpec:
        for raw in self.read.issues:
            self.issue(raw.path, raw.code, raw.message, raw.location)
        doc = self.read.value
        if doc is None and not self.read.issues:
            self.issue((), "empty-file", "the file is empty; declare `jobs:` and/or `templates:` (see specs/README.md)")
        elif doc is not None and not isinstance(doc, dict):
            self.issue((), "root-type", f"the top level must be a mapping with `jobs:` and/or `templates:`, not {kind_of(doc)}")
        elif isinstance(doc, dict):
            self.document(doc)
        clean = not self.issues
        return ParsedSpec(self.jobs if clean else [], self.templates if clean else [], self.mentions, self.issues)

    # -- recording -----------------------------------------------------------------------------

    def issue(self, path: Path_, code: str, message: str, at: Location | None = None) -> None:
        where = at or self.read.locations.get(path) or Location(1, 1)
        self.issues.append(SpecIssue(self.file, where.line, where.column, _dotted(path), code, message))

    def key_issue(self, path: Path_, code: str, message: str) -> None:
        self.issue(path, code, message, self.read.key_locations.get(path))

    def mention(self, kind: MentionKind, value: str, path: Path_, job: str, at_key: bool = False) -> None:
        table = self.read.key_locations if at_key else self.read.locations
        where = table.get(path) or Location(1, 1)
        self.mentions.append(Mention(self.file, where.line, where.column, _dotted(path), kind, value, job))

    # -- sections ------------------------------------------------------------------------------

    def document(self, doc: dict[str, Any]) -> None:
        values = self.section(doc, (), schema.DOCUMENT)
        defaults = values.get("defaults", {})
        for name, body in values.get("templates", {}).items():
            self.template(name, body)
        for name, body in values.get("jobs", {}).items():
            self.job(name, body, defaults)

    def section(self, body: Mapping[str, Any], path: Path_, section: Section) -> dict[str, Any]:
        """Check a mapping's keys and each known value; returns the valid values, converted."""
        for key in body:
            if key not in section.keys:
                self.key_issue(path + (key,), "unknown-key", f"unknown key {key!r}; {_suggest(key, section)}")
        # A missing key is reported where its mapping's first value starts.
        for f in section.fields:
            if f.required and f.key not in body:
                self.issue(path, "missing-field", f"{f.key} is required")
        present = [key for key in section.one_of if key in body]
        if section.one_of and len(present) != 1:
            either = " or ".join(section.one_of)
            missing = section.one_of_missing or f"{either} is required"
            self.issue(path, "one-of", missing if not present else f"set only one of {either}, not both")
        if section.any_of and not any(key in body for key in section.any_of):
            either = " and/or ".join(f"`{key}:`" for key in section.any_of)
            self.issue(path, "missing-field", f"{section.title} must declare {either}")
        out: dict[str, Any] = {}
        for f in section.fields:
            if f.key in body:
                value = self.value(f, body[f.key], path + (f.key,))
                if value is not _INVALID:
                    out[f.key] = value
        return out

    def value(self, f: Field, value: Any, path: Path_) -> Any:
        if value is None:
            none = f"; write `{f.key}: {{}}` to declare none" if f.kind in (Kind.JOBS, Kind.TEMPLATES) else "; give one or remove the key"
            self.issue(path, "type", f"{f.key} has no value{none}")
            return _INVALID
        if path in self.raw_paths and f.kind in SCALAR_KINDS:
            return _INVALID
        if f.kind in (Kind.JOBS, Kind.TEMPLATES):
            return self.named_mapping(value, path, "job" if f.kind is Kind.JOBS else "template")
        if f.kind in schema.SECTION_OF:
            if not isinstance(value, dict):
                expected = "a mapping with MessageCallback and/or Extend, written as YAML" if f.kind is Kind.USER_DATA else "a mapping"
                return self.wrong_type(path, expected, value)
            checked = self.section(value, path, schema.SECTION_OF[f.kind])
            return value if f.kind is Kind.USER_DATA else checked
        return _CHECKS[f.kind](self, value, path)

    def named_mapping(self, value: Any, path: Path_, what: str) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(path, f"a mapping of {what} name → {what} (write `{path[-1]}: {{}}` for none)", value)
        return value

    def job(self, name: str, body: Any, defaults: Mapping[str, Any]) -> None:
        path = ("jobs", name)
        self.mention("job", name, path, name, at_key=True)
        self.check_name(name, path, "job")
        if not isinstance(body, dict):
            self.wrong_type(path, "a mapping with videoId and templateId (or template)", body)
            return
        values = self.section(body, path, schema.JOB)
        if "template" in values:
            self.mention("template-ref", values["template"], path + ("template",), name)
        for index, alias in enumerate(values.get("aliases", ())):
            self.mention("alias", alias, path + ("aliases", str(index)), name)
        if "adopt" in values:
            self.mention("adopt", values["adopt"], path + ("adopt",), name)
        user_data = self.user_data(defaults.get("userData"), values.get("userData"), path)
        if self.issues:  # a file with any problem declares nothing; its values may be partial
            return
        self.jobs.append(JobSpec(
            name, values["videoId"], values.get("templateId"), user_data, values.get("pipelineId", defaults.get("pipelineId")),
            self.file, self.read.key_locations[path].line, template_name=values.get("template"),
            aliases=values.get("aliases", ()), revision=values.get("revision", 0),
            wait_seconds=values["wait"] if "wait" in values else defaults.get("wait"), adopt=values.get("adopt"),
            user_data_secret=bool(values.get("userDataSecret", False)),
        ))

    def template(self, name: str, body: Any) -> None:
        path = ("templates", name)
        self.mention("template", name, path, "", at_key=True)
        self.check_name(name, path, "template")
        if not isinstance(body, dict):
            self.wrong_type(path, "a mapping with format (gif or png) and setDefaultCover", body)
            return
        values = self.section(body, path, schema.TEMPLATE)
        if not self.issues:
            self.templates.append(TemplateSpec(name, cast(TemplateFormat, values["format"]), values.get("setDefaultCover", False),
                                               self.file, self.read.key_locations[path].line))

    def user_data(self, default: Mapping[str, Any] | None, own: Mapping[str, Any] | None, path: Path_) -> str | None:
        """UserData as sent: the job's MessageCallback/Extend over the file's defaults, compact JSON."""
        merged = {**(default or {}), **(own or {})}
        if not merged:
            return None
        text = json.dumps(merged, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
        size = len(text.encode("utf-8"))
        if size > schema.USER_DATA_MAX_BYTES:
            where = path + ("userData",) if own is not None else path
            origin = " (with the file's defaults)" if default else ""
            self.issue(where, "user-data-size",
                       f"userData{origin} serialises to {size} bytes of UTF-8 JSON ({len(text)} characters); the API accepts at most "
                       f"{schema.USER_DATA_MAX_BYTES}: shorten it")
            return None
        return text

    # -- values --------------------------------------------------------------------------------

    def wrong_type(self, path: Path_, expected: str, value: Any) -> Any:
        self.issue(path, "type", f"must be {expected}, not {kind_of(value)}")
        return _INVALID

    def check_name(self, name: str, path: Path_, what: str) -> None:
        if not schema.NAME_SHAPE.match(name):
            self.key_issue(path, f"{what}-name", f"{what} name {name!r} cannot be a resource name: start with a letter or digit, "
                                                 "then use only letters, digits, '_', '.', '-' (at most 100)")

    def cloud_id(self, value: Any, path: Path_) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.wrong_type(path, "a VOD id in quotes (YAML reads an unquoted all-digit id as a number)", value)
        return self._shaped_text(value, path, schema.ID_SHAPE, ("a VOD id (32 lower-case hex characters)", "id-shape",
                                                                 "is not a VOD id: ids are 32 lower-case hex characters"))

    def name(self, value: Any, path: Path_) -> Any:
        return self._shaped_text(value, path, schema.NAME_SHAPE, ("a template name", "name-shape",
                                                                   "is not a template name: letters, digits, '_', '.', '-' (at most 100)"))

    def _shaped_text(self, value: Any, path: Path_, shape: re.Pattern[str], wording: tuple[str, str, str]) -> Any:
        """`value` if it is text matching `shape`; else one issue. wording: (expected type, issue code, problem)."""
        expected, code, problem = wording
        if not isinstance(value, str):
            return self.wrong_type(path, expected, value)
        if not shape.match(value):
            self.issue(path, code, f"{value!r} {problem}")
            return _INVALID
        return value

    def name_list(self, value: Any, path: Path_) -> Any:
        if not isinstance(value, list):
            return self.wrong_type(path, "a list of former job names", value)
        names: list[str] = []
        for index, item in enumerate(value):
            item_path = path + (str(index),)
            if not isinstance(item, str) or not schema.NAME_SHAPE.match(item):
                self.issue(item_path, "job-name", f"{item!r} is not a job name: letters, digits, '_', '.', '-' (at most 100)")
            elif item in names:
                self.issue(item_path, "duplicate-alias", f"alias {item!r} is listed twice")
            elif item == path[-2]:
                self.issue(item_path, "duplicate-alias", f"alias {item!r} is the job's own name; list only former names")
            else:
                names.append(item)
        return tuple(names) if len(names) == len(value) else _INVALID

    def json_object(self, value: Any, path: Path_) -> Any:
        return value if isinstance(value, dict) else self.wrong_type(path, "a mapping (it is sent as a JSON object)", value)

    def wait(self, value: Any, path: Path_) -> Any:
        if isinstance(value, bool):
            return schema.WAIT_DEFAULT_SECONDS if value else None
        seconds = schema.parse_duration(value) if isinstance(value, str) else None
        if seconds is None:
            return self.wrong_type(path, "false, true or a duration such as 10m, 1h30m, 90s", value)
        if not 0 < seconds <= schema.WAIT_MAX_SECONDS:
            self.issue(path, "wait-range", f"wait {value} is out of range: use more than 0s and at most 24h, or false")
            return _INVALID
        return seconds

    def revision(self, value: Any, path: Path_) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(path, "a whole number (0, 1, 2, …)", value)
        if value < 0:
            self.issue(path, "revision-range", f"revision {value} is negative; revisions count up from 0")
            return _INVALID
        return value

    def template_format(self, value: Any, path: Path_) -> Any:
        if value not in schema.TEMPLATE_FORMATS:
            formats = " or ".join(schema.TEMPLATE_FORMATS)
            return self.wrong_type(path, formats, value)
        return value

    def boolean(self, value: Any, path: Path_) -> Any:
        return value if isinstance(value, bool) else self.wrong_type(path, "true or false", value)


_CHECKS = {
    Kind.CLOUD_ID: DocumentChecker.cloud_id,
    Kind.NAME: DocumentChecker.name,
    Kind.NAME_LIST: DocumentChecker.name_list,
    Kind.JSON_OBJECT: DocumentChecker.json_object,
    Kind.WAIT: DocumentChecker.wait,
    Kind.REVISION: DocumentChecker.revision,
    Kind.TEMPLATE_FORMAT: DocumentChecker.template_format,
    Kind.BOOLEAN: DocumentChecker.boolean,
}
SCALAR_KINDS = frozenset(_CHECKS)


def _suggest(key: str, section: Section) -> str:
    by_lower = {k.lower(): k for k in section.keys}
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1)
    return f"did you mean {by_lower[close[0]]!r}?" if close else f"the keys of {section.title} are {', '.join(section.keys)}"
