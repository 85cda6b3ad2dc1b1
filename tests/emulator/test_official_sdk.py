"""Alibaba's own SDK (alibabacloud-vod20170321) talks to the emulator as it would to the cloud.

Conformance is judged by a client we did not write: the SDK signs (V3 by default, V1 on request),
sends, and parses the answers into its models.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vod20170321.client import Client
from alibabacloud_vod20170321.models import GetAIImageJobsRequest, SubmitAIImageJobRequest

from tests.conftest import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess


def sdk_client(emulator: EmulatorProcess, secret: str = TEST_KEY.access_key_secret, algorithm: str | None = None) -> Client:
    return Client(Config(
        access_key_id=TEST_KEY.access_key_id, access_key_secret=secret, region_id="cn-shanghai",
        endpoint=urlsplit(emulator.url).netloc, protocol="http", signature_algorithm=algorithm,
    ))


@pytest.mark.parametrize("algorithm", [None, "v2"], ids=["V3 (SDK default)", "V1 (signature_algorithm=v2)"])
def test_the_official_sdk_submits_a_job_and_reads_it_back(emulator: EmulatorProcess, algorithm: str | None) -> None:
    client = sdk_client(emulator, algorithm=algorithm)
    user_data = json.dumps({"Extend": {"source": "sdk"}}, separators=(",", ":"))

    submitted = client.submit_aiimage_job(SubmitAIImageJobRequest(
        video_id=VIDEOS["interview"], aitemplate_id=TEMPLATE, user_data=user_data))
    listed = client.get_aiimage_jobs(GetAIImageJobsRequest(job_ids=submitted.body.job_id))

    assert submitted.status_code == 200 and len(submitted.body.job_id) == 32 and submitted.body.request_id
    [job] = listed.body.aiimage_job_list
    assert (job.job_id, job.video_id, job.template_id, job.user_data) == (
        submitted.body.job_id, VIDEOS["interview"], TEMPLATE, user_data)
    assert job.status in ("processing", "success") and job.creation_time.endswith("Z")
    assert json.loads(job.template_config) == {"Format": "gif", "SetDefaultCover": "true"}


def test_the_official_sdk_sees_a_wrong_secret_as_signature_does_not_match(emulator: EmulatorProcess) -> None:
    client = sdk_client(emulator, secret="not-the-secret")

    with pytest.raises(Exception) as raised:
        client.submit_aiimage_job(SubmitAIImageJobRequest(video_id=VIDEOS["interview"], aitemplate_id=TEMPLATE))

    assert getattr(raised.value, "code", None) == "SignatureDoesNotMatch"
    assert getattr(raised.value, "status_code", None) == 400


def test_the_official_sdk_sees_an_unknown_video_as_not_found(emulator: EmulatorProcess) -> None:
    with pytest.raises(Exception) as raised:
        sdk_client(emulator).submit_aiimage_job(SubmitAIImageJobRequest(video_id="f" * 32, aitemplate_id=TEMPLATE))

    assert getattr(raised.value, "code", None) == "InvalidVideo.NotFound"
