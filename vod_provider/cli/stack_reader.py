"""What a stack recorded, read through the `pulumi` CLI (the only supported way to read any backend)."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vod_provider.errors import CliError

JOB_TYPE = "pulumi-python:dynamic/vod:AIImageJob"


class StackReadError(CliError):
    """The pulumi CLI could not read the stack (not logged in, no such stack, wrong passphrase…).

    `listed`: the backend listed its stacks and this one is not among them (not merely a failed read)."""

    def __init__(self, message: str, listed: bool = False) -> None:
        super().__init__(message)
        self.listed = listed


@dataclass(frozen=True)
class RecordedJob:
    name: str
    job_id: str
    status: str


def recorded_jobs(deployment: Mapping[str, Any]) -> list[RecordedJob]:
    """The jobs a `pulumi stack export` deployment holds (replaced ones pending delete left out). Pure."""
    jobs = []
    for resource in deployment.get("deployment", {}).get("resources") or []:
        if resource.get("type") != JOB_TYPE or resource.get("delete"):
            continue
        outputs = resource.get("outputs") or {}
        jobs.append(RecordedJob(str(resource["urn"]).rsplit("::", 1)[1], str(resource.get("id", "")),
                                str(outputs.get("status", ""))))
    return sorted(jobs, key=lambda j: j.name)


def pulumi_output(args: Sequence[str], cwd: Path) -> str:
    """Run `pulumi ARGS --non-interactive` in `cwd`; its stdout, or StackReadError with its stderr."""
    try:
        done = subprocess.run(["pulumi", *args, "--non-interactive"], cwd=cwd, capture_output=True, text=True,
                              env=os.environ, timeout=600)
    except FileNotFoundError:
        raise StackReadError("the pulumi CLI is not on PATH: run `make setup` and put .venv/bin first on PATH") from None
    if done.returncode != 0:
        raise StackReadError(f"pulumi {args[0]} {args[1] if len(args) > 1 else ''} failed: {done.stderr.strip()}")
    return done.stdout


def export_stack(stack: str | None, cwd: Path) -> dict[str, Any]:
    args = ["stack", "export"] + (["--stack", stack] if stack else [])
    exported: dict[str, Any] = json.loads(pulumi_output(args, cwd))
    return exported


def stack_config(stack: str | None, cwd: Path) -> dict[str, str]:
    """The stack's config with secrets decrypted, kept in memory only (never printed)."""
    args = ["config", "--json", "--show-secrets"] + (["--stack", stack] if stack else [])
    raw = json.loads(pulumi_output(args, cwd))
    return {key: str(entry.get("value")) for key, entry in raw.items() if entry.get("value") is not None}


def require_stack(stack: str, cwd: Path) -> None:
    """Raise StackReadError, naming the nearest stack, when the backend has no stack `stack` (`pulumi stack ls`).

    Checked before a preview, so that a mistyped stack exits 3 with that message and not as a failed preview.
    """
    listed = json.loads(pulumi_output(["stack", "ls", "--json"], cwd) or "[]")  # StackReadError (listed False) if it fails
    names = [str(entry.get("name", "")) for entry in listed]
    # The backend may qualify names (org/project/stack); the short name is what people type.
    if stack in names or stack in {name.rsplit("/", 1)[-1] for name in names}:
        return
    short = sorted({name.rsplit("/", 1)[-1] for name in names})
    close = difflib.get_close_matches(stack, short, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"the stacks there: {', '.join(short) or 'none'}"
    raise StackReadError(f"no stack {stack!r} in this project's backend; {hint}", listed=True)


def stack_name(stack: str | None, cwd: Path) -> str:
    """The stack named on the command line, checked to exist (StackReadError naming the nearest one), or else the
    project's selected stack. Every `vodjobs` command that reads a stack starts here, so a mistyped stack reads the
    same everywhere and nothing is created or locked for it."""
    if stack:
        try:
            require_stack(stack, cwd)
        except StackReadError as error:
            if error.listed:
                raise
            # The backend could not list its stacks (e.g. a checkpoint a killed run left half-written): that proves
            # nothing about this stack, so the command goes on and pulumi itself says if it does not exist.
        return stack
    return pulumi_output(["stack", "--show-name"], cwd).strip()
