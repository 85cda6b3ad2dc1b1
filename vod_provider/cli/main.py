"""The `vodjobs` console command: one subcommand per task, for people, pre-commit and CI.

    vodjobs validate [PATHS ... | --stack S | --all-stacks] [--format text|json|github]
    vodjobs status [--stack S] [--json]
    vodjobs recover [--stack S] [--settle-seconds N] [--up]
    vodjobs journal [list | forget KEY] [--stack S]
    vodjobs preview --stack STACK [--format markdown|github|json] [--summary-file PATH] [--full-summary-file PATH]
                    [--no-state --base REV]
    vodjobs discover [--videos FILE] [VIDEO_ID ...] [--template-id ID] [--set NAME] [--out PATH] [--force] [--stack S]
    vodjobs --debug COMMAND ...      (or PULUMI_DEBUG=1) the Python traceback behind an error, after its message

A subcommand is a module of this package with `add_arguments(parser)` and `run(args, out) -> ExitCode`. Only the
module of the subcommand being run is imported (the one-line help of the others comes from COMMANDS), so
`vodjobs validate` (run by pre-commit) needs PyYAML and nothing else, and never loads `requests`.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TextIO

from vod_provider.cli.exit_codes import ExitCode
from vod_provider.errors import VodjobsError, traceback_wanted


@dataclass(frozen=True)
class Command:
    name: str
    module: str  # a module of vod_provider.cli
    help: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"vod_provider.cli.{self.module}")


COMMANDS = (
    Command("validate", "validate", "check spec files: exit 0 when valid, 1 with every problem listed"),
    Command("status", "status", "where the stack's jobs stand now (GetAIImageJobs, 10 per call); changes nothing"),
    Command("recover", "recover", "after a crashed run: finish or resolve in-flight submits, remove a stale lock, optionally up"),
    Command("journal", "journal", "list the submissions in doubt, or forget one you have checked never ran"),
    Command("preview", "preview", "show what `pulumi up` would submit, replace and forget, for a pull request (Markdown, GitHub, JSON)"),
    Command("discover", "discover", "onboarding: write a spec that adopts the jobs videos already have (submits nothing)"),
)

DEBUG_HELP = "print the Python traceback behind an error, after its message (as PULUMI_DEBUG=1 does)"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run `vodjobs ARGS`; returns the exit code (vod_provider.cli.exit_codes.ExitCode)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The subcommand is the first word that is not an option; only its module is imported.
    chosen = next((word for word in arguments if not word.startswith("-")), None)
    parser = build_parser(chosen)
    names = [c.name for c in COMMANDS]
    if chosen is not None and chosen not in names:
        nearest = difflib.get_close_matches(chosen, names, n=1)
        parser.error(f"unknown command {chosen}" + (f" (did you mean {nearest[0]}?)" if nearest else "")
                     + f"; the commands are {', '.join(names)}")
    args, unknown = parser.parse_known_args(arguments)
    if unknown:
        sub = _subparser(parser, chosen) or parser  # its usage is the one that helps
        sub.error(unknown_arguments_message(unknown, _option_strings(parser, chosen)))
    command: Command = args.command
    try:
        return int(command.load().run(args, out or sys.stdout))
    except BrokenPipeError:
        # The reader stopped reading (`vodjobs validate | head`): not a failure to report. Later writes (the
        # interpreter's flush at exit) go nowhere instead of raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.OK
    except (VodjobsError, OSError) as error:
        # What the user can cause or meet (a stack, setting, credential, API or file problem) is a message; a bug
        # keeps its traceback. `--debug` or PULUMI_DEBUG=1 prints the traceback behind the message too.
        if args.debug or traceback_wanted(os.environ):
            traceback.print_exc(file=sys.stderr)
        sys.stderr.write(f"vodjobs {command.name}: {error_message(error)}\n")
        return ExitCode.ERROR


def error_message(error: BaseException) -> str:
    """One paragraph for the user: our errors' own words; an OSError's, which name the file, without its errno."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    return str(error).strip()


def unknown_arguments_message(unknown: Sequence[str], options: Sequence[str]) -> str:
    """E.g. "unknown option --no-stat (did you mean --no-state?)"; argparse alone names no nearest option."""
    described = []
    for word in unknown:
        nearest = difflib.get_close_matches(word.split("=", 1)[0], options, n=1, cutoff=0.6)
        kind = "option" if word.startswith("-") else "argument"
        described.append(f"unknown {kind} {word}" + (f" (did you mean {nearest[0]}?)" if nearest else ""))
    return "; ".join(described)


def _subparser(parser: argparse.ArgumentParser, chosen: str | None) -> argparse.ArgumentParser | None:
    for action in parser._actions:  # argparse keeps its subparsers there and nowhere public
        if isinstance(action, argparse._SubParsersAction) and chosen in action.choices:
            sub: argparse.ArgumentParser = action.choices[chosen]
            return sub
    return None


def _option_strings(parser: argparse.ArgumentParser, chosen: str | None) -> list[str]:
    parsers = [parser, *filter(None, [_subparser(parser, chosen)])]
    return [option for p in parsers for action in p._actions for option in action.option_strings if option.startswith("--")]


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the `chosen` subcommand's arguments are added (that is what imports its module)."""
    # No abbreviations: a mistyped option is an error naming the nearest, never a guess at which one was meant.
    parser = argparse.ArgumentParser(prog="vodjobs", description="Image-AI jobs of Alibaba Cloud VOD, declared in YAML.",
                                     allow_abbrev=False)
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    # Also after the subcommand (`vodjobs status --debug`); SUPPRESS leaves the top level's value when it is absent.
    debug_option = argparse.ArgumentParser(add_help=False)
    debug_option.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    subparsers = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help, parents=[debug_option],
                                    allow_abbrev=False)
        if command.name == chosen:
            command.load().add_arguments(sub)
        sub.set_defaults(command=command)
    return parser
