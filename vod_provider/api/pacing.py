"""Client-side pacing: stay under the API's per-account QPS instead of provoking throttling.

One RateLimiter lives in the provider process and is shared by every resource and thread, so
1,000 creates on 4 provider threads still send at most `rate` calls per second per action.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

# Documented per-account limits (shared/reference/vod-api.md §5.5); unknown actions get the lowest.
DOCUMENTED_QPS: Mapping[str, float] = {
    "SubmitAIImageJob": 30.0,
    "GetAIImageJobs": 30.0,
    "ListAIImageInfo": 100.0,
    "GetVideoInfo": 100.0,
    "AddAITemplate": 5.0,
    "GetAITemplate": 5.0,
    "ListAITemplate": 5.0,
    "UpdateAITemplate": 5.0,
    "DeleteAITemplate": 5.0,
    "SetDefaultAITemplate": 5.0,
    "GetDefaultAITemplate": 10.0,
}
FALLBACK_QPS = 5.0
# Leave headroom under the documented limit for sends made late on a loaded machine: 1 call in 20 (0.97
# let a loaded CI run exhaust its retries under injected throttling). Other clients of the account are
# what `vodjobs:maxQps` is for.
HEADROOM = 0.95


def default_rate(action: str, max_qps: float | None) -> float:
    """The pace for one action: just under its documented limit, and never above `max_qps`."""
    rate = DOCUMENTED_QPS.get(action, FALLBACK_QPS) * HEADROOM
    return min(rate, max_qps) if max_qps else rate


class RateLimiter:
    """Spaces calls of each action at least 1/rate seconds apart (no bursts). Thread-safe."""

    def __init__(
        self,
        max_qps: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._max_qps = max_qps
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def acquire(self, action: str) -> float:
        """Wait for this action's next slot; returns the seconds waited."""
        interval = 1.0 / default_rate(action, self._max_qps)
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(action, now))
            self._next_slot[action] = slot + interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return max(wait, 0.0)
