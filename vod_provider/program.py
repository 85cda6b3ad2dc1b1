"""What the Pulumi program declares: the validated jobs of every spec file the stack's glob matches."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi.runtime
import pulumi.runtime.config

from vod_provider.api.settings import CONFIG_JOURNAL_DIR, CONFIG_JOURNAL_URL
from vod_provider.errors import VodjobsError
from vod_provider.safety.journal_location import describe_for_ci, journal_location, stack_backend_url
from vod_provider.spec.loader import SpecSet, find_spec_files, load_spec_files


class SpecsNotFoundError(VodjobsError):
    """The stack's spec glob matches no file (a typo would otherwise delete every job)."""


def stack_config() -> dict[str, Any]:
    """The whole stack config the language host gave the program: every key, namespaced (`vodjobs:endpoint`).

    The host passes it as PULUMI_CONFIG and loads it into the SDK's config map; pulumi.Config reads one key at a
    time and cannot list them, and an unknown key is only found by listing them all.
    """
    return {**pulumi.runtime.get_config_env(), **pulumi.runtime.config.CONFIG.get()}


def load_declared_jobs(pattern: str, project_dir: Path) -> SpecSet:
    """Load every spec file matching `pattern` (relative to the project); raise SpecError on any problem."""
    files = find_spec_files(pattern, project_dir)
    if not files:
        raise SpecsNotFoundError(
            f"no spec file matches {pattern!r} (stack config vodjobs:specs, relative to {project_dir}). "
            "To remove every job on purpose, keep one file containing `jobs: {}`."
        )
    return load_spec_files(files, project_dir)


def failed_job_message(name: str, job_id: str, code: str | None, message: str | None) -> str:
    return (
        f"job {name!r} ({job_id}) failed: {code or 'unknown error'}: {message or ''}. "
        "It stays recorded with its JobId and error; to run it again, bump `revision:` in its spec."
    )


@dataclass(frozen=True)
class JobOutcome:
    """What one job's resource resolved to; job_id is None while it is unknown (a preview of a new job)."""

    job_id: str | None
    status: str | None
    error_code: str | None
    error_message: str | None


def job_exports(outcomes: Mapping[str, JobOutcome], pending: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The stack outputs `jobIds` and `jobs`; a job whose JobId is not known yet exports `pending[name]`. Pure."""
    jobs: dict[str, Any] = {}
    for name, outcome in outcomes.items():
        jobs[name] = {"jobId": outcome.job_id, "status": outcome.status} if outcome.job_id is not None else pending[name]
    return {"jobIds": {name: entry["jobId"] for name, entry in jobs.items()}, "jobs": jobs}


def failed_jobs_message(outcomes: Mapping[str, JobOutcome]) -> str | None:
    """One paragraph per job that ended in failure, or None. Pure."""
    failed = [failed_job_message(name, o.job_id or "", o.error_code, o.error_message)
              for name, o in sorted(outcomes.items()) if o.status == "fail"]
    return "\n".join(failed) or None


def ci_journal_warning(get_config: Callable[[str], str | None], environ: Mapping[str, str], project_dir: Path) -> str | None:
    """The one warning an `up` on a CI runner (CI=true) gets when the stack's journal would die with that runner."""
    settings = {key: value for key in (CONFIG_JOURNAL_URL, CONFIG_JOURNAL_DIR) if (value := get_config(key))}
    try:
        location = journal_location(settings, stack_backend_url(project_dir, environ), project_dir)
    except VodjobsError:
        return None  # the provider reports the setting's problem itself, before any submit
    return describe_for_ci(location, environ)
