"""VodClient turns every failure into a typed VodError a user can act on, and never shows the secret."""

from __future__ import annotations

import socket

import pytest

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from vod_emulator.server import EmulatorServer
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials
from vod_provider.api.errors import VodError, VodTransportError

GOOD = Credentials(TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def test_submit_and_get_round_trip(inprocess_emulator: EmulatorServer) -> None:
    client = VodClient(inprocess_emulator.url, GOOD)

    job = client.submit_ai_image_job(VIDEOS["trailer"], TEMPLATE, '{"Extend":{"k":"v"}}')
    [info] = client.get_ai_image_jobs([job.job_id, "0" * 32])

    assert (info.job_id, info.video_id, info.user_data) == (job.job_id, VIDEOS["trailer"], '{"Extend":{"k":"v"}}')


def test_a_wrong_secret_is_a_vod_error_with_the_cloud_code_and_advice(inprocess_emulator: EmulatorServer) -> None:
    wrong = Credentials(TEST_KEY.access_key_id, "wrong-secret-value")

    with pytest.raises(VodError) as raised:
        VodClient(inprocess_emulator.url, wrong).submit_ai_image_job(VIDEOS["trailer"], TEMPLATE)

    error = raised.value
    assert (error.action, error.code, error.http_status) == ("SubmitAIImageJob", "SignatureDoesNotMatch", 400)
    assert error.request_id and error.request_id in str(error)
    assert "vodjobs:accessKeySecret" in str(error)
    assert "wrong-secret-value" not in str(error)


def test_a_refused_connection_is_known_not_to_have_executed() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there

    with pytest.raises(VodTransportError) as raised:
        VodClient(f"http://127.0.0.1:{port}", GOOD).submit_ai_image_job(VIDEOS["trailer"], TEMPLATE)

    assert raised.value.may_have_executed is False
    assert TEST_KEY.access_key_secret not in str(raised.value)


def test_get_ai_image_jobs_takes_one_to_ten_ids() -> None:
    client = VodClient("http://127.0.0.1:9", GOOD)
    with pytest.raises(ValueError, match="1 to 10 JobIds"):
        client.get_ai_image_jobs(["a"] * 11)
