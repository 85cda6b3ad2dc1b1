"""Values as the docs and the official SDK show them, read through the SDK: ListAIImageInfo's Version is a
data version id, result files are named apart from their JobId, GetVideoInfo fills the SDK model's
fields, and an error's Recommend is today's troubleshooting link with the RequestId."""

from __future__ import annotations

import inspect
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from alibabacloud_vod20170321.models import (
    GetVideoInfoRequest,
    GetVideoInfoResponseBodyVideo,
    ListAIImageInfoRequest,
    SubmitAIImageJobRequest,
)

from tests.emulator.plain_client import V1Client
from tests.support.account import TEMPLATE
from tests.support.emulator_clients import new_video, sdk_client
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import StartEmulator

ID = re.compile(r"[0-9a-f]{32}")
# Fields of GetVideoInfoResponseBodyVideo the cloud leaves out for these videos (vod_emulator/README.md):
# deprecated, archive restoration only, snapshot jobs only.
NEVER_FILLED = {"custom_media_info", "restore_status", "restore_expiration", "snapshots"}
METADATA = {"Description": "launch keynote", "Tags": "launch,2024", "CateId": 781111, "CateName": "events",
            "UserData": '{"Extend":{"team":"video"}}', "ReferenceId": "keynote-2024"}


@pytest.fixture
def immediate(start_emulator: StartEmulator) -> EmulatorProcess:
    """An emulator of the test's own whose jobs end at once (no waiting for a result)."""
    return start_emulator("--job-progress", "immediate")


def test_each_image_has_a_version_id_and_a_file_named_apart_from_its_job(immediate: EmulatorProcess) -> None:
    client = sdk_client(immediate)
    video = new_video(immediate)
    job_ids = [client.submit_aiimage_job(SubmitAIImageJobRequest(video_id=video, aitemplate_id=TEMPLATE)).body.job_id
               for _ in range(2)]

    infos = client.list_aiimage_info(ListAIImageInfoRequest(video_id=video)).body.aiimage_info_list

    files = [urlsplit(i.file_url).path.split("/") for i in infos]
    assert all(ID.fullmatch(i.version) for i in infos)
    assert len({i.version for i in infos} | {i.aiimage_info_id for i in infos} | set(job_ids)) == 2 * len(infos) + 2
    assert [path[1:4] for path in files] == [[video, "image", "ai"]] * 4
    names = [re.fullmatch(r"([0-9a-f]{32})-(\d{5})\.gif", path[4]) for path in files]
    assert all(names) and [n.group(2) for n in names if n] == ["00001", "00002"] * 2
    outputs = [n.group(1) for n in names if n]
    assert outputs[0] == outputs[1] != outputs[2] == outputs[3] and not set(outputs) & set(job_ids)


def test_get_video_info_fills_every_field_of_the_sdk_model_that_applies(immediate: EmulatorProcess) -> None:
    client = sdk_client(immediate)
    video_id = new_video(immediate, **METADATA)
    client.submit_aiimage_job(SubmitAIImageJobRequest(video_id=video_id, aitemplate_id=TEMPLATE))  # sets the cover

    video = client.get_video_info(GetVideoInfoRequest(video_id=video_id)).body.video
    bare = client.get_video_info(GetVideoInfoRequest(video_id=new_video(immediate))).body.video

    model_fields = set(inspect.signature(GetVideoInfoResponseBodyVideo).parameters)
    assert {name for name in model_fields if getattr(video, name) not in (None, "")} == model_fields - NEVER_FILLED
    assert (video.description, video.tags, video.cate_id, video.cate_name, video.user_data, video.reference_id) == tuple(
        METADATA.values())
    assert (video.audit_status, video.template_group_id, video.storage_class) == ("Normal", "VOD_NO_TRANSCODE", "Standard")
    assert (bare.description, bare.cate_id, bare.cover_url, bare.snapshots) == (None, None, None, None)


def recommend_of_sdk_error(call: Any) -> tuple[str, str]:
    with pytest.raises(Exception) as raised:
        call()
    data: dict[str, Any] = getattr(raised.value, "data", {})
    return data["Recommend"], data["RequestId"]


def test_an_error_recommends_the_troubleshooting_page_for_its_code_and_request(emulator: EmulatorProcess, v1: V1Client) -> None:
    sdk_recommend, sdk_request_id = recommend_of_sdk_error(
        lambda: sdk_client(emulator).get_video_info(GetVideoInfoRequest(video_id="f" * 32)))
    missing = v1.call("GetAITemplate", {"TemplateId": "0" * 32})

    assert sdk_recommend == (f"https://api.aliyun.com/troubleshoot?q=InvalidVideo.NotFound&product=vod"
                             f"&requestId={sdk_request_id}")
    assert missing.json()["Recommend"] == (f"https://api.aliyun.com/troubleshoot?q=InvalidAITemplate.NotFound"
                                             f"&product=vod&requestId={missing.json()['RequestId']}")
