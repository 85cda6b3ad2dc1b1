"""Job progress modes (vod_emulator.progress) and how the account's jobs follow them, on a fake clock."""

from __future__ import annotations

import re
from typing import Any

import pytest

from vod_emulator.models import JobEndedError, UnknownJobError, Video, VodAccount
from vod_emulator.progress import JobProgress

VIDEO, FAILING, GIF = "v" * 32, "f" * 32, '{"Format":"gif","SetDefaultCover":"true"}'
SUBMITTED_AT = 1_700_000_000.0


class FakeClock:
    def __init__(self, now: float = SUBMITTED_AT) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def account(clock: FakeClock, mode: str, job_duration: float = 5.0) -> tuple[VodAccount, str]:
    vod = VodAccount("cn-shanghai", job_duration=job_duration, seed=7, clock=clock, job_progress=mode)
    vod.add_video(Video(VIDEO, "a video"))
    vod.add_video(Video(FAILING, "seeded to fail", fail_ai_jobs=True))
    return vod, vod.add_ai_template("cover", "AIImage", GIF).template_id


@pytest.mark.parametrize(("progress", "ends_at"), [
    (JobProgress("time", 5.0), SUBMITTED_AT + 5.0),
    (JobProgress("time", 0.0), SUBMITTED_AT),
    (JobProgress("immediate", 5.0), SUBMITTED_AT),
    (JobProgress("manual", 5.0), None),
], ids=["time", "time with no duration", "immediate", "manual"])
def test_the_mode_decides_when_a_job_submitted_now_ends(progress: JobProgress, ends_at: float | None) -> None:
    assert progress.ends_at(SUBMITTED_AT) == ends_at


@pytest.mark.parametrize(("change", "expected"), [
    ({}, {"mode": "time", "jobDuration": 2.0}),
    ({"mode": "manual"}, {"mode": "manual", "jobDuration": 2.0}),
    ({"jobDuration": 0.5}, {"mode": "time", "jobDuration": 0.5}),
    ({"mode": "immediate", "jobDuration": 9}, {"mode": "immediate", "jobDuration": 9}),
], ids=["nothing", "mode only", "duration only", "both"])
def test_a_change_keeps_the_fields_it_does_not_name(change: dict[str, Any], expected: dict[str, Any]) -> None:
    assert JobProgress().updated(change).to_json() == expected


@pytest.mark.parametrize(("change", "problem"), [
    ({"mode": "later"}, "mode must be one of time, manual, immediate, got 'later'"),
    ({"jobDuration": -1}, "jobDuration must be a number of seconds ≥ 0, got -1"),
    ({"jobDuration": "2"}, "jobDuration must be a number of seconds ≥ 0, got '2'"),
    ({"jobDuration": True}, "jobDuration must be a number of seconds ≥ 0, got True"),
    ({"jobDuration": float("inf")}, "jobDuration must be a number of seconds ≥ 0, got inf"),
    ({"Mode": "manual"}, "unknown field(s) Mode; known: mode, jobDuration"),
])
def test_a_bad_change_names_its_problem(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError) as refused:
        JobProgress().updated(change)

    assert str(refused.value) == problem


# mode, video, seconds after submission → status GetAIImageJobs reports, images ListAIImageInfo lists
STATUS_OVER_TIME = [
    ("time", VIDEO, 4.9, "processing", 0),
    ("time", VIDEO, 5.0, "success", 2),
    ("time", FAILING, 5.0, "fail", 0),
    ("immediate", VIDEO, 0.0, "success", 2),
    ("immediate", FAILING, 0.0, "fail", 0),
    ("manual", VIDEO, 0.0, "processing", 0),
    ("manual", VIDEO, 10 * 365 * 86400.0, "processing", 0),
    ("manual", FAILING, 86400.0, "processing", 0),
]


@pytest.mark.parametrize(("mode", "video", "after", "status", "images"), STATUS_OVER_TIME)
def test_a_job_reports_the_status_its_mode_gives_it(mode: str, video: str, after: float, status: str, images: int) -> None:
    clock = FakeClock()
    vod, template = account(clock, mode)
    job = vod.submit_ai_image_job(video, template, None, None)

    clock.now += after

    assert vod.get_ai_image_jobs([job.job_id])[0].status(clock.now) == status
    assert len(vod.list_ai_image_info(video)) == images


# mode, video, outcome asked for → status, images listed, cover set
FINISHES = [
    ("manual", VIDEO, True, "success", 2, True),
    ("manual", VIDEO, False, "fail", 0, False),
    ("manual", FAILING, True, "success", 2, True),  # the admin's word wins over FailAIJobs
    ("time", VIDEO, False, "fail", 0, False),  # a time job still processing can be ended early too
    ("time", FAILING, True, "success", 2, True),
]


@pytest.mark.parametrize(("mode", "video", "succeeded", "status", "images", "covered"), FINISHES)
def test_an_admin_call_ends_a_processing_job_now(
    mode: str, video: str, succeeded: bool, status: str, images: int, covered: bool
) -> None:
    clock = FakeClock()
    vod, template = account(clock, mode)
    job = vod.submit_ai_image_job(video, template, None, None)
    clock.now += 1.0

    ended = vod.finish_job(job.job_id, succeeded)

    assert (ended.status(clock.now), ended.ends_at) == (status, clock.now)
    assert [image.info_id for _, image in vod.list_ai_image_info(video)] == [i.info_id for i in ended.images]
    assert len(ended.images) == images
    assert bool(vod.get_video(video, None)[1]) == covered


@pytest.mark.parametrize("mode", ["time", "immediate", "manual"])
def test_an_ended_job_never_changes_and_an_unknown_one_is_named(mode: str) -> None:
    clock = FakeClock()
    vod, template = account(clock, mode)
    job = vod.submit_ai_image_job(VIDEO, template, None, None)
    clock.now += 5.0
    if mode == "manual":
        vod.finish_job(job.job_id, succeeded=True)

    with pytest.raises(JobEndedError, match=re.escape(f"job {job.job_id} has already ended (success)")):
        vod.finish_job(job.job_id, succeeded=False)
    with pytest.raises(UnknownJobError, match=f"no job {'0' * 32}"):
        vod.finish_job("0" * 32, succeeded=True)
    assert vod.jobs[job.job_id].status(clock.now) == "success"


def test_a_new_mode_moves_no_job_already_submitted() -> None:
    clock = FakeClock()
    vod, template = account(clock, "manual")
    waiting = vod.submit_ai_image_job(VIDEO, template, None, None)

    vod.set_job_progress(JobProgress("immediate"))
    done = vod.submit_ai_image_job(VIDEO, template, None, None)
    vod.set_job_progress(JobProgress("time", 30.0))
    timed = vod.submit_ai_image_job(VIDEO, template, None, None)
    clock.now += 29.0

    assert [j.status(clock.now) for j in vod.get_ai_image_jobs([waiting.job_id, done.job_id, timed.job_id])] == [
        "processing", "success", "processing"]
    assert vod.job_duration == 30.0
