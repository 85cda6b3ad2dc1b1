"""Alibaba's own SDK (alibabacloud-vod20170321) talks to the emulator as it would to the cloud.

Conformance is judged by a client we did not write: the SDK signs (V3 by default, V1 on request),
sends, and parses the answers into its models. Every emulated action goes through it, and every
field the docs name must come back filled.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vod20170321.client import Client
from alibabacloud_vod20170321.models import (
    AddAITemplateRequest,
    DeleteAITemplateRequest,
    GetAIImageJobsRequest,
    GetAITemplateRequest,
    GetDefaultAITemplateRequest,
    GetVideoInfoRequest,
    ListAIImageInfoRequest,
    ListAITemplateRequest,
    SetDefaultAITemplateRequest,
    SubmitAIImageJobRequest,
    UpdateAITemplateRequest,
)

from tests.support.account import TEMPLATE, VIDEOS
from tests.support.emulator_clients import new_video, sdk_client
from tests.support.emulator_process import EmulatorProcess
from tests.support.waiting import read_until

ALGORITHMS = pytest.mark.parametrize("algorithm", [None, "v2"], ids=["V3 (SDK default)", "V1 (signature_algorithm=v2)"])
GIF_COVER = '{"Format":"gif","SetDefaultCover":"true"}'
PNG_ONLY = '{"Format":"png","SetDefaultCover":"false"}'
AUDIT = '{"AuditItem":["terrorism","porn"],"AuditRange":["image-cover","video"],"AuditContent":["screen"],"AuditAutoBlock":"yes"}'
TEMPLATE_INFO_FIELDS = ("template_id", "template_name", "template_type", "template_config", "source", "is_default",
                        "creation_time", "modify_time")


def assert_filled(model: Any, *fields: str) -> None:
    empty = [name for name in fields if getattr(model, name) in (None, "", [])]
    assert not empty, f"{type(model).__name__} came back without {empty}: {model.to_map()}"


def sdk_error(call: Any) -> tuple[int | None, str | None]:
    with pytest.raises(Exception) as raised:
        call()
    return getattr(raised.value, "status_code", None), getattr(raised.value, "code", None)


@ALGORITHMS
def test_the_official_sdk_submits_a_job_and_reads_it_back(emulator: EmulatorProcess, algorithm: str | None) -> None:
    client = sdk_client(emulator, algorithm=algorithm)
    user_data = json.dumps({"Extend": {"source": "sdk"}}, separators=(",", ":"))

    submitted = client.submit_aiimage_job(SubmitAIImageJobRequest(
        video_id=VIDEOS["interview"], aitemplate_id=TEMPLATE, user_data=user_data))
    listed = client.get_aiimage_jobs(GetAIImageJobsRequest(job_ids=submitted.body.job_id))

    assert submitted.status_code == 200 and len(submitted.body.job_id) == 32 and submitted.body.request_id
    [job] = listed.body.aiimage_job_list
    assert (job.job_id, job.video_id, job.template_id, job.user_data) == (
        submitted.body.job_id, VIDEOS["interview"], TEMPLATE, user_data)
    assert job.status in ("processing", "success") and job.creation_time.endswith("Z")
    assert json.loads(job.template_config) == {"Format": "gif", "SetDefaultCover": "true"}


@ALGORITHMS
def test_a_finished_job_fills_every_documented_field_and_its_images_and_cover_appear(
    emulator: EmulatorProcess, algorithm: str | None
) -> None:
    client = sdk_client(emulator, algorithm=algorithm)
    video_id = new_video(emulator)
    job_id = client.submit_aiimage_job(SubmitAIImageJobRequest(
        video_id=video_id, aitemplate_id=TEMPLATE, user_data='{"Extend":{"k":"v"}}')).body.job_id

    [job] = read_until(
        lambda: client.get_aiimage_jobs(GetAIImageJobsRequest(job_ids=job_id)).body.aiimage_job_list,
        lambda jobs: jobs[0].status != "processing",
    )
    infos = client.list_aiimage_info(ListAIImageInfoRequest(video_id=video_id)).body
    video = client.get_video_info(GetVideoInfoRequest(video_id=video_id)).body

    assert_filled(job, "job_id", "video_id", "status", "code", "message", "aiimage_result", "template_id",
                  "template_config", "creation_time", "user_data")
    assert (job.status, job.code, job.message) == ("success", "Success", "success")
    results = json.loads(job.aiimage_result)
    assert results and all(set(r) == {"Score", "Url"} and isinstance(r["Score"], float) for r in results)
    assert_filled(infos, "request_id", "aiimage_info_list")
    for info in infos.aiimage_info_list:
        assert_filled(info, "aiimage_info_id", "job_id", "video_id", "file_url", "format", "score", "version", "creation_time")
        assert (info.job_id, info.video_id, info.format) == (job_id, video_id, "gif")
        assert "?auth_key=" in info.file_url and info.file_url.split("?")[0] in {r["Url"] for r in results}
    assert_filled(video, "request_id", "video")
    assert_filled(video.video, "video_id", "title", "status", "creation_time", "duration", "size", "cover_url", "region_id")
    assert video.video.cover_url == max(results, key=lambda r: r["Score"])["Url"]  # the template sets the cover


@ALGORITHMS
def test_every_ai_template_action_parses_into_the_sdk_models(emulator: EmulatorProcess, algorithm: str | None) -> None:
    client = sdk_client(emulator, algorithm=algorithm)

    added = client.add_aitemplate(AddAITemplateRequest(
        template_name=f"cover-{algorithm}", template_type="AIImage", template_config=GIF_COVER)).body
    got = client.get_aitemplate(GetAITemplateRequest(template_id=added.template_id)).body
    listed = client.list_aitemplate(ListAITemplateRequest(template_type="AIImage")).body
    updated = client.update_aitemplate(UpdateAITemplateRequest(
        template_id=added.template_id, template_name="renamed", template_config=PNG_ONLY)).body
    after_update = client.get_aitemplate(GetAITemplateRequest(template_id=added.template_id)).body.template_info
    deleted = client.delete_aitemplate(DeleteAITemplateRequest(template_id=added.template_id)).body

    assert_filled(added, "request_id", "template_id")
    assert_filled(got.template_info, *TEMPLATE_INFO_FIELDS)
    assert (got.template_info.template_config, got.template_info.source, got.template_info.is_default) == (
        GIF_COVER, "Custom", "NotDefault")
    mine = [t for t in listed.template_info_list if t.template_id == added.template_id]
    assert len(mine) == 1 and all(t.template_type == "AIImage" for t in listed.template_info_list)
    assert_filled(mine[0], *TEMPLATE_INFO_FIELDS)
    assert updated.template_id == deleted.template_id == added.template_id and updated.request_id and deleted.request_id
    assert (after_update.template_name, after_update.template_config) == ("renamed", PNG_ONLY)
    assert sdk_error(lambda: client.get_aitemplate(GetAITemplateRequest(template_id=added.template_id))) == (
        404, "InvalidAITemplate.NotFound")


@ALGORITHMS
def test_the_default_audit_template_is_set_read_and_cannot_be_deleted(emulator: EmulatorProcess, algorithm: str | None) -> None:
    client = sdk_client(emulator, algorithm=algorithm)
    audit_id = client.add_aitemplate(AddAITemplateRequest(
        template_name="audit", template_type="AIMediaAudit", template_config=AUDIT)).body.template_id

    chosen = client.set_default_aitemplate(SetDefaultAITemplateRequest(template_id=audit_id)).body
    default = client.get_default_aitemplate(GetDefaultAITemplateRequest(template_type="AIMediaAudit")).body

    assert chosen.template_id == audit_id and chosen.request_id
    assert_filled(default.template_info, *TEMPLATE_INFO_FIELDS)
    assert (default.template_info.template_id, default.template_info.is_default) == (audit_id, "Default")
    assert sdk_error(lambda: client.delete_aitemplate(DeleteAITemplateRequest(template_id=audit_id))) == (
        403, "Forbidden.DefaultTemplate")
    assert sdk_error(lambda: client.get_default_aitemplate(GetDefaultAITemplateRequest(template_type="AIImage"))) == (
        400, "InvalidParameter")


def test_the_official_sdk_sees_a_wrong_secret_as_signature_does_not_match(emulator: EmulatorProcess) -> None:
    client = sdk_client(emulator, secret="not-the-secret")

    status, code = sdk_error(lambda: client.submit_aiimage_job(
        SubmitAIImageJobRequest(video_id=VIDEOS["interview"], aitemplate_id=TEMPLATE)))

    assert (status, code) == (400, "SignatureDoesNotMatch")


def test_the_official_sdk_sees_an_unknown_video_as_not_found(emulator: EmulatorProcess) -> None:
    client = sdk_client(emulator)

    submit = sdk_error(lambda: client.submit_aiimage_job(SubmitAIImageJobRequest(video_id="f" * 32, aitemplate_id=TEMPLATE)))
    info = sdk_error(lambda: client.get_video_info(GetVideoInfoRequest(video_id="f" * 32)))

    assert submit == info == (404, "InvalidVideo.NotFound")


def test_the_official_sdk_with_sts_credentials_is_accepted_until_they_expire(start_emulator: Any) -> None:
    process = start_emulator("--sts-credential", "STS.Valid:sts-secret:token-1:2099-01-01T00:00:00Z",
                             "--sts-credential", "STS.Old:old-secret:token-0:2020-01-01T00:00:00Z")

    def client(key_id: str, secret: str, token: str) -> Client:
        return Client(Config(access_key_id=key_id, access_key_secret=secret, security_token=token,
                             region_id="cn-shanghai", endpoint=urlsplit(process.url).netloc, protocol="http"))

    video = client("STS.Valid", "sts-secret", "token-1").get_video_info(GetVideoInfoRequest(video_id=VIDEOS["trailer"]))
    expired = sdk_error(lambda: client("STS.Old", "old-secret", "token-0").get_video_info(
        GetVideoInfoRequest(video_id=VIDEOS["trailer"])))

    assert video.body.video.video_id == VIDEOS["trailer"]
    assert expired == (400, "InvalidSecurityToken.Expired")
