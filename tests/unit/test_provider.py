"""The dynamic provider's contract, called in-process against an emulator over real HTTP."""

from __future__ import annotations

import base64
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider

from tests.conftest import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.pulumi_stack import PROJECT_ROOT
from vod_emulator.server import EmulatorServer
from vod_provider.credentials import CredentialsError
from vod_provider.resources import AIImageJobProvider

JOB = {"videoId": VIDEOS["trailer"], "templateId": TEMPLATE, "userData": '{"Extend":{"a":"b"}}'}


def configured(endpoint: str, **extra: str) -> AIImageJobProvider:
    provider = AIImageJobProvider()
    values = {"vodjobs:endpoint": endpoint, "vodjobs:accessKeyId": TEST_KEY.access_key_id,
              "vodjobs:accessKeySecret": TEST_KEY.access_key_secret, **extra}
    provider.configure(ConfigureRequest(Config(values, "vodjobs")))
    return provider


def submits(server: EmulatorServer) -> list[dict[str, Any]]:
    return [e for e in server.app.requests() if e["action"] == "SubmitAIImageJob"]


def test_create_submits_once_and_records_the_job_id(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)

    result = provider.create({"__provider": "x", **JOB, "pipelineId": None})

    [submit] = submits(inprocess_emulator)
    assert result.id == submit["response"]["JobId"]
    assert result.outs == {**JOB, "jobId": result.id, "requestId": submit["requestId"]}


def test_four_concurrent_creates_submit_four_distinct_jobs(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    jobs = [{**JOB, "videoId": video} for video in VIDEOS.values()]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda job: provider.create(job).id, jobs))

    assert len(set(ids)) == 4
    assert len(submits(inprocess_emulator)) == 4


def test_diff_is_explicit_and_only_job_inputs_replace() -> None:
    provider = AIImageJobProvider()
    recorded = {"__provider": "old", **JOB, "jobId": "j", "requestId": "r"}

    unchanged = provider.diff("j", recorded, {"__provider": "new", **JOB})
    changed = provider.diff("j", recorded, {"__provider": "old", **JOB, "videoId": VIDEOS["keynote"]})

    assert (unchanged.changes, unchanged.replaces) == (False, [])
    assert (changed.changes, changed.replaces, changed.delete_before_replace) == (True, ["videoId"], False)


def test_check_keeps_job_inputs_and_rejects_missing_ones() -> None:
    provider = AIImageJobProvider()

    ok = provider.check({}, {"__provider": "p", **JOB, "pipelineId": None})
    bad = provider.check({}, {"__provider": "p", "videoId": VIDEOS["trailer"]})

    assert (ok.inputs, ok.failures) == (JOB, [])
    assert [(f.property, f.reason) for f in bad.failures] == [("templateId", "templateId is required")]


def test_read_reports_a_job_the_service_does_not_know_as_gone(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    job_id = provider.create(dict(JOB)).id

    known = provider.read(job_id, {"__provider": "p", **JOB, "jobId": job_id})
    gone = provider.read("0" * 32, {"__provider": "p", **JOB, "jobId": "0" * 32})

    assert (known.id, known.outs["jobId"]) == (job_id, job_id)
    assert (gone.id, gone.outs) == (None, {})


def test_delete_calls_no_api_and_can_repeat(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    before = inprocess_emulator.app.log_position()

    provider.delete("j", {**JOB, "jobId": "j"})
    provider.delete("j", {**JOB, "jobId": "j"})

    assert inprocess_emulator.app.log_position() == before


def test_without_credentials_diff_works_and_create_says_what_to_set() -> None:
    provider = AIImageJobProvider()
    provider.configure(ConfigureRequest(Config({"vodjobs:endpoint": "http://127.0.0.1:9"}, "vodjobs")))

    assert provider.diff("j", {**JOB}, {**JOB}).changes is False
    with pytest.raises(CredentialsError, match="ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
        provider.create(dict(JOB))


def test_the_pickled_provider_is_a_small_reference_without_config(inprocess_emulator: EmulatorServer) -> None:
    provider = configured(inprocess_emulator.url)
    pickled = serialize_provider(provider)

    assert len(pickled) < 200
    raw = base64.b64decode(pickled)
    assert b"vod_provider.resources" in raw and b"AIImageJobProvider" in raw
    assert TEST_KEY.access_key_secret.encode() not in raw and inprocess_emulator.url.encode() not in raw
    assert serialize_provider(AIImageJobProvider()) == pickled
    loaded = subprocess.run(
        [sys.executable, "-c", f"import base64, dill; print(type(dill.loads(base64.b64decode('{pickled}'))).__name__)"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    assert loaded.stdout.strip() == "AIImageJobProvider"
