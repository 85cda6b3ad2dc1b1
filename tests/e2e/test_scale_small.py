"""The N = 50 edition of bench/scale.py: a stack of 50 jobs in the mode the README recommends for large
spec sets (PULUMI_SKIP_CHECKPOINTS=true, the submission journal keeping every JobId), with the API calls of
every step counted. Counts only, never times: the times are bench/scale.py's business.

The job-set edition (--job-set, 300 rows) is in test_job_sets.py: it counts the calls of that file's 300-row
catalogue, whose cold `up` issue #15's acceptance shares.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
import subprocess
from collections import Counter
from typing import Any

from tests.support.emulator_process import EmulatorProcess
from tests.support.process_tree import descendants
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import job, spec_yaml
from tests.support.waiting import wait_for

N = 50
VIDEOS = [hashlib.md5(f"scale-small-video-{n}".encode()).hexdigest() for n in range(N + 1)]


def jobs_yaml(first: int, count: int) -> str:
    return spec_yaml({f"cover-{n:03d}": job(VIDEOS[n]) for n in range(first, first + count)})


def actions(calls: list[dict[str, Any]]) -> Counter[str]:
    return Counter(c["action"] for c in calls)


def throttled(calls: list[dict[str, Any]]) -> int:
    return sum(1 for c in calls if str(c.get("code") or "").startswith("Throttling"))


def test_fifty_jobs_cost_one_submit_each_and_nothing_more(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    emulator.add_videos(*({"VideoId": video} for video in VIDEOS))
    stack.write_spec("covers.yaml", jobs_yaml(0, N))

    mark = emulator.log_position()
    stack.up()
    cold = emulator.calls(mark)
    assert actions(cold) == {"SubmitAIImageJob": N} and throttled(cold) == 0
    assert sorted(c["params"]["VideoId"] for c in cold) == sorted(VIDEOS[:N])  # each job once: no duplicate
    assert len(stack.outputs()["jobIds"]) == N

    mark = emulator.log_position()
    stack.preview("--expect-no-changes")
    assert emulator.calls(mark) == []

    mark = emulator.log_position()
    status = stack.vodjobs("status", "--stack", stack.name, "--json", timeout=120)
    assert status.returncode == 0, status.stderr
    assert actions(emulator.calls(mark)) == {"GetAIImageJobs": math.ceil(N / 10)}

    stack.write_spec("one-more.yaml", jobs_yaml(N, 1))
    mark = emulator.log_position()
    stack.up()
    assert actions(emulator.calls(mark)) == {"SubmitAIImageJob": 1}
    assert len(stack.outputs()["jobIds"]) == N + 1

    mark = emulator.log_position()
    stack.run("refresh", "--yes", "--skip-preview", "--stack", stack.name)
    refreshed = actions(emulator.calls(mark))
    assert set(refreshed) == {"GetAIImageJobs"} and refreshed["GetAIImageJobs"] <= math.ceil(N / 4)


FAR_LATENCY_SECONDS = 0.5
FAR_VIDEOS = [hashlib.md5(f"scale-small-far-video-{n}".encode()).hexdigest() for n in range(12)]


def most_in_flight(arrivals: list[float], answer_after: float) -> int:
    """The most calls that arrived within one `answer_after` window: each was still waiting for its answer."""
    ordered = sorted(arrivals)
    return max(sum(1 for later in ordered[i:] if later - first < answer_after) for i, first in enumerate(ordered))


def test_a_far_runner_keeps_more_than_four_submits_in_flight(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    """Every call answers 0.5 s late: the dynamic provider server's 4 threads would cap it at 4 in flight (and a runner
    150 ms from the region at 26.7 submits/s); the provider widens its pool (providers/serving_threads.py)."""
    emulator.add_videos(*({"VideoId": video} for video in FAR_VIDEOS))
    emulator.set_faults({"actions": {"SubmitAIImageJob": {"latencyMs": FAR_LATENCY_SECONDS * 1000}}})
    stack.write_spec("far.yaml", spec_yaml({f"far-{n:02d}": job(video) for n, video in enumerate(FAR_VIDEOS)}))

    mark = emulator.log_position()
    stack.up()
    submits = emulator.calls(mark, "SubmitAIImageJob")
    assert sorted(c["params"]["VideoId"] for c in submits) == sorted(FAR_VIDEOS)
    # With 4 threads the 5th call can only leave once the 1st is answered, 0.5 s after it arrived. The engine runs
    # 4 × cores steps at once (8 on CI's 2 cores); the pace (30/s) spaces arrivals by 33 ms at most.
    assert most_in_flight([c["time"] for c in submits], FAR_LATENCY_SECONDS * 0.9) > 4


def journal_settled(stack: PulumiStack) -> bool:
    """Every submission the journal saw begin has ended (submitted, or provably not)."""
    events = Counter(json.loads(line)["event"] for path in (stack.project_dir / ".vodjobs" / "journal").glob("*.jsonl")
                     for line in path.read_text().splitlines() if line.strip())
    return events["submitting"] == events["submitted"] + events["not-submitted"] + events["ambiguous"]


def wait_until_quiet(stack: PulumiStack, emulator: EmulatorProcess, mark: int) -> None:
    """Until the journal has no submission open and the emulator took no call in the last half second."""
    last = [-1]

    def quiet() -> bool:
        calls = len(emulator.calls(mark))
        settled = journal_settled(stack) and calls == last[0]
        last[0] = calls
        return settled

    wait_for(quiet, 10, "the journal to settle and the emulator to go quiet", every=0.5)


def recorded_job_ids(stack: PulumiStack) -> dict[str, str]:
    return {name: resource.id for name, resource in stack.recorded().items()}


def test_a_killed_up_in_that_mode_loses_no_job_id_and_submits_no_job_twice(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    # With PULUMI_SKIP_CHECKPOINTS=true a killed `pulumi up` records nothing in state: the journal alone
    # must hand the next run every JobId the killed one obtained.
    stack.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    videos = [hashlib.md5(f"scale-small-killed-{n}".encode()).hexdigest() for n in range(N)]
    emulator.add_videos(*({"VideoId": video} for video in videos))
    stack.write_spec("covers.yaml", spec_yaml({f"cover-{n:03d}": job(video) for n, video in enumerate(videos)}))
    mark = emulator.log_position()
    up = subprocess.Popen([stack.pulumi, "up", "--yes", "--skip-preview", "--stack", stack.name, "--non-interactive"],
                          cwd=stack.project_dir, env=stack.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    orphans: list[int] = []
    try:
        wait_for(lambda: len(emulator.calls(mark, "SubmitAIImageJob")) >= N // 3, 60, f"{N // 3} SubmitAIImageJob calls")
        orphans = descendants(up.pid)
        up.kill()  # the CLI dies; its provider lives on and finishes the submits it has in hand (pulumi-dynamic.md §3.0.1)
        up.wait()
        wait_until_quiet(stack, emulator, mark)
    finally:
        for pid in orphans or descendants(up.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        up.kill()
        up.wait()
    killed_run = emulator.submitted_job_ids(mark)
    assert N // 3 <= len(killed_run) < N
    assert recorded_job_ids(stack) == {}  # nothing reached Pulumi's state

    stack.run("cancel", "--yes", "--stack", stack.name)  # the killed run's lock
    rerun_mark = emulator.log_position()
    stack.up()

    submitted = emulator.calls(mark, "SubmitAIImageJob")
    assert sorted(c["params"]["VideoId"] for c in submitted if c["httpStatus"] == 200) == sorted(videos)
    assert len(emulator.submitted_job_ids(rerun_mark)) == N - len(killed_run)
    recorded = recorded_job_ids(stack)
    assert len(recorded) == N and set(killed_run) <= set(recorded.values())
