"""`pulumi refresh` shows what the service says now, cheaply; `pulumi destroy` does no harm."""

from __future__ import annotations

import json

from tests.support.account import TEST_KEY
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack
from tests.support.specs import job, numbered_jobs, spec_yaml
from tests.support.waiting import wait_for
from vod_provider.api.client import VodClient
from vod_provider.api.credentials import Credentials


def many_jobs(count: int) -> str:
    return numbered_jobs(count, name="cover-{n:03d}")


def recorded_jobs(stack: PulumiStack) -> dict[str, dict[str, object]]:
    return {name: resource.outputs for name, resource in stack.recorded().items()}


def wait_until_done(emulator: EmulatorProcess, job_ids: list[str], timeout: float = 30) -> None:
    """Until the service says every job succeeded or failed; the test fails if one is still running at the deadline."""
    client = VodClient(emulator.url, Credentials(TEST_KEY.access_key_id, TEST_KEY.access_key_secret))

    def all_done() -> bool:
        infos = [i for n in range(0, len(job_ids), 10) for i in client.get_ai_image_jobs(job_ids[n:n + 10])]
        return all(i.status in ("success", "fail") for i in infos)

    wait_for(all_done, timeout, f"{len(job_ids)} jobs to succeed or fail", every=0.2)


def test_refresh_of_25_jobs_updates_their_status_in_at_most_7_calls(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("many.yaml", many_jobs(25))
    stack.up()
    assert {o["status"] for o in recorded_jobs(stack).values()} == {"submitted"}
    wait_until_done(emulator, [str(o["jobId"]) for o in recorded_jobs(stack).values()])
    mark = emulator.log_position()

    stack.run("refresh", "--yes", "--skip-preview", "--stack", stack.name)

    calls = emulator.calls(mark)
    assert {c["action"] for c in calls} == {"GetAIImageJobs"}
    assert len(calls) <= 7
    jobs = recorded_jobs(stack)
    assert len(jobs) == 25 and {o["status"] for o in jobs.values()} == {"success"}
    assert all(len(o["results"]) > 0 for o in jobs.values())  # type: ignore[arg-type]
    mark = emulator.log_position()
    stack.preview("--expect-no-changes")
    assert emulator.calls(mark) == []


def test_destroy_forgets_every_job_without_calling_the_api(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("many.yaml", many_jobs(10))
    stack.up()
    mark = emulator.log_position()

    run = stack.run("destroy", "--yes", "--skip-preview", "--stack", stack.name)

    assert emulator.calls(mark) == []
    assert "11 deleted" in run.stdout  # the ten jobs and the stack
    assert run.output.count("its results stay in VOD") >= 10
    assert recorded_jobs(stack) == {}


def test_vodjobs_status_reads_25_jobs_in_3_calls_and_changes_nothing(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("many.yaml", many_jobs(25))
    stack.up()
    wait_until_done(emulator, [str(o["jobId"]) for o in recorded_jobs(stack).values()])
    state_before = stack.state_text()
    mark = emulator.log_position()

    done = stack.vodjobs("status", "--stack", stack.name, "--json", timeout=120)

    assert done.returncode == 0, done.stderr
    assert [c["action"] for c in emulator.calls(mark)] == ["GetAIImageJobs"] * 3
    statuses = json.loads(done.stdout)["jobs"]
    assert len(statuses) == 25 and {s["status"] for s in statuses} == {"success"}
    assert stack.state_text() == state_before
    assert TEST_KEY.access_key_secret not in done.stdout + done.stderr


def test_vodjobs_status_exits_non_zero_when_a_job_failed(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    emulator.add_videos({"VideoId": "c" * 32, "Title": "broken", "FailAIJobs": True})
    stack.write_spec("one.yaml", spec_yaml({"broken-cover": job("c" * 32)}))
    stack.up()
    wait_until_done(emulator, [str(o["jobId"]) for o in recorded_jobs(stack).values()])

    done = stack.vodjobs("status", "--stack", stack.name, timeout=120)

    assert done.returncode == 1
    assert "broken-cover" in done.stdout and "fail" in done.stdout and "AIImageJobFailed" in done.stdout
