"""`vodjobs preview --no-state --base REV`: the spec changes of a pull request, for a runner that may not read the state.

A pull request from a fork gets no secrets: no state key, no passphrase, no AccessKey. This preview runs no Pulumi;
it loads the specs of the merge base of REV and HEAD (from `git archive`, into a temp directory) and those of the
working tree, with the same loader and the same stack glob, and compares them (spec_changes). The outcome carries a
StatelessBase, which the renderers turn into a "not verified against the stack's state" banner.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from vod_provider.cli.preview import PULUMI_FAILED, load_stack_specs
from vod_provider.cli.preview_plan import PreviewFailure, PreviewOutcome, StatelessBase
from vod_provider.cli.spec_changes import plan_spec_changes
from vod_provider.cli.stack_files import StackFileError, spec_glob
from vod_provider.errors import CliError
from vod_provider.program import SpecsNotFoundError, load_declared_jobs
from vod_provider.spec.loader import SpecError
from vod_provider.spec.model import SpecSet

STEP = "The spec comparison (`--no-state`)"
REASON = "no state was read, as for a pull request from a fork, which gets no secrets"


class GitError(CliError):
    """git could not name the merge base or read its tree."""


def preview_without_state(stack: str, project_dir: Path, base: str) -> PreviewOutcome:
    """The spec changes since the merge base of `base` and HEAD; never raises for a user's mistake."""
    head = load_stack_specs(stack, project_dir, STEP)
    if isinstance(head, PreviewOutcome):
        return head
    try:
        commit = _git(project_dir, "merge-base", base, "HEAD").decode().strip()
        with tempfile.TemporaryDirectory(prefix="vodjobs-base-") as checkout:
            before = _specs_at(commit, stack, project_dir, Path(checkout))
    except (GitError, SpecError, StackFileError) as exc:
        problem = f"the specs at the merge base of {base} and HEAD cannot be read: {exc}"
        return PreviewOutcome(stack, failure=PreviewFailure(PULUMI_FAILED, (problem,), STEP))
    return PreviewOutcome(stack, plan=plan_spec_changes(before, head), without_state=StatelessBase(commit, REASON))


def _specs_at(commit: str, stack: str, project_dir: Path, checkout: Path) -> SpecSet:
    """The stack's specs as committed at `commit` (none when its glob matched no file then, e.g. a new project)."""
    # Run in the project directory, `git archive` holds that directory's tree only: paths stay project-relative.
    archive = _git(project_dir, "archive", "--format=tar", commit)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(checkout, filter=_data_or_skipped)
    try:
        return load_declared_jobs(spec_glob(stack, checkout, required=False).pattern, checkout)
    except SpecsNotFoundError:
        return SpecSet((), ())


def _data_or_skipped(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, except that a member it refuses (a symlink leading out of the tree, a device) is left
    out instead of stopping the preview: nothing the specs may read lies outside the project (spec/loader.py)."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def _git(cwd: Path, *args: str) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if completed.returncode != 0:
        raise GitError(f"git {args[0]} failed: {completed.stderr.decode(errors='replace').strip()}")
    return completed.stdout
