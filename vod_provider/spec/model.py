"""The values spec loading produces: frozen JobSpec and TemplateSpec objects, and located SpecIssues."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from vod_provider.errors import VodjobsError
from vod_provider.spec.placeholders import Pattern
from vod_provider.wording import counted

TemplateFormat = Literal["gif", "png"]


@dataclass(frozen=True, order=True)
class SpecIssue:
    file: str
    line: int
    column: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.field}: {self.message} [{self.code}]"


class SpecError(VodjobsError):
    """One or more spec files are invalid; `issues` lists every problem, sorted."""

    def __init__(self, issues: Iterable[SpecIssue], what: str = "the job specs") -> None:
        """`what`: where the problems are, for the header ("the job specs", "the videos file")."""
        self.issues = sorted(set(issues))
        count = len(self.issues)
        header = f"{counted(count, 'problem')} in {what}:"
        super().__init__("\n".join([header, *(f"  {issue}" for issue in self.issues)]))


@dataclass(frozen=True)
class JobSpec:
    """One image-AI job as declared: what SubmitAIImageJob will be called with, and how vodjobs treats it.

    Exactly one of `template_id` (a literal AITemplateId) and `template_name` (a
    template declared under `templates:`) is set. Two JobSpecs are equal when
    they declare the same job, wherever they are written (`file`, `line`).
    """

    name: str
    video_id: str
    template_id: str | None
    user_data: str | None  # compact JSON, at most 512 bytes
    pipeline_id: str | None
    file: str = field(compare=False)
    line: int = field(compare=False)
    template_name: str | None = None
    aliases: tuple[str, ...] = ()
    revision: int = 0
    wait_seconds: float | None = None  # None: do not wait for the job to end
    adopt: str | None = None  # JobId of an existing job to record instead of submitting
    user_data_secret: bool = False  # userData travels as a Pulumi secret
    job_set: str | None = field(default=None, compare=False)  # the job set it was expanded from (None: under `jobs:`)

    def __post_init__(self) -> None:
        if (self.template_id is None) == (self.template_name is None):
            raise ValueError(f"job {self.name!r}: set exactly one of template_id and template_name")


@dataclass(frozen=True)
class TemplateSpec:
    """One AIImage template as declared under `templates:`."""

    name: str
    format: TemplateFormat
    set_default_cover: bool
    file: str = field(compare=False)
    line: int = field(compare=False)

    def template_config(self) -> str:
        """The TemplateConfig the API expects, e.g. `{"Format":"gif","SetDefaultCover":"true"}`."""
        config = {"Format": self.format, "SetDefaultCover": "true" if self.set_default_cover else "false"}
        return json.dumps(config, separators=(",", ":"))


@dataclass(frozen=True)
class JobSetSummary:
    """One job set as declared (`jobSets:`): where, and how many jobs it expanded to."""

    name: str
    file: str  # the spec file that declares it
    line: int
    items_file: str | None  # the file its items come from (None: an inline list)
    jobs: int
    # How it names its jobs (from {set}, {videoId}, {template}): tells a job the state holds, and the specs no
    # longer declare, as one of the set's.
    name_pattern: Pattern | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SpecSet:
    """Everything the spec files declare, valid as a whole; jobs, templates and job sets sorted by name.

    A job set's jobs are ordinary JobSpecs among `jobs` (their `job_set` names the set).
    """

    jobs: tuple[JobSpec, ...]
    files: tuple[str, ...]
    templates: tuple[TemplateSpec, ...] = ()
    job_sets: tuple[JobSetSummary, ...] = ()


# "set-job": a job expanded from a row of a job set (a name clash is reported at the row).
MentionKind = Literal["job", "set-job", "set", "template", "alias", "adopt", "template-ref"]


@dataclass(frozen=True, order=True)
class Mention:
    """A name or id that must be unique, or must exist, across all spec files; and where it is written."""

    file: str
    line: int
    column: int
    field: str
    kind: MentionKind
    value: str
    job: str  # the job it belongs to ("" for a template)
