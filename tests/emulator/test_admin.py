"""The admin endpoints under /_emulator/: seeding, the request log and reset; never taken for API calls."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.emulator.plain_client import V1Client
from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulators import StartEmulator


def admin_error(url: str, method: str, body: object) -> tuple[int, str]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    return refused.value.code, json.loads(refused.value.read())["error"]


def test_the_log_records_every_api_call_with_its_outcome_and_no_admin_call(start_emulator: StartEmulator) -> None:
    process = start_emulator()
    client = V1Client(process.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)

    client.call("SubmitAIImageJob", {"VideoId": VIDEOS["trailer"], "AITemplateId": TEMPLATE, "UserData": '{"Extend":{}}'})
    client.call("GetVideoInfo", {"VideoId": "0" * 32})
    process.requests()

    ok, missing = process.requests()
    assert set(ok) == {"seq", "action", "params", "requestId", "httpStatus", "code", "response", "time", "auth", "fault"}
    assert (ok["action"], ok["httpStatus"], ok["code"], ok["auth"]) == ("SubmitAIImageJob", 200, "Success", "V1")
    assert ok["params"] == {"VideoId": VIDEOS["trailer"], "AITemplateId": TEMPLATE, "UserData": '{"Extend":{}}'}
    assert list(ok["response"]) == ["JobId"] and ok["seq"] + 1 == missing["seq"]
    assert (missing["action"], missing["httpStatus"], missing["code"]) == ("GetVideoInfo", 404, "InvalidVideo.NotFound")
    assert process.requests(since=ok["seq"]) == [missing]


def test_reset_forgets_state_and_log_while_log_positions_keep_counting(start_emulator: StartEmulator) -> None:
    process = start_emulator()
    client = V1Client(process.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)
    client.call("GetVideoInfo", {"VideoId": VIDEOS["trailer"]})
    mark = process.log_position()

    process.reset()
    after = client.call("GetVideoInfo", {"VideoId": VIDEOS["trailer"]})

    assert (after.status, after.code) == (404, "InvalidVideo.NotFound")
    assert [e["seq"] for e in process.requests()] == [mark + 1]


def test_bad_admin_requests_get_plain_admin_errors(start_emulator: StartEmulator) -> None:
    process = start_emulator(seed=False)

    assert admin_error(f"{process.url}/_emulator/SubmitAIImageJob", "POST", {}) == (
        404, "no admin endpoint POST /_emulator/SubmitAIImageJob")
    status, message = admin_error(f"{process.url}/_emulator/videos", "POST", [{"VideoId": "v", "Colour": "red"}])
    assert (status, message) == (400, "POST /_emulator/videos: unknown video field(s) Colour; known: "
                                      "CateId, CateName, Description, Duration, FailAIJobs, ReferenceId, Size, "
                                      "Status, Tags, Title, UserData, VideoId")
    assert admin_error(f"{process.url}/_emulator/templates", "POST", {"TemplateName": "t", "TemplateType": "Other"})[0] == 400
    assert process.requests() == []
