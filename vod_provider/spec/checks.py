"""Checking one spec document against the format defined in `spec.schema`, recording located issues.

Every key and value is checked, so one pass reports every problem of the file.
A job or template is built only when nothing about it is wrong.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from vod_provider.spec import schema, values
from vod_provider.spec.model import JobSpec, Mention, MentionKind, SpecIssue, TemplateFormat, TemplateSpec
from vod_provider.spec.placeholders import Pattern, PlaceholderError, compile_pattern, has_placeholder
from vod_provider.spec.schema import Field, Kind, Section
from vod_provider.spec.set_decl import JobSetDecl, user_data_json
from vod_provider.spec.values import BadValue, kind_of
from vod_provider.spec.yaml_nodes import Location, ReadResult

Path_ = tuple[str, ...]
_INVALID = object()  # a value that failed its check (the issue is already recorded)
_DECLARE = "`jobs:`, `jobSets:` and/or `templates:`"


@dataclass
class ParsedSpec:
    """One file's result: what it declares (only when it has no issue) and what it mentions.

    `job_sets`: its job sets whose items are in a file of their own, expanded by the loader (a set with inline
    items is expanded here, into `jobs`). `set_name_patterns`: every valid set's name pattern, by set name.
    """

    jobs: list[JobSpec]
    templates: list[TemplateSpec]
    mentions: list[Mention]
    issues: list[SpecIssue]
    job_sets: list[JobSetDecl]
    set_name_patterns: dict[str, Pattern] = field(default_factory=dict)


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
        self.job_sets: list[JobSetDecl] = []
        self.set_name_patterns: dict[str, Pattern] = {}
        # Values YAML already objected to (a tag, a duplicate key…) are not checked again: one problem, one issue.
        self.raw_paths = {raw.path for raw in read.issues}

    def check(self) -> ParsedSpec:
        for raw in self.read.issues:
            self.issue(raw.path, raw.code, raw.message, raw.location)
        doc = self.read.value
        if doc is None and not self.read.issues:
            self.issue((), "empty-file", f"the file is empty; declare {_DECLARE} (see specs/README.md)")
        elif doc is not None and not isinstance(doc, dict):
            hint = "; a list of videoIds is an items file: name it in a job set's `items:`" if isinstance(doc, list) else ""
            self.issue((), "root-type", f"the top level must be a mapping with {_DECLARE}, not {kind_of(doc)}{hint}")
        elif isinstance(doc, dict):
            self.document(doc)
        clean = not self.issues
        # Sets with items in a file are expanded by the loader even when this file has a problem: all rows reported.
        return ParsedSpec(self.jobs if clean else [], self.templates if clean else [], self.mentions, self.issues, self.job_sets,
                          self.set_name_patterns)

    # -- recording -----------------------------------------------------------------------------

    def issue(self, path: Path_, code: str, message: str, at: Location | None = None) -> None:
        where = at or self.read.locations.get(path) or Location(1, 1)
        self.issues.append(SpecIssue(self.file, where.line, where.column, _dotted(path), code, message))

    def key_issue(self, path: Path_, code: str, message: str) -> None:
        self.issue(path, code, message, self.read.key_locations.get(path))

    def location(self, path: Path_) -> Location:
        return self.read.locations.get(path) or Location(1, 1)

    def mention(self, kind: MentionKind, value: str, path: Path_, job: str, at_key: bool = False) -> None:
        table = self.read.key_locations if at_key else self.read.locations
        where = table.get(path) or Location(1, 1)
        self.mentions.append(Mention(self.file, where.line, where.column, _dotted(path), kind, value, job))

    # -- sections ------------------------------------------------------------------------------

    def document(self, doc: dict[str, Any]) -> None:
        checked = self.section(doc, (), schema.DOCUMENT)
        defaults = checked.get("defaults", {})
        if "template" in defaults:
            self.mention("template-ref", defaults["template"], ("defaults", "template"), "")
        for name, body in checked.get("templates", {}).items():
            self.template(name, body)
        for name, body in checked.get("jobs", {}).items():
            self.job(name, body, defaults)
        if checked.get("jobSets"):
            from vod_provider.spec.set_checks import JobSetChecker  # the set rules, only for files that declare sets

            sets = JobSetChecker(self, defaults)
            for name, body in checked["jobSets"].items():
                sets.check(name, body)

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
        if len(present) > 1:
            either = ", ".join(section.one_of[:-1]) + " or " + section.one_of[-1]
            self.issue(path, "one-of", f"set only one of {either}{', not both' if len(section.one_of) == 2 else ''}")
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
        if f.kind in (Kind.JOBS, Kind.TEMPLATES, Kind.JOB_SETS):
            return self.named_mapping(value, path, {Kind.JOBS: "job", Kind.TEMPLATES: "template", Kind.JOB_SETS: "job set"}[f.kind])
        if f.placeholders and isinstance(value, str) and has_placeholder(value):
            return self.pattern_value(f, value, path)
        if f.kind in schema.SECTION_OF:
            if not isinstance(value, dict):
                expected = "a mapping with MessageCallback and/or Extend, written as YAML" if f.kind is Kind.USER_DATA else "a mapping"
                return self.wrong_type(path, expected, value)
            checked = self.section(value, path, schema.SECTION_OF[f.kind])
            return value if f.kind is Kind.USER_DATA else checked
        if f.kind in _PURE_CHECKS:
            return self.checked(_PURE_CHECKS[f.kind], value, path)
        return _CHECKS[f.kind](self, value, path)

    def checked(self, check: Callable[[Any], Any], value: Any, path: Path_) -> Any:
        """`check(value)`, or _INVALID with its problem recorded at `path`."""
        try:
            return check(value)
        except BadValue as bad:
            self.issue(path, bad.code, bad.message)
            return _INVALID

    def pattern_value(self, f: Field, value: str, path: Path_) -> Any:
        """A job set's text with placeholders: a Pattern (checked per row once filled), or its literal text checked now."""
        pattern = self.checked(name_pattern, value, path)
        if pattern is _INVALID:
            return _INVALID
        if pattern.is_literal:
            return self.value(Field(f.key, f.kind, f.description), pattern.parts[0], path)
        return pattern

    def named_mapping(self, value: Any, path: Path_, what: str) -> Any:
        if not isinstance(value, dict):
            return self.wrong_type(path, f"a mapping of {what} name → {what} (write `{path[-1]}: {{}}` for none)", value)
        return value

    def entry(self, kind: Literal["job", "template", "set"], name: str, path: Path_, job: str, body: Any, expected: str) -> bool:
        """A named entry of `jobs:`, `templates:` or `jobSets:`: its name is mentioned and checked; True when `body`
        is a mapping to check further."""
        self.mention(kind, name, path, job, at_key=True)
        self.check_name(name, path, kind)
        if not isinstance(body, dict):
            self.wrong_type(path, expected, body)
            return False
        return True

    def job(self, name: str, body: Any, defaults: Mapping[str, Any]) -> None:
        path = ("jobs", name)
        if not self.entry("job", name, path, name, body, "a mapping with videoId and templateId (or template)"):
            return
        values = self.section(body, path, schema.JOB)
        if "template" in values:
            self.mention("template-ref", values["template"], path + ("template",), name)
        if not any(key in body or key in defaults for key in schema.TEMPLATE_KEYS):
            self.issue(path, "one-of", schema.TEMPLATE_MISSING)
        for index, alias in enumerate(values.get("aliases", ())):
            self.mention("alias", alias, path + ("aliases", str(index)), name)
        if "adopt" in values:
            self.mention("adopt", values["adopt"], path + ("adopt",), name)
        user_data = self.user_data(defaults.get("userData"), values.get("userData"), path)
        if self.issues:  # a file with any problem declares nothing; its values may be partial
            return
        own_template = any(key in body for key in schema.TEMPLATE_KEYS)  # either replaces both defaults
        template = values if own_template else defaults
        self.jobs.append(JobSpec(
            name, values["videoId"], template.get("templateId"), user_data, values.get("pipelineId", defaults.get("pipelineId")),
            self.file, self.read.key_locations[path].line, template_name=template.get("template"),
            aliases=values.get("aliases", ()), revision=values.get("revision", 0),
            wait_seconds=values["wait"] if "wait" in values else defaults.get("wait"), adopt=values.get("adopt"),
            user_data_secret=bool(values.get("userDataSecret", False)),
        ))

    def template(self, name: str, body: Any) -> None:
        path = ("templates", name)
        if not self.entry("template", name, path, "", body, "a mapping with format (gif or png) and setDefaultCover"):
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
        text = user_data_json(merged)
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
        self.issue(path, "type", values.wrong_type(expected, value).message)
        return _INVALID

    def check_name(self, name: str, path: Path_, what: str) -> None:
        if not schema.NAME_SHAPE.match(name):
            self.key_issue(path, f"{what}-name", f"{what} name {name!r} cannot be a resource name: start with a letter or digit, "
                                                 "then use only letters, digits, '_', '.', '-' (at most 100)")

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
    # -- job sets' values ----------------------------------------------------------------------

    def items(self, value: Any, path: Path_) -> Any:
        if isinstance(value, str) and value:
            return value
        if not isinstance(value, list):
            return self.wrong_type(path, "a file path relative to this spec file, or a list of videoIds", value)
        if not value:
            self.issue(path, "items-empty", "a job set lists at least one item; to forget every job of the set, remove the set")
            return _INVALID
        return value

    def template_names(self, value: Any, path: Path_) -> Any:
        return self.distinct_list(value, path, values.template_name, "template names")

    def cloud_ids(self, value: Any, path: Path_) -> Any:
        return self.distinct_list(value, path, values.cloud_id, "template ids")

    def name_patterns(self, value: Any, path: Path_) -> Any:
        return self.distinct_list(value, path, name_pattern, "former name patterns")

    def distinct_list(self, value: Any, path: Path_, check: Callable[[Any], Any], what: str) -> Any:
        """A non-empty list of distinct values, each checked by `check` (BadValue, or _INVALID once recorded)."""
        if not isinstance(value, list) or not value:
            return self.wrong_type(path, f"a list of {what}, at least one", value)
        out: list[Any] = []
        for index, item in enumerate(value):
            converted = self.checked(check, item, path + (str(index),))
            if converted is _INVALID:
                continue
            if converted in out:
                self.issue(path + (str(index),), "duplicate-item", f"{item!r} is listed twice")
                continue
            out.append(converted)
        return tuple(out) if len(out) == len(value) else _INVALID


