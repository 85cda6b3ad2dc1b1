"""Fixtures of the emulator conformance suite: plain V1 clients and emulator processes of its own."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.emulator.plain_client import V1Client
from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess

T = TypeVar("T")
StartEmulator = Callable[..., EmulatorProcess]


@pytest.fixture
def v1(emulator: EmulatorProcess) -> V1Client:
    """The independent V1 client, with the test AccessKey, on the shared emulator."""
    return V1Client(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


@pytest.fixture
def start_emulator(tmp_path: Path) -> Iterator[StartEmulator]:
    """Start emulator processes of the test's own (seeded like the shared one); all stopped at the end."""
    started: list[EmulatorProcess] = []

    def start(*extra_args: str, job_duration: float = 0.5, state_dir: Path | None = None, seed: bool = True) -> EmulatorProcess:
        process = EmulatorProcess(TEST_KEY, job_duration=job_duration, state_dir=state_dir, extra_args=extra_args)
        started.append(process.start())
        if seed:
            process.seed(list(VIDEOS.values()), [TEMPLATE])
        return process

    try:
        yield start
    finally:
        for process in started:
            process.stop()


def wait_for(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 10.0, every: float = 0.05) -> T:
    """Poll `read` until `done` says yes; the last value, or AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not done after {timeout} s: {value!r}")
        time.sleep(every)
