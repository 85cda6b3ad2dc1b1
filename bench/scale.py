"""1,000 image-AI jobs through vodjobs, side by side with the two floors it cannot beat, in one run.

    python bench/scale.py [--jobs 1000] [--per-step-checkpoints | --pipeline] [--job-duration 1]

One emulator process with the documented QPS limits (30/s for SubmitAIImageJob and GetAIImageJobs),
N generated jobs (one per video), then, one after the other on the same machine:

  (a) naive script: the official SDK looping SubmitAIImageJob, sequentially and on 8 threads (bench/naive.py);
  (b) engine floor: the same N resources with a do-nothing dynamic provider (bench/floor_provider.py):
      cold up, no-op preview, no-op up, up after adding one, refresh;
  (c) vodjobs: the same operations, then `vodjobs status`.

(b) and (c) run through the same `pulumi` CLI, file backend and flags: by default the mode the README
recommends for large spec sets (PULUMI_SKIP_CHECKPOINTS=true). For each: wall time, API calls by action
(the emulator's request log), throttling errors, peak RSS of the CLI and of the provider process
(/proc VmHWM), state bytes per job. Prints a table with ratios, writes bench/results/scale-N<N>.json,
and exits 0 only when every target holds.

--pipeline runs (b) and (c) as `make ci-up` runs in CI instead (scale_bucket.py): each side's state in a bucket of
one local moto S3 server process, vodjobs' journal beside it (checked with `vodjobs journal where`, as ci-up does),
PULUMI_SKIP_CHECKPOINTS=true and CI=true; it also counts the bucket requests of each operation from the server's
log (the journal's PUTs, LISTs and DeleteObjects apart from Pulumi's own), and writes scale-N<N>-pipeline.json.

--job-set declares vodjobs' N jobs as one job set over one CSV (the floor keeps N plain resources, named alike), times
`vodjobs validate` of it, and checks issue 15's targets (scale_report.job_set_targets); --latency-ms MS makes the
emulator answer every call MS late (a runner far from the region); --skip-naive leaves out (a). The file name gains
-jobset and -latency<MS>ms.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from bench.floor_provider import PACE_FILE  # noqa: E402
from bench.naive import NaiveJob, submit_all  # noqa: E402
from bench.procwatch import Finished, command_children  # noqa: E402
from bench.scale_bucket import BucketBackend, BucketLog, BucketUse, s3_client_bytes  # noqa: E402
from bench.scale_projects import (  # noqa: E402
    BenchProject,
    CommandFailed,
    Job,
    floor_project,
    job_set_name,
    journal_where,
    vodjobs_project,
    vodjobs_status,
    vodjobs_validate,
    write_floor_jobs,
    write_job_set_rows,
    write_spec,
)
from bench.scale_report import render_table, targets_for  # noqa: E402
from tests.support.emulator_process import AccessKeyPair, EmulatorProcess  # noqa: E402
from tests.support.emulators import emulators  # noqa: E402
from tests.support.s3_server import S3Server  # noqa: E402
from vod_provider.api.pacing import default_rate  # noqa: E402
from vod_provider.safety.journal_location import BESIDE_STATE  # noqa: E402

KEY = AccessKeyPair("LTAI5tVodjobsBenchKey001", "vodjobs-bench-secret")
TEMPLATE = hashlib.md5(b"bench-template").hexdigest()
SUBMIT_QPS = 30.0  # the documented per-account limit, and the emulator's
RECOMMENDED_FLAGS = {"PULUMI_SKIP_CHECKPOINTS": "true"}
PIPELINE_FLAGS = {**RECOMMENDED_FLAGS, "CI": "true"}  # what `make ci-up` sets when the journal outlives the runner
RESULTS = PROJECT_ROOT / "bench" / "results"

COLD_UP = ("up", "--yes", "--skip-preview")
NOOP_PREVIEW = ("preview", "--expect-no-changes")
NOOP_UP = ("up", "--yes", "--skip-preview", "--expect-no-changes")
REFRESH = ("refresh", "--yes", "--skip-preview")
OPERATION_ORDER = ("cold up", "no-op preview", "no-op up", "add one", "refresh")  # as the table shows them


@dataclass
class Measured:
    """One operation: wall time, what the emulator served meanwhile, peak RSS by process role, state size."""

    seconds: float = 0.0
    samples: list[float] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    throttled: int = 0
    peak_rss: dict[str, int] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    state_bytes_per_job: float | None = None
    bucket: dict[str, int] = field(default_factory=dict)  # --pipeline: the side's bucket requests by kind
    bucket_samples: list[dict[str, int]] = field(default_factory=list)  # each run's, when there are several
    submits: dict[str, float] = field(default_factory=dict)  # the timeline of its submits (submit_timeline)
    error: str | None = None


class EmulatorLog:
    """Reads the emulator's request log from where the last reading stopped."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        self._emulator = emulator
        self._position = 0

    def since_last(self) -> list[dict[str, Any]]:
        entries = self._emulator.requests(self._position)
        if entries:
            self._position = int(entries[-1]["seq"])
        return entries


