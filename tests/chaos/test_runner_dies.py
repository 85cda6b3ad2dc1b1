"""The hosted runner dies mid-`up` and its disk is gone: state and journal live in a bucket, a fresh clone recovers.

What a pipeline meets: state on an S3-compatible server (OSS in production, moto here), `pulumi up` on a runner
that is killed at a random moment — every process of the run (CLI, language host, program, provider) with SIGKILL,
one by one, since they do not share a process group — and its checkout and PULUMI_HOME deleted. Then, from a fresh
clone, the documented recovery: the recipes' `recover` job (`make ci-recover`: `vodjobs recover --stack S
--cancel-stale-lock --up`). Afterwards every declared job
exists exactly once in the service, and the state holds every JobId the service issued.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.chaos import emulator_jobs, scaled
from tests.support.ci_pipeline import github_steps
from tests.support.emulator_process import EmulatorProcess
from tests.support.process_tree import descendants
from tests.support.pulumi_stack import PulumiStack
from tests.support.s3_server import S3Server
from tests.support.specs import numbered_jobs
from tests.support.waiting import wait_for

TRIALS = scaled(10, 1)
JOBS = scaled(100, 24)
RNG = random.Random(int(os.environ.get("VODJOBS_CHAOS_SEED", "20261203")))
_buckets = itertools.count(1)


def wait_for_submits(emulator: EmulatorProcess, at_least: int, up: subprocess.Popen[str]) -> None:
    """Until the service has `at_least` jobs (or the up ended): the moment to kill the runner."""
    wait_for(lambda: sum(emulator_jobs(emulator).values()) >= at_least or up.poll() is not None, 180,
             f"{at_least} submits", every=0.02)


def kill_the_runner(up: subprocess.Popen[str]) -> int:
    """SIGKILL the CLI and every process below it, each on its own; returns how many died."""
    victims = [up.pid, *descendants(up.pid)]
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    up.wait(timeout=60)
    return len(victims)


def runner(root: Path, name: str, backend_url: str, s3_server: S3Server) -> PulumiStack:
    """A runner's checkout of the repository and its own PULUMI_HOME, with the bucket's credentials."""
    stack = PulumiStack(root, name, root / "pulumi-home", backend_url=backend_url)
    stack.env.update(S3Server.environment(root))
    stack.env["CI"] = "true"
    return stack


def stack_job_ids(stack: PulumiStack) -> dict[str, str]:
    exported = json.loads(stack.run("stack", "export", "--stack", stack.name).stdout)
    return {r["urn"].rsplit("::", 1)[1]: r["id"] for r in exported["deployment"].get("resources") or []
            if r["type"] == "pulumi-python:dynamic/vod:AIImageJob" and not r.get("delete")}


@pytest.mark.parametrize("checkpoints", ["per-step", "skip"])
def test_a_dead_runner_with_its_disk_gone_recovers_from_a_fresh_clone(
    checkpoints: str, tmp_path: Path, s3_server: S3Server, chaos_emulator: EmulatorProcess,
) -> None:
    for trial in range(TRIALS):
        chaos_emulator.reset()
        chaos_emulator.seed(list(VIDEOS.values()), [TEMPLATE])
        bucket = f"state-{checkpoints}-{next(_buckets)}"
        s3_server.create_bucket(bucket)
        name = f"ci{trial}"
        first = runner(tmp_path / f"trial-{trial}" / "runner-1", name, s3_server.backend_url(bucket), s3_server)
        first.init(chaos_emulator.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
        first.write_spec("many.yaml", numbered_jobs(JOBS))
        # What the repository holds: the specs and the stack's settings file (config, encryption salt).
        repository = {path.relative_to(first.project_dir): path.read_text()
                      for path in [first.project_dir / f"Pulumi.{name}.yaml", *first.project_dir.glob("specs/*.yaml")]}
        if checkpoints == "skip":
            first.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        kill_after = RNG.randint(max(1, JOBS // 5), JOBS * 2 // 5)

        up = subprocess.Popen([first.pulumi, "up", "--yes", "--skip-preview", "--non-interactive", "--stack", name],
                              cwd=first.project_dir, env=first.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              text=True)
        wait_for_submits(chaos_emulator, kill_after, up)
        assert up.poll() is None, f"trial {trial}: the up ended before the kill"
        killed = kill_the_runner(up)
        shutil.rmtree(first.project_dir.parent)  # the runner's disk: checkout, .vodjobs/, PULUMI_HOME

        fresh = runner(tmp_path / f"trial-{trial}" / "runner-2", name, s3_server.backend_url(bucket), s3_server)
        for relative, text in repository.items():
            (fresh.project_dir / relative).write_text(text)
        # The recipes' recovery job, as it runs on a new runner (with a shorter settle window than production's).
        [recover_step] = [step for step in github_steps("recover") if "ci-recover" in step]
        recovered = subprocess.run(recover_step.split(), cwd=fresh.project_dir, capture_output=True, text=True, timeout=900,
                                   env={**fresh.env, "STACK": name, "SETTLE_SECONDS": "5"})
        print(f"trial {trial} ({checkpoints}): {killed} processes killed after {kill_after} submits; recovery said:",
              *[line for line in recovered.stdout.splitlines() if line.startswith(("vodjobs", "ci-recover"))], sep="\n  ")
        assert recovered.returncode == 0, f"trial {trial}: {recovered.stdout}{recovered.stderr}"

        per_job = emulator_jobs(chaos_emulator)
        assert {n: c for n, c in per_job.items() if c > 1} == {}, f"trial {trial}: jobs submitted twice"
        assert len(per_job) == JOBS, f"trial {trial}: {JOBS - len(per_job)} declared jobs never reached the service"
        recorded = stack_job_ids(fresh)
        assert len(recorded) == JOBS
        assert set(recorded.values()) == set(chaos_emulator.submitted_job_ids(0)), "state and service disagree on JobIds"
