"""CPU per job of the dynamic provider's Check + Create, vodjobs' and the floor's, without the engine, under cProfile.

    python bench/provider_profile.py [--jobs 1000] [--top 25] [--side vodjobs|floor|both]

It calls the Pulumi SDK's own provider servicer (`pulumi/dynamic/__main__.py`, loaded without starting its gRPC
server) with the requests the engine sends in a cold up: Configure once, then Check and Create for each job, in one
thread. vodjobs' side submits to an emulator without QPS limits and with its client's pace turned up
(`vodjobs:maxQps`), so what is measured is CPU, not waiting; its journal is local (a temp dir). The timer is the
process's CPU time, so the pace and the round trips cost nothing in the profile. Prints CPU ms per job for each side
and vodjobs' top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

import pulumi.dynamic  # noqa: E402
from pulumi.dynamic.dynamic import serialize_provider  # noqa: E402
from pulumi.runtime import proto, rpc  # noqa: E402

from bench.floor_provider import NoopProvider  # noqa: E402
from tests.support.emulator_process import AccessKeyPair, EmulatorProcess  # noqa: E402
from vod_provider.resources import AIImageJobProvider  # noqa: E402

KEY = AccessKeyPair("LTAI5tVodjobsBenchKey001", "vodjobs-bench-secret")
TEMPLATE = hashlib.md5(b"bench-template").hexdigest()


def load_servicer() -> Any:
    """The SDK's DynamicResourceProviderServicer class, from its module's source minus the final `main()` call."""
    path = Path(pulumi.dynamic.__file__).with_name("__main__.py")
    source = path.read_text()
    assert source.rstrip().endswith("main()"), "the SDK's provider module changed shape"
    namespace: dict[str, Any] = {"__name__": "pulumi_dynamic_servicer", "__file__": str(path)}
    exec(compile(source.rstrip()[: -len("main()")], str(path), "exec"), namespace)
    return namespace["DynamicResourceProviderServicer"]


def struct(props: dict[str, Any]) -> Any:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def video(n: int) -> str:
    return hashlib.md5(f"bench-profile-{n}".encode()).hexdigest()


def job_inputs(side: str, n: int) -> dict[str, Any]:
    """What the program sends for job n (vodjobs: as resources.AIImageJob declares it for a job-set job)."""
    name = f"bench-{video(n)}"
    if side == "floor":
        return {"videoId": video(n), "templateId": TEMPLATE, "__provider": serialize_provider(NoopProvider())}
    return {"jobName": name, "journalKey": f"vodjobs/bench/{name}", "videoId": video(n), "templateId": TEMPLATE,
            "__provider": serialize_provider(AIImageJobProvider())}


def run_side(side: str, jobs: int, endpoint: str, profiled: bool = True) -> tuple[float, pstats.Stats | None]:
    servicer = load_servicer()()
    config = {"vodjobs:endpoint": endpoint, "vodjobs:accessKeyId": KEY.access_key_id,
              "vodjobs:accessKeySecret": KEY.access_key_secret, "vodjobs:maxQps": "100000"}
    servicer.Configure(proto.ConfigureRequest(args=struct(config)), None)
    requests = [struct(job_inputs(side, n)) for n in range(jobs)]
    empty = struct({})
    profile = cProfile.Profile(time.process_time)
    began = time.process_time()
    if profiled:
        profile.enable()
    for n, news in enumerate(requests):
        urn = f"urn:pulumi:bench::vodjobs::pulumi-python:dynamic:Resource::job-{n}"
        checked = servicer.Check(proto.CheckRequest(urn=urn, olds=empty, news=news), None)
        servicer.Create(proto.CreateRequest(urn=urn, properties=checked.inputs), None)
    profile.disable()
    per_job_ms = 1000 * (time.process_time() - began) / jobs
    return per_job_ms, pstats.Stats(profile) if profiled else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true", help="only the CPU ms per job (no profiler overhead)")
    parser.add_argument("--side", choices=("vodjobs", "floor", "both"), default="both")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    sides = ("floor", "vodjobs") if args.side == "both" else (args.side,)
    with tempfile.TemporaryDirectory(prefix="vodjobs-profile-") as tmp:
        os.chdir(tmp)  # the provider's journal: .vodjobs/journal here
        (Path(tmp) / "Pulumi.yaml").write_text("name: vodjobs\nruntime: python\n")
        emulator = EmulatorProcess(KEY, extra_args=["--no-qps-limits"]).start()
        try:
            emulator.seed([video(n) for n in range(args.jobs)], [TEMPLATE])
            for side in sides:
                per_job, stats = run_side(side, args.jobs, emulator.url, not args.no_profile)
                print(f"{side}: Check + Create, {per_job:.2f} CPU ms per job ({args.jobs} jobs"
                      + (", under cProfile)" if stats else ")"))
                if side == "vodjobs" and stats:
                    stats.sort_stats("cumulative").print_stats(args.top)
                    stats.sort_stats("tottime").print_stats(args.top)
        finally:
            emulator.stop()
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
