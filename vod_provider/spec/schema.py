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
    JOB_SETS = "job-sets"  # mapping: set name → job set
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
    ITEMS = "items"  # a file path (text) or a list of videoIds / of mappings
    NAMES = "names"  # a list of distinct template names, at least one
    CLOUD_IDS = "cloud-ids"  # a list of distinct VOD ids, at least one
    NAME_PATTERN = "name-pattern"  # a job name with {set}, {videoId}, {template} placeholders
    NAME_PATTERNS = "name-patterns"  # a list of distinct NAME_PATTERNs


@dataclass(frozen=True)
class Field:
    """`placeholders`: in a job set, text with `{column}` placeholders is also accepted, checked once filled."""

    key: str
    kind: Kind
    description: str
    required: bool = False
    placeholders: bool = False


@dataclass(frozen=True)
class Section:
    """A mapping with known keys; `one_of`: at most one of these keys (`one_of_missing`: the advice when none is
    there, which the checker reports unless `defaults:` gives one); `any_of`: at least one."""

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

TEMPLATE_MISSING = "templateId is required (or template: the name of a template declared under `templates:`)"
TEMPLATE_KEYS = ("template", "templateId")

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
), one_of=TEMPLATE_KEYS, one_of_missing=TEMPLATE_MISSING)

TEMPLATE = Section("a template", (
    Field("format", Kind.TEMPLATE_FORMAT, "Format of the images the template produces: gif or png.", required=True),
    Field("setDefaultCover", Kind.BOOLEAN, "Make the best image the video's cover (default false)."),
))

DEFAULTS = Section("defaults", (
    Field("pipelineId", Kind.CLOUD_ID, "Used by every job of this file that sets no pipelineId."),
    Field("userData", Kind.USER_DATA, _USER_DATA_DOC),
    Field("wait", Kind.WAIT, _WAIT_DOC),
    Field("template", Kind.NAME, "The template of every job and job set of this file that names none."),
    Field("templateId", Kind.CLOUD_ID, "The template id of every job and job set of this file that names none."),
), one_of=TEMPLATE_KEYS)

_PLACEHOLDER_DOC = " May use {column} placeholders, filled from each row."
JOB_SET = Section("a job set", (
    Field("items", Kind.ITEMS, "The videos: a file relative to this spec (.csv with a header row and a videoId column; "
                               ".txt/.list with one videoId per line; .yaml/.yml with a list), or an inline list of "
                               "videoIds or of mappings.", required=True),
    Field("template", Kind.NAME, "Name of an AIImage template declared under `templates:`." + _PLACEHOLDER_DOC, placeholders=True),
    Field("templateId", Kind.CLOUD_ID, "Id of an existing AIImage template." + _PLACEHOLDER_DOC, placeholders=True),
    Field("templates", Kind.NAMES, "A matrix: one job per item and per template named here."),
    Field("templateIds", Kind.CLOUD_IDS, "A matrix: one job per item and per template id listed here."),
    Field("userData", Kind.USER_DATA, _USER_DATA_DOC + " Text values may use {column} placeholders."),
    Field("pipelineId", Kind.CLOUD_ID, "The AI pipeline (AIPipelineId)." + _PLACEHOLDER_DOC, placeholders=True),
    Field("userDataSecret", Kind.BOOLEAN, "Treat userData as a secret: encrypted in state, hidden in output."),
    Field("revision", Kind.REVISION, "Bump to submit every job of the set again (default 0)." + _PLACEHOLDER_DOC, placeholders=True),
    Field("wait", Kind.WAIT, _WAIT_DOC + _PLACEHOLDER_DOC, placeholders=True),
    Field("adopt", Kind.CLOUD_ID, "JobId of a job submitted outside vodjobs (usually from a column)." + _PLACEHOLDER_DOC,
          placeholders=True),
    Field("name", Kind.NAME_PATTERN, "The job-name pattern, from key fields only: {set}, {videoId}, and {template} in a "
                                     "matrix (default {set}-{videoId}, plus -{template} in a matrix)."),
    Field("aliases", Kind.NAME_PATTERNS, "Former name patterns of the set's jobs: changing `name:` then submits nothing."),
), one_of=("template", "templateId", "templates", "templateIds"))

DOCUMENT = Section("a spec file", (
    Field("jobs", Kind.JOBS, "Image-AI jobs: job name → job. Names are unique across all spec files."),
    Field("jobSets", Kind.JOB_SETS, "Many jobs from a list of videos (a CSV file, a list): set name → job set."),
    Field("templates", Kind.TEMPLATES, "AIImage templates: template name → config. Names are unique across all spec files."),
    Field("defaults", Kind.DEFAULTS, "Values merged into every job and job set of this file."),
), any_of=("jobs", "jobSets", "templates"))

# The mapping that each kind of nested mapping is checked against.
SECTION_OF: dict[Kind, Section] = {
    Kind.JOBS: JOB,
    Kind.JOB_SETS: JOB_SET,
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
