"""Coalesce concurrent job lookups into shared GetAIImageJobs calls (up to 10 JobIds each).

The engine asks the provider about one job per call (refresh, adopt, wait), on as many threads at once as it runs
steps (`--parallel`, 8 on 2 cores; the provider's pool serves them all, serving_threads.py). Each lookup joins the
open batch; the first one to arrive waits a moment for the others (until the batch holds as many ids as lookups
have been seen at once, at least `target_size`, or `window` seconds pass), then makes one call for all of them and
hands each caller its own answer. The target follows the most lookups seen at once: a batch that left with only the
threads that happened to be free would leave the rest to the next call (each call spends one of the account's
GetAIImageJobs per second).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vod_provider.api.models import MAX_JOB_IDS_PER_QUERY, AIImageJobInfo

# The Python dynamic provider's own pool serves 4 calls at once (pulumi-dynamic.md §1.10): the least a batch waits for.
PROVIDER_CONCURRENCY = 4


@dataclass
class _Batch:
    job_ids: list[str] = field(default_factory=list)
    full: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    found: dict[str, AIImageJobInfo] = field(default_factory=dict)
    error: Exception | None = None


class ReadBatcher:
    """Thread-safe: `lookup(job_id)` returns the job's info, or None if the service does not know it."""

    def __init__(
        self,
        fetch: Callable[[Sequence[str]], list[AIImageJobInfo]],
        target_size: int = PROVIDER_CONCURRENCY,
        window: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._target = min(max(target_size, 1), MAX_JOB_IDS_PER_QUERY)
        self._window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._open: _Batch | None = None
        self._inside = 0  # lookups under way (in a batch, waiting or being fetched)
        # Answers fetched ahead of their lookup (lookup_with), each handed out once: JobId → info, None if unknown.
        self._ahead: dict[str, AIImageJobInfo | None] = {}

    def lookup_with(self, job_id: str, batch: Sequence[str]) -> AIImageJobInfo | None:
        """`lookup(job_id)` for lookups that come one at a time, knowing the JobIds looked up with it (`batch`).

        The engine checks a program's resources one after another, so the adoption checks of a preview never meet in
        a batch: each would cost a GetAIImageJobs call (10,000 adoptions: 10,000 calls, over 5 minutes at the pace).
        The program names each adopting job's batch; the first lookup of a batch fetches it whole (at most 10, less
        those already fetched for a lookup to come) and keeps the other answers for their own lookups, in whatever order they come. Each
        answer is handed out once, so nothing is kept longer than until its lookup (a job's status may change; its
        identity, all an adoption check compares, does not).
        """
        with self._lock:
            if job_id in self._ahead:
                return self._ahead.pop(job_id)
            # Its batch's first lookup (or the first of a second round of checks: answers were handed out once).
            wanted = list(dict.fromkeys([job_id, *(one for one in batch if one not in self._ahead)]))[:MAX_JOB_IDS_PER_QUERY]
        found = {info.job_id: info for info in self._fetch(wanted)}
        with self._lock:
            for one in wanted[1:]:
                self._ahead[one] = found.get(one)
        return found.get(job_id)

    def lookup(self, job_id: str) -> AIImageJobInfo | None:
        with self._lock:
            self._inside += 1
            # The most lookups seen at once is how many the engine runs: wait for that many (at most 10 fit a call).
            self._target = min(max(self._target, self._inside), MAX_JOB_IDS_PER_QUERY)
            batch, leader = self._open, False
            if batch is None or len(batch.job_ids) >= MAX_JOB_IDS_PER_QUERY:
                batch, leader = _Batch(), True
                self._open = batch
            batch.job_ids.append(job_id)
            if len(batch.job_ids) >= self._target:
                batch.full.set()
        try:
            if leader:
                self._run(batch)
            batch.done.wait()
        finally:
            with self._lock:
                self._inside -= 1
        if batch.error is not None:
            raise batch.error
        return batch.found.get(job_id)

    def _run(self, batch: _Batch) -> None:
        batch.full.wait(self._window)
        with self._lock:
            if self._open is batch:
                self._open = None  # later lookups start a new batch
            ids = list(dict.fromkeys(batch.job_ids))
        try:
            batch.found = {info.job_id: info for info in self._fetch(ids)}
        except Exception as error:  # handed to every caller of this batch
            batch.error = error
        finally:
            batch.done.set()
