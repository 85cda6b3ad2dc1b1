"""The `vodjobs` console command: one subcommand per task, for people, pre-commit and CI.

    vodjobs validate [PATHS ...] [--format text|json|github]
    vodjobs status [--stack S] [--json]
    vodjobs recover [--stack S] [--settle-seconds N] [--up]
    vodjobs journal [list | forget KEY] [--stack S]
    vodjobs preview --stack STACK [--format markdown|github|json] [--summary-file PATH]

A subcommand is a `_Command` in COMMANDS: a function that adds its arguments
and one that runs it and returns the exit code. Each imports what it needs
itself, so that `validate` (run by pre-commit) needs PyYAML and nothing else.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from vod_provider.cli import preview as cli_preview
from vod_provider.cli import recover as cli_recover
from vod_provider.cli import status as cli_status
from vod_provider.spec.loader import DEFAULT_SPEC_GLOB, SpecError, SpecIssue, SpecSet, display_path, find_spec_files, load_spec_files

EXIT_OK, EXIT_INVALID = 0, 1  # argparse exits 2 on a usage error


@dataclass(frozen=True)
class _Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO], int]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run `vodjobs ARGS`; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command: _Command = args.command
    return command.run(args, out or sys.stdout)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vodjobs", description="Image-AI jobs of Alibaba Cloud VOD, declared in YAML.")
    subparsers = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(command=command)
    return parser


# -- validate --------------------------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"spec files, directories (every *.yaml below) or globs, checked as one set; default {DEFAULT_SPEC_GLOB}")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text for people, json for machines, github for GitHub Actions annotations")


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    root = Path.cwd()
    files, issues = collect_spec_files(args.paths or [DEFAULT_SPEC_GLOB], root)
    loaded: SpecSet | None = None
    if not issues:
        try:
            loaded = load_spec_files(files, root)
        except SpecError as exc:
            issues = exc.issues
    shown = sorted({display_path(f, root) for f in files})
    _REPORTERS[args.format](out, shown, loaded, sorted(issues))
    return EXIT_OK if loaded is not None else EXIT_INVALID


def collect_spec_files(patterns: Sequence[str], root: Path) -> tuple[list[Path], list[SpecIssue]]:
    """The files PATHS name (a file, a directory's *.yaml, or a glob), deduplicated; and the PATHS naming nothing."""
    found: dict[Path, Path] = {}
    issues: list[SpecIssue] = []
    for pattern in patterns:
        path = root / pattern
        if glob.has_magic(pattern):
            matches = find_spec_files(pattern, root)
        elif path.is_dir():
            matches = find_spec_files(str(Path(pattern) / "**" / "*.yaml"), root)
        else:
            matches = [Path(pattern)] if path.is_file() else []
        if not matches:
            issues.append(SpecIssue(pattern, 1, 1, "(file)", "no-files", "no spec file matches this path"))
        for match in matches:
            found.setdefault(match.resolve(), match)
    return sorted(found.values()), issues


def _summary(files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> str:
    if loaded is None:
        return f"invalid: {_count(issues, 'problem')} in the job specs; fix every one (nothing is submitted until then)"
    return f"valid: {_count(loaded.jobs, 'job')} and {_count(loaded.templates, 'template')} in {_count(files, 'file')}"


def _report_text(out: TextIO, files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> None:
    for issue in issues:
        print(issue, file=out)
    print(_summary(files, loaded, issues), file=out)


def _report_json(out: TextIO, files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> None:
    document = {
        "valid": loaded is not None,
        "files": files,
        "jobs": [job.name for job in loaded.jobs] if loaded else [],
        "templates": [t.name for t in loaded.templates] if loaded else [],
        "issues": [asdict(issue) for issue in issues],
    }
    print(json.dumps(document, indent=2, ensure_ascii=False), file=out)


def _report_github(out: TextIO, files: list[str], loaded: SpecSet | None, issues: list[SpecIssue]) -> None:
    """Workflow commands: one `::error` per issue, shown on the spec file's line in the pull request."""
    for issue in issues:
        properties = {"file": issue.file, "line": str(issue.line), "col": str(issue.column),
                      "title": f"{issue.field} [{issue.code}]"}
        rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        print(f"::error {rendered}::{_escape_data(issue.message)}", file=out)
    print(_summary(files, loaded, issues), file=out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


_REPORTERS: dict[str, Callable[[TextIO, list[str], SpecSet | None, list[SpecIssue]], None]] = {
    "text": _report_text,
    "json": _report_json,
    "github": _report_github,
}

COMMANDS = (
    _Command("validate", "check spec files: exit 0 when valid, 1 with every problem listed", _validate_arguments, _validate),
    _Command("status", "where the stack's jobs stand now (GetAIImageJobs, 10 per call); changes nothing",
             cli_status.add_arguments, cli_status.run),
    _Command("recover", "after a crashed run: finish or resolve in-flight submits, remove a stale lock, optionally up",
             cli_recover.add_recover_arguments, cli_recover.run_recover),
    _Command("journal", "list the submissions in doubt, or forget one you have checked never ran",
             cli_recover.add_journal_arguments, cli_recover.run_journal),
    _Command("preview", cli_preview.HELP, cli_preview.add_arguments, cli_preview.run),
)


if __name__ == "__main__":
    sys.exit(main())
