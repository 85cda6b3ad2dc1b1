"""`vodjobs journal`: the submissions in doubt of a stack, and forgetting one that was checked never to have run.

    vodjobs journal [list] [--stack S] [--json]
    vodjobs journal forget KEY [--stack S]
    vodjobs journal where [--stack S]      where the stack's journal lives; exit 0 if that outlives the runner, else 1
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.recover import backend_url, project_name
from vod_provider.cli.stack_reader import stack_config, stack_name
from vod_provider.errors import VodjobsError
from vod_provider.safety.journal import unresolved_submissions
from vod_provider.safety.journal_location import journal_location
from vod_provider.safety.stores import open_journal


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=("list", "forget", "where"), default="list",
                        help="list: submissions in doubt; forget KEY: one checked never to have run; where: the journal's "
                             "location (exit 0 when it outlives the runner, as `make ci-up` asks)")
    parser.add_argument("key", nargs="?", help="for forget: the job key <project>/<stack>/<job> the entry names")
    parser.add_argument("--stack", "-s", help="the stack (default: the selected stack)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: here)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace, out: TextIO) -> int:
    cwd: Path = args.cwd.resolve()
    try:
        project, stack = project_name(cwd), stack_name(args.stack, cwd)
        # The stack's own journalDir / journalUrl, or beside an s3:// state: where its provider writes.
        location = journal_location(stack_config(stack, cwd), backend_url(cwd), cwd)
        if args.action == "where":
            out.write(f"{location.describe()} ({'durable: it outlives this runner' if location.durable else 'local: it dies with this machine'})\n")
            return ExitCode.OK if location.durable else ExitCode.FAILED
        journal = open_journal(location)
        in_doubt = unresolved_submissions(journal.stack_entries(project, stack))
    except (VodjobsError, OSError) as error:
        print(f"vodjobs journal: error: {error}", file=sys.stderr)
        return ExitCode.ERROR
    if args.action == "forget":
        matching = [s for s in in_doubt if s.key == args.key]
        if not matching:
            out.write(f"vodjobs journal: no submission in doubt for {args.key!r}\n")
            return ExitCode.REFUSED
        try:
            for item in matching:
                journal.record("forgotten", item.key, item.digest)
        except VodjobsError as error:
            print(f"vodjobs journal: error: {error}", file=sys.stderr)
            return ExitCode.ERROR
        out.write(f"vodjobs journal: forgot {len(matching)} submission(s) of {args.key}; the next `pulumi up` submits it\n")
        return ExitCode.OK
    rows = [{"job": s.key, "state": s.submission.state, "at": s.submission.at, "requestId": s.submission.request_id}
            for s in in_doubt]
    if args.json:
        out.write(json.dumps({"inDoubt": rows}, indent=2) + "\n")
    else:
        out.write("".join(f"{r['job']}  {r['state']}  RequestId {r['requestId'] or '-'}\n" for r in rows)
                  or "no submission in doubt\n")
    return ExitCode.OK
