"""What the Pulumi program declares (the validated jobs of the stack's spec files) and says about them (exports, failures)."""

from __future__ import annotations

import calendar
import os
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime
import pulumi.runtime.config

from vod_provider.api.models import MAX_JOB_IDS_PER_QUERY
from vod_provider.api.settings import CONFIG_JOURNAL_DIR, CONFIG_JOURNAL_URL
from vod_provider.errors import VodjobsError, traceback_wanted
from vod_provider.safety.journal_location import describe_for_ci, journal_location, stack_backend_url
from vod_provider.spec.loader import SpecSet, find_spec_files, load_spec_files
from vod_provider.spec.model import JobSpec

# Stack config `vodjobs:failOnFailedJobs` (default false): `pulumi up` fails while the stack holds a failed job.
CONFIG_FAIL_ON_FAILED_JOBS = "failOnFailedJobs"
RERUN_ADVICE = "to run it again, bump `revision:` in its spec"


class SpecsNotFoundError(VodjobsError):
    """The stack's spec glob matches no file (a typo would otherwise delete every job)."""


def stack_config() -> dict[str, Any]:
    """The whole stack config the language host gave the program: every key, namespaced (`vodjobs:endpoint`).

    The host passes it as PULUMI_CONFIG and loads it into the SDK's config map; pulumi.Config reads one key at a
    time and cannot list them, and an unknown key is only found by listing them all.
    """
    return {**pulumi.runtime.get_config_env(), **pulumi.runtime.config.CONFIG.get()}


def run_error(error: VodjobsError, environ: Mapping[str, str] = os.environ) -> pulumi.RunError:
    """What the program raises for one of our errors while it is being handled: Pulumi prints a RunError as its
    message alone (any other exception as a traceback). The traceback goes out as a debug diagnostic, which
    `pulumi up --debug` shows, and into the message itself with PULUMI_DEBUG=1."""
    frames = traceback.format_exc()
    pulumi.log.debug(frames)
    message = str(error).strip()
    return pulumi.RunError(f"{message}\n{frames}" if traceback_wanted(environ) else message)


def load_declared_jobs(pattern: str, project_dir: Path) -> SpecSet:
    """Load every spec file matching `pattern` (relative to the project); raise SpecError on any problem."""
    files = find_spec_files(pattern, project_dir)
    if not files:
        raise SpecsNotFoundError(
            f"no spec file matches {pattern!r} (stack config vodjobs:specs, relative to {project_dir}). "
            "To remove every job on purpose, keep one file containing `jobs: {}`."
        )
    return load_spec_files(files, project_dir)


def failed_job_message(name: str, job_id: str, code: str | None, message: str | None, earlier: bool = False) -> str:
    when = " in an earlier run" if earlier else ""
    error = f"{code or 'unknown error'}: {message}" if message else code or "unknown error"
    return (
        f"job {name!r} ({job_id}) failed{when}: {error.rstrip('.')}. "
        f"It stays recorded with its JobId and error and is not run again; {RERUN_ADVICE}."
    )


@dataclass(frozen=True)
class JobOutcome:
    """What one job's resource resolved to; job_id is None while it is unknown (a preview of a new job)."""

    job_id: str | None
    status: str | None
    error_code: str | None
    error_message: str | None
    submitted_at: str | None = None  # output submittedAt: when this run or an earlier one submitted (or adopted) it


@dataclass(frozen=True)
class PendingOutputs:
    """In a preview, what to export for a job (`{"jobId", "status"}`) or template id not known yet: their Outputs."""

    jobs: Mapping[str, Any]
    templates: Mapping[str, Any]


def stack_exports(outcomes: Mapping[str, JobOutcome], template_ids: Mapping[str, str | None],
                  pending: PendingOutputs | None) -> dict[str, dict[str, Any]]:
    """The stack outputs `jobIds`, `jobs` and `templateIds`. Pure.

    A job or template not created yet exports what is pending in a preview (shown as unknown), and is left out in an
    up (`pending` None); a job whose JobId is known while its status is not (a renamed job, an update in a preview)
    exports its JobId and a pending status: there only `up --target` leaves one uncreated, and its value would be stored as the
    engine's unknown placeholder, a UUID that looks like a real value.
    """
    recorded = {name: {"jobId": o.job_id, "status": o.status if o.status is not None or pending is None else pending.jobs[name]["status"]}
                if o.job_id is not None else None for name, o in outcomes.items()}
    jobs = _known_or_pending(recorded, pending.jobs if pending else None)
    templates = _known_or_pending(template_ids, pending.templates if pending else None)
    return {"jobIds": {name: entry["jobId"] for name, entry in jobs.items()}, "jobs": jobs, "templateIds": templates}


