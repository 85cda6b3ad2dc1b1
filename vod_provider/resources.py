"""The dynamic provider and resource class for image-AI jobs (`pulumi-python:dynamic/vod:AIImageJob`).

The provider class is pickled *by reference* into every resource's state, so
it holds no instance state: the stack's endpoint and AccessKey reach it through
`configure()` and live in `provider_runtime`. Renaming or moving the class, or
its type token, breaks existing stacks: both are part of the state format.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

from vod_provider.adoption import adoption_mismatches
from vod_provider.client import AmbiguousError
from vod_provider.job_diff import diff_job, job_essence
from vod_provider.job_outputs import STATUS_NOT_FOUND, STATUS_SUBMITTED, refreshed_outputs, status_outputs
from vod_provider.job_waiting import wait_for_job
from vod_provider.provider_runtime import ProviderRuntime
from vod_provider.spec import JobSpec

RUNTIME = ProviderRuntime()
REQUIRED_INPUTS = ("videoId", "templateId")
STEERING_INPUTS = ("jobName", "adopt", "waitSeconds")


class AIImageJobProvider(ResourceProvider):
    """Submits image-AI jobs. Contract, per engine call:

    - check: keeps the job inputs; rejects a missing or non-string input; for a new job with
      `adopt`, looks the job up and fails, naming each field, if it does not match the spec.
    - diff: compares the job-defining inputs only (never `__provider`, outputs, jobName, adopt,
      waitSeconds); any change is a replacement, because a submitted job cannot be edited.
    - create: one SubmitAIImageJob call (or, with `adopt`, none); the JobId becomes the id and
      output `jobId`. All or nothing. A submit that may have run although it failed is never
      resent: the job is reported by name with its RequestId. With `waitSeconds`, polls until the
      job ends and records its status, results or error.
    - read: GetAIImageJobs, batched with concurrent reads; a JobId the service no longer knows
      stays in state with status `notFound` (a JobId is never silently dropped).
    - update: never needed (every change replaces); keeps the outputs if called.
    - delete: no API call (a submitted job cannot be withdrawn; its results stay in VOD).
    """

    # The pickled instance is empty (by reference, ~100 bytes) and holds nothing
    # secret, so it need not be encrypted once per resource.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        RUNTIME.configure(req.config.get, os.environ)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [
            CheckFailure(key, f"{key} is required") for key in REQUIRED_INPUTS if news.get(key) in (None, "")
        ]
        failures += [
            CheckFailure(key, f"{key} must be a string, got {type(value).__name__}")
            for key, value in job_essence(news).items()
            if key != "revision" and not isinstance(value, str)
        ]
        adopt = news.get("adopt")
        if adopt and not olds and not failures:
            failures += self._adoption_failures(adopt, news)
        return CheckResult(_inputs(news), failures)

    def _adoption_failures(self, job_id: str, news: dict[str, Any]) -> list[CheckFailure]:
        found = RUNTIME.batcher().lookup(job_id)
        if found is None:
            return [CheckFailure("adopt", f"no image-AI job {job_id} exists in this account and region")]
        return [CheckFailure("adopt", f"job {job_id} differs from the spec: {m}") for m in adoption_mismatches(news, found)]

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = diff_job(olds, news)
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
        try:
            submitted = RUNTIME.client().submit_ai_image_job(
                video_id=job["videoId"],
                template_id=job["templateId"],
                user_data=job.get("userData"),
                pipeline_id=job.get("pipelineId"),
            )
        except AmbiguousError as error:
            raise JobMaybeSubmittedError(label, job["videoId"], error) from None
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
            info = wait_for_job(RUNTIME.batcher().lookup, submitted.job_id, f"{label} ({submitted.job_id})", float(wait), _report)
            if info is not None:
                outs.update(status_outputs(info))
        return CreateResult(submitted.job_id, outs)

    def _adopt(self, props: dict[str, Any], label: str) -> CreateResult:
        job_id = str(props["adopt"])
        found = RUNTIME.batcher().lookup(job_id)
        if found is None:
            raise JobNotFoundError(f"{label}: cannot adopt job {job_id}: the service does not know it")
        _report(f"{label}: adopted existing job {job_id} (nothing submitted)")
        outs = {**_inputs(props), "jobId": job_id, "requestId": "", "submittedAt": found.creation_time, **status_outputs(found)}
        return CreateResult(job_id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = RUNTIME.batcher().lookup(id_)
        if found is None:
            _report(f"{_label(props)}: job {id_} is not known to the service any more; it stays in state as {STATUS_NOT_FOUND}")
        return ReadResult(id_, refreshed_outputs({**props, "jobId": id_}, found))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        kept = {key: value for key, value in olds.items() if key != "__provider"}
        return UpdateResult({**kept, **_inputs(news), "jobId": id_})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        _report(f"{_label(props)}: forgot job {id_}; VOD cannot withdraw a submitted job, its results stay in VOD")


class JobMaybeSubmittedError(Exception):
    """A submit failed in a way that does not prove it was not executed: the job may exist."""

    def __init__(self, label: str, video_id: str, error: AmbiguousError) -> None:
        request = f"RequestId {error.request_id}" if error.request_id else "no RequestId (no answer)"
        super().__init__(
            f"{label}: the job MAY HAVE BEEN SUBMITTED ({request}): {error.cause}\n"
            f"It was not sent again, so that it cannot run twice. Before the next `pulumi up`, look for a job on "
            f"video {video_id} (VOD console, or GetAIImageJobs/ListAIImageInfo): if it exists, add `adopt: <JobId>` "
            f"to this job's spec; if it does not, just run `pulumi up` again."
        )


class JobNotFoundError(Exception):
    """An adopted JobId is unknown to the service."""


def _label(props: dict[str, Any]) -> str:
    return f"job {props.get('jobName') or props.get('videoId')!r}"


def _inputs(props: dict[str, Any]) -> dict[str, Any]:
    """The inputs worth keeping: job-defining ones plus those that steer creation."""
    steering = {key: props[key] for key in STEERING_INPUTS if props.get(key) not in (None, "", 0)}
    return {**job_essence(props), **steering}


def _report(line: str) -> None:
    # The engine shows the provider's stderr under the resource (pulumi.log does not work here).
    print(f"vodjobs: {line}", file=sys.stderr, flush=True)


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class AIImageJob(Resource, module="vod", name="AIImageJob"):
    """One submitted image-AI job; its id is the JobId."""

    # Attribute names are the property names (dynamic resources do no case translation).
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
    ) -> None:
        """`template_id` overrides the spec's literal templateId (an AITemplate resource's id)."""
        revision = getattr(job, "revision", 0)
        props: dict[str, Any] = {
            "jobName": job.name,
            "videoId": job.video_id,
            "templateId": template_id if template_id is not None else job.template_id,
            "userData": job.user_data,
            "pipelineId": job.pipeline_id,
            "revision": revision or None,
            "adopt": getattr(job, "adopt", None),
            "waitSeconds": getattr(job, "wait_seconds", None),
            # Outputs are declared as None inputs; None values never travel or get stored as inputs.
            "jobId": None,
            "requestId": None,
            "status": None,
            "submittedAt": None,
            "results": None,
            "errorCode": None,
            "errorMessage": None,
        }
        aliases = [pulumi.Alias(name=alias) for alias in getattr(job, "aliases", ())]
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=aliases)) if aliases else opts
        super().__init__(AIImageJobProvider(), job.name, props, opts)
