"""The request log: every API call the emulator answered, in order, for `GET /_emulator/requests`.

An entry is a JSON object (app.py fills it):

    seq         its position: 1, 2, … counted over the process's life (a `since` taken before a reset stays valid)
    action      the Action asked for, as sent ("" when none)
    params      the request's parameters without the auth ones (AccessKeyId, Signature, Timestamp, …)
    requestId   the RequestId the answer carried
    httpStatus  the answer's HTTP status
    code        "Success", or the error's Code
    response    on success: the body without RequestId (absent on errors)
    time        when the call arrived, epoch seconds
    auth        "V1" or "V3"; null when the call never got past authentication
    fault       null, or what an injected fault did: {latencyMs, injectedError, droppedResponse}

It lives in memory only and keeps the last LOG_LIMIT entries.
"""

from __future__ import annotations

import threading
from typing import Any

LOG_LIMIT = 100_000  # entries kept; past it the oldest half is forgotten at once (cheaper than one by one)


class RequestLog:
    """Thread-safe: the server answers calls from many threads at once."""

    def __init__(self, limit: int = LOG_LIMIT) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._seq = 0

    def record(self, entry: dict[str, Any]) -> int:
        """Append `entry`, giving it the next `seq`; returns that position."""
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
            if len(self._entries) > self._limit:
                del self._entries[: self._limit // 2]
            return self._seq

    def since(self, position: int = 0) -> list[dict[str, Any]]:
        """Every entry logged after `position`, oldest first."""
        with self._lock:
            return [e for e in self._entries if e["seq"] > position]

    def position(self) -> int:
        """The `seq` of the last entry logged (0 before the first)."""
        with self._lock:
            return self._seq

    def clear(self) -> None:
        """Forget every entry; positions keep counting."""
        with self._lock:
            self._entries.clear()
