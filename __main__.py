"""The vodjobs Pulumi program: one AIImageJob per job declared in the spec files; exports their JobIds."""

import asyncio
import os
from pathlib import Path

import pulumi

from vod_provider.api.settings import CONFIG_SPECS, SettingsError, check_config_keys
from vod_provider.program import (
    JobOutcome,
    SpecsNotFoundError,
    ci_journal_warning,
    failed_jobs_message,
    job_exports,
    load_declared_jobs,
    stack_config,
)
from vod_provider.resources import AIImageJob
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB, SpecError
from vod_provider.template_resource import AITemplate

config = stack_config()
try:
    check_config_keys(config)  # a mistyped key would otherwise be ignored: vodjobs:endpiont would go to the real cloud
    declared = load_declared_jobs(config.get(CONFIG_SPECS) or DEFAULT_SPEC_GLOB, Path.cwd())
except (SettingsError, SpecError, SpecsNotFoundError) as exc:
    # Raised before any resource is registered: an invalid spec or setting submits nothing.
    raise pulumi.RunError(str(exc)) from None

journal_warning = ci_journal_warning(config.get, os.environ, Path.cwd())
if journal_warning and not pulumi.runtime.is_dry_run():
    pulumi.log.warn(journal_warning)

templates = {template.name: AITemplate(template) for template in declared.templates}
# A job naming a template takes its id as an input, so Pulumi creates the template first and deletes it last.
# The resource id (not an output) stays known while a template is updated, so its jobs preview unchanged.
jobs = {
    job.name: AIImageJob(job, template_id=templates[job.template_name].id if job.template_name else None)
    for job in declared.jobs
}
pulumi.export("templateIds", {name: template.templateId for name, template in templates.items()})


async def _job_outcome(job: AIImageJob) -> JobOutcome:
    # Outputs of one resource resolve together: awaiting them in turn costs no extra wait.
    return JobOutcome(await job.jobId.future(), await job.status.future(), await job.errorCode.future(),
                      await job.errorMessage.future())


async def _export_jobs() -> None:
    """Export every job's JobId and status once all are recorded; fail the run if one of them failed.

    Awaited by the SDK after this module has run, before its shutdown wait. One coroutine per job and no
    Output: that wait scans every pending Output each time one resolves, O(jobs²) when 1,000 jobs are
    recorded one by one at the API's pace (25 s of CPU, measured with bench/scale.py).
    """
    outcomes = dict(zip(jobs, await asyncio.gather(*(_job_outcome(job) for job in jobs.values())), strict=True))
    pending = {name: {"jobId": job.jobId, "status": job.status} for name, job in jobs.items()}
    for name, value in job_exports(outcomes, pending).items():
        pulumi.export(name, value)
    failed = failed_jobs_message(outcomes)
    if failed:
        # The jobs are already recorded in state; failing the run makes the pipeline say so.
        raise pulumi.RunError(failed)


pulumi.run(_export_jobs)
