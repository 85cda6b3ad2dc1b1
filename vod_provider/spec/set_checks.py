"""Checking one `jobSets:` entry of a spec file: its keys (against `schema.JOB_SET`), then the rules of a whole set.

A set with inline items is expanded here; one whose items are in a file is handed to the loader (which reads the
file) as a JobSetDecl.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vod_provider.spec import schema
from vod_provider.spec.placeholders import Pattern, PlaceholderError, compile_pattern, has_placeholder
from vod_provider.spec.set_decl import (
    JobSetDecl,
    TemplateRef,
    UserDataTemplate,
    default_name_pattern,
    has_pattern,
    name_pattern_problem,
)
from vod_provider.spec.set_expand import expand_job_set
from vod_provider.spec.set_items import yaml_rows

if TYPE_CHECKING:
    from vod_provider.spec.checks import DocumentChecker

Path_ = tuple[str, ...]


class JobSetChecker:
    """Checks the job sets of one document, recording issues and mentions on its DocumentChecker."""

    def __init__(self, checker: DocumentChecker, defaults: Mapping[str, Any]) -> None:
        self.checker = checker
        self.defaults = defaults

    def check(self, name: str, body: Any) -> None:
        c = self.checker
        path = ("jobSets", name)
        before = len(c.issues)
        if not c.entry("set", name, path, "", body, "a mapping with items and template (or templateId, templates, templateIds)"):
            return
        fields = c.section(body, path, schema.JOB_SET)
        matrix = self.matrix(fields, path)
        template = None if matrix else self.template(fields, path)
        name_pattern = fields.get("name") or default_name_pattern(bool(matrix))
        matrix_values = tuple(str(ref.value) for ref in matrix)
        before_names = len(c.issues)
        if "name" in fields:
            self.pattern_rule(name_pattern_problem(name_pattern, name, matrix_values, "the name pattern"), path + ("name",))
        aliases: tuple[Pattern, ...] = fields.get("aliases", ())
        for index, alias in enumerate(aliases):
            at = path + ("aliases", str(index))
            self.pattern_rule(name_pattern_problem(alias, name, matrix_values, "an alias pattern", alias=True), at)
            if alias == name_pattern:
                c.issue(at, "duplicate-alias", "this alias pattern is the set's name pattern; list only former patterns")
        # The name and aliases are sound: written well (kept by the section check) and usable as patterns.
        names_known = len(c.issues) == before_names and all((key in body) == (key in fields) for key in ("name", "aliases"))
        user_data = self.user_data(body.get("userData"), fields, path)
        if "items" not in fields:
            return
        # With problems of its own, the set's rows are still read and checked for what they bring themselves: one run
        # reports a typo in the set and the bad rows of its file together.
        rows_only = len(c.issues) > before or user_data is None
        decl = JobSetDecl(
            name, c.file, c.read.key_locations[path].line, fields["items"], c.location(path + ("items",)), c.read.locations,
            matrix, template, c.location(path), fields.get("pipelineId", self.defaults.get("pipelineId")),
            fields.get("revision", 0), fields["wait"] if "wait" in fields else self.defaults.get("wait"), fields.get("adopt"),
            user_data or UserDataTemplate(None), bool(fields.get("userDataSecret", False)), name_pattern, aliases, rows_only,
            names_known,
        )
        if not rows_only:
            c.set_name_patterns[name] = name_pattern  # a preview tells a forgotten job of the set by its name
        if isinstance(decl.items, str):
            c.job_sets.append(decl)
            return
        expansion = expand_job_set(decl, yaml_rows(decl.items, c.file, c.read.locations, decl.items_path,
                                                   ".".join(decl.items_path) + "."))
        c.issues += expansion.issues
        c.mentions += expansion.mentions
        c.jobs += expansion.jobs

    def pattern_rule(self, problem: str | None, at: Path_) -> None:
        if problem is not None:
            self.checker.issue(at, "name-pattern", problem)

    def matrix(self, fields: Mapping[str, Any], path: Path_) -> tuple[TemplateRef, ...]:
        for index, template in enumerate(fields.get("templates", ())):
            self.checker.mention("template-ref", template, path + ("templates", str(index)), "")
        return (tuple(TemplateRef(False, t) for t in fields.get("templates", ()))
                + tuple(TemplateRef(True, t) for t in fields.get("templateIds", ())))

    def template(self, fields: Mapping[str, Any], path: Path_) -> TemplateRef | None:
        """The set's one template (a Pattern is filled per row), else the file's default one, else None (a column)."""
        own = fields if any(key in fields for key in schema.TEMPLATE_KEYS) else self.defaults
        if "template" in own:
            if isinstance(own["template"], str) and own is fields:
                self.checker.mention("template-ref", own["template"], path + ("template",), "")
            return TemplateRef(False, own["template"])
        if "templateId" in own:
            return TemplateRef(True, own["templateId"])
        return None

    def user_data(self, raw: Any, fields: Mapping[str, Any], path: Path_) -> UserDataTemplate | None:
        """The set's userData over the defaults: fixed JSON checked now, or a template filled per row (None: invalid)."""
        default = self.defaults.get("userData")
        if "userData" not in fields:
            if raw is not None:
                return None  # invalid, already reported
            return UserDataTemplate(self.checker.user_data(default, None, path) if default else None)
        compiled = self.compile_tree(fields["userData"], path + ("userData",))
        if compiled is None:
            return None
        if has_pattern(compiled):
            return UserDataTemplate(None, {**(default or {}), **compiled})
        before = len(self.checker.issues)
        text = self.checker.user_data(default, compiled, path)
        return UserDataTemplate(text) if len(self.checker.issues) == before else None

    def compile_tree(self, value: Any, path: Path_) -> Any:
        """userData with each text holding a placeholder compiled to a Pattern (`{{`/`}}` made literal); None: invalid."""
        if isinstance(value, dict):
            out = {key: self.compile_tree(item, path + (key,)) for key, item in value.items()}
            return None if any(item is None and value[key] is not None for key, item in out.items()) else out
        if isinstance(value, list):
            items = [self.compile_tree(item, path + (str(i),)) for i, item in enumerate(value)]
            return None if any(item is None and value[i] is not None for i, item in enumerate(items)) else items
        if isinstance(value, str) and has_placeholder(value):
            try:
                pattern = compile_pattern(value)
            except PlaceholderError as exc:
                self.checker.issue(path, "placeholder", str(exc))
                return None
            return pattern.parts[0] if pattern.is_literal else pattern
        return value
