"""Fixtures shared by every test: a real emulator process and temp stacks driven by the real pulumi CLI."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.emulator_process import AccessKeyPair, EmulatorProcess
from tests.support.pulumi_stack import PulumiStack, find_pulumi
from tests.support.s3_server import S3Server
from tests.support.scripted_server import ScriptedServer
from vod_emulator.app import EmulatorApp
from vod_emulator.auth import AccessKey, RequestVerifier
from vod_emulator.models import VodAccount
from vod_emulator.server import EmulatorServer

TEST_KEY = AccessKeyPair("LTAI5tVodjobsTestKey0001", "vodjobs-test-secret-7f3a9c1e5b")

# The account every test shares: videos and one AIImage template, seeded once.
VIDEOS = {
    "trailer": "2b8f0c6e4d1a4f7e9c3b5a7d6e8f0a1b",
    "keynote": "5c9a1e3b7d2f4a6c8e0b2d4f6a8c0e2d",
    "interview": "8e1d3c5b7a9f4e2d6c8b0a2e4f6d8c0b",
    "teaser": "0f2e4d6c8b0a4e9d7c5b3a1f9e7d5c3b",
}
TEMPLATE = "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a"
OTHER_TEMPLATE = "3a5c7e9b1d2f4a6c8e0b2d4f6a8c1e3d"

_stack_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    """One emulator for the session; tests count their own calls from a log position."""
    process = EmulatorProcess(TEST_KEY, job_duration=0.5).start()
    try:
        process.seed(list(VIDEOS.values()), [TEMPLATE, OTHER_TEMPLATE])
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One S3-compatible server (moto) for the session; each test uses a bucket of its own."""
    server = S3Server(tmp_path_factory.mktemp("s3") / "moto_server.log").start()
    try:
        yield server
    finally:
        server.stop()


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
