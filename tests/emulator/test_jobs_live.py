"""Submitted jobs live: processing, then success (or failure, for videos seeded to fail), as GetAIImageJobs,
ListAIImageInfo and GetVideoInfo report them."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.emulator.plain_client import V1Client
from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import StartEmulator
from tests.support.waiting import read_until


def client_for(process: EmulatorProcess) -> V1Client:
    return V1Client(process.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)


def submit(client: V1Client, video_id: str, template_id: str = TEMPLATE) -> str:
    reply = client.call("SubmitAIImageJob", {"VideoId": video_id, "AITemplateId": template_id,
                                             "UserData": '{"Extend":{"test":"live"}}'})
    assert reply.status == 200, reply.body
    return str(reply.json()["JobId"])


def jobs(client: V1Client, *job_ids: str) -> list[dict[str, Any]]:
    reply = client.call("GetAIImageJobs", {"JobIds": ",".join(job_ids)})
    assert reply.status == 200, reply.body
    return list(reply.json()["AIImageJobList"])


def images(client: V1Client, video_id: str) -> list[dict[str, Any]]:
    return list(client.call("ListAIImageInfo", {"VideoId": video_id}).json()["AIImageInfoList"])


def test_a_job_is_processing_then_succeeds_and_only_then_lists_its_images(start_emulator: StartEmulator) -> None:
    client = client_for(start_emulator(job_duration=1.0))
    job_id = submit(client, VIDEOS["trailer"])

    [running] = jobs(client, job_id)
    images_while_running = images(client, VIDEOS["trailer"])
    [done] = read_until(lambda: jobs(client, job_id), lambda found: found[0]["Status"] != "processing")

    assert (running["Status"], running["Code"], running["AIImageResult"]) == ("processing", "Processing", "")
    assert images_while_running == []
    assert (done["Status"], done["Code"], done["Message"]) == ("success", "Success", "success")
    urls = [r["Url"] for r in json.loads(done["AIImageResult"])]
    listed = images(client, VIDEOS["trailer"])
    assert [i["FileURL"].split("?auth_key=")[0] for i in listed] == urls and {i["JobId"] for i in listed} == {job_id}


def test_a_job_on_a_video_seeded_to_fail_fails_and_yields_no_images(start_emulator: StartEmulator) -> None:
    process = start_emulator(job_duration=0.2)
    broken = uuid.uuid4().hex
    process.add_videos({"VideoId": broken, "Title": "broken", "FailAIJobs": True})
    client = client_for(process)
    job_id = submit(client, broken)

    [failed] = read_until(lambda: jobs(client, job_id), lambda found: found[0]["Status"] != "processing")

    assert (failed["Status"], failed["Code"], failed["AIImageResult"]) == ("fail", "AIImageJobFailed", "")
    assert images(client, broken) == []


def test_unknown_job_ids_are_left_out_and_a_repeated_one_is_reported_once(emulator: EmulatorProcess, v1: V1Client) -> None:
    job_id = submit(v1, VIDEOS["keynote"])

    found = jobs(v1, "0" * 32, job_id, job_id, "1" * 32)

    assert [j["JobId"] for j in found] == [job_id]
    assert jobs(v1, "2" * 32) == []


def test_a_video_without_its_source_file_cannot_run_a_job(emulator: EmulatorProcess, v1: V1Client) -> None:
    uploading = uuid.uuid4().hex
    emulator.add_videos({"VideoId": uploading, "Status": "Uploading"})

    reply = v1.call("SubmitAIImageJob", {"VideoId": uploading, "AITemplateId": TEMPLATE})
    info = v1.call("GetVideoInfo", {"VideoId": uploading})

    assert (reply.status, reply.code) == (400, "Forbidden.IllegalStatus")
    assert info.json()["Video"]["Status"] == "Uploading"


def test_an_audit_template_cannot_run_an_image_job(v1: V1Client) -> None:
    audit = v1.call("AddAITemplate", {
        "TemplateName": "audit", "TemplateType": "AIMediaAudit",
        "TemplateConfig": '{"AuditItem":["ad"],"AuditRange":["video"],"AuditContent":["screen"],"AuditAutoBlock":"no"}',
    }).json()["TemplateId"]

    reply = v1.call("SubmitAIImageJob", {"VideoId": VIDEOS["keynote"], "AITemplateId": audit})

    assert (reply.status, reply.code) == (400, "InvalidParameter")


def test_a_deleted_template_leaves_its_jobs_readable_with_their_config_snapshot(v1: V1Client) -> None:
    config = '{"Format":"png","SetDefaultCover":"false"}'
    template = v1.call("AddAITemplate", {"TemplateName": "short-lived", "TemplateType": "AIImage",
                                         "TemplateConfig": config}).json()["TemplateId"]
    job_id = submit(v1, VIDEOS["keynote"], template)

    deleted = v1.call("DeleteAITemplate", {"TemplateId": template})
    [job] = jobs(v1, job_id)

    assert deleted.status == 200
    assert (job["TemplateId"], job["TemplateConfig"]) == (template, config)
