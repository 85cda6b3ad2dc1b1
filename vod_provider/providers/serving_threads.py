"""More than four provider calls at once: the dynamic provider server's worker pool, widened.

Pulumi's Python dynamic provider server (`pulumi/dynamic/__main__.py`, SDK 3.272.0 to 3.274.1) serves gRPC on a
`ThreadPoolExecutor(max_workers=4)`, hard-coded (pulumi-dynamic.md §1.10 and Part 5). A create holds its thread for
the whole SubmitAIImageJob round trip, so however many steps the engine runs at once (`--parallel`: 4 × the cores
by default, 8 on a 2-core runner), submits cannot go faster than 4 ÷ RTT. On a runner 150 ms from the region that is
26.7/s, under the 30/s the API allows, and no local work can win it back.

Nothing in the providers needs that limit: every method is thread-safe, and the pace is the one RateLimiter the
process shares. So the first configure() raises the limit of the pool that serves it to SERVING_THREADS. The pool
still makes a thread only when a call finds every other thread busy, so it never holds more threads than the engine
sends calls at once. The pool is found from the thread that runs configure(): CPython's pool threads
(`concurrent.futures.thread`) run `_worker` with a weak reference to their executor as the first argument. If a
later Python or SDK changes that shape, the pool stays at 4 and nothing else changes. tests/e2e/test_scale_small.py
(more than 4 submits in flight at the emulator) would say so.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

from vod_provider.providers.engine_errors import dynamic_server_main

# The engine's default --parallel is 4 × GOMAXPROCS (8 on 2 cores, 16 on 4). Calls beyond what the engine sends never
# come, and the RateLimiter keeps the pace, so a higher limit costs nothing.
SERVING_THREADS = 16

_lock = threading.Lock()


def serving_pool(thread: threading.Thread) -> ThreadPoolExecutor | None:
    """The ThreadPoolExecutor whose worker `thread` is, or None when it is not one (or the shape is unknown)."""
    args = getattr(thread, "_args", None)
    if not isinstance(args, tuple) or not args or not isinstance(args[0], weakref.ReferenceType):
        return None
    pool = args[0]()
    if not isinstance(pool, ThreadPoolExecutor) or not isinstance(getattr(pool, "_max_workers", None), int):
        return None
    return pool


def widen_serving_pool(workers: int = SERVING_THREADS, modules: Mapping[str, ModuleType] | None = None,
                       thread: threading.Thread | None = None) -> int | None:
    """In the dynamic provider process, let the pool serving this call run `workers` calls at once.

    Returns the pool's limit afterwards, or None outside the provider process or when the pool cannot be found
    (then nothing changes). Never lowers a limit. Idempotent and thread-safe: every configure() calls it.
    """
    if dynamic_server_main(modules) is None:
        return None
    pool = serving_pool(threading.current_thread() if thread is None else thread)
    if pool is None:
        return None
    with _lock:
        # Read by the pool when a call arrives (`_adjust_thread_count`): the next busy moment adds threads.
        if pool._max_workers < workers:
            pool._max_workers = workers
        return pool._max_workers
