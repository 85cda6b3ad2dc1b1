"""The spec format, defined once: its sections, their keys, the kind of each value, shapes and limits.

The loader (`spec.checks`) checks documents against these tables and the JSON
Schema generator (`spec.jsonschema`) renders the same tables for editors, so
the two cannot drift apart. Rules that JSON Schema cannot express (sizes in
bytes, references across files, YAML-level problems) live only in the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

USER_DATA_MAX_BYTES = 512
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"  # usable as a Pulumi resource name and in a URN
ID_PATTERN = r"^[0-9a-f]{32}$"  # VideoId, AITemplateId, PipelineId and JobId alike
DURATION_PATTERN = r"^(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?$"  # with at least one part: see DURATION_MIN_LENGTH
DURATION_MIN_LENGTH = 2
WAIT_DEFAULT_SECONDS = 30 * 60.0  # what `wait: true` means
WAIT_MAX_SECONDS = 24 * 3600.0
TEMPLATE_FORMATS = ("gif", "png")

NAME_SHAPE = re.compile(NAME_PATTERN)
ID_SHAPE = re.compile(ID_PATTERN)
DURATION_SHAPE = re.compile(DURATION_PATTERN)


class Kind(Enum):
    """What a value must be; the loader and the JSON Schema generator each handle every kind."""

    JOBS = "jobs"  # mapping: job name → job
    TEMPLATES = "templates"  # mapping: template name → template
    DEFAULTS = "defaults"  # mapping of DEFAULTS fields
    CLOUD_ID = "cloud-id"  # 32 lower-case hex characters
    NAME = "name"  # a job or template name
    NAME_LIST = "name-list"  # a list of distinct names
    USER_DATA = "user-data"  # mapping of USER_DATA fields, at least one
    JSON_OBJECT = "json-object"  # any mapping that serialises to JSON
    WAIT = "wait"  # false | true | a duration such as 10m
    REVISION = "revision"  # an integer ≥ 0
    TEMPLATE_FORMAT = "template-format"  # one of TEMPLATE_FORMATS
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    description: str
    required: bool = False


@dataclass(frozen=True)
class Section:
    """A mapping with known keys; `one_of`: exactly one of these keys (`one_of_missing`: the advice when none is
    there); `any_of`: at least one."""

    title: str
    fields: tuple[Field, ...]
    one_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    one_of_missing: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


_WAIT_DOC = (
    "Wait for the job to end during `pulumi up`: false (default), true (up to 30m), or a duration "
    "such as 10m, 1h30m, 90s (at most 24h)."
)
_USER_DATA_DOC = (
    "Sent as UserData: compact JSON of at most 512 bytes (UTF-8) that contains MessageCallback or Extend. "
    "A job's MessageCallback or Extend replaces the one from `defaults` as a whole."
)

USER_DATA = Section("userData", (
    Field("MessageCallback", Kind.JSON_OBJECT, "Where VOD sends the job's completion event, e.g. {CallbackURL: https://…}."),
    Field("Extend", Kind.JSON_OBJECT, "Your own values; VOD returns them with the job's results and events."),
), any_of=("MessageCallback", "Extend"))

JOB = Section("a job", (
    Field("videoId", Kind.CLOUD_ID, "The VOD video to analyse (VideoId).", required=True),
    Field("template", Kind.NAME, "Name of an AIImage template declared under `templates:` in any spec file."),
    Field("templateId", Kind.CLOUD_ID, "Id of an existing AIImage template (AITemplateId)."),
    Field("userData", Kind.USER_DATA, _USER_DATA_DOC),
    Field("pipelineId", Kind.CLOUD_ID, "The AI pipeline (AIPipelineId) to run the job on."),
    Field("userDataSecret", Kind.BOOLEAN, "Treat userData as a secret (e.g. a callback token): encrypted in state, hidden in output."),
    Field("aliases", Kind.NAME_LIST, "Former names of this job: renaming it then submits nothing."),
    Field("revision", Kind.REVISION, "Bump to submit the job again although its inputs did not change (default 0)."),
    Field("wait", Kind.WAIT, _WAIT_DOC),
    Field("adopt", Kind.CLOUD_ID, "JobId of a job submitted outside vodjobs: record it instead of submitting a new one."),
), one_of=("template", "templateId"),
   one_of_missing="templateId is required (or template: the name of a template declared under `templates:`)")

TEMPLATE = Section("a template", (
    Field("format", Kind.TEMPLATE_FORMAT, "Format of the images the template produces: gif or png.", required=True),
    Field("setDefaultCover", Kind.BOOLEAN, "Make the best image the video's cover (default false)."),
))

DEFAULTS = Section("defaults", (
    Field("pipelineId", Kind.CLOUD_ID, "Used by every job of this file that sets no pipelineId."),
    Field("userData", Kind.USER_DATA, _USER_DATA_DOC),
    Field("wait", Kind.WAIT, _WAIT_DOC),
))

DOCUMENT = Section("a spec file", (
    Field("jobs", Kind.JOBS, "Image-AI jobs: job name → job. Names are unique across all spec files."),
    Field("templates", Kind.TEMPLATES, "AIImage templates: template name → config. Names are unique across all spec files."),
    Field("defaults", Kind.DEFAULTS, "Values merged into every job of this file."),
), any_of=("jobs", "templates"))

# The mapping that each kind of nested mapping is checked against.
SECTION_OF: dict[Kind, Section] = {
    Kind.JOBS: JOB,
    Kind.TEMPLATES: TEMPLATE,
    Kind.DEFAULTS: DEFAULTS,
    Kind.USER_DATA: USER_DATA,
}


def parse_duration(text: str) -> float | None:
    """Seconds in a duration such as `1h30m`, `10m` or `90s`; None when `text` is not one."""
    match = DURATION_SHAPE.match(text)
    if match is None or len(text) < DURATION_MIN_LENGTH:
        return None
    seconds = 0.0
    for number, unit in re.findall(r"([0-9]+)([hms])", text):
        seconds += int(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    return seconds
