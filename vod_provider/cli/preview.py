"""`vodjobs preview`: what `pulumi up` would do to the jobs, for a pull request's reviewers.

    vodjobs preview --stack prod [--format markdown|github|json] [--summary-file PATH]

Loads the stack's specs first, so invalid specs give file:line problems without running Pulumi;
then runs `pulumi preview --json --show-sames` and renders the plan (preview_plan, preview_render).
A preview takes no stack lock and, unless a job adopts a JobId, makes no API call.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml

from vod_provider.cli.exit_codes import ExitCode
from vod_provider.errors import CliError
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB

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
    parser.add_argument("--summary-file", type=Path, metavar="PATH", help="also write the Markdown summary to PATH (e.g. for a comment)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and not step_summary:
        print("vodjobs preview: --format github writes to $GITHUB_STEP_SUMMARY, which is not set (outside GitHub Actions "
              "use --format markdown, with --summary-file to keep a copy)", file=sys.stderr)
        return ExitCode.USAGE
    outcome = preview_stack(args.stack, Path.cwd())

    from vod_provider.cli.preview_render import render_github_annotations, render_json, render_markdown

    markdown = render_markdown(outcome)
    if args.summary_file is not None:
        args.summary_file.write_text(markdown, encoding="utf-8")
    if args.format == "github":
        assert step_summary is not None
        with open(step_summary, "a", encoding="utf-8") as summary:
            summary.write(markdown)
        out.write(render_github_annotations(outcome))
    else:
        out.write(render_json(outcome) if args.format == "json" else markdown)
    return ExitCode.OK if outcome.ok else ExitCode.FAILED


def preview_stack(stack: str, project_dir: Path) -> PreviewOutcome:
    """Check the stack's specs, then ask pulumi what an up would do; never raises for a user's mistake."""
    from vod_provider.cli.preview_plan import PreviewDigestError, PreviewFailure, PreviewOutcome, plan_preview
    from vod_provider.program import SpecsNotFoundError, load_declared_jobs
    from vod_provider.spec.loader import SpecError

    try:
        specs = load_declared_jobs(stack_spec_glob(project_dir, stack), project_dir)
    except SpecError as exc:
        return PreviewOutcome(stack, issues=tuple(exc.issues))
    except (SpecsNotFoundError, StackConfigError) as exc:
        return PreviewOutcome(stack, failure=PreviewFailure(PULUMI_FAILED, (str(exc),)))
    exit_code, digest, messages = _pulumi_preview(stack, project_dir)
    if exit_code != 0 or digest is None:
        return PreviewOutcome(stack, failure=PreviewFailure(exit_code or PULUMI_FAILED, messages))
    try:
        return PreviewOutcome(stack, plan=plan_preview(digest, specs))
    except PreviewDigestError as exc:
        return PreviewOutcome(stack, failure=PreviewFailure(PULUMI_FAILED, (str(exc),)))


class StackConfigError(CliError):
    """Pulumi.<stack>.yaml cannot be read, or its vodjobs:specs is not a glob."""


def stack_spec_glob(project_dir: Path, stack: str) -> str:
    """The stack's `vodjobs:specs` from Pulumi.<stack>.yaml, as the program reads it; the default when unset."""
    from vod_provider.api.settings import CONFIG_SPECS  # here: `vodjobs validate` imports this module, not the api

    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        return DEFAULT_SPEC_GLOB  # a stack without a config file uses every default, in the program too
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise StackConfigError(f"{path.name}: cannot read the stack's config: {exc}") from None
    config = document.get("config") if isinstance(document, dict) else None
    value = (config or {}).get(CONFIG_SPECS) if isinstance(config, dict) else None
    if value is None:
        return DEFAULT_SPEC_GLOB
    if not isinstance(value, str) or not value:
        raise StackConfigError(f"{path.name}: {CONFIG_SPECS} must be a glob such as 'specs/**/*.yaml', got {value!r}")
    return value


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