def measure(log: EmulatorLog, operation: Callable[[], Finished | float],
            state: Callable[[], float | None] = lambda: None, bucket: Callable[[], BucketUse] | None = None) -> Measured:
    log.since_last()
    if bucket is not None:
        bucket()
    measured = Measured()
    began, began_at = time.perf_counter(), time.time()
    try:
        finished = operation()
    except CommandFailed as error:
        measured.error = str(error)
        print(f"  FAILED: {error}", file=sys.stderr)
        finished = time.perf_counter() - began
    if isinstance(finished, Finished):
        measured.seconds, measured.peak_rss, measured.cpu_seconds = finished.seconds, finished.peaks, finished.cpu
    else:
        measured.seconds = finished
    entries = log.since_last()
    measured.calls = dict(sorted(Counter(e["action"] for e in entries).items()))
    measured.throttled = sum(1 for e in entries if str(e.get("code") or "").startswith("Throttling"))
    measured.submits = submit_timeline(entries, began_at)
    if bucket is not None:
        used = bucket()  # before the state is read, which is a request too
        measured.bucket = used.requests
        measured.cpu_seconds = {**measured.cpu_seconds, "s3 server": used.server_cpu_seconds}
    measured.state_bytes_per_job = state()
    print(f"  {measured.seconds:7.2f} s  {measured.calls}  throttled {measured.throttled}  CPU s {measured.cpu_seconds}"
          + (f"  bucket {measured.bucket}" if bucket is not None else "")
          + (f"  submits {measured.submits}" if measured.submits else ""), file=sys.stderr)
    return measured


def submit_timeline(entries: list[dict[str, Any]], began_at: float) -> dict[str, float]:
    """When an operation's submits reached the emulator: the first and the last (seconds after the command started) and
    the rate in between; empty for fewer than two. Late first submits are the engine's and the program's start; a rate
    under the pace is the submit path's (at most 4 calls at once in the provider)."""
    times = sorted(float(e["time"]) for e in entries if e["action"] == "SubmitAIImageJob" and e.get("httpStatus") == 200)
    if len(times) < 2:
        return {}
    first, last = times[0] - began_at, times[-1] - began_at
    return {"first": round(first, 2), "last": round(last, 2), "perSecond": round((len(times) - 1) / (last - first), 2)}


def settle() -> None:
    # Let the emulator's token buckets (one second's worth of calls) fill up again between scenarios,
    # so no scenario starts with the previous one's debt.
    time.sleep(1.5)


def make_jobs(count: int, job_set: bool = False) -> list[Job]:
    """`count` jobs, one per generated video; with `job_set` named as vodjobs names a job set's jobs (on both sides)."""
    videos = [hashlib.md5(f"bench-video-{n}".encode()).hexdigest() for n in range(count)]
    return [Job(job_set_name(video) if job_set else f"cover-{n:05d}", video, TEMPLATE) for n, video in enumerate(videos)]


def run_naive(log: EmulatorLog, endpoint: str, jobs: list[Job]) -> dict[str, Measured]:
    naive_jobs = [NaiveJob(job.video_id, job.template_id) for job in jobs]
    out = {}
    for label, threads in (("sequential", 1), ("8 threads", 8)):
        print(f"naive script, {label}", file=sys.stderr)
        settle()

        def loop(threads: int = threads) -> float:
            began = time.perf_counter()
            failures = submit_all(endpoint, (KEY.access_key_id, KEY.access_key_secret), naive_jobs, threads)
            if failures:
                raise CommandFailed(f"{len(failures)} submits failed, e.g. {failures[0]}")
            return time.perf_counter() - began

        out[label] = measure(log, loop)
    return out


@dataclass
class Side:
    """One Pulumi project of the comparison and how it adds the extra job."""

    name: str
    project: BenchProject
    add_one: Callable[[], None]
    jobs_in_state: int
    bucket: Callable[[], BucketUse] | None = None  # --pipeline: its bucket's requests since the last reading

    def state(self) -> float:
        return self.project.state_bytes() / self.jobs_in_state

    def added(self) -> Finished:
        self.add_one()
        self.jobs_in_state += 1
        return self.project.pulumi(*COLD_UP)


