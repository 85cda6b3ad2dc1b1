"""The engine floor: a dynamic provider that does nothing, for `bench/scale.py`.

It stands for the cost of Pulumi itself (program, engine, gRPC, state) with the same resources vodjobs
declares and no API behind them. Like vodjobs' provider it lives in an importable module and holds no
instance state, so it is pickled by reference (~100 bytes) and never hits the RecursionError of
pulumi-dynamic.md §1.5; like vodjobs it stores `__provider` in plaintext, so neither side pays for
encrypting it once per resource.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    """create answers a fresh id and echoes the inputs; every other method is the SDK's default."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
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
