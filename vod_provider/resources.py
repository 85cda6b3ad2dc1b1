"""The dynamic provider and resource class for image-AI jobs (`pulumi-python:dynamic/vod:AIImageJob`).

The provider class is pickled *by reference* into every resource's state, so
it holds no instance state: the stack's endpoint and AccessKey reach it through
`configure()` and live in `providers.runtime`. Renaming or moving the class, or
its type token, breaks existing stacks: both are part of the state format.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from vod_provider.api.credentials import NoCredentialsError
from vod_provider.errors import VodjobsError
from vod_provider.providers.adoption import adoption_hints, adoption_mismatches, hint_inputs, unverified_adoption
from vod_provider.providers.base import ConfiguredProvider, report
from vod_provider.providers.diff import diff_job, is_unknown, job_essence, job_identity
from vod_provider.providers.outputs import STATUS_NOT_FOUND, STATUS_SUBMITTED, refreshed_outputs, status_outputs
from vod_provider.providers.runtime import RUNTIME
from vod_provider.providers.waiting import wait_for_job
from vod_provider.safety.submission import job_journal, submit_once
from vod_provider.spec.model import JobSpec

REQUIRED_INPUTS = ("videoId", "templateId")
STEERING_INPUTS = ("jobName", "journalKey", "adopt", "waitSeconds", "userDataSecret")
OUTPUT_NAMES = ("jobId", "requestId", "status", "submittedAt", "results", "errorCode", "errorMessage")


class AIImageJobProvider(ConfiguredProvider):
    """Submits image-AI jobs. Contract, per engine call:

    - check: keeps the job inputs; rejects a missing or non-string input; for a new job with
      `adopt`, looks the job up and fails, naming each field, if it does not match the spec. With no
      AccessKey at all (a preview runner given none) it reports the adoption as not verified and
      passes: create, which needs the key to look the job up, still fails without one.
    - diff: compares the job's identity only (never `__provider`, outputs, adopt, waitSeconds); any
      change is a replacement, because a submitted job cannot be edited. A renamed job (`aliases`) is an
      update without an API call, so that its outputs carry the name the specs give it. A job
      naming a declared template is identified by the template's name (input `template`): its
      `templateId`, which changes when the template is created again, does not by itself replace
      the job (providers/diff.py says when the id is compared).
    - create: one SubmitAIImageJob call (or, with `adopt`, none); the JobId becomes the id and
      output `jobId`. All or nothing. Every submit is journaled first (safety/journal.py), so a JobId
      that a crashed run never recorded is adopted rather than submitted again; a submit that may
      have run although it failed is never resent (safety/submission.py). With `waitSeconds`, polls
      until the job ends and records its status, results or error.
    - read: GetAIImageJobs, batched with concurrent reads; a JobId the service no longer knows
      stays in state with status `notFound` (a JobId is never silently dropped).
    - update: a rename only (no API call): keeps the outputs, with the new name and journal key.
    - delete: no API call (a submitted job cannot be withdrawn; its results stay in VOD).
    """

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [
            CheckFailure(key, f"{key} is required") for key in REQUIRED_INPUTS if news.get(key) in (None, "")
        ]
        failures += [
            CheckFailure(key, f"{key} must be a string, got {type(value).__name__}")
            for key, value in job_identity(news).items()
            if key != "revision" and not isinstance(value, str) and not is_unknown(value)
        ]
        adopt = news.get("adopt")
        if adopt and not olds and not failures:
            failures += self._adoption_failures(adopt, news)
        return CheckResult(_inputs(news), failures)

    def _adoption_failures(self, job_id: str, news: dict[str, Any]) -> list[CheckFailure]:
        try:
            batcher = RUNTIME.batcher()
        except NoCredentialsError:
            report(unverified_adoption(_label(news), job_id))
            return []
        hints = adoption_hints(news)
        found = batcher.lookup_with(job_id, hints.batch)
        at = hints.prefix()
        if found is None:
            return [CheckFailure("adopt", f"{at}no image-AI job {job_id} exists in this account and region")]
        hide = bool(news.get("userDataSecret"))
        return [CheckFailure("adopt", f"{at}job {job_id} differs from the spec: {m}") for m in adoption_mismatches(news, found, hide)]

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        key = olds.get("journalKey")
        if key:
            _settle(str(key), id_)
        changes = diff_job(olds, news)
        if changes:
            described = ["userData changed (secret, not shown)" if c.field == "userData" and news.get("userDataSecret")
                         else "; ".join(c.details()) for c in changes.changes]
            report(f"{_label(news)} will be submitted again: {'; '.join(described)}")
        elif _renamed(olds, news):
            # An update with no API call (update() below), so that the job's outputs carry its new name: a later
            # delete, which sees only the outputs, then names the job as the specs do.
            report(f"{_label(news)}: renamed from {olds.get('jobName')!r}; nothing is submitted")
            return DiffResult(changes=True, replaces=[], delete_before_replace=False)
        return DiffResult(
            changes=bool(changes),
            replaces=changes.changed_fields,
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        job = job_essence(props)
        label = _label(props)
        if props.get("adopt"):
            return self._adopt(props, label)
        key = props.get("journalKey")
        journal = job_journal(RUNTIME.journal(), str(key) if key else None, job)
        submitted = submit_once(RUNTIME.client(), journal, job, label, report)
        outs = {
            **_inputs(props),
            "jobId": submitted.job_id,
            "requestId": submitted.request_id,
            "status": STATUS_SUBMITTED,
            "templateId": job["templateId"],
            "submittedAt": _utc_now(),
        }
        wait = props.get("waitSeconds")
        if wait:
            info = wait_for_job(RUNTIME.batcher().lookup, submitted.job_id, f"{label} ({submitted.job_id})", float(wait), report)
            if info is not None:
                outs.update(status_outputs(info))
        return CreateResult(submitted.job_id, outs)

    def _adopt(self, props: dict[str, Any], label: str) -> CreateResult:
        job_id = str(props["adopt"])
        found = RUNTIME.batcher().lookup(job_id)
        if found is None:
            raise AdoptedJobNotFoundError(f"{label}: cannot adopt job {job_id}: the service does not know it")
        report(f"{label}: adopted existing job {job_id} (nothing submitted)")
        outs = {**_inputs(props), "jobId": job_id, "requestId": "", "submittedAt": found.creation_time, **status_outputs(found)}
        return CreateResult(job_id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = RUNTIME.batcher().lookup(id_)
        if found is None:
            report(f"{_label(props)}: job {id_} is not known to the service any more; it stays in state as {STATUS_NOT_FOUND}")
        return ReadResult(id_, refreshed_outputs({**props, "jobId": id_}, found))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        kept = {key: value for key, value in olds.items() if key != "__provider"}
        return UpdateResult({**kept, **_inputs(news), "jobId": id_})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        report(f"{_label(props)}: forgot job {id_}; VOD cannot withdraw a submitted job, its results stay in VOD")


class AdoptedJobNotFoundError(VodjobsError):
    """An adopted JobId is unknown to the service."""


def _settle(key: str, job_id: str) -> None:
    """The state has this JobId now: its journal entries can go. Best effort: settling saves work, it adds no safety."""
    try:
        journal = RUNTIME.journal()
        if journal.holds_job(key, job_id):
            journal.settle(key, job_id)
    except VodjobsError as error:
        report(f"{key}: the submission journal could not be tidied ({error}); it is tried again next run")


def _renamed(olds: dict[str, Any], news: dict[str, Any]) -> bool:
    """The job's name changed (its former name is one of its aliases) and nothing else that identifies it."""
    return bool(olds.get("jobName")) and bool(news.get("jobName")) and olds.get("jobName") != news.get("jobName")


