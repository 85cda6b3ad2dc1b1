"""A media team declares image-AI jobs in specs/ and lets `pulumi preview` / `pulumi up` submit them.

Every test drives the real pulumi CLI against the real emulator process and counts what the
emulator was asked to do.
"""

from __future__ import annotations

from tests.support.account import VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.pulumi_stack import PulumiStack, steps_by_op
from tests.support.specs import job, spec_yaml, two_covers

TWO_JOBS = two_covers()
THIRD_JOB = spec_yaml({"interview-cover": job(VIDEOS["interview"])})


def submitted_by_name(emulator: EmulatorProcess, since: int) -> dict[str, str]:
    """JobId of each job submitted since `since`, keyed by the video it was submitted for."""
    names = {video: name for name, video in VIDEOS.items()}
    return {
        names[e["params"]["VideoId"]]: e["response"]["JobId"]
        for e in emulator.calls(since, "SubmitAIImageJob") if e["httpStatus"] == 200
    }


def test_preview_of_two_new_jobs_reports_two_creates_and_submits_nothing(
    stack: PulumiStack, emulator: EmulatorProcess
) -> None:
    stack.write_spec("covers.yaml", TWO_JOBS)
    mark = emulator.log_position()

    digest = stack.preview_json()

    assert steps_by_op(digest) == {"create": ["keynote-cover", "trailer-cover"]}
    assert digest["changeSummary"]["create"] == 3  # the two jobs and the stack itself
    assert emulator.calls(mark, "SubmitAIImageJob") == []


def test_up_submits_each_job_once_and_exports_the_job_ids(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", TWO_JOBS)
    mark = emulator.log_position()

    stack.up()

    submitted = submitted_by_name(emulator, mark)
    assert len(emulator.calls(mark, "SubmitAIImageJob")) == 2
    assert stack.outputs()["jobIds"] == {
        "trailer-cover": submitted["trailer"],
        "keynote-cover": submitted["keynote"],
    }
    submit = {e["params"]["VideoId"]: e["params"] for e in emulator.calls(mark, "SubmitAIImageJob")}
    assert submit[VIDEOS["trailer"]]["UserData"] == '{"Extend":{"campaign":"spring"}}'
    assert "UserData" not in submit[VIDEOS["keynote"]]


def test_second_up_submits_nothing(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", TWO_JOBS)
    stack.up()
    job_ids = stack.outputs()["jobIds"]
    mark = emulator.log_position()

    stack.up("--expect-no-changes")

    assert emulator.calls(mark) == []
    assert stack.outputs()["jobIds"] == job_ids


def test_adding_a_spec_creates_and_submits_only_the_new_job(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", TWO_JOBS)
    stack.up()
    before = stack.outputs()["jobIds"]
    stack.write_spec("interviews.yaml", THIRD_JOB)

    preview_mark = emulator.log_position()
    digest = stack.preview_json()
    assert steps_by_op(digest) == {"create": ["interview-cover"]}
    assert digest["changeSummary"]["same"] == 3  # the two recorded jobs and the stack
    assert emulator.calls(preview_mark) == []

    mark = emulator.log_position()
    stack.up()

    assert list(submitted_by_name(emulator, mark)) == ["interview"]
    after = stack.outputs()["jobIds"]
    assert after == {**before, "interview-cover": submitted_by_name(emulator, mark)["interview"]}


def test_changing_one_field_replaces_only_that_job(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", TWO_JOBS)
    stack.up()
    before = stack.outputs()["jobIds"]
    stack.write_spec("covers.yaml", two_covers("summer"))

    digest = stack.preview_json()
    assert steps_by_op(digest) == {"replace": ["trailer-cover"]}
    assert digest["changeSummary"] == {"replace": 1, "same": 2}
    replaced = next(s for s in digest["steps"] if s["op"] == "replace")
    assert replaced["replaceReasons"] == ["userData"]

    mark = emulator.log_position()
    stack.up()

    submits = emulator.calls(mark, "SubmitAIImageJob")
    assert [s["params"]["UserData"] for s in submits] == ['{"Extend":{"campaign":"summer"}}']
    after = stack.outputs()["jobIds"]
    assert after["keynote-cover"] == before["keynote-cover"]
    assert after["trailer-cover"] == submits[0]["response"]["JobId"] != before["trailer-cover"]


def test_removing_a_spec_forgets_its_job_without_calling_the_api(stack: PulumiStack, emulator: EmulatorProcess) -> None:
    stack.write_spec("covers.yaml", TWO_JOBS)
    stack.write_spec("interviews.yaml", THIRD_JOB)
    stack.up()
    stack.remove_spec("interviews.yaml")
    mark = emulator.log_position()

    run = stack.up()

    assert emulator.calls(mark) == []
    assert "1 deleted" in run.stdout
    assert sorted(stack.outputs()["jobIds"]) == ["keynote-cover", "trailer-cover"]
    assert "interview-cover" not in stack.state_text()
