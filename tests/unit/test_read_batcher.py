"""Refreshing many jobs costs one GetAIImageJobs call per group of concurrent lookups, not one per job."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from vod_provider.api.models import AIImageJobInfo
from vod_provider.providers.read_batching import ReadBatcher


def info(job_id: str) -> AIImageJobInfo:
    return AIImageJobInfo(job_id, "v", "success", "Success", "success", "[]", "t", "{}", "2026-01-01T00:00:00Z", "")


class FakeApi:
    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.calls: list[list[str]] = []
        self.lock = threading.Lock()

    def get_ai_image_jobs(self, job_ids: Sequence[str]) -> list[AIImageJobInfo]:
        assert 1 <= len(job_ids) <= 10
        with self.lock:
            self.calls.append(list(job_ids))
        return [info(j) for j in job_ids if j in self.known]


def test_twenty_five_lookups_on_four_threads_take_at_most_seven_calls() -> None:
    ids = [f"{n:032x}" for n in range(25)]
    api = FakeApi(set(ids))
    batcher = ReadBatcher(api.get_ai_image_jobs, window=0.5)

    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(batcher.lookup, ids))

    assert [f.job_id if f else None for f in found] == ids
    assert len(api.calls) <= 7
    assert sorted(j for call in api.calls for j in call) == ids


def test_on_eight_threads_a_call_carries_eight_lookups_not_four() -> None:
    # The engine runs 8 steps at once on 2 cores, and the provider's pool serves them all (serving_threads.py).
    ids = [f"{n:032x}" for n in range(80)]
    api = FakeApi(set(ids))
    batcher = ReadBatcher(api.get_ai_image_jobs, window=0.5)

    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(batcher.lookup, ids))

    assert [f.job_id if f else None for f in found] == ids
    assert len(api.calls) <= 13  # 10 full calls, a few before the batcher has seen all 8 (a fixed 4 makes 20)


def test_an_unknown_job_is_none_and_a_lone_lookup_does_not_wait_for_company_forever() -> None:
    api = FakeApi(set())
    batcher = ReadBatcher(api.get_ai_image_jobs, window=0.01)

    assert batcher.lookup("f" * 32) is None
    assert api.calls == [["f" * 32]]


def test_a_failed_call_reaches_every_caller_of_its_batch() -> None:
    def failing(job_ids: Sequence[str]) -> list[AIImageJobInfo]:
        raise RuntimeError("Throttling.User")

    batcher = ReadBatcher(failing, window=0.2)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(batcher.lookup, f"{n:032x}") for n in range(4)]
    for future in futures:
        with pytest.raises(RuntimeError, match="Throttling"):
            future.result()


def test_twenty_five_lookups_one_at_a_time_in_batches_take_three_calls_in_any_order() -> None:
    # The engine's checks come one after another, not in the program's order: each names its batch of ten.
    ids = [f"j{n:02d}" for n in range(25)]
    api = FakeApi(set(ids) - {"j13"})
    batcher = ReadBatcher(api.get_ai_image_jobs)
    order = [*ids[5:10], *reversed(ids[:5]), *ids[20:], *ids[10:20]]

    found = {job_id: batcher.lookup_with(job_id, ids[n // 10 * 10:n // 10 * 10 + 10]) for n, job_id in
             sorted(enumerate(ids), key=lambda pair: order.index(pair[1]))}

    assert {job_id: one.job_id if one else None for job_id, one in found.items()} == {j: None if j == "j13" else j for j in ids}
    assert sorted(len(call) for call in api.calls) == [5, 10, 10]
    assert batcher.lookup_with("j05", ids[:10]) is not None and len(api.calls) == 4  # each answer is handed out once
