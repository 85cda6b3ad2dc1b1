"""Polling with a deadline, in place of sleeps: the wait either sees its condition or fails the test."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, every: float = 0.05) -> None:
    """Poll `predicate` every `every` seconds until it is true; AssertionError naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


def read_until(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 10.0, what: str = "the value to be done") -> T:
    """Poll `read` until `done` says yes of its value; that value, or AssertionError naming `what` (and the last value)."""
    values: list[T] = []

    def finished() -> bool:
        values.append(read())
        return done(values[-1])

    try:
        wait_for(finished, timeout, what)
    except AssertionError as late:
        raise AssertionError(f"{late}; last value: {values[-1]!r}") from None
    return values[-1]
