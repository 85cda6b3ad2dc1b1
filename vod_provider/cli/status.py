"""`vodjobs status`: where a stack's jobs stand now, without changing state.

Reads the recorded JobIds with `pulumi stack export`, the endpoint and AccessKey from the
stack's config (or the environment, as the provider does), then asks GetAIImageJobs, 10 JobIds
per call under the client's QPS pacing. Exit 0 when no job failed, 1 when one failed or is
unknown to the service, 3 when the stack or the API cannot be read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from vod_provider.api.client import VodClient
from vod_provider.api.pacing import RateLimiter
from vod_provider.api.settings import check_config_keys, resolve_settings
from vod_provider.cli.exit_codes import ExitCode
from vod_provider.cli.stack_reader import export_stack, recorded_jobs, stack_config, stack_name
from vod_provider.cli.status_report import current_status, render_json, render_table

PROGRESS_FROM_BATCHES = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", "-s", help="the stack to read (default: the selected stack)")
    parser.add_argument("--json", action="store_true", help="print JSON for machines instead of a table")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: here)")


def _progress_bar(err: TextIO) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if total <= PROGRESS_FROM_BATCHES * 10 or not err.isatty():
            return
        width = 30
        filled = width * done // total
        err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} jobs")
        if done == total:
            err.write("\n")
        err.flush()
    return show


def run(args: argparse.Namespace, out: TextIO) -> int:
    # A stack, setting, credentials or API problem (a VodjobsError) is reported by vodjobs' main as one message, exit 3.
    stack = stack_name(args.stack, args.cwd)
    deployment = export_stack(stack, args.cwd)
    config = stack_config(stack, args.cwd)
    check_config_keys(config)
    settings = resolve_settings(config.get, os.environ)
    client = VodClient(settings.endpoint, settings.credentials, limiter=RateLimiter(settings.max_qps))
    statuses = current_status(recorded_jobs(deployment), client.get_ai_image_jobs, _progress_bar(sys.stderr))
    out.write(render_json(statuses) if args.json else render_table(statuses))
    return ExitCode.FAILED if any(s.failed for s in statuses) else ExitCode.OK
