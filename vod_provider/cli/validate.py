"""`vodjobs validate`: check spec files as one set, without Pulumi; every problem with file:line:column.

    vodjobs validate [PATHS ... | --stack S | --all-stacks] [--format text|json|github]

`--stack S` checks the files stack S reads (its `vodjobs:specs` in Pulumi.S.yaml); `--all-stacks` checks each
committed stack's set in turn, as the pre-commit hook does, and fails if any set is invalid (with no stack file
committed, the project's default set).

The pre-commit hook runs this with PyYAML alone installed: import nothing here that needs more.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.github import spec_issue_lines
from vod_provider.cli.stack_files import SpecGlob, StackFileError, project_spec_glob, spec_glob, stack_names
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB, SpecError, SpecIssue, SpecSet, display_path, find_spec_files, load_spec_files
from vod_provider.wording import counted


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"spec files, directories (every *.yaml and *.yml below) or globs, checked as one set; default {DEFAULT_SPEC_GLOB}")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--stack", help="check the spec files this stack reads (vodjobs:specs in Pulumi.<stack>.yaml)")
    which.add_argument("--all-stacks", action="store_true",
                       help="check every committed stack's spec files (Pulumi.*.yaml), each as its own set")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text for people, json for machines, github for GitHub Actions annotations")


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = Path.cwd()
    if (args.stack or args.all_stacks) and args.paths:
        print("vodjobs validate: error: give PATHS or --stack/--all-stacks, not both", file=sys.stderr)
        return ExitCode.USAGE
    try:
        sets = _stack_sets(args, root)
    except StackFileError as exc:
        print(f"vodjobs validate: error: {exc}", file=sys.stderr)
        return ExitCode.ERROR  # as `vodjobs status` for a stack the backend does not have
    if sets is None:
        return _validate(args.paths or [DEFAULT_SPEC_GLOB], args.format, root, out)
    codes = []
    for stack, specs_glob in sets:
        if args.format != "json":
            print(f"stack {stack} ({specs_glob.pattern}):", file=out)
        codes.append(_validate([specs_glob.pattern], args.format, root, out, specs_glob))
    return max(codes, default=ExitCode.OK)


def _stack_sets(args: argparse.Namespace, root: Path) -> list[tuple[str, SpecGlob]] | None:
    """(stack, glob) for each stack to check, or None when PATHS (or the default glob) are checked instead."""
    if args.stack:
        return [(args.stack, spec_glob(args.stack, root))]
    if args.all_stacks:
        # A project whose stack settings are not committed still has the default set: check that one.
        return ([(stack, spec_glob(stack, root)) for stack in stack_names(root)]
                or [("(default)", SpecGlob(project_spec_glob(root), "Pulumi.yaml"))])
    return None


def _validate(patterns: Sequence[str], output_format: str, root: Path, out: TextIO, specs_glob: SpecGlob | None = None) -> int:
    files, issues = collect_spec_files(patterns, root)
    if specs_glob is not None and not files:
        issues = [specs_glob.no_files_issue()]  # where the stack's glob was set, as `vodjobs preview` says it
    loaded: SpecSet | None = None
    if not issues:
        try:
            loaded = load_spec_files(files, root)
        except SpecError as exc:
            issues = exc.issues
    # A YAML file that a job set names as its items is not a spec file of the set.
    shown = list(loaded.files) if loaded is not None else sorted({display_path(f, root) for f in files})
    _REPORTERS[output_format](out, shown, loaded, sorted(issues))
    return ExitCode.OK if loaded is not None else ExitCode.FAILED


def collect_spec_files(patterns: Sequence[str], root: Path) -> tuple[list[Path], list[SpecIssue]]:
    """The files PATHS name (a file, a directory's *.yaml/*.yml, or a glob), deduplicated; and the PATHS naming nothing."""
    found: dict[Path, Path] = {}
    issues: list[SpecIssue] = []
    for pattern in patterns:
        path = root / pattern
        try:
            if glob.has_magic(pattern):
                matches = find_spec_files(pattern, root)
            elif path.is_dir():
                matches = find_spec_files(str(Path(pattern) / "**" / "*.{yaml,yml}"), root)
            else:
                matches = [Path(pattern)] if path.is_file() else []
        except SpecError as exc:  # a symlinked folder the glob does not walk into
            issues += exc.issues
            continue
        if not matches:
            issues.append(SpecIssue(pattern, 1, 1, "(file)", "no-files", "no spec file matches this path"))
        for match in matches:
            found.setdefault(match.resolve(), match)
    return sorted(found.values()), issues


def _summary(files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> str:
    if loaded is None:
        return f"invalid: {counted(len(issues), 'problem')} in the job specs; fix every one (nothing is submitted until then)"
    return f"valid: {counted(len(loaded.jobs), 'job')} and {counted(len(loaded.templates), 'template')} in {counted(len(files), 'file')}"


def _job_set_lines(loaded: SpecSet | None) -> list[str]:
    """One line per job set: its name, where it is declared, where its items come from, and its job count."""
    return [f"  job set {s.name} ({s.file}:{s.line}{', items ' + s.items_file if s.items_file else ''}): {counted(s.jobs, 'job')}"
            for s in (loaded.job_sets if loaded else ())]


def _report_text(out: TextIO, files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> None:
    for issue in issues:
        print(issue, file=out)
    print(_summary(files, loaded, issues), file=out)
    for line in _job_set_lines(loaded):
        print(line, file=out)


def _report_json(out: TextIO, files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> None:
    document = {
        "valid": loaded is not None,
        "files": files,
        "jobs": [job.name for job in loaded.jobs] if loaded else [],
        "templates": [t.name for t in loaded.templates] if loaded else [],
        "jobSets": {s.name: {"file": s.file, "line": s.line, "items": s.items_file, "jobs": s.jobs} for s in loaded.job_sets}
        if loaded else {},
        "issues": [asdict(issue) for issue in issues],
    }
    print(json.dumps(document, indent=2, ensure_ascii=False), file=out)


def _report_github(out: TextIO, files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> None:
    """Workflow commands: one `::error` per issue, shown on the spec file's line in the pull request."""
    for line in spec_issue_lines(issues):
        print(line, file=out)
    print(_summary(files, loaded, issues), file=out)
    for line in _job_set_lines(loaded):
        print(line, file=out)


_REPORTERS: dict[str, Callable[[TextIO, list[str], SpecSet | None, list[SpecIssue]], None]] = {
    "text": _report_text,
    "json": _report_json,
    "github": _report_github,
}
