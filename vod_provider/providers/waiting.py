"""`wait:` — poll a submitted job until it ends or the wait runs out, reporting progress as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable

from vod_provider.api.models import AIImageJobInfo
from vod_provider.providers.outputs import TERMINAL_STATUSES

FIRST_POLL_SECONDS = 1.0
MAX_POLL_SECONDS = 15.0


def wait_for_job(
    lookup: Callable[[str], AIImageJobInfo | None],
    job_id: str,
    label: str,
    timeout: float,
    report: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> AIImageJobInfo | None:
    """The job's last known info: terminal, or whatever it was when `timeout` seconds ran out."""
    start = clock()
    interval = FIRST_POLL_SECONDS
    while True:
        info = lookup(job_id)
        elapsed = clock() - start
        if info is not None and info.status in TERMINAL_STATUSES:
            report(f"{label}: {info.status} after {elapsed:.0f}s")
            return info
        left = timeout - elapsed
        status = info.status if info is not None else "not visible yet"
        if left <= 0:
            report(f"{label}: still {status} after waiting {timeout:.0f}s; it stays recorded, `pulumi refresh` updates it later")
            return info
        report(f"{label}: {status}, waited {elapsed:.0f}s of {timeout:.0f}s")
        sleep(min(interval, left))
        interval = min(interval * 1.5, MAX_POLL_SECONDS)