def _label(props: dict[str, Any]) -> str:
    return f"job {props.get('jobName') or props.get('videoId')!r}"


def _inputs(props: dict[str, Any]) -> dict[str, Any]:
    """The inputs worth keeping: the job's identity plus those that steer creation."""
    steering = {key: props[key] for key in STEERING_INPUTS if props.get(key) not in (None, "", 0)}
    return {**job_identity(props), **steering}


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class AIImageJob(Resource, module="vod", name="AIImageJob"):
    """One submitted image-AI job; its id is the JobId."""

    # Attribute names are the property names (dynamic resources do no case translation). For the type checker only:
    # the SDK evaluates a resource class's annotations (typing.get_type_hints) again for every resource it registers,
    # 1.8 s of the program's CPU for 1,000 jobs (bench/README.md); the values are plain JSON, so they need no types.
    if TYPE_CHECKING:
        jobId: pulumi.Output[str]  # noqa: N815
        requestId: pulumi.Output[str]  # noqa: N815
        status: pulumi.Output[str]
        templateId: pulumi.Output[str]  # noqa: N815
        submittedAt: pulumi.Output[str]  # noqa: N815
        results: pulumi.Output[list[dict[str, Any]]]
        errorCode: pulumi.Output[str]  # noqa: N815
        errorMessage: pulumi.Output[str]  # noqa: N815

    def __init__(
        self,
        job: JobSpec,
        template_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        adoption_batch: Sequence[str] = (),
    ) -> None:
        """`template_id` is the id of the AITemplate the job names (`template:`); else the spec's templateId.
        `adoption_batch`: for an adopting job, the JobIds its batch of adopting jobs adopts (providers.adoption.ADOPTION_BATCH)."""
        props: dict[str, Any] = {
            "jobName": job.name,
            "journalKey": f"{pulumi.get_project()}/{pulumi.get_stack()}/{job.name}",
            "videoId": job.video_id,
            # The job's identity names its template as the spec does; the id is what SubmitAIImageJob is sent.
            "template": job.template_name,
            "templateId": template_id if template_id is not None else job.template_id,
            "userData": pulumi.Output.secret(job.user_data) if job.user_data_secret and job.user_data else job.user_data,
            "userDataSecret": True if job.user_data_secret else None,
            "pipelineId": job.pipeline_id,
            "revision": job.revision or None,
            "adopt": job.adopt,
            "waitSeconds": job.wait_seconds,
            **(hint_inputs(f"{job.file}:{job.line}", adoption_batch) if job.adopt else {}),
            # Outputs are declared as None inputs; None values never travel or get stored as inputs.
            "jobId": None,
            "requestId": None,
            "status": None,
            "submittedAt": None,
            "results": None,
            "errorCode": None,
            "errorMessage": None,
        }
        # An input without a value never travels, but each key still costs the program an Output to resolve.
        props = {key: value for key, value in props.items() if value is not None or key in OUTPUT_NAMES}
        aliases = [pulumi.Alias(name=alias) for alias in job.aliases]
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=aliases)) if aliases else opts
        super().__init__(AIImageJobProvider(), job.name, props, opts)
