"""What a `pulumi preview --json --show-sames` digest means for the jobs: submit, replace, forget, unchanged.

Pure: the digest and the loaded specs in, a PreviewPlan out. The engine's steps say what happens
to each resource, and a kept job's recorded outputs whether it failed; the specs add where each
job is declared and the template name a job uses (in a preview, the id of a template still to be
created is unknown). `--show-sames` matters:
without it the digest omits unchanged resources, and renames (a `same` step whose old URN has
another name) could not be told apart from nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from vod_provider.errors import CliError
from vod_provider.program import JobOutcome
from vod_provider.providers.adoption import unverified_job_ids
from vod_provider.providers.diff import TEMPLATE_REFERENCE, FieldChange, is_unknown, job_essence, job_identity, json_changes, shown_value
from vod_provider.spec.model import JobSetSummary, JobSpec, SpecIssue, SpecSet, TemplateSpec
from vod_provider.spec.placeholders import Pattern
from vod_provider.spec.set_decl import default_name_pattern

JOB_TYPE = "pulumi-python:dynamic/vod:AIImageJob"
TEMPLATE_TYPE = "pulumi-python:dynamic/vod:AITemplate"

JobAction = Literal["submit", "replace", "adopt", "rename", "forget", "unchanged"]
TemplateAction = Literal["create", "update", "delete", "unchanged"]
JOB_ACTIONS: tuple[JobAction, ...] = ("submit", "replace", "adopt", "rename", "forget", "unchanged")
TEMPLATE_ACTIONS: tuple[TemplateAction, ...] = ("create", "update", "delete", "unchanged")
# The API call `pulumi up` makes for each action; actions absent here make none.
SUBMITTING: frozenset[JobAction] = frozenset({"submit", "replace"})
TEMPLATE_CALLS: dict[TemplateAction, str] = {"create": "AddAITemplate", "update": "UpdateAITemplate", "delete": "DeleteAITemplate"}
# A replacement is one step in a preview; these two describe the same replacement during an update.
_REPLACEMENT_HALVES = frozenset({"create-replacement", "delete-replaced"})
# A renamed job is an `update` (the provider records its new name; no API call), read as unchanged-then-renamed.
_JOB_OPS: dict[str, JobAction] = {"create": "submit", "replace": "replace", "delete": "forget", "same": "unchanged",
                                  "update": "unchanged"}
_TEMPLATE_OPS: dict[str, TemplateAction] = {"create": "create", "update": "update", "delete": "delete", "same": "unchanged"}
_TEMPLATE_CONFIG_FIELDS = {"Format": "format", "SetDefaultCover": "setDefaultCover"}


class PreviewDigestError(CliError):
    """The digest holds a step vodjobs cannot explain (a bug, or specs that changed during the preview)."""


# One field that differs, as the reviewer reads it: both values already written out as text.
Change = FieldChange


@dataclass(frozen=True)
class SpecLocation:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# A job the stack holds as failed (status `fail`): an up does not run it again until its revision is bumped. The
# program's own record of a job's outcome, read from the recorded outputs.
RecordedFailure = JobOutcome


@dataclass(frozen=True)
class JobRow:
    name: str
    action: JobAction
    video_id: str
    template: str  # the declared template's name, or the AITemplateId
    spec: SpecLocation | None  # None for a forgotten job: its spec is gone
    changes: tuple[Change, ...] = ()  # replace: what made it a new job (userData: one per changed key)
    former_name: str | None = None  # rename
    adopt: str | None = None  # adopt: the JobId recorded instead of a submit
    adopt_verified: bool = True  # adopt: False when the preview had no AccessKey to look the job up
    job_id: str | None = None  # replace, forget: the recorded JobId the state forgets (VOD keeps the job)
    waits: bool = False  # a submit the up waits for (GetAIImageJobs polls)
    failed: RecordedFailure | None = None  # unchanged or renamed, and recorded as failed
    job_set: str | None = None  # the job set it belongs to (a forgotten job: the set whose name pattern its name fits)


@dataclass(frozen=True)
class TemplateRow:
    name: str
    action: TemplateAction
    config: str  # e.g. "format gif, setDefaultCover true"
    spec: SpecLocation | None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class TemplateUse:
    """How many declared jobs use a template once the up is done, and how many of them it submits."""

    template: str
    jobs: int
    submitting: int


@dataclass(frozen=True)
class PreviewPlan:
    jobs: tuple[JobRow, ...]  # in JOB_ACTIONS order, then by name
    templates: tuple[TemplateRow, ...]
    api_calls: tuple[tuple[str, int], ...]  # (action, count): the calls whose number the preview knows
    jobs_per_template: tuple[TemplateUse, ...]
    job_sets: tuple[JobSetSummary, ...] = ()  # the sets the specs declare (and, without state, the base's removed ones)
    # (forgotten, new) jobs with the same inputs: a rename without `aliases`, which would submit them again
    look_alike_renames: tuple[tuple[str, str], ...] = ()

    def count(self, action: JobAction) -> int:
        return sum(1 for job in self.jobs if job.action == action)

    def count_templates(self, action: TemplateAction) -> int:
        return sum(1 for template in self.templates if template.action == action)

    @property
    def total_api_calls(self) -> int:
        return sum(count for _, count in self.api_calls)

    @property
    def waiting_jobs(self) -> int:
        return sum(1 for job in self.jobs if job.waits)

    @property
    def failed_jobs(self) -> tuple[JobRow, ...]:
        return tuple(job for job in self.jobs if job.failed is not None)


@dataclass(frozen=True)
class PreviewFailure:
    """`pulumi preview` itself failed (no stack, no backend, an adopt mismatch…): its messages."""

    exit_code: int
    messages: tuple[str, ...]
    step: str = "`pulumi preview`"  # what failed, in Markdown


@dataclass(frozen=True)
class StatelessBase:
    """`vodjobs preview --no-state`: the commit whose specs the plan starts from, and why there was no state."""

    commit: str  # the merge base of the pull request, e.g. a full SHA
    reason: str  # e.g. "no state key: a pull request from a fork gets no secrets"


@dataclass(frozen=True)
class PreviewOutcome:
    """What `vodjobs preview` found: a plan, or the spec problems, or pulumi's failure (exactly one)."""

    stack: str
    plan: PreviewPlan | None = None
    issues: tuple[SpecIssue, ...] = ()
    failure: PreviewFailure | None = None
    without_state: StatelessBase | None = None  # the plan compares specs with a base commit's, not with the state

    @property
    def ok(self) -> bool:
        return self.plan is not None


