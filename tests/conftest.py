"""Fixtures shared by every test: a real emulator process and temp stacks driven by the real pulumi CLI."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/emulator/test_*.py (another owner's) still import TEST_KEY, VIDEOS and TEMPLATE from here: keep them imported.
from tests.support.account import OTHER_TEMPLATE, TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import emulators
from tests.support.pulumi_stack import PulumiStack, find_pulumi
from tests.support.s3_server import S3Server, running_s3_server
from tests.support.scripted_server import ScriptedServer
from vod_emulator.app import EmulatorApp
from vod_emulator.auth import AccessKey, RequestVerifier
from vod_emulator.models import VodAccount
from vod_emulator.server import EmulatorServer

_stack_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    """One emulator for the session; tests count their own calls from a log position."""
    with emulators() as fleet:
        yield fleet.start(job_duration=0.5, templates=(TEMPLATE, OTHER_TEMPLATE))


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One S3-compatible server (moto) for the session; each test uses a bucket of its own."""
    with running_s3_server(tmp_path_factory.mktemp("s3") / "moto_server.log") as server:
        yield server


@pytest.fixture(scope="session")
def pulumi_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    find_pulumi()  # fail the session early, and clearly, when the CLI is missing
    return tmp_path_factory.mktemp("pulumi-home")


@pytest.fixture
def new_stack(tmp_path: Path, pulumi_home: Path) -> PulumiStack:
    """A fresh, uninitialised stack in its own temp project (call .init(...))."""
    return PulumiStack(tmp_path, f"test{next(_stack_numbers)}", pulumi_home)


@pytest.fixture
def stack(new_stack: PulumiStack, emulator: EmulatorProcess) -> PulumiStack:
    """A fresh stack pointed at the emulator with the right AccessKey (the secret set as a secret)."""
    return new_stack.init(emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


@pytest.fixture
def inprocess_emulator() -> Iterator[EmulatorServer]:
    """An emulator served from a thread of the test process, seeded like the shared one."""
    app = EmulatorApp(VodAccount("cn-shanghai", job_duration=0.0, seed=7),
                      RequestVerifier([AccessKey(TEST_KEY.access_key_id, TEST_KEY.access_key_secret)]))
    app.seed({"videos": [{"VideoId": v} for v in VIDEOS.values()],
              "templates": [{"TemplateId": TEMPLATE, "TemplateName": "cover", "TemplateType": "AIImage",
                             "TemplateConfig": '{"Format":"gif","SetDefaultCover":"true"}'}]})
    server = EmulatorServer(app)
    thread = server.start_in_thread()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def scripted() -> Iterator[list[ScriptedServer]]:
    """Scripted stand-in endpoints a test starts (tests.support.scripted_server), shut down after it."""
    servers: list[ScriptedServer] = []
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()
