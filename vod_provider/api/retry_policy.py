"""Which failed calls may be sent again, and after how long (pure: errors and numbers in, decisions out).

The VOD API has no idempotency token for SubmitAIImageJob, so a submit is resent only when the
failure proves the service did not execute it. Reads are resent after any transient failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    NOT_EXECUTED = "not executed"  # safe to resend anything
    AMBIGUOUS = "may have executed"  # safe to resend a read, never a submit
    PERMANENT = "permanent"  # resending cannot help (credentials, parameters, …)


# Codes that prove the request was refused before the action ran.
NOT_EXECUTED_CODES = frozenset({"ServiceUnavailable", "ServiceUnAvailable", "SignatureNonceUsed"})
# Codes of a failure inside the service: the action may or may not have run.
# InvalidResponse: an answer we could not read (cut short, not JSON) may still follow an executed action.
AMBIGUOUS_CODES = frozenset({"InternalError", "InternalFailure", "UnknownError", "InvalidResponse"})


def classify(code: str, http_status: int | None, may_have_executed: bool | None = None) -> Outcome:
    """Classify a failure by the cloud's Code and HTTP status, or a transport failure by what it proves."""
    if may_have_executed is not None:  # transport failure: no answer at all
        return Outcome.AMBIGUOUS if may_have_executed else Outcome.NOT_EXECUTED
    if code.startswith("Throttling") or code in NOT_EXECUTED_CODES:
        return Outcome.NOT_EXECUTED
    if code in AMBIGUOUS_CODES or (http_status is not None and http_status >= 500):
        return Outcome.AMBIGUOUS
    return Outcome.PERMANENT


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    base_delay: float = 0.2
    max_delay: float = 10.0

    def may_retry(self, outcome: Outcome, attempt: int, idempotent: bool) -> bool:
        """`attempt` counts from 1 (the call that just failed)."""
        if attempt >= self.max_attempts:
            return False
        return outcome is Outcome.NOT_EXECUTED or (outcome is Outcome.AMBIGUOUS and idempotent)

    def delay(self, attempt: int, uniform: Callable[[float, float], float]) -> float:
        """Capped exponential backoff with full jitter: uniform(0, min(cap, base * 2**(attempt-1)))."""
        return uniform(0.0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))
