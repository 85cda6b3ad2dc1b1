"""A job set as declared under `jobSets:`: its checked fields, compiled once, ready to be expanded row by row.

The document checker checks each key against `schema.JOB_SET` (placeholder fields come back as Patterns); this
module adds the rules that need the whole set: the name and alias patterns use key fields only, the matrix, the
userData template and the file's defaults. Everything a row cannot change is checked here, once, at the set's
line in the spec file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vod_provider.spec import schema
from vod_provider.spec.placeholders import Pattern
from vod_provider.spec.yaml_nodes import Location

Path_ = tuple[str, ...]
KEY_FIELDS = ("set", "videoId", "template")  # what a job name may be made of: its identity, never a row's values
FIELD_COLUMNS = ("template", "templateId", "pipelineId", "revision", "adopt", "wait")  # a column named so sets the field
SAMPLE_VIDEO_ID = "0" * 32  # every videoId has this length and only name-safe characters


@dataclass(frozen=True)
class TemplateRef:
    """A job's template: a name declared under `templates:` or an id (`by_id`); a Pattern is filled per row."""

    by_id: bool
    value: str | Pattern


@dataclass(frozen=True)
class UserDataTemplate:
    """The set's userData over the file's defaults: fixed JSON (`static`), or a tree whose Pattern leaves each row fills."""

    static: str | None
    tree: Mapping[str, Any] | None = None

    def fill(self, values: Mapping[str, str]) -> str | None:
        """UserData as sent, compact JSON with sorted keys; KeyError names a placeholder `values` lacks."""
        if self.tree is None:
            return self.static
        return user_data_json(_filled(self.tree, values))


def _filled(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, Pattern):
        return value.fill(values)
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    return value


def user_data_json(merged: Mapping[str, Any]) -> str:
    return json.dumps(merged, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def has_pattern(value: Any) -> bool:
    if isinstance(value, Pattern):
        return True
    if isinstance(value, dict):
        return any(has_pattern(item) for item in value.values())
    if isinstance(value, list):
        return any(has_pattern(item) for item in value)
    return False


@dataclass(frozen=True)
class JobSetDecl:
    """One checked job set. `items` is a path relative to the spec file, or the inline list (`items_at`: where).

    Fields hold a value, a Pattern (filled per row) or None; defaults of the file are already folded in.
    `matrix` is the `templates:`/`templateIds:` list (empty when the set has one template, or none: then each row
    names it in a column). `spec_locations` locates the values of an inline list in the spec file.
    `rows_only`: see below.
    """

    name: str
    file: str
    line: int
    items: str | list[Any]
    items_at: Location
    spec_locations: Mapping[Path_, Location]
    matrix: tuple[TemplateRef, ...]
    template: TemplateRef | None
    template_at: Location
    pipeline_id: str | Pattern | None
    revision: int | Pattern
    wait_seconds: float | Pattern | None
    adopt: str | Pattern | None
    user_data: UserDataTemplate
    user_data_secret: bool
    name_pattern: Pattern
    alias_patterns: tuple[Pattern, ...]
    # The set's own fields had problems (reported at the set): its rows are still checked for what each brings
    # itself (videoId, duplicates, its own columns), so one run reports everything, but no job is made of them.
    rows_only: bool = False
    # With rows_only: whether the name and alias patterns are sound, so that the rows' job names are still checked
    # for clashes (a typo elsewhere in the set does not hide a row named like a plain job).
    names_known: bool = True

    @property
    def items_path(self) -> tuple[str, ...]:
        return ("jobSets", self.name, "items")


def default_name_pattern(matrix: bool) -> Pattern:
    return Pattern(("", "set", "-", "videoId", "-", "template", "")) if matrix else Pattern(("", "set", "-", "videoId", ""))


def name_pattern_problem(pattern: Pattern, set_name: str, matrix: tuple[str, ...], what: str, alias: bool = False) -> str | None:
    """Why `pattern` cannot name the set's jobs (None when it can). `matrix`: the matrix's template names or ids.

    An `alias` pattern of a one-template matrix may leave {template} out: it is the former name of a set that had that
    one template (`templateId: X` → `templateIds: [X]`, to add more later), and no two of its jobs get it."""
    allowed = KEY_FIELDS if matrix else KEY_FIELDS[:2]
    foreign = [name for name in pattern.names if name not in allowed]
    if foreign:
        listed = ", ".join("{" + name + "}" for name in allowed)
        return (f"{what} may use only the key fields {listed}, not {{{foreign[0]}}}: a job's name is its identity, so a "
                "change of any other value replaces the job instead of renaming it")
    if "videoId" not in pattern.names:
        return f"{what} must use {{videoId}}: without it every item of the set gets the same name"
    if matrix and "template" not in pattern.names and not (alias and len(matrix) == 1):
        return (f"{what} must use {{template}} in a matrix (`templates:` or `templateIds:`): without it the templates of one "
                "video get the same name")
    for template in matrix or ("",):
        sample = pattern.fill({"set": set_name, "videoId": SAMPLE_VIDEO_ID, "template": template})
        if not schema.NAME_SHAPE.match(sample):
            return (f"{what} gives names such as {sample!r}, which cannot be resource names: start with a letter or digit, "
                    "then use only letters, digits, '_', '.', '-' (at most 100)")
    return None
