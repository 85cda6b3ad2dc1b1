"""`vodjobs recover`: the one documented way back after a crashed run.

    vodjobs recover [--stack S] [--settle-seconds N] [--grace-seconds N] [--up]

`recover` is non-interactive and safe to run at any time; see vod_provider/safety/recovery.py for its steps.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

import yaml

from vod_provider.api.client import VodClient
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.settings import check_config_keys, resolve_settings
from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.stack_reader import pulumi_output, stack_config, stack_name
from vod_provider.errors import VodjobsError
from vod_provider.safety import recovery
from vod_provider.safety.journal import Journal, unresolved_submissions
from vod_provider.safety.journal_location import journal_location, stack_backend_url
from vod_provider.safety.stores import open_journal

DEFAULT_SETTLE_SECONDS = 900.0  # a real image-AI job usually finishes well within 15 minutes
DEFAULT_STALE_LOCK_SECONDS = 6 * 3600.0  # GitHub-hosted jobs end after 6 h, GitLab's after 1 h by default


def project_name(cwd: Path) -> str:
    data = yaml.safe_load((cwd / "Pulumi.yaml").read_text(encoding="utf-8"))
    return str(data["name"])


def backend_url(cwd: Path) -> str:
    """The backend this project's pulumi CLI uses (PULUMI_BACKEND_URL, Pulumi.yaml, or `pulumi login`)."""
    return stack_backend_url(cwd, os.environ) or str(json.loads(pulumi_output(["whoami", "--json"], cwd)).get("url", ""))


def stack_journal(cwd: Path, config: dict[str, str], backend: str) -> Journal:
    """The stack's journal where its provider keeps it (vodjobs:journalUrl / journalDir, or beside an s3:// state)."""
    return open_journal(journal_location(config, backend, cwd))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", "-s", help="the stack to recover (default: the selected stack)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: here)")
    parser.add_argument("--settle-seconds", type=float, default=DEFAULT_SETTLE_SECONDS,
                        help="how long after a submit in doubt to keep looking for its job before deciding it never ran")
    parser.add_argument("--grace-seconds", type=float, default=30.0,
                        help="how long orphaned provider processes may finish their in-flight submits before they are stopped")
    parser.add_argument("--cancel-stale-lock", action="store_true",
                        help="the run that holds the stack's lock is dead (its runner is gone): remove the lock (`pulumi cancel`)")
    parser.add_argument("--stale-lock-seconds", type=float, default=DEFAULT_STALE_LOCK_SECONDS,
                        help="remove a lock older than this without asking (default 6 h: no hosted CI job lives longer)")
    parser.add_argument("--up", action="store_true", help="run `pulumi up --yes --skip-preview` once recovered")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """0 recovered (or the up's own status with --up), 3 on an error, 4 when a live run holds the stack."""
    cwd: Path = args.cwd.resolve()

    def report(line: str) -> None:
        out.write(f"vodjobs recover: {line}\n")
        out.flush()

    try:
        project, stack = project_name(cwd), stack_name(args.stack, cwd)
        processes = recovery.project_processes(cwd)
        if any(p.is_cli for p in processes):
            pids = ", ".join(str(p.pid) for p in processes if p.is_cli)
            report(f"a pulumi command is still running in {cwd} (pid {pids}); wait for it, or stop it first")
            return ExitCode.REFUSED
        backend = backend_url(cwd)
        repaired = recovery.repair_file_checkpoint(backend, project, stack)
        if repaired:
            report(repaired)
        config = stack_config(stack, cwd)
        check_config_keys(config)
        journal = stack_journal(cwd, config, backend)
        if processes:
            report(f"letting {len(processes)} orphaned provider process(es) finish in-flight submits, then stopping them")
            recovery.drain_orphans(processes, lambda: bool(recovery.in_flight(journal, project, stack)), args.grace_seconds)
        in_doubt = unresolved_submissions(journal.stack_entries(project, stack))
        if in_doubt:
            settings = resolve_settings(config.get, os.environ)
            client = VodClient(settings.endpoint, settings.credentials, limiter=RateLimiter(settings.max_qps))
            report(f"{len(in_doubt)} submission(s) in doubt; looking for them in the service")
            recovery.resolve_in_doubt(journal, client, in_doubt, args.settle_seconds, report)
        for lock in recovery.stack_locks(backend, project, stack):
            why = recovery.stale_lock_verdict(lock, backend.startswith("file://"), args.cancel_stale_lock,
                                              args.stale_lock_seconds, time.time())
            if why is None:
                report(f"stack {stack} is locked by pid {lock.pid} on {lock.hostname or 'an unknown host'} since "
                       f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(lock.taken_at))}; not touching it. If that run "
                       "is dead (its runner is gone), run again with --cancel-stale-lock")
                return ExitCode.REFUSED
            pulumi_output(["cancel", "--yes", "--stack", stack], cwd)
            report(f"removed the lock of stack {stack}: {why}")
            break
    except (VodjobsError, OSError) as error:
        print(f"vodjobs recover: error: {error}", file=sys.stderr)
        return ExitCode.ERROR
    report("recovered; the next `pulumi up` records every JobId the journal holds and submits only what never ran")
    if not args.up:
        return ExitCode.OK
    done = subprocess.run(["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack],
                          cwd=cwd, stdout=out if out is not sys.stdout else None)
    return done.returncode
