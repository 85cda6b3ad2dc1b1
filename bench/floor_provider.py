"""The engine floor: a dynamic provider that does nothing, for `bench/scale.py`.

It stands for the cost of Pulumi itself (program, engine, gRPC, state) with the same resources vodjobs
declares and no API behind them. Like vodjobs' provider it lives in an importable module and holds no
instance state, so it is pickled by reference (~100 bytes) and never hits the RecursionError of
pulumi-dynamic.md §1.5; like vodjobs it stores `__provider` in plaintext, so neither side pays for
encrypting it once per resource.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from pulumi.dynamic import CreateResult, Resource, ResourceProvider

# Written by `bench/scale.py --paced-floor` in the floor's project (the provider's working directory): creates
# per second. The floor then creates at vodjobs' pace, so that both cold ups last as long.
PACE_FILE = "pace.json"
_pace_lock = threading.Lock()
_next_slot = [0.0]


@functools.cache
def _pace_per_second() -> float:
    path = Path(PACE_FILE)
    return float(json.loads(path.read_text())["perSecond"]) if path.exists() else 0.0


def _wait_for_slot() -> None:
    """Space creates 1/pace seconds apart, as vodjobs' RateLimiter spaces submits (no pace file: no wait)."""
    rate = _pace_per_second()
    if not rate:
        return
    with _pace_lock:
        now = time.monotonic()
        slot = max(now, _next_slot[0])
        _next_slot[0] = slot + 1.0 / rate
    if slot > now:
        time.sleep(slot - now)


class NoopProvider(ResourceProvider):
    """create answers a fresh id and echoes the inputs (at a pace, with a pace file); every other method is the
    SDK's default."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        _wait_for_slot()
        return CreateResult(uuid.uuid4().hex, props)


class NoopJob(Resource, module="bench", name="NoopJob"):
    """One do-nothing resource with a job's inputs."""

    def __init__(self, name: str, video_id: str, template_id: str) -> None:
        super().__init__(NoopProvider(), name, {"videoId": video_id, "templateId": template_id})


def declare(jobs: list[dict[str, str]]) -> list[NoopJob]:
    """One NoopJob per job (`name`, `videoId`, `templateId`)."""
    return [NoopJob(job["name"], job["videoId"], job["templateId"]) for job in jobs]


def main() -> None:
    """The floor's Pulumi program: the jobs listed in jobs.json (written by bench/scale.py), nothing exported."""
    declare(json.loads(Path("jobs.json").read_text()))
