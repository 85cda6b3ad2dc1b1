"""What changed between a recorded job and its declaration: a pure function over normalised inputs.

A submitted image-AI job cannot be edited or withdrawn, so every change of a
job's identity means "submit a new job" (a replacement). Only the identity is
compared: `__provider`, outputs (jobId, requestId, …) and values the engine
adds never count as a change.

A job that names a declared template (`template:` in its spec) is identified by
that name, not by the template's id: a template deleted outside vodjobs and
created again gets a new TemplateId, yet it is the template the spec declares,
so none of its jobs runs again. The id still travels as input `templateId`
(SubmitAIImageJob needs it) and is compared only when the name cannot decide:
a literal `templateId:` on either side, or a job recorded by vodjobs before
jobs named their template (state written before input `template` existed). For
such a job an unchanged id means an unchanged job; it names its template once
it is next submitted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi.output import Unknown

# What SubmitAIImageJob is sent (plus revision): the submission journal digests exactly these, so keep them as they are.
JOB_INPUT_KEYS = ("videoId", "templateId", "userData", "pipelineId", "revision")
# The declared template's name, for a job that names one (absent for a literal templateId).
TEMPLATE_REFERENCE = "template"
# A job's identity, in the order replace reasons are listed: changing any of them submits a new job. (Other
# inputs, such as jobName, adopt and waitSeconds, steer how a job is created and never cause a replacement.)
IDENTITY_KEYS = ("videoId", TEMPLATE_REFERENCE, "templateId", "userData", "pipelineId", "revision")

# During preview an input that depends on another resource's output is unknown: the wire sentinel,
# or pulumi's Unknown object once deserialised with unknowns kept.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def is_unknown(value: Any) -> bool:
    return value == UNKNOWN or isinstance(value, Unknown)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.field}: {shown_value(self.field, self.old)} → {shown_value(self.field, self.new)}"

    def details(self) -> list[str]:
        """Inside a changed userData, each changed path old → new (deepdiff); else the whole value."""
        found = json_changes(self.old, self.new)
        if not found:
            return [str(self)]
        return [f"{self.field}{change.path}: {change}" for change in found]


@dataclass(frozen=True)
class PathChange:
    """One changed path inside a JSON value, e.g. path '.Extend.campaign', old 'spring', new 'summer'."""

    path: str
    old: Any
    new: Any
    kind: Literal["changed", "added", "removed"]

    def __str__(self) -> str:
        if self.kind == "added":
            return f"added {self.new!r}"
        if self.kind == "removed":
            return f"removed {self.old!r}"
        return f"{self.old!r} → {self.new!r}"


def json_changes(old_text: Any, new_text: Any) -> tuple[PathChange, ...] | None:
    """Each changed path between two JSON texts (values changed, then added, then removed, by path).

    None when either side is not JSON text (absent, unknown, or shown as a secret): then only the whole value can be
    compared.
    """
    try:
        old, new = json.loads(old_text), json.loads(new_text)
    except (TypeError, ValueError):
        return None
    # Imported only when a job really changed, so the provider's no-change path stays small.
    from deepdiff import DeepDiff

    tree = DeepDiff(old, new, verbose_level=2)
    changed = {**tree.get("values_changed", {}), **tree.get("type_changes", {})}
    added = {**tree.get("dictionary_item_added", {}), **tree.get("iterable_item_added", {})}
    removed = {**tree.get("dictionary_item_removed", {}), **tree.get("iterable_item_removed", {})}
    changes = [PathChange(_path(p), c.get("old_value"), c.get("new_value"), "changed") for p, c in changed.items()]
    changes += [PathChange(_path(p), None, value, "added") for p, value in added.items()]
    changes += [PathChange(_path(p), value, None, "removed") for p, value in removed.items()]
    order = ("changed", "added", "removed")
    return tuple(sorted(changes, key=lambda change: (order.index(change.kind), change.path)))


def shown_value(field: str, value: Any) -> str:
    """How a job input's value is written in every message and summary (one wording for the provider's report and
    `vodjobs preview`): an absent revision is its default 0, another absent input "(none)". Pure."""
    if is_unknown(value):
        return "(known after the up)"
    if value is None:
        return "0" if field == "revision" else "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # numbers travel as doubles on the wire
    return repr(value) if isinstance(value, str) else str(value)


def _path(deepdiff_path: str) -> str:
    """root['Extend']['campaign'] → .Extend.campaign"""
    return "".join(f".{part}" for parts in re.findall(r"\['([^']*)'\]|\[(\d+)\]", deepdiff_path) for part in parts if part)


@dataclass(frozen=True)
class JobDiff:
    changes: tuple[FieldChange, ...]

    @property
    def changed_fields(self) -> list[str]:
        return [c.field for c in self.changes]

    def __bool__(self) -> bool:
        return bool(self.changes)


def job_essence(props: Mapping[str, Any]) -> dict[str, Any]:
    """The job inputs alone; an absent optional input and a None one (or revision 0) are the same thing."""
    essence = {key: props[key] for key in JOB_INPUT_KEYS if props.get(key) is not None}
    revision = essence.get("revision")
    if isinstance(revision, float) and revision.is_integer():
        essence["revision"] = int(revision)  # numbers travel as doubles on the wire
    if essence.get("revision") == 0:
        del essence["revision"]
    return essence


def job_identity(props: Mapping[str, Any]) -> dict[str, Any]:
    """The essence plus the name of the declared template the job names, if it names one."""
    essence = job_essence(props)
    template = props.get(TEMPLATE_REFERENCE)
    return {**essence, TEMPLATE_REFERENCE: template} if template else essence


def _compared_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    """The identity keys to compare: the template by name when both sides name one, else by id (see the module doc)."""
    by_name = TEMPLATE_REFERENCE in old and TEMPLATE_REFERENCE in new
    skipped = "templateId" if by_name else TEMPLATE_REFERENCE
    return tuple(key for key in IDENTITY_KEYS if key != skipped)


def diff_job(olds: Mapping[str, Any], news: Mapping[str, Any]) -> JobDiff:
    """Compare the recorded job (old outputs or inputs) with the declared one, field by field."""
    old, new = job_identity(olds), job_identity(news)
    keys = _compared_keys(old, new)
    # Job inputs are flat strings (and an int revision), so plain equality is the whole comparison.
    # An unknown value may turn out to be anything: treat it as a change.
    changed = {key for key in keys if old.get(key) != new.get(key) or is_unknown(new.get(key))}
    return JobDiff(tuple(FieldChange(key, old.get(key), new.get(key)) for key in keys if key in changed))
