"""Throttling and fault rules of the emulator (vod_emulator.faults), on a fake clock."""

from __future__ import annotations

from typing import Any

import pytest

from vod_emulator.faults import DEFAULT_QPS, MIN_BURST, FaultInjector, FaultRule, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def allowed(limiter: RateLimiter, action: str, calls: int) -> int:
    return sum(limiter.allow(action) for _ in range(calls))


@pytest.mark.parametrize(("action", "burst"), [
    ("SubmitAIImageJob", 30), ("GetVideoInfo", 100), ("AddAITemplate", MIN_BURST), ("GetDefaultAITemplate", MIN_BURST),
])
def test_a_bucket_holds_at_least_one_second_of_calls_and_refills_at_its_rate(action: str, burst: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)

    first = allowed(limiter, action, 200)
    clock.now += 1.0
    after_one_second = allowed(limiter, action, 200)

    assert first == burst
    assert after_one_second == DEFAULT_QPS[action]


def test_limits_change_per_action_restore_and_switch_off() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)

    limiter.configure({"GetVideoInfo": 2})
    two_per_second = allowed(limiter, "GetVideoInfo", 50)
    limiter.configure({"GetVideoInfo": None})
    restored = allowed(limiter, "GetVideoInfo", 500)
    limiter.configure({}, enabled=False)
    off = allowed(limiter, "GetVideoInfo", 500)

    assert (two_per_second, restored, off) == (MIN_BURST, 100, 500)
    assert limiter.describe()["qpsLimits"] is False and limiter.describe()["qps"]["GetVideoInfo"] == 100


def test_an_action_without_a_limit_is_never_throttled() -> None:
    assert allowed(RateLimiter({}, clock=FakeClock()), "SubmitAIImageJob", 1000) == 1000


@pytest.mark.parametrize(("rule", "problem"), [
    ({"errorRate": 1.5}, "error_rate must be a number from 0 to 1"),
    ({"dropResponseRate": -0.1}, "drop_response_rate must be a number from 0 to 1"),
    ({"latencyMs": -1}, "latencyMs must be a number"),
    ({"errorCode": ""}, "errorCode must be a non-empty string"),
    ({"httpStatus": 200}, "httpStatus must be an integer from 400 to 599"),
    ({"rate": 1}, r"unknown fault field\(s\) rate"),
])
def test_a_malformed_fault_rule_is_refused_with_its_reason(rule: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        FaultRule.from_json(rule)


def test_faults_come_at_their_rate_from_a_seeded_source_and_the_star_rule_covers_every_action() -> None:
    injector = FaultInjector(seed=3)
    injector.set_rules({"SubmitAIImageJob": FaultRule(error_rate=0.25, error_code="Throttling.User"),
                        "*": FaultRule(latency_ms=20, drop_response_rate=1.0)}, known_actions=["SubmitAIImageJob"])

    decisions = [injector.decide("SubmitAIImageJob") for _ in range(4000)]
    other = injector.decide("GetVideoInfo")

    errors = [d.error for d in decisions if d.error is not None]
    assert 800 <= len(errors) <= 1200
    assert {(e.http_status, e.code) for e in errors} == {(400, "Throttling.User")}
    assert (other.latency, other.error, other.drop_response) == (0.02, None, True)


def test_rules_name_known_actions_and_an_empty_rule_removes_one() -> None:
    injector = FaultInjector()
    injector.set_rules({"GetVideoInfo": FaultRule(error_rate=1.0)}, known_actions=["GetVideoInfo"])

    with pytest.raises(ValueError, match="no such action DeleteVideo"):
        injector.set_rules({"DeleteVideo": FaultRule()}, known_actions=["GetVideoInfo"])
    injector.set_rules({"GetVideoInfo": None}, known_actions=["GetVideoInfo"])

    assert injector.describe() == {"actions": {}}
