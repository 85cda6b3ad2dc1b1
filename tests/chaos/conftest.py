"""Chaos trials: a dedicated emulator (faults must not leak into other tests) and a stack on it.

`make test` runs a small variant of each trial; `make chaos` (VODJOBS_CHAOS_FULL=1) runs the full counts
(tests.support.chaos has the sizes and the check every trial ends with).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.account import TEST_KEY
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import emulators, reseed
from tests.support.pulumi_stack import PulumiStack


@pytest.fixture(scope="module")
def chaos_emulator() -> Iterator[EmulatorProcess]:
    with emulators() as fleet:
        yield fleet.start(job_duration=0.3, seed=False)


@pytest.fixture
def fresh_emulator(chaos_emulator: EmulatorProcess) -> EmulatorProcess:
    """The chaos emulator with no jobs, faults or log, and the shared videos and template."""
    return reseed(chaos_emulator)


@pytest.fixture
def chaos_stack(new_stack: PulumiStack, fresh_emulator: EmulatorProcess) -> PulumiStack:
    return new_stack.init(fresh_emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
