"""Where the pipeline's cold up spends its time: the same cold up on each backend and journal, alternating, in one run.

    python bench/cold_up_backends.py [--jobs 1000] [--rounds 2]

One emulator (the documented QPS limits) and one moto S3 server process. Each round runs a fresh `pulumi up` of N
new jobs (the flags of scale.py: PULUMI_SKIP_CHECKPOINTS=true, CI=true) in turn:

  vodjobs file+local    file backend, journal in a local directory (scale.py's default mode)
  vodjobs s3+local      state in a bucket, journal kept local (vodjobs:journalDir): what the S3 backend costs
  vodjobs s3+bucket     state in a bucket, journal beside it (scale.py --pipeline): what the bucket journal adds
  floor s3, floor file  the do-nothing provider on both backends

so every variant meets the same machine load. Per run: wall time, the first and last submit (seconds after the
command started, from the emulator's log) and the rate in between, CPU seconds by process (with the S3 server's).
Writes results/cold-up-backends-N<N>.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from bench.procwatch import command_children  # noqa: E402
from bench.scale import (  # noqa: E402
    COLD_UP,
    KEY,
    PIPELINE_FLAGS,
    RESULTS,
    TEMPLATE,
    EmulatorLog,
    make_jobs,
    measure,
    settle,
)
from bench.scale_bucket import BucketBackend, BucketLog  # noqa: E402
from bench.scale_projects import BenchProject, Job, floor_project, vodjobs_project  # noqa: E402
from tests.support.emulator_process import EmulatorProcess  # noqa: E402
from tests.support.s3_server import S3Server  # noqa: E402

VARIANTS = ("vodjobs file+local", "vodjobs s3+local", "vodjobs s3+bucket", "floor s3", "floor file")


def project(variant: str, directory: Path, jobs: list[Job], emulator: EmulatorProcess,
            backend: BucketBackend | None) -> BenchProject:
    if variant.startswith("floor"):
        return floor_project(directory, PIPELINE_FLAGS, jobs, backend)
    made = vodjobs_project(directory, PIPELINE_FLAGS, jobs, emulator.url, (KEY.access_key_id, KEY.access_key_secret),
                           backend)
    if variant.endswith("+local"):
        made.run(["pulumi", "config", "set", "--stack", made.stack, "vodjobs:journalDir", str(directory / "journal")])
    return made


def run(jobs: list[Job], rounds: int, tmp: Path) -> list[dict[str, Any]]:
    emulator = EmulatorProcess(KEY).start()
    server = S3Server(tmp / "moto_server.log").start()
    runs = []
    try:
        emulator.seed([job.video_id for job in jobs], [TEMPLATE])
        log = EmulatorLog(emulator)
        [pid] = command_children(os.getpid(), "moto_server")
        bucket_log = BucketLog(server, pid)
        for round_ in range(rounds):
            for number, variant in enumerate(VARIANTS):
                backend = None
                if " s3" in variant:
                    backend = BucketBackend(server, f"variant-{number}-round-{round_}", tmp)
                    server.create_bucket(backend.bucket)
                side = project(variant, tmp / f"{number}-{round_}", jobs, emulator, backend)
                print(f"{variant}, round {round_ + 1}", file=sys.stderr)
                settle()
                load = os.getloadavg()[0]
                measured = measure(log, functools.partial(side.pulumi, *COLD_UP),
                                   bucket=functools.partial(bucket_log.since_last, backend.bucket) if backend else None)
                runs.append({"variant": variant, "round": round_ + 1, "load1": load, **asdict(measured)})
    finally:
        server.stop()
        emulator.stop()
    return runs


def render(runs: list[dict[str, Any]]) -> str:
    lines = [f"{'variant':<20} {'round':>5} {'load':>5} {'wall s':>7} {'1st submit':>10} {'last':>6} {'/s':>5}  CPU s"]
    for r in runs:
        timeline = r["submits"] or {}
        lines.append(f"{r['variant']:<20} {r['round']:>5} {r['load1']:>5.1f} {r['seconds']:>7.1f} "
                     f"{timeline.get('first', float('nan')):>10.1f} {timeline.get('last', float('nan')):>6.1f} "
                     f"{timeline.get('perSecond', float('nan')):>5.1f}  "
                     + ", ".join(f"{role} {cpu:.1f}" for role, cpu in r["cpu_seconds"].items()))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="vodjobs-backends-") as tmp:
        runs = run(make_jobs(args.jobs), args.rounds, Path(tmp))
    result = {"jobs": args.jobs, "flags": PIPELINE_FLAGS, "runs": runs,
              "machine": {"cpus": os.cpu_count(), "loadavgBefore": before, "loadavg": os.getloadavg()}}
    print(render(runs))
    out = RESULTS / f"cold-up-backends-N{args.jobs}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {out.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
