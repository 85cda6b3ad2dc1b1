"""What changed between a recorded job and its declaration: a pure function over normalised inputs.

A submitted image-AI job cannot be edited or withdrawn, so every change of a
job input means "submit a new job" (a replacement). Only the job inputs are
compared: `__provider`, outputs (jobId, requestId, …) and values the engine
adds never count as a change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.output import Unknown

# The inputs that define a job: changing any of them submits a new job. (Other inputs, such as
# jobName, adopt and waitSeconds, steer how a job is created and never cause a replacement.)
JOB_INPUT_KEYS = ("videoId", "templateId", "userData", "pipelineId", "revision")

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
        return f"{self.field}: {self.old!r} → {self.new!r}"

    def details(self) -> list[str]:
        """Inside a changed userData, each changed path old → new (deepdiff); else the whole value."""
        try:
            old, new = json.loads(self.old), json.loads(self.new)
        except (TypeError, ValueError):
            return [str(self)]
        # Imported only when a job really changed, so the provider's no-change path stays small.
        from deepdiff import DeepDiff

        tree = DeepDiff(old, new, verbose_level=2)
        lines = [f"{self.field}{_path(path)}: {change.get('old_value')!r} → {change.get('new_value')!r}"
                 for path, change in tree.get("values_changed", {}).items()]
        lines += [f"{self.field}{_path(path)}: added {value!r}" for path, value in tree.get("dictionary_item_added", {}).items()]
        lines += [f"{self.field}{_path(path)}: removed {value!r}" for path, value in tree.get("dictionary_item_removed", {}).items()]
        return lines or [str(self)]


def _path(deepdiff_path: str) -> str:
    """root['Extend']['campaign'] → .Extend.campaign"""
    return "".join(f".{part}" for part in re.findall(r"\['([^']*)'\]|\[(\d+)\]", deepdiff_path) for part in part if part)


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


def diff_job(olds: Mapping[str, Any], news: Mapping[str, Any]) -> JobDiff:
    """Compare the recorded job (old outputs or inputs) with the declared one, field by field."""
    old, new = job_essence(olds), job_essence(news)
    # Job inputs are flat strings (and an int revision), so plain equality is the whole comparison.
    # An unknown value may turn out to be anything: treat it as a change.
    changed = {key for key in JOB_INPUT_KEYS if old.get(key) != new.get(key) or is_unknown(new.get(key))}
    return JobDiff(
        tuple(FieldChange(key, old.get(key), new.get(key)) for key in JOB_INPUT_KEYS if key in changed)
    )
