"""The vodjobs Pulumi program: one AIImageJob per job declared in the spec files; exports their JobIds."""

import asyncio
import os
import time
from pathlib import Path

import pulumi

from vod_provider.api.settings import CONFIG_SPECS, check_config_keys, check_settings
from vod_provider.errors import VodjobsError
from vod_provider.program import (
    CONFIG_FAIL_ON_FAILED_JOBS,
    JobOutcome,
    PendingOutputs,
    adoption_batches,
    ci_journal_warning,
    failed_jobs_report,
    load_declared_jobs,
    run_error,
    stack_config,
    stack_exports,
)
from vod_provider.registration_overhead import lighten_registrations
from vod_provider.resources import AIImageJob
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB
from vod_provider.template_resource import AITemplate

# A waited job whose submittedAt is not before this was submitted, and failed, in this run (program.failed_jobs_report).
RUN_STARTED = time.time()
config = stack_config()
fail_on_failed_jobs = pulumi.Config("vodjobs").get_bool(CONFIG_FAIL_ON_FAILED_JOBS) or False
try:
    check_config_keys(config)  # a mistyped key would otherwise be ignored: vodjobs:endpiont would go to the real cloud
    check_settings(config.get)  # what `up` would refuse fails the preview too
    declared = load_declared_jobs(config.get(CONFIG_SPECS) or DEFAULT_SPEC_GLOB, Path.cwd())
except VodjobsError as exc:
    # Raised before any resource is registered: an invalid spec or setting submits nothing. A message, no traceback.
    raise run_error(exc) from None

# Before the first registration: the SDK's per-resource debug messages and stack traces cost the program 28 % and
# the CLI 20 % of their CPU in a cold up, and say nothing about the user's specs (PULUMI_DEBUG=1 keeps them).
lighten_registrations()

journal_warning = ci_journal_warning(config.get, os.environ, Path.cwd())
if journal_warning and not pulumi.runtime.is_dry_run():
    pulumi.log.warn(journal_warning)

templates = {template.name: AITemplate(template) for template in declared.templates}
# A job naming a template takes its id as an input, so Pulumi creates the template first and deletes it last.
# The resource id (not an output) stays known while a template is updated, so its jobs preview unchanged.
jobs: dict[str, AIImageJob] = {}
# Jobs are declared in slices inside the program's coroutine, yielding to the event loop between slices: the SDK
# sends a registration only when the loop runs, so declaring every job first would hold back the first submit until
# the last job is built (seconds at 1,000 jobs; a minute at 10,000).
DECLARE_SLICE = 10


async def _declare_jobs() -> None:
    batches = adoption_batches(declared.jobs)  # the engine checks adoptions one by one: each names its batch
    for start in range(0, len(declared.jobs), DECLARE_SLICE):
        for job in declared.jobs[start:start + DECLARE_SLICE]:
            jobs[job.name] = AIImageJob(job, template_id=templates[job.template_name].id if job.template_name else None,
                                        adoption_batch=batches.get(job.name, ()))
        await asyncio.sleep(0)


async def _job_outcome(job: AIImageJob) -> JobOutcome:
    # Outputs of one resource resolve together: awaiting them in turn costs no extra wait.
    # The id is the JobId, and stays known in a preview of a renamed job (an update), where outputs are not.
    job_id = await job.jobId.future() or await job.id.future() or None  # "": an id the up left out (--target)
    return JobOutcome(job_id, await job.status.future(), await job.errorCode.future(),
                      await job.errorMessage.future(), await job.submittedAt.future())


async def _run() -> None:
    await _declare_jobs()
    await _export_outputs()


async def _export_outputs() -> None:
    """Export every job's JobId and status and every template's id once all are recorded; fail the run if a job failed in it.

    Awaited by the SDK after this module has run, before its shutdown wait. One coroutine per job and no
    Output: that wait scans every pending Output each time one resolves, O(jobs²) when 1,000 jobs are
    recorded one by one at the API's pace (25 s of CPU, measured with bench/scale.py).
    """
    outcomes = dict(zip(jobs, await asyncio.gather(*(_job_outcome(job) for job in jobs.values())), strict=True))
    template_ids = {name: await template.templateId.future() for name, template in templates.items()}
    dry_run = pulumi.runtime.is_dry_run()
    # In an up, a value still unknown (a resource `up --target` left out) is not exported at all.
    pending = PendingOutputs({name: {"jobId": job.jobId, "status": job.status} for name, job in jobs.items()},
                             {name: template.templateId for name, template in templates.items()}) if dry_run else None
    for name, value in stack_exports(outcomes, template_ids, pending).items():
        pulumi.export(name, value)
    report = failed_jobs_report(outcomes, None if dry_run else RUN_STARTED, fail_on_failed_jobs)
    if report.warning:
        # Failed in an earlier run, which said so: named again, while the rest of this run goes on.
        pulumi.log.warn(report.warning)
    if report.error:
        # The jobs are already recorded in state; failing the run makes the pipeline say so.
        raise pulumi.RunError(report.error)


pulumi.run(_run)
