"""The vodjobs Pulumi program: one AIImageJob per job declared in the spec files; exports their JobIds."""

from pathlib import Path
from typing import Any

import pulumi

from vod_provider.program import SpecsNotFoundError, failed_job_message, load_declared_jobs
from vod_provider.resources import AIImageJob
from vod_provider.spec import DEFAULT_SPEC_GLOB, SpecError
from vod_provider.template_resource import AITemplate

pattern = pulumi.Config("vodjobs").get("specs") or DEFAULT_SPEC_GLOB
try:
    declared = load_declared_jobs(pattern, Path.cwd())
except (SpecError, SpecsNotFoundError) as exc:
    # Raised before any resource is registered: an invalid spec submits nothing.
    raise pulumi.RunError(str(exc)) from None

templates = {template.name: AITemplate(template) for template in declared.templates}
# A job naming a template takes its id as an input, so Pulumi creates the template first and deletes it last.
# The resource id (not an output) stays known while a template is updated, so its jobs preview unchanged.
jobs = {
    job.name: AIImageJob(job, template_id=templates[job.template_name].id if job.template_name else None)
    for job in declared.jobs
}
pulumi.export("jobIds", {name: job.jobId for name, job in jobs.items()})
pulumi.export("jobs", {name: {"jobId": job.jobId, "status": job.status} for name, job in jobs.items()})
pulumi.export("templateIds", {name: template.templateId for name, template in templates.items()})


def _fail_if_failed(name: str, values: list[Any]) -> None:
    job_id, status, code, message = values
    if status == "fail":
        # The job is already recorded in state; failing the run makes the pipeline say so.
        raise pulumi.RunError(failed_job_message(name, job_id, code, message))


for name, job in jobs.items():
    pulumi.Output.all(job.jobId, job.status, job.errorCode, job.errorMessage).apply(
        lambda values, name=name: _fail_if_failed(name, values)
    )
