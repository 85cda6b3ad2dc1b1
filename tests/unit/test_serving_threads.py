"""serving_threads: the dynamic provider server's pool of 4 serves more calls at once, in that process only."""

from __future__ import annotations

import importlib.machinery
import threading
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

from vod_provider.providers.engine_errors import DYNAMIC_SERVER_MODULE
from vod_provider.providers.serving_threads import serving_pool, widen_serving_pool


def module(name: str) -> dict[str, ModuleType]:
    main = ModuleType("__main__")
    main.__spec__ = importlib.machinery.ModuleSpec(name, None)
    return {"__main__": main}


def test_a_call_served_by_a_pool_of_4_widens_it_and_more_calls_then_run_at_once() -> None:
    server = module(DYNAMIC_SERVER_MODULE)
    with ThreadPoolExecutor(max_workers=4) as pool:
        # As the first configure() does, on one of the pool's own threads; twice, as every configure() does.
        assert pool.submit(widen_serving_pool, 8, server).result(timeout=10) == 8
        assert pool.submit(widen_serving_pool, 8, server).result(timeout=10) == 8
        assert pool.submit(widen_serving_pool, 6, server).result(timeout=10) == 8  # never lowered

        inside, release = threading.Semaphore(0), threading.Event()

        def call() -> None:
            inside.release()
            release.wait(10)

        calls = [pool.submit(call) for _ in range(8)]
        try:
            assert all(inside.acquire(timeout=10) for _ in range(8))  # 8 calls at once, not 4
        finally:
            release.set()
        for done in calls:
            done.result(timeout=10)


def test_outside_the_provider_process_or_outside_a_pool_nothing_changes() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert pool.submit(widen_serving_pool, 8, module("pulumi_language_python_exec")).result(timeout=10) is None
        assert pool._max_workers == 4
    # The main thread of the process (the program, tests, the CLI) is no pool's worker.
    assert widen_serving_pool(8, module(DYNAMIC_SERVER_MODULE)) is None
    assert serving_pool(threading.current_thread()) is None
    assert widen_serving_pool(8, {}) is None
