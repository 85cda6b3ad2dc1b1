"""Job progress over HTTP: in manual progress a job submitted through the official SDK stays processing
until `POST /_emulator/jobs/<JobId>` ends it, and the SDK then reads the outcome the admin chose;
the mode itself is read and changed through `/_emulator/job-progress`, and a reset restores it."""

from __future__ import annotations

import json

from alibabacloud_vod20170321.client import Client
from alibabacloud_vod20170321.models import (
    GetAIImageJobsRequest,
    GetAIImageJobsResponseBodyAIImageJobList,
    GetVideoInfoRequest,
    ListAIImageInfoRequest,
    SubmitAIImageJobRequest,
)

from tests.support.account import TEMPLATE
from tests.support.emulator_clients import admin, new_video, sdk_client
from tests.support.emulators import StartEmulator


def submit(client: Client, video_id: str) -> str:
    return str(client.submit_aiimage_job(SubmitAIImageJobRequest(video_id=video_id, aitemplate_id=TEMPLATE)).body.job_id)


def jobs(client: Client, *job_ids: str) -> list[GetAIImageJobsResponseBodyAIImageJobList]:
    return list(client.get_aiimage_jobs(GetAIImageJobsRequest(job_ids=",".join(job_ids))).body.aiimage_job_list)


def test_in_manual_progress_a_job_waits_for_its_admin_call_and_the_sdk_reads_the_outcome(
    start_emulator: StartEmulator,
) -> None:
    # A job duration of 0 would end every job at once in the time mode: here nothing ends on its own.
    process = start_emulator("--job-progress", "manual", job_duration=0.0)
    client = sdk_client(process)
    video, seeded_to_fail = new_video(process), new_video(process, FailAIJobs=True)
    to_succeed, to_fail, rescued = submit(client, video), submit(client, video), submit(client, seeded_to_fail)

    waiting = [(j.status, j.code, j.aiimage_result) for j in jobs(client, to_succeed, to_fail, rescued)]
    images_while_waiting = client.list_aiimage_info(ListAIImageInfoRequest(video_id=video)).body.aiimage_info_list
    answers = [admin(process, "POST", f"jobs/{job_id}", {"status": status})
               for job_id, status in ((to_succeed, "success"), (to_fail, "fail"), (rescued, "success"))]
    done, failed, saved = jobs(client, to_succeed, to_fail, rescued)
    listed = client.list_aiimage_info(ListAIImageInfoRequest(video_id=video)).body.aiimage_info_list
    cover = client.get_video_info(GetVideoInfoRequest(video_id=video)).body.video.cover_url

    assert waiting == [("processing", "Processing", "")] * 3 and images_while_waiting == []
    assert answers == [(200, {"JobId": to_succeed, "Status": "success"}), (200, {"JobId": to_fail, "Status": "fail"}),
                       (200, {"JobId": rescued, "Status": "success"})]
    assert (done.status, done.code, failed.status, failed.code, failed.aiimage_result) == (
        "success", "Success", "fail", "AIImageJobFailed", "")
    results = json.loads(done.aiimage_result)
    assert [i.file_url.split("?")[0] for i in listed] == [r["Url"] for r in results] and {i.job_id for i in listed} == {to_succeed}
    assert cover == max(results, key=lambda r: r["Score"])["Url"]
    assert saved.status == "success"  # the admin's word wins over FailAIJobs


def test_an_ended_job_cannot_be_ended_again_and_an_unknown_one_is_not_found(start_emulator: StartEmulator) -> None:
    process = start_emulator("--job-progress", "manual")
    client = sdk_client(process)
    job_id = submit(client, new_video(process))
    admin(process, "POST", f"jobs/{job_id}", {"status": "fail"})

    again = admin(process, "POST", f"jobs/{job_id}", {"status": "success"})
    unknown = admin(process, "POST", f"jobs/{'0' * 32}", {"status": "success"})

    assert again == (409, {"error": f"POST /_emulator/jobs/{job_id}: job {job_id} has already ended (fail); "
                                    "an ended job never changes"})
    assert unknown == (404, {"error": f"POST /_emulator/jobs/{'0' * 32}: no job {'0' * 32}"})
    assert jobs(client, job_id)[0].status == "fail"
    assert process.requests()[-1]["action"] == "GetAIImageJobs"  # admin calls never enter the API log


def test_the_mode_is_changed_and_read_through_the_admin_api_and_reset_restores_it(start_emulator: StartEmulator) -> None:
    process = start_emulator(job_duration=600.0)  # the time mode: jobs would take ten minutes
    client = sdk_client(process)

    started = admin(process, "GET", "job-progress")
    immediate = admin(process, "POST", "job-progress", {"mode": "immediate"})
    at_once = submit(client, new_video(process))
    admin(process, "POST", "job-progress", {"mode": "manual"})
    waits = submit(client, new_video(process))
    statuses = [j.status for j in jobs(client, at_once, waits)]
    process.reset()

    assert started == (200, {"mode": "time", "jobDuration": 600.0})
    assert immediate == (200, {"mode": "immediate", "jobDuration": 600.0})
    assert statuses == ["success", "processing"]
    assert admin(process, "GET", "job-progress") == started
    assert admin(process, "POST", "job-progress", {"mode": "soon"}) == (
        400, {"error": "POST /_emulator/job-progress: mode must be one of time, manual, immediate, got 'soon'"})


def test_in_immediate_progress_a_submitted_job_has_succeeded_when_the_sdk_asks(start_emulator: StartEmulator) -> None:
    process = start_emulator("--job-progress", "immediate", job_duration=600.0)
    client = sdk_client(process)
    video = new_video(process)

    [job] = jobs(client, submit(client, video))

    assert (job.status, job.code) == ("success", "Success")
    assert len(client.list_aiimage_info(ListAIImageInfoRequest(video_id=video)).body.aiimage_info_list) == 2
