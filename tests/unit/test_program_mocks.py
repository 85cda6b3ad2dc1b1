"""The program under Pulumi's mocks: spec files in, one AIImageJob per job out (no engine, no provider)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import runpy
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.pulumi_stack import PROJECT_ROOT
from vod_provider.resources import AIImageJob
from vod_provider.spec.loader import JobSpec


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        return f"job-{args.name}", {**args.inputs, "jobId": f"job-{args.name}"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Iterator[RecordingMocks]:
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, project="vodjobs", stack="unit", preview=False)
    yield recording


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "specs").mkdir()
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def run_program() -> dict[str, Any]:
    """Run __main__.py as the language host would; returns its globals.

    Under mocks the SDK closes the root stack at once, so `pulumi.run` would refuse the program's entrypoint:
    it is scheduled here instead, as the language host awaits it after the module has run.
    """
    entrypoints: list[Callable[[], Awaitable[None]]] = []
    original = pulumi.run
    pulumi.run = entrypoints.append  # type: ignore[assignment]
    try:
        program = runpy.run_path(str(PROJECT_ROOT / "__main__.py"), run_name="__main__")
    finally:
        pulumi.run = original
    program["entrypoint"] = [asyncio.ensure_future(entrypoint()) for entrypoint in entrypoints]
    return program


@pulumi.runtime.test
def test_each_declared_job_becomes_one_resource_named_after_it(mocks: RecordingMocks, project: Path) -> Any:
    (project / "specs" / "covers.yaml").write_text(
        f"jobs:\n  trailer-cover:\n    videoId: {VIDEOS['trailer']}\n    templateId: {TEMPLATE}\n"
        f"    pipelineId: {VIDEOS['teaser']}\n"
        f"  keynote-cover:\n    videoId: {VIDEOS['keynote']}\n    templateId: {TEMPLATE}\n"
    )
    program = run_program()

    def check(_: Any) -> None:
        by_name = {r.name: r for r in mocks.resources}
        assert sorted(by_name) == ["keynote-cover", "trailer-cover"]
        assert {r.typ for r in mocks.resources} == {"pulumi-python:dynamic/vod:AIImageJob"}
        inputs = {k: v for k, v in by_name["trailer-cover"].inputs.items() if k != "__provider"}
        assert inputs == {"jobName": "trailer-cover", "journalKey": "vodjobs/unit/trailer-cover",
                          "videoId": VIDEOS["trailer"], "templateId": TEMPLATE, "pipelineId": VIDEOS["teaser"]}

    # The program declares its jobs in its entrypoint, in slices (the first registrations go out while it builds the rest).
    declared: Any = pulumi.Output.from_input(program["entrypoint"][0])
    return declared.apply(check)


def test_an_invalid_spec_stops_the_program_before_any_resource(mocks: RecordingMocks, project: Path) -> None:
    (project / "specs" / "bad.yaml").write_text(f"jobs:\n  cover:\n    videoId: {VIDEOS['trailer']}\n    templateid: x\n")

    with pytest.raises(pulumi.RunError) as raised:
        run_program()

    assert "specs/bad.yaml:4:5: jobs.cover.templateid: unknown key 'templateid'; did you mean 'templateId'?" in str(raised.value)
    assert "specs/bad.yaml:3:5: jobs.cover: templateId is required" in str(raised.value)
    assert mocks.resources == []


def test_a_glob_matching_no_file_is_an_error_not_an_empty_stack(mocks: RecordingMocks, project: Path) -> None:
    with pytest.raises(pulumi.RunError, match=re.escape("no spec file matches 'specs/**/*.{yaml,yml}'")):
        run_program()


def test_an_unknown_setting_stops_the_program_before_any_resource(
    mocks: RecordingMocks, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "specs" / "covers.yaml").write_text(f"jobs:\n  cover:\n    videoId: {VIDEOS['trailer']}\n    templateId: {TEMPLATE}\n")
    # As the language host passes it: the whole stack config as JSON in PULUMI_CONFIG.
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"vodjobs:endpiont": "http://127.0.0.1:1", "vodjobs:region": "cn-beijing",
                                                    "aws:region": "us-east-1"}))

    with pytest.raises(pulumi.RunError) as raised:
        run_program()

    assert "vodjobs:endpiont is not a vodjobs setting: did you mean vodjobs:endpoint?" in str(raised.value)
    assert "aws:region" not in str(raised.value)
    assert mocks.resources == []


def test_the_stack_config_names_the_spec_glob(mocks: RecordingMocks, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"vodjobs:specs": "elsewhere/*.yaml"}))

    with pytest.raises(pulumi.RunError, match=re.escape("no spec file matches 'elsewhere/*.yaml'")):
        run_program()


def test_fifteen_hundred_jobs_build_without_recursion_error(mocks: RecordingMocks) -> None:
    # Regression guard for the SDK's pickler wrapper chain (pulumi-dynamic.md §1.5): a provider
    # with instance state dies near the 966th resource.
    for n in range(1500):
        AIImageJob(JobSpec(f"job-{n}", VIDEOS["trailer"], TEMPLATE, None, None, "specs/big.yaml", n + 1))
