"""Chaos trials: a dedicated emulator (faults must not leak into other tests) and the checks every trial ends with.

`make test` runs a small variant of each trial; `make chaos` (VODJOBS_CHAOS_FULL=1) runs the full counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack

FULL = os.environ.get("VODJOBS_CHAOS_FULL") == "1"


def scaled(full: int, small: int) -> int:
    return full if FULL else small


@pytest.fixture(scope="module")
def chaos_emulator() -> Iterator[EmulatorProcess]:
    process = EmulatorProcess(TEST_KEY, job_duration=0.3).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def fresh_emulator(chaos_emulator: EmulatorProcess) -> EmulatorProcess:
    """The chaos emulator with no jobs, faults or log, and the shared videos and template."""
    chaos_emulator.reset()
    chaos_emulator.seed(list(VIDEOS.values()), [TEMPLATE])
    return chaos_emulator


@pytest.fixture
def chaos_stack(new_stack: PulumiStack, fresh_emulator: EmulatorProcess) -> PulumiStack:
    return new_stack.init(fresh_emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def numbered_jobs(count: int) -> str:
    """`count` jobs, each with its number in UserData.Extend so every submission can be told apart."""
    videos = list(VIDEOS.values())
    lines = ["jobs:"]
    for n in range(count):
        lines += [f"  job-{n:04d}:", f"    videoId: {videos[n % len(videos)]}", f"    templateId: {TEMPLATE}",
                  "    userData:", "      Extend:", f"        n: '{n}'"]
    return "\n".join(lines) + "\n"


def emulator_jobs(emulator: EmulatorProcess) -> Counter[str]:
    """How many jobs the emulator created for each job number (dropped answers included)."""
    counts: Counter[str] = Counter()
    for entry in emulator.calls(0, "SubmitAIImageJob"):
        if entry["httpStatus"] == 200:
            counts[json.loads(entry["params"]["UserData"])["Extend"]["n"]] += 1
    return counts


def emulator_job_ids(emulator: EmulatorProcess) -> set[str]:
    return set(emulator.submitted_job_ids(0))


def state_job_ids(stack: PulumiStack) -> dict[str, str]:
    state = json.loads(stack.state_text())
    return {
        r["urn"].rsplit("::", 1)[1]: r["id"]
        for r in state["checkpoint"]["latest"].get("resources", [])
        if r["type"] == "pulumi-python:dynamic/vod:AIImageJob" and not r.get("delete")
    }


def assert_exactly_once(emulator: EmulatorProcess, stack: PulumiStack, count: int) -> None:
    """The trial's end state: each declared job exists once in the service, and state has every JobId."""
    per_job = emulator_jobs(emulator)
    duplicates = {n: c for n, c in per_job.items() if c > 1}
    assert duplicates == {}, f"jobs submitted more than once: {duplicates}"
    assert len(per_job) == count, f"{count - len(per_job)} declared jobs never reached the service"
    recorded = state_job_ids(stack)
    assert len(recorded) == count
    assert set(recorded.values()) == emulator_job_ids(emulator), "state and service disagree on JobIds"


def vodjobs(stack: PulumiStack, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the vodjobs command as a user would, in the stack's project."""
    return subprocess.run([sys.executable, "-m", "vod_provider.cli", *args], cwd=stack.project_dir, env=stack.env,
                          capture_output=True, text=True, timeout=timeout)


def throttle_codes(emulator: EmulatorProcess) -> list[Any]:
    return [e for e in emulator.calls(0) if str(e.get("code", "")).startswith("Throttling")]


def write_many(stack: PulumiStack, count: int) -> Path:
    return stack.write_spec("many.yaml", numbered_jobs(count))
