"""`vodjobs preview`: what `pulumi up` would do to the jobs, for a pull request's reviewers.

    vodjobs preview --stack prod [--format markdown|github|json] [--summary-file PATH [--summary-limit BYTES]]
                    [--full-summary-file PATH] [--no-state --base REV]

Loads the stack's specs first, so invalid specs give file:line problems without running Pulumi;
then runs `pulumi preview --json --show-sames` and renders the plan (preview_plan, preview_render).
A preview takes no stack lock and writes nothing to the state's bucket; unless a job adopts a JobId,
it makes no API call, and with no AccessKey at all such a job is shown as not verified.

--summary-file is the pull request comment: cut to --summary-limit bytes (GitHub's comment limit by
default) with its totals intact, pointing at --full-summary-file (every row) for the rest.

--no-state is for a runner that may not read the state (a pull request from a fork gets no secrets):
no Pulumi at all, the specs at the merge base of REV and HEAD against the working tree (spec_changes),
under a banner saying it is not verified against the state.

Only the standard library and the spec loader are imported at module level: `vodjobs validate`
(the pre-commit hook, PyYAML only) imports this module too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.stack_files import StackFileError, spec_glob

if TYPE_CHECKING:
    from vod_provider.cli.preview_plan import PreviewOutcome

# What a failed preview reports as pulumi's exit status when pulumi itself never ran or printed no digest.
PULUMI_FAILED = 1
# The AWS SDK inside pulumi warns on every read from an S3-compatible store that sends no checksum.
_SDK_NOISE = re.compile(r"^SDK \d{4}/\d{2}/\d{2} \S+ WARN ")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="the stack to preview, e.g. prod (its Pulumi.<stack>.yaml sets the spec glob)")
    parser.add_argument("--format", choices=("markdown", "github", "json"), default="markdown",
                        help="markdown for a comment; github writes it to $GITHUB_STEP_SUMMARY and prints annotations; json for machines")
    parser.add_argument("--summary-file", type=Path, metavar="PATH",
                        help="also write the Markdown summary to PATH for a comment, cut to --summary-limit bytes")
    parser.add_argument("--summary-limit", type=_positive, default=COMMENT_LIMIT, metavar="BYTES",
                        help=f"the most --summary-file may hold (default {COMMENT_LIMIT}: a GitHub comment)")
    parser.add_argument("--full-summary-file", type=Path, metavar="PATH",
                        help="also write the whole summary to PATH, every row (upload it as a job artifact)")
    parser.add_argument("--no-state", action="store_true",
                        help="do not read the state (no Pulumi): the spec changes since the merge base with --base")
    parser.add_argument("--base", metavar="REV", help="with --no-state: the pull request's base branch or commit")


# GitHub refuses a comment over 65,536 characters and a step summary over 1 MiB (sizes kept in UTF-8 bytes: never
# fewer than the characters).
COMMENT_LIMIT = 65_536
STEP_SUMMARY_LIMIT = 1_048_576


def _positive(text: str) -> int:
    value = int(text)
    if value < 1_000:
        raise argparse.ArgumentTypeError(f"at least 1000 bytes, got {value}")
    return value


def run(args: argparse.Namespace, out: TextIO) -> int:
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and not step_summary:
        print("vodjobs preview: --format github writes to $GITHUB_STEP_SUMMARY, which is not set (outside GitHub Actions "
              "use --format markdown, with --summary-file to keep a copy)", file=sys.stderr)
        return ExitCode.USAGE
    if args.no_state != (args.base is not None):
        print("vodjobs preview: --no-state and --base REV go together (the specs at the merge base of REV and HEAD are "
              "the starting point when the state cannot be read)", file=sys.stderr)
        return ExitCode.USAGE
    if args.no_state:
        from vod_provider.cli.preview_stateless import preview_without_state

        outcome = preview_without_state(args.stack, Path.cwd(), args.base)
    else:
        outcome = preview_stack(args.stack, Path.cwd())

    from vod_provider.cli.preview_render import render_github_annotations, render_json, render_markdown

    markdown = render_markdown(outcome)
    if args.full_summary_file is not None:
        args.full_summary_file.write_text(markdown, encoding="utf-8")
    if args.summary_file is not None:
        where = full_summary_pointer(args.full_summary_file, os.environ)
        args.summary_file.write_text(render_markdown(outcome, args.summary_limit, where), encoding="utf-8")
    if args.format == "github":
        assert step_summary is not None
        with open(step_summary, "a", encoding="utf-8") as summary:
            summary.write(render_markdown(outcome, STEP_SUMMARY_LIMIT, full_summary_pointer(args.full_summary_file, os.environ)))
        out.write(render_github_annotations(outcome))
    else:
        out.write(render_json(outcome) if args.format == "json" else markdown)
    return ExitCode.OK if outcome.ok else ExitCode.FAILED


def full_summary_pointer(path: Path | None, environ: Mapping[str, str]) -> str:
    """Where a cut summary sends its reader: the artifact holding the whole one, linked when the CI run is known."""
    from vod_provider.cli.preview_render import FULL_SUMMARY_ELSEWHERE

    if path is None:
        return FULL_SUMMARY_ELSEWHERE
    name = f"`{path.name}` in the artifacts"
    if environ.get("GITHUB_RUN_ID") and environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"[{name} of this run]({server}/{environ['GITHUB_REPOSITORY']}/actions/runs/{environ['GITHUB_RUN_ID']})"
    if environ.get("CI_JOB_URL"):
        return f"[{name} of this job]({environ['CI_JOB_URL']}/artifacts/browse)"
    return name


def preview_stack(stack: str, project_dir: Path) -> PreviewOutcome:
    """Check the stack's specs, then ask pulumi what an up would do.

    Raises StackReadError (exit 3) for a stack the backend does not have; any other mistake is in the outcome.
    """
    from vod_provider.cli.preview_plan import PreviewDigestError, PreviewFailure, PreviewOutcome, plan_preview
    from vod_provider.program import SpecsNotFoundError, load_declared_jobs
    from vod_provider.spec.loader import SpecError

    try:
        specs_glob = spec_glob(stack, project_dir, required=False)
        specs = load_declared_jobs(specs_glob.pattern, project_dir)
    except SpecError as exc:
        return PreviewOutcome(stack, issues=tuple(exc.issues))
    except SpecsNotFoundError:
        return PreviewOutcome(stack, issues=(specs_glob.no_files_issue(),))
    except StackFileError as exc:
        return PreviewOutcome(stack, failure=PreviewFailure(PULUMI_FAILED, (str(exc),)))
    from vod_provider.cli.stack_reader import require_stack

    require_stack(stack, project_dir)  # a mistyped stack is an error, not a failed preview
    exit_code, digest, messages = _pulumi_preview(stack, project_dir)
    if exit_code != 0 or digest is None:
        return PreviewOutcome(stack, failure=PreviewFailure(exit_code or PULUMI_FAILED, messages))
    try:
        return PreviewOutcome(stack, plan=plan_preview(digest, specs))
    except PreviewDigestError as exc:
        return PreviewOutcome(stack, failure=PreviewFailure(PULUMI_FAILED, (str(exc),)))


def _pulumi_preview(stack: str, project_dir: Path) -> tuple[int, dict[str, Any] | None, tuple[str, ...]]:
    """Exit code, the digest when there is one, and pulumi's error messages."""
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        return PULUMI_FAILED, None, ("the pulumi CLI is not on PATH: run `make setup`, then put .venv/bin first on PATH",)
    completed = subprocess.run([pulumi, "preview", "--json", "--show-sames", "--non-interactive", "--stack", stack],
                               cwd=project_dir, capture_output=True, text=True, check=False)
    digest: dict[str, Any] | None
    try:
        digest = json.loads(completed.stdout)
    except ValueError:
        digest = None
    errors = [str(d.get("message", "")).removeprefix("error: ").strip()
              for d in (digest or {}).get("diagnostics", []) if d.get("severity") == "error"]
    if not errors:
        errors = [line.removeprefix("error: ") for line in completed.stderr.splitlines() if line.strip() and not _SDK_NOISE.match(line)]
    if digest is None and not errors:
        errors = [f"pulumi preview exited {completed.returncode} without printing its JSON digest"]
    return completed.returncode, digest, tuple(errors)

