"""The one way tests start emulator processes: start, seed with the shared account, and stop every one at the end.

A fixture of any scope opens `emulators()` and starts what it needs from it:

    with emulators() as fleet:
        yield fleet.start(job_duration=0.3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import AccessKeyPair, EmulatorProcess

StartEmulator = Callable[..., EmulatorProcess]


def seed_shared_account(process: EmulatorProcess, templates: Sequence[str] = (TEMPLATE,)) -> EmulatorProcess:
    """Make the shared videos and these AIImage templates exist in the emulator."""
    process.seed(list(VIDEOS.values()), list(templates))
    return process


def reseed(process: EmulatorProcess) -> EmulatorProcess:
    """The emulator with no jobs, faults or log, and the shared videos and template."""
    process.reset()
    return seed_shared_account(process)


class EmulatorFleet:
    """Emulator processes started for one fixture; `stop_all()` stops each, even one whose seeding failed."""

    def __init__(self, access_key: AccessKeyPair = TEST_KEY) -> None:
        self.access_key = access_key
        self.started: list[EmulatorProcess] = []

    def start(self, *extra_args: str, job_duration: float = 0.5, state_dir: Path | None = None, seed: bool = True,
              templates: Sequence[str] = (TEMPLATE,)) -> EmulatorProcess:
        """A running emulator with these `python -m vod_emulator` flags, seeded with the shared account unless `seed` is false."""
        process = EmulatorProcess(self.access_key, job_duration=job_duration, state_dir=state_dir, extra_args=extra_args)
        self.started.append(process.start())
        return seed_shared_account(process, templates) if seed else process

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


@contextmanager
def emulators(access_key: AccessKeyPair = TEST_KEY) -> Iterator[EmulatorFleet]:
    """A fleet whose emulators are all stopped when the block ends."""
    fleet = EmulatorFleet(access_key)
    try:
        yield fleet
    finally:
        fleet.stop_all()