def _known_or_pending(values: Mapping[str, Any], pending: Mapping[str, Any] | None) -> dict[str, Any]:
    """Each known value; an unknown one (None) is `pending[name]`, or left out without `pending`."""
    return {name: pending[name] if value is None and pending is not None else value
            for name, value in values.items() if value is not None or pending is not None}


@dataclass(frozen=True)
class FailedJobsReport:
    """What a run says about its failed jobs: `error` fails the run, `warning` is shown and the run goes on."""

    error: str | None = None
    warning: str | None = None


def failed_jobs_report(outcomes: Mapping[str, JobOutcome], run_started: float | None, fail_on_failed_jobs: bool = False) -> FailedJobsReport:
    """A job that failed in this run fails it; one that failed earlier is a warning, unless `fail_on_failed_jobs`. Pure.

    `run_started` is when this run's program started (epoch seconds), None in a preview, which submits nothing and
    so always goes on. A job failed in this run when it was submitted (output submittedAt, whole seconds, from the
    same machine's clock) after the program started. `fail_on_failed_jobs` (vodjobs:failOnFailedJobs) fails every
    run that is not a preview: `up`, and `refresh`/`destroy --run-program`, which Pulumi does not tell apart from it.
    """
    failed = sorted(name for name, outcome in outcomes.items() if outcome.status == "fail")
    if run_started is None:
        return FailedJobsReport(warning=_paragraphs(outcomes, failed, earlier=failed))
    new = [name for name in failed if _submitted_since(outcomes[name], run_started)]
    earlier = [name for name in failed if name not in new]
    if not fail_on_failed_jobs:
        return FailedJobsReport(error=_paragraphs(outcomes, new, earlier), warning=_paragraphs(outcomes, earlier, earlier))
    error = _paragraphs(outcomes, failed, earlier)
    if earlier:
        error = f"{error}\n(stack config vodjobs:{CONFIG_FAIL_ON_FAILED_JOBS} is true: `pulumi up` fails while the stack holds a failed job)"
    return FailedJobsReport(error=error)


def _paragraphs(outcomes: Mapping[str, JobOutcome], names: list[str], earlier: list[str]) -> str | None:
    """One paragraph per named job, or None when there is none."""
    return "\n".join(failed_job_message(name, outcomes[name].job_id or "", outcomes[name].error_code,
                                        outcomes[name].error_message, earlier=name in earlier) for name in names) or None


def _submitted_since(outcome: JobOutcome, run_started: float) -> bool:
    try:
        submitted = calendar.timegm(time.strptime(outcome.submitted_at or "", "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return False  # no time recorded: not this run's doing
    return submitted >= int(run_started)  # submittedAt is truncated to the second


def ci_journal_warning(get_config: Callable[[str], str | None], environ: Mapping[str, str], project_dir: Path) -> str | None:
    """The one warning an `up` on a CI runner (CI=true) gets when the stack's journal would die with that runner."""
    settings = {key: value for key in (CONFIG_JOURNAL_URL, CONFIG_JOURNAL_DIR) if (value := get_config(key))}
    try:
        location = journal_location(settings, stack_backend_url(project_dir, environ), project_dir)
    except VodjobsError:
        return None  # the provider reports the setting's problem itself, before any submit
    return describe_for_ci(location, environ)


def adoption_batches(jobs: Sequence[JobSpec], size: int = MAX_JOB_IDS_PER_QUERY) -> dict[str, tuple[str, ...]]:
    """For each adopting job, by name, the JobIds its batch adopts: the adopting jobs in declaration order, `size` at a
    time. What resources.ADOPTION_BATCH carries to the provider's check, where the first check of a batch reads the
    whole batch in one GetAIImageJobs call, whichever of its jobs the engine checks first. Pure."""
    adopting = [job for job in jobs if job.adopt]
    batches = [adopting[start:start + size] for start in range(0, len(adopting), size)]
    return {job.name: tuple(str(one.adopt) for one in batch) for batch in batches for job in batch}
