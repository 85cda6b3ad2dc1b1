"""Fixtures of the emulator conformance suite: plain V1 clients, official SDK clients, admin calls and
emulator processes of its own."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vod20170321.client import Client

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


def sdk_client(emulator: EmulatorProcess, secret: str = TEST_KEY.access_key_secret, algorithm: str | None = None) -> Client:
    """Alibaba's own VOD client, pointed at the emulator (V3 signatures, or V1 with algorithm="v2")."""
    return Client(Config(
        access_key_id=TEST_KEY.access_key_id, access_key_secret=secret, region_id="cn-shanghai",
        endpoint=urlsplit(emulator.url).netloc, protocol="http", signature_algorithm=algorithm,
    ))


def new_video(emulator: EmulatorProcess, **fields: Any) -> str:
    """A video only this test uses, so other tests' jobs cannot change what it sees; `fields` as admin takes them."""
    video_id = uuid.uuid4().hex
    emulator.add_videos({"VideoId": video_id, "Title": f"video {video_id[:6]}", **fields})
    return video_id


def admin(emulator: EmulatorProcess, method: str, route: str, payload: Any = None) -> tuple[int, Any]:
    """One call to /_emulator/<route>: (HTTP status, JSON answer), an error answer included."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(f"{emulator.url}/_emulator/{route}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())
