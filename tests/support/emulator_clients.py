"""Talking to an emulator process as the conformance suite does: Alibaba's official SDK client, a video of a test's
own, and raw admin calls that keep the error answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import urlsplit

from alibabacloud_tea_openapi.models import Config
from alibabacloud_vod20170321.client import Client

from tests.support.account import TEST_KEY
from tests.support.emulator_process import EmulatorProcess


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
