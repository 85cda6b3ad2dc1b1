"""The provider's submit path alone, stage by stage, with the journal local and in a bucket, in one run.

    python bench/submit_path.py [--jobs 1000] [--threads 4]

What `create` does for each new job, without the engine and the program: `submit_once` through the provider's
own VodClient (one RateLimiter: the pace) and journal, on `--threads` threads (the dynamic provider serves at most
4 calls at once), against one emulator with the documented QPS limits. Once with the journal in a local directory
(fsync'd lines), once in a bucket of a local moto S3 server (one PUT before each submit leaves, one written
behind). Per submit it times each stage: the journal lookup, the wait for the pace, the `submitting` write
(before_send: on the critical path), the SubmitAIImageJob round trip, the `submitted` write; and the CPU seconds
of this process and of the S3 server. A call holds one of the threads for everything but the pace, so the path
keeps the pace while threads ÷ (busy seconds per call) stays above it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from bench.procwatch import command_children, cpu_seconds  # noqa: E402
from tests.support.emulator_process import AccessKeyPair, EmulatorProcess  # noqa: E402
from tests.support.s3_server import S3Server  # noqa: E402
from vod_provider.api.client import VodClient  # noqa: E402
from vod_provider.api.credentials import Credentials  # noqa: E402
from vod_provider.api.pacing import RateLimiter  # noqa: E402
from vod_provider.safety.journal import Journal, Submission  # noqa: E402
from vod_provider.safety.journal_location import BucketJournalLocation, LocalJournalLocation  # noqa: E402
from vod_provider.safety.stores import open_journal  # noqa: E402
from vod_provider.safety.submission import job_journal, submit_once  # noqa: E402

KEY = AccessKeyPair("LTAI5tVodjobsBenchKey001", "vodjobs-bench-secret")
TEMPLATE = hashlib.md5(b"bench-template").hexdigest()
STAGES = ("lookup", "pace", "submitting", "submit", "submitted")
_stage = threading.local()


def _note(stage: str, seconds: float) -> None:
    _stage.times[stage] = _stage.times.get(stage, 0.0) + seconds


@contextmanager
def _timed(stage: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        _note(stage, time.perf_counter() - began)


class TimedLimiter(RateLimiter):
    def acquire(self, action: str) -> float:
        waited = super().acquire(action)
        _note("pace", waited)
        return waited


class TimedJournal:
    """The Journal interface, passed through, timing lookups and writes per stage."""

    def __init__(self, inner: Journal) -> None:
        self.inner = inner

    def describe(self) -> str:
        return self.inner.describe()

    def lookup(self, key: str, digest: str) -> Submission | None:
        with _timed("lookup"):
            return self.inner.lookup(key, digest)

    def holds_job(self, key: str, job_id: str) -> bool:
        return self.inner.holds_job(key, job_id)

    def record(self, event: str, key: str, digest: str | None = None, durable: bool = True, **fields: Any) -> None:
        with _timed(event):
            self.inner.record(event, key, digest, durable, **fields)

    def settle(self, key: str, job_id: str) -> None:
        self.inner.settle(key, job_id)

    def stack_entries(self, project: str, stack: str) -> list[dict[str, Any]]:
        return self.inner.stack_entries(project, stack)

    def flush(self, timeout: float = 30.0) -> None:
        self.inner.flush(timeout)


def video(variant: str, n: int) -> str:
    return hashlib.md5(f"bench-path-{variant}-{n}".encode()).hexdigest()


def run_variant(variant: str, journal: Journal, endpoint: str, jobs: int, threads: int,
                server_cpu: Callable[[], float]) -> dict[str, Any]:
    client = VodClient(endpoint, Credentials(KEY.access_key_id, KEY.access_key_secret), limiter=TimedLimiter())
    timed = TimedJournal(journal)
    per_submit: list[dict[str, float]] = []

    def create(n: int) -> None:
        _stage.times = {}
        job = {"videoId": video(variant, n), "templateId": TEMPLATE}
        began = time.perf_counter()
        submit_once(client, job_journal(timed, f"vodjobs/bench/cover-{n:05d}", job), job, f"job {n}", lambda _: None)
        _stage.times["submit"] = time.perf_counter() - began - sum(_stage.times.values())
        _stage.times["total"] = time.perf_counter() - began
        per_submit.append(dict(_stage.times))

    cpu_before, server_before, began = time.process_time(), server_cpu(), time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(create, range(jobs)))
    wall = time.perf_counter() - began
    journal.flush()
    busy = statistics.fmean(s["total"] - s.get("pace", 0.0) for s in per_submit)
    return {
        "variant": variant, "journal": journal.describe(), "wall": wall, "perSecond": jobs / wall,
        "busySecondsPerCall": busy, "pathCeilingPerSecond": threads / busy,
        "stages": {stage: _spread([s.get(stage, 0.0) for s in per_submit]) for stage in (*STAGES, "total")},
        "cpuPerSubmitMs": {"this process": 1000 * (time.process_time() - cpu_before) / jobs,
                           "s3 server": 1000 * (server_cpu() - server_before) / jobs},
    }


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50": 1000 * ordered[len(ordered) // 2], "p90": 1000 * ordered[int(len(ordered) * 0.9)],
            "max": 1000 * ordered[-1], "mean": 1000 * statistics.fmean(ordered)}


def render(result: dict[str, Any], threads: int) -> str:
    lines = [f"{result['variant']}: {result['journal']}",
             f"  {result['perSecond']:.1f} submits/s ({result['wall']:.1f} s); a call holds a thread "
             f"{1000 * result['busySecondsPerCall']:.0f} ms besides the pace: {threads} threads keep at most "
             f"{result['pathCeilingPerSecond']:.1f}/s",
             "  ms per submit       p50     p90     max    mean"]
    lines += [f"  {stage:<14} {s['p50']:7.1f} {s['p90']:7.1f} {s['max']:7.1f} {s['mean']:7.1f}"
              for stage, s in result["stages"].items()]
    lines.append("  CPU ms per submit: " + ", ".join(f"{k} {v:.1f}" for k, v in result["cpuPerSubmitMs"].items()))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4, help="calls served at once (the dynamic provider: 4)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="the emulator answers every call this much later (a runner far from the region)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="vodjobs-path-") as tmp:
        emulator = EmulatorProcess(KEY).start()  # the documented QPS limits
        server = S3Server(Path(tmp) / "moto_server.log").start()
        try:
            [pid] = command_children(os.getpid(), "moto_server")
            emulator.seed([video(v, n) for v in ("local", "bucket") for n in range(args.jobs)], [TEMPLATE])
            server.create_bucket("bench-path")
            if args.latency_ms:
                emulator.set_faults({"actions": {"*": {"latencyMs": args.latency_ms}}})
            os.environ.update(S3Server.environment(Path(tmp)))
            journals = {
                "local": open_journal(LocalJournalLocation(Path(tmp) / "journal")),
                "bucket": open_journal(BucketJournalLocation("bench-path", ".vodjobs/journal", server.url, "us-east-1", True)),
            }
            for variant, journal in journals.items():
                time.sleep(1.5)  # the emulator's token bucket fills up again
                result = run_variant(variant, journal, emulator.url, args.jobs, args.threads,
                                     lambda: cpu_seconds(pid) or 0.0)
                print(render(result, args.threads), flush=True)
        finally:
            server.stop()
            emulator.stop()
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
