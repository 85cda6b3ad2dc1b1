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
from pathlib import Path
from typing import TextIO

import yaml

from vod_provider.api.client import VodClient
from vod_provider.api.credentials import CredentialsError
from vod_provider.api.errors import VodError
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.settings import CONFIG_JOURNAL_DIR, SettingsError, check_config_keys, resolve_settings
from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.stack_reader import StackReadError, pulumi_output, stack_config
from vod_provider.safety import recovery
from vod_provider.safety.journal import DEFAULT_DIR, SubmissionJournal, unresolved_submissions

DEFAULT_SETTLE_SECONDS = 900.0  # a real image-AI job usually finishes well within 15 minutes


def project_name(cwd: Path) -> str:
    data = yaml.safe_load((cwd / "Pulumi.yaml").read_text(encoding="utf-8"))
    return str(data["name"])


def stack_name(stack: str | None, cwd: Path) -> str:
    return stack or pulumi_output(["stack", "--show-name"], cwd).strip()


def stack_journal(cwd: Path, config: dict[str, str]) -> SubmissionJournal:
    configured = config.get(CONFIG_JOURNAL_DIR)
    directory = Path(configured) if configured else DEFAULT_DIR
    return SubmissionJournal(directory if directory.is_absolute() else cwd / directory)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", "-s", help="the stack to recover (default: the selected stack)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: here)")
    parser.add_argument("--settle-seconds", type=float, default=DEFAULT_SETTLE_SECONDS,
                        help="how long after a submit in doubt to keep looking for its job before deciding it never ran")
    parser.add_argument("--grace-seconds", type=float, default=30.0,
                        help="how long orphaned provider processes may finish their in-flight submits before they are stopped")
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
        backend = os.environ.get("PULUMI_BACKEND_URL") or json.loads(pulumi_output(["whoami", "--json"], cwd)).get("url", "")
        repaired = recovery.repair_file_checkpoint(backend, project, stack)
        if repaired:
            report(repaired)
        config = stack_config(stack, cwd)
        check_config_keys(config)
        journal = stack_journal(cwd, config)
        if processes:
            report(f"letting {len(processes)} orphaned provider process(es) finish in-flight submits, then stopping them")
            recovery.drain_orphans(processes, lambda: bool(recovery.in_flight(journal, project, stack)), args.grace_seconds)
        in_doubt = unresolved_submissions(journal.stack_entries(project, stack))
        if in_doubt:
            settings = resolve_settings(config.get, os.environ)
            client = VodClient(settings.endpoint, settings.credentials, limiter=RateLimiter(settings.max_qps))
            report(f"{len(in_doubt)} submission(s) in doubt; looking for them in the service")
            recovery.resolve_in_doubt(journal, client, in_doubt, args.settle_seconds, report)
        for lock in recovery.file_backend_locks(backend, project, stack):
            if lock.holder_alive:
                report(f"stack {stack} is locked by a live process (pid {lock.pid} on {lock.hostname}); not touching it")
                return ExitCode.REFUSED
            pulumi_output(["cancel", "--yes", "--stack", stack], cwd)
            report(f"removed the stale lock of stack {stack} (pid {lock.pid} is gone)")
            break
    except (StackReadError, SettingsError, CredentialsError, VodError, OSError) as error:
        report(f"error: {error}")
        return ExitCode.ERROR
    report("recovered; the next `pulumi up` records every JobId the journal holds and submits only what never ran")
    if not args.up:
        return ExitCode.OK
    done = subprocess.run(["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack],
                          cwd=cwd, stdout=out if out is not sys.stdout else None)
    return done.returncode
