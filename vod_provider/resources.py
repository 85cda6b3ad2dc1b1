"""The dynamic provider and resource class for image-AI jobs (`pulumi-python:dynamic/vod:AIImageJob`).

The provider class is pickled *by reference* into every resource's state, so
it holds no instance state: the stack's endpoint and AccessKey reach it through
`configure()` and live in `provider_runtime`. Renaming or moving the class, or
its type token, breaks existing stacks: both are part of the state format.
"""

from __future__ import annotations

import os
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

from vod_provider.job_diff import diff_job, job_essence
from vod_provider.provider_runtime import ProviderRuntime
from vod_provider.spec import JobSpec

RUNTIME = ProviderRuntime()
REQUIRED_INPUTS = ("videoId", "templateId")


class AIImageJobProvider(ResourceProvider):
    """Submits image-AI jobs. Contract, per engine call:

    - check: passes the job inputs through; rejects a missing or non-string input.
    - diff: compares job inputs only (never `__provider` or outputs); any change is a
      replacement, because a submitted job cannot be edited. Always explicit.
    - create: one SubmitAIImageJob call; the JobId becomes the id and output `jobId`.
      All or nothing: if the call fails nothing is recorded.
    - read: GetAIImageJobs; a job the service no longer knows is reported gone.
    - update: never needed (every change replaces); keeps the outputs if called.
    - delete: no API call (a submitted job cannot be withdrawn); safe to repeat.
    """

    # The pickled instance is empty (by reference, ~100 bytes) and holds nothing
    # secret, so it need not be encrypted once per resource.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        RUNTIME.configure(req.config.get, os.environ)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = [
            CheckFailure(key, f"{key} is required") for key in REQUIRED_INPUTS if news.get(key) in (None, "")
        ]
        failures += [
            CheckFailure(key, f"{key} must be a string, got {type(value).__name__}")
            for key, value in job_essence(news).items()
            if not isinstance(value, str)
        ]
        return CheckResult(job_essence(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes = diff_job(olds, news)
        return DiffResult(
            changes=bool(changes),
            replaces=changes.changed_fields,
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        job = job_essence(props)
        submitted = RUNTIME.client().submit_ai_image_job(
            video_id=job["videoId"],
            template_id=job["templateId"],
            user_data=job.get("userData"),
            pipeline_id=job.get("pipelineId"),
        )
        return CreateResult(submitted.job_id, {**job, "jobId": submitted.job_id, "requestId": submitted.request_id})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = RUNTIME.client().get_ai_image_jobs([id_])
        if not any(info.job_id == id_ for info in found):
            return ReadResult(None, {})
        return ReadResult(id_, _outputs(props, id_))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult({**_outputs(olds, id_), **job_essence(news)})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


def _outputs(props: dict[str, Any], job_id: str) -> dict[str, Any]:
    kept = {key: value for key, value in props.items() if key != "__provider"}
    return {**kept, "jobId": job_id}


class AIImageJob(Resource, module="vod", name="AIImageJob"):
    """One submitted image-AI job; its id is the JobId."""

    # Attribute names are the property names (dynamic resources do no case translation).
    jobId: pulumi.Output[str]  # noqa: N815
    requestId: pulumi.Output[str]  # noqa: N815

    def __init__(self, job: JobSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        props: dict[str, Any] = {
            "videoId": job.video_id,
            "templateId": job.template_id,
            "userData": job.user_data,
            "pipelineId": job.pipeline_id,
            # Outputs are declared as None inputs; None values never travel or get stored as inputs.
            "jobId": None,
            "requestId": None,
        }
        super().__init__(AIImageJobProvider(), job.name, props, opts)
