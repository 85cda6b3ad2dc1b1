"""Throttling and injected faults, each observable by a plain client (http.client + the independent V1 signer)."""

from __future__ import annotations

import http.client
import time
import urllib.error
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.emulator.plain_client import V1Client
from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import StartEmulator, emulators

VIDEO = VIDEOS["teaser"]


@pytest.fixture(scope="module")
def faulty() -> Iterator[EmulatorProcess]:
    """An emulator of this module's own; each test starts from no faults and the default QPS limits."""
    with emulators() as fleet:
        yield fleet.start(job_duration=0.1)


@pytest.fixture
def emu(faulty: EmulatorProcess) -> Iterator[EmulatorProcess]:
    faulty.clear_faults()
    yield faulty
    faulty.clear_faults()


def plain(process: EmulatorProcess) -> V1Client:
    return V1Client(process.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def submit(client: V1Client) -> tuple[int, str]:
    reply = client.call("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": TEMPLATE})
    return reply.status, reply.code if reply.status != 200 else reply.json()["JobId"]


def test_an_injected_error_answers_its_code_and_runs_nothing(emu: EmulatorProcess) -> None:
    emu.set_faults({"actions": {"SubmitAIImageJob": {"errorRate": 1.0, "errorCode": "ServiceUnavailable"}}})
    mark = emu.log_position()

    outcomes = [submit(plain(emu)) for _ in range(5)]

    assert outcomes == [(503, "ServiceUnavailable")] * 5
    assert emu.submitted_job_ids(mark) == []
    assert [e["fault"]["injectedError"] for e in emu.calls(mark)] == ["ServiceUnavailable"] * 5


def test_errors_come_at_about_the_configured_rate_with_the_configured_status(emu: EmulatorProcess) -> None:
    emu.set_faults({"qpsLimits": False,
                    "actions": {"GetVideoInfo": {"errorRate": 0.3, "errorCode": "InternalError", "httpStatus": 502}}})
    client = plain(emu)

    seen = Counter((r.status, r.code if r.status != 200 else "") for r in
                   (client.call("GetVideoInfo", {"VideoId": VIDEO}) for _ in range(300)))

    assert set(seen) == {(200, ""), (502, "InternalError")}
    assert 50 <= seen[(502, "InternalError")] <= 130  # 90 expected; ±5 standard deviations


def test_added_latency_delays_the_answer(emu: EmulatorProcess) -> None:
    emu.set_faults({"actions": {"*": {"latencyMs": 400}}})
    client = plain(emu)

    began = time.monotonic()
    reply = client.call("GetVideoInfo", {"VideoId": VIDEO})
    elapsed = time.monotonic() - began

    assert reply.status == 200 and elapsed >= 0.4


def test_a_dropped_response_breaks_the_connection_but_the_job_is_recorded(emu: EmulatorProcess) -> None:
    emu.set_faults({"actions": {"SubmitAIImageJob": {"dropResponseRate": 1.0}}})
    client = plain(emu)
    mark = emu.log_position()

    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        submit(client)

    [logged] = emu.calls(mark, "SubmitAIImageJob")
    assert logged["httpStatus"] == 200 and logged["fault"]["droppedResponse"] is True
    emu.clear_faults()
    [job] = client.call("GetAIImageJobs", {"JobIds": logged["response"]["JobId"]}).json()["AIImageJobList"]
    assert job["VideoId"] == VIDEO


def test_default_limits_throttle_a_burst_beyond_one_second_of_calls(emu: EmulatorProcess) -> None:
    client = plain(emu)

    statuses = [(r.status, r.code if r.status != 200 else "") for r in
                (client.call("GetAITemplate", {"TemplateId": TEMPLATE}) for _ in range(30))]

    assert statuses[:10] == [(200, "")] * 10  # a burst of up to 10 (at least one second's worth) is fine
    assert (400, "Throttling.User") in statuses[10:]


def test_limits_are_set_per_action_through_the_faults_endpoint_and_can_be_switched_off(emu: EmulatorProcess) -> None:
    client = plain(emu)
    described = emu.set_faults({"qps": {"GetVideoInfo": 1}})
    limited = [client.call("GetVideoInfo", {"VideoId": VIDEO}).status for _ in range(20)]
    emu.set_faults({"qpsLimits": False})
    unlimited = [client.call("GetVideoInfo", {"VideoId": VIDEO}).status for _ in range(20)]

    assert described["qps"]["GetVideoInfo"] == 1 and described["qpsLimits"] is True
    assert limited.count(400) >= 5
    assert unlimited == [200] * 20


def test_limits_are_set_by_flag_at_start(start_emulator: StartEmulator) -> None:
    strict = plain(start_emulator("--qps", "GetVideoInfo=1"))
    free = plain(start_emulator("--no-qps-limits"))

    strict_codes = [strict.call("GetVideoInfo", {"VideoId": VIDEO}).code for _ in range(20)]
    free_statuses = {free.call("GetAITemplate", {"TemplateId": TEMPLATE}).status for _ in range(30)}

    assert strict_codes.count("Throttling.User") >= 5
    assert free_statuses == {200}


def test_a_malformed_fault_rule_is_refused_by_the_admin_endpoint(emu: EmulatorProcess) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        emu.set_faults({"actions": {"SubmitAIImageJob": {"errorRate": 2}}})

    assert refused.value.code == 400
    assert "error_rate must be a number from 0 to 1" in refused.value.read().decode()