def plan_preview(digest: Mapping[str, Any], specs: SpecSet) -> PreviewPlan:
    """Read the digest's job and template steps against the specs the preview ran on."""
    steps = [step for step in digest.get("steps", []) if step.get("op") not in _REPLACEMENT_HALVES]
    template_steps = [step for step in steps if _type(step) == TEMPLATE_TYPE]
    job_steps = [step for step in steps if _type(step) == JOB_TYPE]
    names_by_id = {str(step["oldState"]["id"]): _name(step) for step in template_steps if (step.get("oldState") or {}).get("id")}
    declared = {template.name: template for template in specs.templates}
    templates = sorted((_template_row(step, declared) for step in template_steps),
                       key=lambda row: (TEMPLATE_ACTIONS.index(row.action), row.name))
    jobs_by_name = {job.name: job for job in specs.jobs}
    unverified = unverified_job_ids(str(d.get("message", "")) for d in digest.get("diagnostics", []))
    jobs = sorted(with_former_set_jobs([_job_row(step, jobs_by_name, names_by_id, unverified, specs.job_sets) for step in job_steps]),
                  key=lambda row: (JOB_ACTIONS.index(row.action), row.name))
    return PreviewPlan(tuple(jobs), tuple(templates), api_calls(jobs, templates), jobs_per_template(jobs), specs.job_sets,
                       look_alike_renames(job_steps, {job.name for job in jobs if job.action == "submit"}))


def with_former_set_jobs(jobs: Sequence[JobRow]) -> list[JobRow]:
    """The jobs, a forgotten one outside every set given to the set that submits a job of its video and template: most
    likely the set's job under a former name (a custom name pattern changed without `aliases:`, or a plain job moved
    into a set), so it is said with the set, whose line says its row is still there. Pure."""
    submitted = {(job.video_id, job.template): job.job_set for job in jobs if job.action == "submit" and job.job_set}
    return [replace(job, job_set=submitted[(job.video_id, job.template)])
            if job.action == "forget" and job.job_set is None and (job.video_id, job.template) in submitted else job
            for job in jobs]


def look_alike_sentence(pairs: Sequence[tuple[str, str]], code: Callable[[str], str]) -> str | None:
    """The warning for look-alike renames, e.g. "2 new jobs have the same inputs as 2 jobs this up forgets (`a` → `b`,
    …)", with what to do; None when there are none. `code` formats a name (Markdown or plain). Pure."""
    if not pairs:
        return None
    shown = ", ".join(f"{code(old)} → {code(new)}" for old, new in pairs[:3]) + (", …" if len(pairs) > 3 else "")
    jobs = "job has" if len(pairs) == 1 else "jobs have"
    return (f"looks like a rename: {len(pairs)} new {jobs} the same inputs as jobs this up forgets ({shown}), and would be "
            "submitted again. If they were renamed, list the old names under `aliases:` (in a job set, the old name "
            "pattern): then nothing is submitted")


