"""The exit codes of every `vodjobs` command, in one place (README "The vodjobs command" lists them)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a `vodjobs` command's exit status means; the same number means the same thing in every subcommand."""

    OK = 0
    # The command did its work and the answer is "no": invalid specs (validate, preview), a failed or unknown job
    # (status), a preview pulumi could not make. A pipeline stops here; the output says what to fix.
    FAILED = 1
    # The command line is wrong (argparse's own status), or an option does not fit where it runs.
    USAGE = 2
    # The command could not do its work: the stack, its config, its credentials or the API was not usable.
    ERROR = 3
    # `recover` and `journal forget` would not act, because acting could run a job twice or break a live run.
    REFUSED = 4