def combined(samples: list[Measured]) -> Measured:
    """Several runs of one no-op operation: the median wall time (and that run's CPU), every call, the peak RSS."""
    middle = sorted(samples, key=lambda m: m.seconds)[len(samples) // 2]
    calls: Counter[str] = Counter()
    bucket: Counter[str] = Counter()
    for sample in samples:
        calls.update(sample.calls)
        bucket.update(sample.bucket)
    roles = {role for sample in samples for role in sample.peak_rss}
    return Measured(
        seconds=middle.seconds, samples=[round(m.seconds, 3) for m in samples], calls=dict(sorted(calls.items())),
        throttled=sum(m.throttled for m in samples), cpu_seconds=middle.cpu_seconds,
        peak_rss={role: max(m.peak_rss.get(role, 0) for m in samples) for role in roles},
        state_bytes_per_job=samples[-1].state_bytes_per_job,
        bucket=dict(sorted(bucket.items())), bucket_samples=[m.bucket for m in samples] if len(samples) > 1 else [],
        submits=middle.submits, error=next((m.error for m in samples if m.error), None),
    )


def run_pulumi_sides(sides: list[Side], log: EmulatorLog, repeats: int,
                     up_first: bool = False) -> dict[str, dict[str, Measured]]:
    """Each operation on every side in turn (floor, vodjobs, floor, …), so both meet the same machine load.

    `up_first`: the no-op ups run before the no-op previews, so the first is the up that follows the cold up, as the
    next merge's `make ci-up` in a pipeline (its journal requests are the ones the pipeline pays).
    """
    preview = ("no-op preview", lambda side: side.project.pulumi(*NOOP_PREVIEW), repeats)
    noop_up = ("no-op up", lambda side: side.project.pulumi(*NOOP_UP), repeats)
    operations: list[tuple[str, Callable[[Side], Finished], int]] = [
        ("cold up", lambda side: side.project.pulumi(*COLD_UP), 1),
        *([noop_up, preview] if up_first else [preview, noop_up]),
        ("add one", Side.added, 1),
        ("refresh", lambda side: side.project.pulumi(*REFRESH), 1),
    ]
    samples: dict[str, dict[str, list[Measured]]] = {side.name: {} for side in sides}
    for label, operation, times in operations:
        for _ in range(times):
            for side in sides:
                print(f"{side.name}: {label}", file=sys.stderr)
                settle()
                measured = measure(log, functools.partial(operation, side), side.state, side.bucket)
                samples[side.name].setdefault(label, []).append(measured)
    order = [label for label, _, _ in sorted(operations, key=lambda op: OPERATION_ORDER.index(op[0]))]
    return {name: {label: combined(ops[label]) for label in order} for name, ops in samples.items()}


@dataclass
class Backends:
    """Where each side keeps its state: by default a file backend of its own; --pipeline: a bucket each on one S3 server."""

    floor: BucketBackend | None = None
    vodjobs: BucketBackend | None = None
    log: BucketLog | None = None

    def requests(self, backend: BucketBackend | None) -> Callable[[], BucketUse] | None:
        log = self.log
        if backend is None or log is None:
            return None
        return lambda: log.since_last(backend.bucket)


def pipeline_backends(server: S3Server, tmp: Path) -> Backends:
    [pid] = command_children(os.getpid(), "moto_server")
    backends = Backends(BucketBackend(server, "bench-floor-state", tmp), BucketBackend(server, "bench-vodjobs-state", tmp),
                        BucketLog(server, pid))
    for backend in (backends.floor, backends.vodjobs):
        assert backend is not None
        server.create_bucket(backend.bucket)
    return backends


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    jobs = make_jobs(args.jobs + 1, args.job_set)
    known, extra = jobs[:-1], jobs[-1]
    flags = PIPELINE_FLAGS if args.pipeline else {} if args.per_step_checkpoints else RECOMMENDED_FLAGS
    journal = None
    with contextlib.ExitStack() as cleanup:
        fleet = cleanup.enter_context(emulators(KEY))
        emulator = fleet.start(job_duration=args.job_duration, seed=False)  # the documented QPS limits
        backends = Backends()
        if args.pipeline:
            server = S3Server(tmp / "moto_server.log").start()
            cleanup.callback(server.stop)
            backends = pipeline_backends(server, tmp)
        emulator.seed([job.video_id for job in jobs], [TEMPLATE])
        if args.latency_ms:  # a runner far from the region: every API call answers this much later
            emulator.set_faults({"actions": {"*": {"latencyMs": args.latency_ms}}})
        log = EmulatorLog(emulator)
        naive = {} if args.skip_naive else run_naive(log, emulator.url, known)
        floor = floor_project(tmp / "floor", flags, known, backends.floor)
        if args.paced_floor:  # the floor creates at vodjobs' pace, so both cold ups last as long
            (floor.directory / PACE_FILE).write_text(json.dumps({"perSecond": default_rate("SubmitAIImageJob", None)}))
        vodjobs = vodjobs_project(tmp / "vodjobs", flags, known, emulator.url, (KEY.access_key_id, KEY.access_key_secret),
                                  backends.vodjobs, job_set=args.job_set)
        validated = None
        if args.job_set:
            print("vodjobs: validate", file=sys.stderr)
            validated = measure(log, lambda: vodjobs_validate(vodjobs))
        if args.pipeline:
            outlives, journal = journal_where(vodjobs)
            if not outlives or BESIDE_STATE not in journal:
                raise CommandFailed(f"the pipeline's journal should be beside the state in the bucket: {journal}")
        sides = [Side("floor", floor, lambda: write_floor_jobs(floor, jobs), len(known), backends.requests(backends.floor)),
                 Side("vodjobs", vodjobs,
                      (lambda: write_job_set_rows(vodjobs, jobs)) if args.job_set
                      else (lambda: write_spec(vodjobs, "added.yaml", [extra])),
                      len(known), backends.requests(backends.vodjobs))]
        measured = run_pulumi_sides(sides, log, args.repeats, up_first=args.pipeline)
        floor_ops, vodjobs_ops = measured["floor"], measured["vodjobs"]
        print("vodjobs: status", file=sys.stderr)
        settle()
        vodjobs_ops["status"] = measure(log, lambda: vodjobs_status(vodjobs), bucket=sides[1].bucket)
        if validated is not None:
            vodjobs_ops["validate"] = validated
    return {
        "jobs": args.jobs,
        "flags": flags,
        "pipeline": args.pipeline,
        "jobSet": args.job_set,
        "latencyMs": args.latency_ms,
        "pacedFloor": args.paced_floor,
        "backend": "s3 (a local moto_server process; one bucket per side)" if args.pipeline else "file",
        **({"journal": journal, "s3ClientBytes": s3_client_bytes(sys.executable)} if journal else {}),
        "qpsFloorSeconds": args.jobs / SUBMIT_QPS,
        "naive": {label: asdict(m) for label, m in naive.items()},
        "floor": {label: asdict(m) for label, m in floor_ops.items()},
        "vodjobs": {label: asdict(m) for label, m in vodjobs_ops.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--job-duration", type=float, default=1.0, help="seconds an emulated job runs")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--per-step-checkpoints", action="store_true",
                      help="Pulumi's default mode (a checkpoint after every step) instead of PULUMI_SKIP_CHECKPOINTS=true")
    mode.add_argument("--pipeline", action="store_true",
                      help="as `make ci-up` runs: state in a bucket of a local moto S3 server, the journal beside it, "
                           "PULUMI_SKIP_CHECKPOINTS=true")
    parser.add_argument("--job-set", action="store_true",
                        help="vodjobs declares the N jobs as one job set over one CSV (issue 15's targets); "
                             "the floor keeps N plain resources, named as the set names its jobs")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="a runner far from the region: the emulator answers every API call this much later")
    parser.add_argument("--paced-floor", action="store_true",
                        help="the floor's provider creates at vodjobs' pace (28.5/s), so that CPU spent by the second "
                             "compares over runs of the same length")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive SDK script (long at 10,000)")
    parser.add_argument("--baseline", type=Path,
                        help="an N=1,000 result to measure growth against when --jobs is larger "
                             "(default: results/scale-N1000<suffix>.json, the same mode at N=1,000)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each no-op operation per side, alternating; the table shows the median")
    parser.add_argument("--keep", action="store_true", help="keep the temp projects and state (their path is printed)")
    args = parser.parse_args()
    mode = "-per-step" if args.per_step_checkpoints else "-pipeline" if args.pipeline else ""
    if args.job_set:
        mode += "-jobset"
    suffix = mode + (f"-latency{args.latency_ms:g}ms" if args.latency_ms else "") + ("-pacedfloor" if args.paced_floor else "")
    baseline_file = args.baseline or RESULTS / f"scale-N1000{mode}.json"
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="vodjobs-scale-"))
    if args.keep:
        print(f"projects and state in {tmp}", file=sys.stderr)
    try:
        result = run(args, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    baseline = json.loads(baseline_file.read_text()) if args.jobs > 1000 and baseline_file.exists() else None
    result["machine"] = {**machine(), "loadavgBefore": load_before}
    result["targets"] = [asdict(t) for t in targets_for(result, baseline)]
    print(render_table(result))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"scale-N{args.jobs}{suffix}.json"
    aside = out.with_suffix(".tmp")
    aside.write_text(json.dumps(result, indent=2) + "\n")
    aside.replace(out)
    print(f"written: {out.relative_to(PROJECT_ROOT)}")
    return 0 if all(t["holds"] for t in result["targets"] if t["required"]) else 1


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "loadavg": os.getloadavg(),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


if __name__ == "__main__":
    sys.exit(main())
