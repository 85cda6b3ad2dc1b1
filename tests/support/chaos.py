"""What the chaos trials share: their size (small in `make test`, full in `make chaos`) and the check each ends with."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import numbered_jobs

FULL = os.environ.get("VODJOBS_CHAOS_FULL") == "1"


def scaled(full: int, small: int) -> int:
    """`full` under VODJOBS_CHAOS_FULL=1 (`make chaos`), else `small`."""
    return full if FULL else small


def write_many(stack: PulumiStack, count: int) -> Path:
    """`count` numbered jobs (job-0000, …) in the stack's specs/many.yaml."""
    return stack.write_spec("many.yaml", numbered_jobs(count))


def emulator_jobs(emulator: EmulatorProcess) -> Counter[str]:
    """How many jobs the emulator created for each job number (dropped answers included)."""
    counts: Counter[str] = Counter()
    for entry in emulator.calls(0, "SubmitAIImageJob"):
        if entry["httpStatus"] == 200:
            counts[json.loads(entry["params"]["UserData"])["Extend"]["n"]] += 1
    return counts


def throttle_codes(emulator: EmulatorProcess) -> list[Any]:
    """Every logged call the emulator answered with a Throttling.* code."""
    return [e for e in emulator.calls(0) if str(e.get("code", "")).startswith("Throttling")]


def assert_exactly_once(emulator: EmulatorProcess, stack: PulumiStack, count: int) -> None:
    """The trial's end state: each declared job exists once in the service, and state has every JobId."""
    per_job = emulator_jobs(emulator)
    duplicates = {n: c for n, c in per_job.items() if c > 1}
    assert duplicates == {}, f"jobs submitted more than once: {duplicates}"
    assert len(per_job) == count, f"{count - len(per_job)} declared jobs never reached the service"
    recorded = {name: resource.id for name, resource in stack.recorded().items()}
    assert len(recorded) == count
    assert set(recorded.values()) == set(emulator.submitted_job_ids(0)), "state and service disagree on JobIds"
