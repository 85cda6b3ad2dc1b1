"""Throttling (per-action QPS limits) and fault injection (errors, latency, dropped responses).

Both are plain objects the app consults for every authenticated API call, in this order:
QPS limit → added latency → injected error (the action does not run) → the action →
dropped response (the action ran, the caller gets a broken connection).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vod_emulator import errors

# Per-account limits, calls per second: shared/reference/vod-api.md §5.5.
DEFAULT_QPS: dict[str, float] = {
    "SubmitAIImageJob": 30,
    "GetAIImageJobs": 30,  # CHOICE: the SDK doc comment's 30, not the 2021 category's 100
    "ListAIImageInfo": 100,
    "AddAITemplate": 5,
    "GetAITemplate": 5,
    "ListAITemplate": 5,
    "UpdateAITemplate": 5,
    "DeleteAITemplate": 5,  # CHOICE: not stated anywhere; the other template actions' 5
    "SetDefaultAITemplate": 5,
    "GetDefaultAITemplate": 10,
    "GetVideoInfo": 100,
}
# CHOICE: a bucket holds max(rate, MIN_BURST) calls, at least one second's worth, so a test
# that makes a handful of calls at once is never throttled even at 5/s.
MIN_BURST = 10.0


class _Bucket:
    def __init__(self, rate: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(rate, MIN_BURST)
        self.tokens = self.capacity
        self.updated = now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class RateLimiter:
    """One token bucket per action for the whole account. Thread-safe.

    CHOICE: every AccessKey the emulator accepts belongs to the one emulated account, so all
    share its limits (the docs: "the Alibaba Cloud account together with all its RAM users").
    """

    def __init__(self, limits: Mapping[str, float] = DEFAULT_QPS, enabled: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._defaults = dict(limits)
        self._clock = clock
        self._lock = threading.Lock()
        self.enabled = enabled
        self._limits = dict(limits)
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, action: str) -> bool:
        if not self.enabled:
            return True
        with self._lock:
            rate = self._limits.get(action)
            if rate is None:
                return True
            bucket = self._buckets.get(action)
            now = self._clock()
            if bucket is None or bucket.rate != rate:
                bucket = self._buckets[action] = _Bucket(rate, now)
            return bucket.take(now)

    def configure(self, limits: Mapping[str, float | None], enabled: bool | None = None) -> None:
        """Set rates per action (None: back to the start value); optionally switch limits on or off."""
        with self._lock:
            for action, rate in limits.items():
                if rate is None:
                    self._limits.pop(action, None)
                    if action in self._defaults:
                        self._limits[action] = self._defaults[action]
                else:
                    self._limits[action] = rate
                self._buckets.pop(action, None)
            if enabled is not None:
                self.enabled = enabled

    def restore(self, limits: Mapping[str, float], enabled: bool) -> None:
        with self._lock:
            self._limits = dict(limits)
            self._buckets.clear()
            self.enabled = enabled

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"qpsLimits": self.enabled, "qps": dict(sorted(self._limits.items()))}


_RULE_JSON_KEYS = {"errorRate": "error_rate", "errorCode": "error_code", "httpStatus": "http_status",
                   "latencyMs": "latency_ms", "dropResponseRate": "drop_response_rate"}


@dataclass(frozen=True)
class FaultRule:
    """What to do to the calls of one action (or of every action, under the name "*")."""

    error_rate: float = 0.0
    error_code: str = "ServiceUnavailable"
    http_status: int | None = None  # None: the code's usual status (errors.INJECTABLE_STATUS)
    latency_ms: float = 0.0
    drop_response_rate: float = 0.0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultRule:
        unknown = sorted(set(data) - set(_RULE_JSON_KEYS))
        if unknown:
            raise ValueError(f"unknown fault field(s) {', '.join(unknown)}; known: {', '.join(_RULE_JSON_KEYS)}")
        rule = cls(**{_RULE_JSON_KEYS[k]: v for k, v in data.items()})
        for name in ("error_rate", "drop_response_rate"):
            value = getattr(rule, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a number from 0 to 1, got {value!r}")
        if not isinstance(rule.latency_ms, (int, float)) or rule.latency_ms < 0:
            raise ValueError(f"latencyMs must be a number ≥ 0, got {rule.latency_ms!r}")
        if not isinstance(rule.error_code, str) or not rule.error_code:
            raise ValueError("errorCode must be a non-empty string")
        if rule.http_status is not None and (not isinstance(rule.http_status, int) or not 400 <= rule.http_status <= 599):
            raise ValueError(f"httpStatus must be an integer from 400 to 599, got {rule.http_status!r}")
        return rule

    def to_json(self) -> dict[str, Any]:
        return {key: getattr(self, attr) for key, attr in _RULE_JSON_KEYS.items()}


@dataclass(frozen=True)
class Decision:
    latency: float = 0.0  # seconds to wait before answering
    error: errors.ApiError | None = None  # answer this instead of running the action
    drop_response: bool = False  # run the action, then close the connection without an answer


NO_FAULT = Decision()


class FaultInjector:
    """Rules per action; draws from its own seeded random source. Thread-safe."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._rules: dict[str, FaultRule] = {}

    @staticmethod
    def check_actions(rules: Mapping[str, FaultRule | None], known_actions: Iterable[str]) -> None:
        """ValueError unless every rule names a known action or "*"."""
        known = {*known_actions, "*"}
        unknown = sorted(set(rules) - known)
        if unknown:
            raise ValueError(f"no such action {', '.join(unknown)}; use one of {', '.join(sorted(known))}")

    def set_rules(self, rules: Mapping[str, FaultRule | None], known_actions: Iterable[str]) -> None:
        self.check_actions(rules, known_actions)
        with self._lock:
            for action, rule in rules.items():
                if rule is None or rule == FaultRule():
                    self._rules.pop(action, None)
                else:
                    self._rules[action] = rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def decide(self, action: str) -> Decision:
        with self._lock:
            rule = self._rules.get(action) or self._rules.get("*")
            if rule is None:
                return NO_FAULT
            fail = self._random.random() < rule.error_rate
            drop = not fail and self._random.random() < rule.drop_response_rate
        return Decision(
            latency=rule.latency_ms / 1000.0,
            error=errors.injected(rule.error_code, rule.http_status) if fail else None,
            drop_response=drop,
        )

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"actions": {action: rule.to_json() for action, rule in sorted(self._rules.items())}}
