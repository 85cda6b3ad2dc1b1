"""Fixtures of the emulator conformance suite: the plain V1 client and emulator processes of its own.

Its helpers (official SDK clients, videos of a test's own, raw admin calls) are in tests/support/emulator_clients.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator.plain_client import V1Client
from tests.support.account import TEST_KEY
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import StartEmulator, emulators


@pytest.fixture
def v1(emulator: EmulatorProcess) -> V1Client:
    """The independent V1 client, with the test AccessKey, on the shared emulator."""
    return V1Client(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


@pytest.fixture
def start_emulator() -> Iterator[StartEmulator]:
    """Start emulator processes of the test's own (seeded like the shared one); all stopped at the end."""
    with emulators() as fleet:
        yield fleet.start
