"""What the Pulumi program declares: the validated jobs of every spec file the stack's glob matches."""

from __future__ import annotations

from pathlib import Path

from vod_provider.spec import SpecSet, find_spec_files, load_spec_files


class SpecsNotFoundError(Exception):
    """The stack's spec glob matches no file (a typo would otherwise delete every job)."""


def load_declared_jobs(pattern: str, project_dir: Path) -> SpecSet:
    """Load every spec file matching `pattern` (relative to the project); raise SpecError on any problem."""
    files = find_spec_files(pattern, project_dir)
    if not files:
        raise SpecsNotFoundError(
            f"no spec file matches {pattern!r} (stack config vodjobs:specs, relative to {project_dir}). "
            "To remove every job on purpose, keep one file containing `jobs: {}`."
        )
    return load_spec_files(files, project_dir)


class JobFailedError(Exception):
    """A job the program waited for ended in failure (it stays recorded with its JobId)."""


def failed_job_message(name: str, job_id: str, code: str | None, message: str | None) -> str:
    return (
        f"job {name!r} ({job_id}) failed: {code or 'unknown error'}: {message or ''}. "
        "It stays recorded with its JobId and error; to run it again, bump `revision:` in its spec."
    )
