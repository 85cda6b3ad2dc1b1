"""A waited job that fails fails the up that ran it; later runs name it as a warning and go on with the rest."""

from __future__ import annotations

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack, steps_by_op
from tests.support.vodjobs_command import vodjobs_preview

FAILING_VIDEO = "e" * 32


def covers(*, new_job: bool = False) -> str:
    """A waited job on a video whose jobs fail and a job that succeeds; with `new_job`, one more to submit."""
    jobs = [f"broken-cover: {{videoId: {FAILING_VIDEO}, templateId: {TEMPLATE}, wait: 1m}}",
            f"trailer-cover: {{videoId: {VIDEOS['trailer']}, templateId: {TEMPLATE}}}"]
    jobs += [f"keynote-cover: {{videoId: {VIDEOS['keynote']}, templateId: {TEMPLATE}}}"] if new_job else []
    return "jobs:\n" + "".join(f"  {job}\n" for job in jobs)


RERUN_ADVICE = "to run it again, bump `revision:` in its spec"


def failed_once(stack: PulumiStack, emulator: EmulatorProcess) -> str:
    """Up a stack whose waited job fails; the JobId of that job."""
    emulator.add_videos({"VideoId": FAILING_VIDEO, "Title": "broken upload", "FailAIJobs": True})
    stack.write_spec("covers.yaml", covers())
    run = stack.up(check=False)
    assert run.returncode != 0 and "job 'broken-cover'" in run.output and "AIImageJobFailed" in run.output
    job_id: str = stack.outputs()["jobIds"]["broken-cover"]
    return job_id


def test_after_a_waited_job_failed_previews_and_ups_name_it_and_go_on(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    job_id = failed_once(stack, emulator)
    stack.write_spec("covers.yaml", covers(new_job=True))

    preview = stack.preview()
    assert f"job 'broken-cover' ({job_id}) failed in an earlier run: AIImageJobFailed" in preview.output
    assert RERUN_ADVICE in preview.output
    assert steps_by_op(stack.preview_json()) == {"create": ["keynote-cover"]}

    code, planned = vodjobs_preview(stack)
    assert code == 0 and planned["ok"]
    assert {job["name"]: job["action"] for job in planned["jobs"]} == {
        "keynote-cover": "submit", "broken-cover": "unchanged", "trailer-cover": "unchanged"}
    [failed] = [job for job in planned["jobs"] if job["failed"]]
    assert failed["name"] == "broken-cover" and failed["failed"]["jobId"] == job_id
    assert failed["failed"]["errorCode"] == "AIImageJobFailed"

    mark = emulator.log_position()
    up = stack.up()
    assert "job 'broken-cover'" in up.output and RERUN_ADVICE in up.output
    assert [call["params"]["VideoId"] for call in emulator.calls(mark, "SubmitAIImageJob")] == [VIDEOS["keynote"]]
    assert stack.outputs()["jobs"]["broken-cover"] == {"jobId": job_id, "status": "fail"}


def test_fail_on_failed_jobs_makes_every_up_fail_while_the_stack_holds_one_and_previews_still_run(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    failed_once(stack, emulator)
    stack.run("config", "set", "--stack", stack.name, "vodjobs:failOnFailedJobs", "true")
    stack.write_spec("covers.yaml", covers(new_job=True))

    assert stack.preview().returncode == 0
    mark = emulator.log_position()
    up = stack.up(check=False)

    assert up.returncode != 0
    assert "job 'broken-cover'" in up.output and "vodjobs:failOnFailedJobs is true" in up.output
    assert len(emulator.calls(mark, "SubmitAIImageJob")) == 1  # the rest of the up went on: the new job is recorded
    assert "keynote-cover" in stack.outputs()["jobIds"]
