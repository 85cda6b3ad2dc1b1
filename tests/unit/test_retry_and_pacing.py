"""A failed call is resent only when that cannot run it twice, and calls are paced under the API's QPS."""

from __future__ import annotations

import random
import threading

import pytest

from tests.support.scripted_server import ScriptedServer
from vod_emulator.faults import DEFAULT_QPS
from vod_emulator.faults import RateLimiter as EmulatorBucket
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials
from vod_provider.api.errors import ERROR_CODES, AmbiguousError, CodeInfo, Meaning, ThrottledError, VodError
from vod_provider.api.pacing import RateLimiter, default_rate
from vod_provider.api.retry_policy import UNREACHABLE_NOTE, RetryPolicy

CREDS = Credentials("LTAIunit", "unit-secret")


@pytest.mark.parametrize(
    ("meaning", "idempotent", "retried"),
    [
        (Meaning.THROTTLED, False, True),
        (Meaning.NOT_EXECUTED, False, True),
        (Meaning.NOT_EXECUTED, True, True),
        (Meaning.MAY_HAVE_EXECUTED, True, True),
        (Meaning.MAY_HAVE_EXECUTED, False, False),
        (Meaning.PERMANENT, True, False),
        (Meaning.NOT_FOUND, True, False),
    ],
)
def test_only_reads_are_resent_after_an_ambiguous_failure(meaning: Meaning, idempotent: bool, retried: bool) -> None:
    assert RetryPolicy().may_retry(CodeInfo(meaning, "test"), attempt=1, idempotent=idempotent) is retried


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(max_attempts=20, base_delay=0.2, max_delay=10.0)
    upper = [policy.delay(n, lambda low, high: high) for n in (1, 2, 3, 7, 12)]
    assert upper == [0.2, 0.4, 0.8, 10.0, 10.0]
    assert policy.delay(5, lambda low, high: low) == 0.0
    assert not policy.may_retry(ERROR_CODES["Throttling.User"], attempt=20, idempotent=True)


def test_an_endpoint_that_cannot_be_reached_is_tried_three_times_not_ten() -> None:
    policy = RetryPolicy()
    unreachable = ERROR_CODES["Transport.Unresolved"]

    assert [policy.may_retry(unreachable, attempt=n, idempotent=True) for n in (1, 2, 3)] == [True, True, False]
    assert policy.may_retry(ERROR_CODES["ServiceUnavailable"], attempt=3, idempotent=False)
    assert policy.why_stopped(unreachable, 3) == UNREACHABLE_NOTE and policy.why_stopped(ERROR_CODES["Throttling"], 10) == ""


def test_a_refused_connection_gives_up_after_at_most_the_documented_backoff() -> None:
    policy = RetryPolicy()
    waits = [policy.delay(n, lambda _low, high: high) for n in range(1, policy.max_unreachable_attempts)]

    assert policy.unreachable_backoff_bound() == pytest.approx(sum(waits)) == pytest.approx(0.6)  # README: "at most 0.6 s"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_calls_are_spaced_just_under_the_documented_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=lambda: clock.now, sleep=clock.sleep)

    for _ in range(31):
        limiter.acquire("SubmitAIImageJob")

    assert default_rate("SubmitAIImageJob", None) == pytest.approx(28.5)
    assert clock.now - 100.0 == pytest.approx(30 / 28.5)
    assert default_rate("SubmitAIImageJob", 20) == 20
    assert default_rate("AddAITemplate", 20) == pytest.approx(4.75)


def test_a_thousand_paced_submits_never_trip_the_documented_limit_even_when_sent_late() -> None:
    # The emulator's bucket for SubmitAIImageJob (30/s), fed the client's slots, each sent up to 50 ms
    # late (a thread woken late, a slow connection): late sends bunch up, the headroom absorbs them.
    clock = FakeClock()
    limiter = RateLimiter(clock=lambda: clock.now, sleep=clock.sleep)

    def next_slot() -> float:
        limiter.acquire("SubmitAIImageJob")
        return clock.now

    slots = [next_slot() for _ in range(1000)]
    late = random.Random(7)
    arrivals = sorted(slot + late.uniform(0.0, 0.05) for slot in slots)
    now = iter(arrivals)
    bucket = EmulatorBucket(DEFAULT_QPS, clock=lambda: next(now))

    assert [bucket.allow("SubmitAIImageJob") for _ in arrivals].count(False) == 0
    assert arrivals[-1] - arrivals[0] < 1000 / 28.0  # at least 28 calls/s: little of the budget left unused


def client_for(servers: list[ScriptedServer], script: list[tuple[int, dict[str, str]] | None]) -> tuple[VodClient, ScriptedServer]:
    server = ScriptedServer(script)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    servers.append(server)
    host, port = server.server_address[:2]
    return VodClient(f"http://{host!s}:{port}", CREDS, sleep=lambda s: None), server


THROTTLED = (400, {"Code": "Throttling.User", "Message": "flow control", "RequestId": "R-1"})
INTERNAL = (500, {"Code": "InternalError", "Message": "boom", "RequestId": "R-2"})
SUBMITTED = (200, {"JobId": "a" * 32, "RequestId": "R-3"})
LISTED = (200, {"AIImageJobList": [], "RequestId": "R-4"})  # type: ignore[dict-item]


def test_a_throttled_submit_is_resent_until_it_goes_through(scripted: list[ScriptedServer]) -> None:
    client, server = client_for(scripted, [THROTTLED, THROTTLED, SUBMITTED])

    assert client.submit_ai_image_job("v" * 32, "t" * 32).job_id == "a" * 32
    assert server.hits == 3


def test_a_submit_that_may_have_run_is_never_resent(scripted: list[ScriptedServer]) -> None:
    client, server = client_for(scripted, [INTERNAL, SUBMITTED])

    with pytest.raises(AmbiguousError) as raised:
        client.submit_ai_image_job("v" * 32, "t" * 32)

    assert server.hits == 1
    assert (raised.value.code, raised.value.request_id) == ("InternalError", "R-2")
    assert "may have been executed" in str(raised.value)


def test_a_submit_whose_connection_dropped_is_ambiguous(scripted: list[ScriptedServer]) -> None:
    client, server = client_for(scripted, [None, SUBMITTED])

    with pytest.raises(AmbiguousError):
        client.submit_ai_image_job("v" * 32, "t" * 32)
    assert server.hits == 1


def test_a_read_is_resent_after_any_transient_failure(scripted: list[ScriptedServer]) -> None:
    client, server = client_for(scripted, [None, INTERNAL, THROTTLED, LISTED])

    assert client.get_ai_image_jobs(["a" * 32]) == []
    assert server.hits == 4


def test_retries_give_up_with_the_last_cloud_error(scripted: list[ScriptedServer]) -> None:
    client, _ = client_for(scripted, [THROTTLED] * 10)

    with pytest.raises(ThrottledError) as raised:
        client.submit_ai_image_job("v" * 32, "t" * 32)
    assert isinstance(raised.value, VodError) and raised.value.request_id == "R-1"


def test_a_secret_echoed_back_by_an_endpoint_is_redacted_from_the_error(scripted: list[ScriptedServer]) -> None:
    echo = (400, {"Code": "InvalidParameter", "Message": f"bad key {CREDS.access_key_secret}!", "RequestId": "R-5"})
    client, _ = client_for(scripted, [echo])

    with pytest.raises(VodError) as raised:
        client.get_ai_image_jobs(["a" * 32])

    assert CREDS.access_key_secret not in str(raised.value)
    assert "bad key ***!" in str(raised.value)