def name_pattern(value: Any) -> Pattern:
    """A job-name pattern (its placeholders are checked against the set by `set_decl.name_pattern_problem`)."""
    if not isinstance(value, str):
        raise values.wrong_type("a job-name pattern such as '{set}-{videoId}'", value)
    try:
        return compile_pattern(value)
    except PlaceholderError as exc:
        raise BadValue("placeholder", str(exc)) from None


_PURE_CHECKS: dict[Kind, Callable[[Any], Any]] = {
    Kind.CLOUD_ID: values.cloud_id,
    Kind.NAME: values.template_name,
    Kind.JSON_OBJECT: values.json_object,
    Kind.WAIT: values.wait,
    Kind.REVISION: values.revision,
    Kind.TEMPLATE_FORMAT: values.template_format,
    Kind.BOOLEAN: values.boolean,
    Kind.NAME_PATTERN: name_pattern,
}
_CHECKS: dict[Kind, Callable[[DocumentChecker, Any, Path_], Any]] = {
    Kind.NAME_LIST: DocumentChecker.name_list,
    Kind.ITEMS: DocumentChecker.items,
    Kind.NAMES: DocumentChecker.template_names,
    Kind.CLOUD_IDS: DocumentChecker.cloud_ids,
    Kind.NAME_PATTERNS: DocumentChecker.name_patterns,
}
SCALAR_KINDS = frozenset(_PURE_CHECKS) | frozenset(_CHECKS)


def _suggest(key: str, section: Section) -> str:
    by_lower = {k.lower(): k for k in section.keys}
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1)
    return f"did you mean {by_lower[close[0]]!r}?" if close else f"the keys of {section.title} are {', '.join(section.keys)}"