def look_alike_renames(job_steps: Sequence[Mapping[str, Any]], submitted: Collection[str]) -> tuple[tuple[str, str], ...]:
    """Pairs (forgotten job, submitted job) whose inputs are the same: most likely a job renamed without `aliases:`
    (or a set's name pattern changed without its old one in `aliases:`), which submits the job again. Pure."""
    def identity(inputs: Mapping[str, Any]) -> str:
        essence = job_essence(inputs)
        essence["templateId"] = inputs.get(TEMPLATE_REFERENCE) or essence.get("templateId")  # a template by its name
        return json.dumps(essence, sort_keys=True)

    return pair_look_alikes(
        [(identity(_inputs(step, "oldState")), _name(step)) for step in job_steps if step.get("op") == "delete"],
        [(identity(_inputs(step, "newState")), _name(step)) for step in job_steps
         if step.get("op") == "create" and _name(step) in submitted])


def pair_look_alikes(forgotten: Iterable[tuple[str, str]], new: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(forgotten name, new name) for each new job whose identity (any text that is equal for the same job) a
    forgotten one has, each forgotten job paired once, sorted. Pure."""
    by_identity: dict[str, list[str]] = {}
    for identity, name in forgotten:
        by_identity.setdefault(identity, []).append(name)
    pairs = []
    for identity, name in new:
        olds = by_identity.get(identity)
        if olds:
            pairs.append((olds.pop(0), name))
    return tuple(sorted(pairs))


def _job_row(step: Mapping[str, Any], declared: Mapping[str, JobSpec], names_by_id: Mapping[str, str],
             unverified: frozenset[str], job_sets: Sequence[JobSetSummary]) -> JobRow:
    op, name = str(step["op"]), _name(step)
    action = _JOB_OPS.get(op)
    if action is None:
        raise PreviewDigestError(f"job {name!r}: the preview plans a {op!r} step, which vodjobs does not expect for a job")
    old_inputs = _inputs(step, "oldState")
    if action == "forget":
        template_id = str(old_inputs.get("templateId", ""))
        template = old_inputs.get(TEMPLATE_REFERENCE) or names_by_id.get(template_id, template_id)
        video_id = str(old_inputs.get("videoId", ""))
        return JobRow(name, action, video_id, str(template), None, job_id=_recorded_id(step),
                      job_set=forgotten_job_set(name, video_id, (str(template), template_id), job_sets))
    spec = declared.get(name)
    if spec is None:
        raise PreviewDigestError(f"job {name!r} is in the preview but in no spec file: did the specs change during the preview?")
    row = JobRow(name, action, spec.video_id, spec.template_name or str(spec.template_id),
                 SpecLocation(spec.file, spec.line), waits=action in SUBMITTING and spec.wait_seconds is not None,
                 job_set=spec.job_set)
    former = _name(step, "oldState")
    if action == "submit" and spec.adopt:
        return replace(row, action="adopt", waits=False, adopt=spec.adopt, adopt_verified=spec.adopt not in unverified)
    if action == "unchanged":
        row = replace(row, failed=_recorded_failure(step))
        return replace(row, action="rename", former_name=former) if former != name else row
    if action == "replace":
        changes = _job_changes(step, spec, names_by_id)
        return replace(row, changes=changes, job_id=_recorded_id(step))
    return row


def forgotten_job_set(name: str, video_id: str, templates: Sequence[str], job_sets: Sequence[JobSetSummary]) -> str | None:
    """The set whose name pattern gives `name` for this video and one of `templates` (name or id), if any; else the set
    whose default pattern (one template, or a matrix) does: a set whose `name:` changed, or that became a matrix, without
    its former pattern in `aliases:` forgets the jobs of its former names, and they are said with the set."""
    def fits(pattern: Pattern | None, job_set: JobSetSummary) -> bool:
        return pattern is not None and any(
            pattern.fill({"set": job_set.name, "videoId": video_id, "template": template}) == name for template in templates)

    defaults = (default_name_pattern(False), default_name_pattern(True))
    found = (next((one for one in job_sets if fits(one.name_pattern, one)), None)
             or next((one for one in job_sets if any(fits(pattern, one) for pattern in defaults)), None))
    return found.name if found is not None else None


def _recorded_id(step: Mapping[str, Any]) -> str | None:
    old = step.get("oldState") or {}
    return str(old.get("id") or (old.get("outputs") or {}).get("jobId") or "") or None


def _recorded_failure(step: Mapping[str, Any]) -> RecordedFailure | None:
    outputs = (step.get("oldState") or {}).get("outputs") or {}
    if outputs.get("status") != "fail":
        return None
    return RecordedFailure(str(step["oldState"].get("id") or outputs.get("jobId") or ""), "fail", str(outputs.get("errorCode") or ""),
                           str(outputs.get("errorMessage") or ""), outputs.get("submittedAt"))


def _job_changes(step: Mapping[str, Any], spec: JobSpec, names_by_id: Mapping[str, str]) -> tuple[Change, ...]:
    old, new = job_identity(_inputs(step, "oldState")), job_identity(_inputs(step, "newState"))
    fields = step.get("replaceReasons") or []
    return tuple(
        change for field in fields for change in (
            user_data_changes(old.get(field), new.get(field)) if field == "userData" else None
        ) or (Change(field, _job_value(field, old.get(field), spec, names_by_id), _job_value(field, new.get(field), spec, names_by_id)),)
    )


def user_data_changes(old: Any, new: Any) -> tuple[Change, ...] | None:
    """One change per changed key of the userData JSON (`userData.Extend.campaign`), or None to show it whole."""
    found = json_changes(old, new)
    if not found:
        return None
    return tuple(Change(f"userData{c.path}", "(none)" if c.kind == "added" else repr(c.old),
                        "(none)" if c.kind == "removed" else repr(c.new)) for c in found)


def _job_value(field: str, value: Any, spec: JobSpec, names_by_id: Mapping[str, str]) -> str:
    if is_unknown(value):
        # Only a template still to be created (or re-created) has an id the preview cannot know.
        return f"{spec.template_name} (new)" if field == "templateId" and spec.template_name else "(known after the up)"
    if value is None:
        return shown_value(field, value)
    if field == "templateId":
        return names_by_id.get(str(value), str(value))
    return str(value)


def _template_row(step: Mapping[str, Any], declared: Mapping[str, TemplateSpec]) -> TemplateRow:
    op, name = str(step["op"]), _name(step)
    action = _TEMPLATE_OPS.get(op)
    if action is None:
        raise PreviewDigestError(f"template {name!r}: the preview plans a {op!r} step, which vodjobs does not expect for a template")
    old_config = _config(_inputs(step, "oldState").get("templateConfig"))
    new_config = _config(_inputs(step, "newState").get("templateConfig"))
    spec = declared.get(name)
    location = SpecLocation(spec.file, spec.line) if spec is not None else None
    if action != "delete" and location is None:
        raise PreviewDigestError(f"template {name!r} is in the preview but in no spec file: did the specs change during the preview?")
    shown = old_config if action == "delete" else new_config
    changes = tuple(
        Change(label, old_config.get(key, "(none)"), new_config.get(key, "(none)"))
        for key, label in _TEMPLATE_CONFIG_FIELDS.items() if action == "update" and old_config.get(key) != new_config.get(key)
    )
    described = ", ".join(f"{label} {shown[key]}" for key, label in _TEMPLATE_CONFIG_FIELDS.items() if key in shown)
    return TemplateRow(name, action, described, location, changes)


def _config(raw: Any) -> dict[str, str]:
    if not isinstance(raw, str):
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {}
    return {str(key): str(value) for key, value in parsed.items()} if isinstance(parsed, dict) else {}


def api_calls(jobs: Sequence[JobRow], templates: Sequence[TemplateRow]) -> tuple[tuple[str, int], ...]:
    """(action, count) of the calls whose number the plan knows: one submit per submitting job, one per template change."""
    calls: dict[str, int] = {}
    submits = sum(1 for job in jobs if job.action in SUBMITTING)
    if submits:
        calls["SubmitAIImageJob"] = submits
    for template in templates:
        action = TEMPLATE_CALLS.get(template.action)
        if action:
            calls[action] = calls.get(action, 0) + 1
    return tuple(calls.items())


def jobs_per_template(jobs: Sequence[JobRow]) -> tuple[TemplateUse, ...]:
    """Per template (by name or id), the declared jobs using it after the up and how many of them it submits."""
    declared = [job for job in jobs if job.action != "forget"]
    templates = sorted({job.template for job in declared})
    return tuple(
        TemplateUse(template,
                    sum(1 for job in declared if job.template == template),
                    sum(1 for job in declared if job.template == template and job.action in SUBMITTING))
        for template in templates
    )


def _type(step: Mapping[str, Any]) -> str:
    state = step.get("newState") or step.get("oldState") or {}
    return str(state.get("type", ""))


def _name(step: Mapping[str, Any], state: str | None = None) -> str:
    urn = str((step.get(state) or {}).get("urn", "")) if state else str(step["urn"])
    return urn.rsplit("::", 1)[-1]


def _inputs(step: Mapping[str, Any], state: str) -> dict[str, Any]:
    inputs = (step.get(state) or {}).get("inputs") or {}
    return dict(inputs)
