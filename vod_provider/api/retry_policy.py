"""Which failed calls may be sent again, and after how long (pure: what a failure means in, decisions out).

The VOD API has no idempotency token for SubmitAIImageJob, so a submit is resent only when the
failure proves the service did not execute it. Reads are resent after any transient failure.
What a failure proves comes from the one code table (api/errors.py ERROR_CODES).

An endpoint that cannot be reached at all (its name does not resolve, it refuses or never accepts the
connection) is tried `max_unreachable_attempts` times, not `max_attempts`: a typo in the region or the
endpoint never heals, and a minute of backoff would only hide it. With the defaults a refused connection or a name
that does not resolve fails the call after 3 attempts and at most 0.6 s of backoff (`unreachable_backoff_bound`), so
well within 2 s; an endpoint that never accepts the connection costs 3 connect timeouts on top (VodClient's 5 s each).
README "Pacing and retries" states these bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vod_provider.api.errors import CodeInfo, Meaning

UNREACHABLE_NOTE = "vodjobs stops early when it cannot reach the endpoint at all"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    max_unreachable_attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 10.0

    def attempts_allowed(self, info: CodeInfo) -> int:
        return self.max_unreachable_attempts if info.unreachable else self.max_attempts

    def may_retry(self, info: CodeInfo, attempt: int, idempotent: bool) -> bool:
        """`attempt` counts from 1 (the call that just failed)."""
        if attempt >= self.attempts_allowed(info):
            return False
        if info.meaning in (Meaning.THROTTLED, Meaning.NOT_EXECUTED):
            return True
        return info.meaning is Meaning.MAY_HAVE_EXECUTED and idempotent

    def why_stopped(self, info: CodeInfo, attempt: int) -> str:
        """A few words for the error message when the retries ran out early because the endpoint is unreachable."""
        return UNREACHABLE_NOTE if info.unreachable and attempt >= self.max_unreachable_attempts else ""

    def unreachable_backoff_bound(self) -> float:
        """The most a call waits between attempts, in seconds, before it gives up on an unreachable endpoint."""
        return sum((min(self.max_delay, self.base_delay * 2 ** (attempt - 1)) for attempt in range(1, self.max_unreachable_attempts)), 0.0)

    def delay(self, attempt: int, uniform: Callable[[float, float], float]) -> float:
        """Capped exponential backoff with full jitter: uniform(0, min(cap, base * 2**(attempt-1)))."""
        return uniform(0.0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))
