"""Requests signed by an independent V1 implementation (tests/emulator/plain_client.py), over plain HTTP.

Each way the cloud accepts a request is accepted, and each rejection answers with the cloud's
HTTP status, Code and error body (RequestId, HostId, Code, Message, Recommend).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator.plain_client import Reply, V1Client
from tests.support.account import TEMPLATE, TEST_KEY, VIDEOS
from tests.support.emulator_process import EmulatorProcess
from tests.support.emulators import StartEmulator, emulators

VIDEO = VIDEOS["keynote"]
ERROR_KEYS = {"RequestId", "HostId", "Code", "Message", "Recommend"}


def rejected(reply: Reply) -> tuple[int, str]:
    body = reply.json()
    assert set(body) == ERROR_KEYS, body
    assert body["RequestId"] == reply.headers["x-acs-request-id"]
    return reply.status, body["Code"]


@pytest.mark.parametrize(("http_method", "in_body"), [("GET", False), ("POST", False), ("POST", True)],
                         ids=["GET query", "POST query", "POST form body"])
def test_a_v1_request_is_accepted_by_get_and_post_in_the_query_or_a_form_body(
    v1: V1Client, http_method: str, in_body: bool
) -> None:
    reply = v1.call("GetVideoInfo", {"VideoId": VIDEO}, http_method=http_method, in_body=in_body)

    assert reply.status == 200, reply.body
    assert reply.json()["Video"]["VideoId"] == VIDEO and reply.json()["RequestId"]


def test_without_format_the_answer_is_xml_as_the_docs_say(v1: V1Client) -> None:
    ok = v1.call("GetVideoInfo", {"VideoId": VIDEO}, response_format=None)
    error = v1.call("GetVideoInfo", {"VideoId": "0" * 32}, response_format=None)

    assert ok.headers["content-type"] == error.headers["content-type"] == "text/xml;charset=utf-8"
    assert ok.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?><GetVideoInfoResponse><RequestId>')
    assert f"<VideoId>{VIDEO}</VideoId>".encode() in ok.body
    assert b"<Error><RequestId>" in error.body and b"<Code>InvalidVideo.NotFound</Code>" in error.body


REJECTIONS: list[Any] = [
    pytest.param({"key_id": "LTAI5tNoSuchKey000000"}, {}, (404, "InvalidAccessKeyId.NotFound"), id="unknown AccessKeyId"),
    pytest.param({}, {"secret": "wrong-secret"}, (400, "SignatureDoesNotMatch"), id="wrong secret"),
    pytest.param({}, {"tamper": {"VideoId": VIDEOS["trailer"]}}, (400, "SignatureDoesNotMatch"), id="parameter changed after signing"),
    pytest.param({}, {"sign_method": "GET"}, (400, "SignatureDoesNotMatch"), id="signed for GET, sent as POST"),
    pytest.param({}, {"clock_offset": -16 * 60}, (400, "InvalidTimeStamp.Expired"), id="timestamp 16 min old"),
    pytest.param({}, {"clock_offset": 16 * 60}, (400, "InvalidTimeStamp.Expired"), id="timestamp 16 min ahead"),
    pytest.param({}, {"timestamp": "2024-01-01 00:00:00"}, (400, "InvalidTimeStamp.Format"), id="malformed timestamp"),
    pytest.param({}, {"signature_method": "HMAC-SHA256"}, (400, "InvalidSignatureMethod"), id="other signature method"),
    pytest.param({}, {"omit": ["SignatureNonce"]}, (400, "MissingSignatureNonce"), id="no nonce"),
    pytest.param({}, {"omit": ["Timestamp"]}, (400, "MissingTimestamp"), id="no timestamp"),
    pytest.param({}, {"version": "2014-05-26"}, (400, "InvalidVersion"), id="other API version"),
    pytest.param({}, {"omit": ["Version"]}, (400, "MissingVersion"), id="no version"),
    pytest.param({}, {"http_method": "PUT"}, (400, "UnsupportedHTTPMethod"), id="PUT"),
    pytest.param({"action": "DeleteVideo"}, {}, (404, "InvalidAction.NotFound"), id="an action VOD has but the emulator does not"),
    pytest.param({"action": "NoSuchAction"}, {}, (404, "InvalidAction.NotFound"), id="unknown action"),
]


@pytest.mark.parametrize(("who", "how", "expected"), REJECTIONS)
def test_each_authentication_and_routing_fault_is_rejected_as_the_cloud_does(
    emulator: EmulatorProcess, who: dict[str, str], how: dict[str, Any], expected: tuple[int, str]
) -> None:
    client = V1Client(emulator.url, who.get("key_id", TEST_KEY.access_key_id), TEST_KEY.access_key_secret)
    mark = emulator.log_position()

    reply = client.call(who.get("action", "SubmitAIImageJob"), {"VideoId": VIDEO, "AITemplateId": TEMPLATE}, **how)

    assert rejected(reply) == expected
    assert [e["httpStatus"] for e in emulator.calls(mark, "SubmitAIImageJob")] in ([], [expected[0]])
    assert emulator.submitted_job_ids(mark) == []


def test_a_request_without_any_signature_is_incomplete(v1: V1Client) -> None:
    reply = v1.send("POST", {"Action": "GetVideoInfo", "Version": "2017-03-21", "Format": "JSON", "VideoId": VIDEO})

    assert rejected(reply) == (400, "IncompleteSignature")


def test_a_reused_nonce_is_rejected_the_second_time(v1: V1Client) -> None:
    nonce = uuid.uuid4().hex

    first = v1.call("GetVideoInfo", {"VideoId": VIDEO}, nonce=nonce)
    second = v1.call("GetVideoInfo", {"VideoId": VIDEO}, nonce=nonce)

    assert first.status == 200
    assert rejected(second) == (400, "SignatureNonceUsed")


AUDIT = '{"AuditItem":["porn"],"AuditRange":["video"],"AuditContent":["screen"],"AuditAutoBlock":"no"}'
GIF = '{"Format":"gif","SetDefaultCover":"true"}'
PARAMETER_FAULTS: list[Any] = [
    # (action, parameters, expected) — a missing required parameter of every action, then malformed ones
    ("SubmitAIImageJob", {"AITemplateId": TEMPLATE}, (400, "MissingVideoId")),
    ("SubmitAIImageJob", {"VideoId": VIDEO}, (400, "MissingAITemplateId")),
    ("GetAIImageJobs", {}, (400, "MissingJobIds")),
    ("ListAIImageInfo", {}, (400, "MissingVideoId")),
    ("GetVideoInfo", {}, (400, "MissingVideoId")),
    ("AddAITemplate", {"TemplateType": "AIImage", "TemplateConfig": GIF}, (400, "MissingTemplateName")),
    ("AddAITemplate", {"TemplateName": "n", "TemplateConfig": GIF}, (400, "MissingTemplateType")),
    ("AddAITemplate", {"TemplateName": "n", "TemplateType": "AIImage"}, (400, "MissingTemplateConfig")),
    ("GetAITemplate", {}, (400, "MissingTemplateId")),
    ("ListAITemplate", {}, (400, "MissingTemplateType")),
    ("UpdateAITemplate", {"TemplateId": TEMPLATE, "TemplateConfig": GIF}, (400, "MissingTemplateName")),
    ("UpdateAITemplate", {"TemplateId": TEMPLATE, "TemplateName": "n"}, (400, "MissingTemplateConfig")),
    ("DeleteAITemplate", {}, (400, "MissingTemplateId")),
    ("SetDefaultAITemplate", {}, (400, "MissingTemplateId")),
    ("GetDefaultAITemplate", {}, (400, "MissingTemplateType")),
    ("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": TEMPLATE, "UserData": "not json"}, (400, "InvalidParameter")),
    ("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": TEMPLATE, "UserData": '{"Other":1}'}, (400, "InvalidParameter")),
    ("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": TEMPLATE,
                          "UserData": '{"Extend":"' + "x" * 500 + '"}'}, (400, "InvalidParameter")),
    ("GetAIImageJobs", {"JobIds": ",".join(f"{n:032x}" for n in range(11))}, (400, "InvalidParameter")),
    ("AddAITemplate", {"TemplateName": "n", "TemplateType": "Thumbnail", "TemplateConfig": GIF}, (400, "InvalidParameter")),
    ("AddAITemplate", {"TemplateName": "n" * 129, "TemplateType": "AIImage", "TemplateConfig": GIF}, (400, "InvalidParameter")),
    ("AddAITemplate", {"TemplateName": "n", "TemplateType": "AIImage",
                       "TemplateConfig": '{"Format":"gif","SetDefaultCover":true}'}, (400, "InvalidParameter")),
    ("AddAITemplate", {"TemplateName": "n", "TemplateType": "AIMediaAudit", "TemplateConfig": GIF}, (400, "InvalidParameter")),
    ("UpdateAITemplate", {"TemplateId": TEMPLATE, "TemplateName": "n", "TemplateConfig": AUDIT}, (400, "InvalidParameter")),
    ("ListAITemplate", {"TemplateType": "aiimage"}, (400, "InvalidParameter")),
    ("GetDefaultAITemplate", {"TemplateType": "AIImage"}, (400, "InvalidParameter")),
    ("SubmitAIImageJob", {"VideoId": "0" * 32, "AITemplateId": TEMPLATE}, (404, "InvalidVideo.NotFound")),
    ("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": "0" * 32}, (404, "InvalidAITemplate.NotFound")),
    ("GetAITemplate", {"TemplateId": "0" * 32}, (404, "InvalidAITemplate.NotFound")),
    ("ListAIImageInfo", {"VideoId": "0" * 32}, (404, "InvalidVideo.NotFound")),
]


@pytest.mark.parametrize(("action", "params", "expected"), PARAMETER_FAULTS,
                         ids=[f"{a} {e[1]} {'+'.join(p) or 'no parameters'}" for a, p, e in PARAMETER_FAULTS])
def test_each_missing_or_malformed_parameter_is_rejected(
    unthrottled: EmulatorProcess, action: str, params: dict[str, str], expected: tuple[int, str]
) -> None:
    mark = unthrottled.log_position()

    reply = V1Client(unthrottled.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret).call(action, params)

    assert rejected(reply) == expected
    assert unthrottled.submitted_job_ids(mark) == []


@pytest.fixture(scope="module")
def unthrottled() -> Iterator[EmulatorProcess]:
    """Thirty calls in a row, eight of them AddAITemplate (5/s): QPS limits would be tested instead."""
    with emulators() as fleet:
        yield fleet.start("--no-qps-limits")


@pytest.mark.parametrize(("token", "key", "expected"), [
    ("token-1", ("STS.Valid", "sts-secret"), (200, "")),
    ("token-0", ("STS.Old", "old-secret"), (400, "InvalidSecurityToken.Expired")),
    ("token-X", ("STS.Valid", "sts-secret"), (400, "InvalidSecurityToken.MismatchWithAccessKey")),
    (None, ("STS.Valid", "sts-secret"), (400, "MissingSecurityToken")),
], ids=["valid token", "expired token", "another token", "no token"])
def test_sts_credentials_are_accepted_until_they_expire(
    sts_emulator: EmulatorProcess, token: str | None, key: tuple[str, str], expected: tuple[int, str]
) -> None:
    client = V1Client(sts_emulator.url, *key, security_token=token)

    reply = client.call("GetVideoInfo", {"VideoId": VIDEO})

    assert (reply.status, "" if reply.status == 200 else reply.code) == expected


@pytest.fixture(scope="module")
def sts_emulator() -> Iterator[EmulatorProcess]:
    with emulators() as fleet:
        yield fleet.start("--sts-credential", "STS.Valid:sts-secret:token-1:2099-01-01T00:00:00Z",
                          "--sts-credential", "STS.Old:old-secret:token-0:2020-01-01T00:00:00Z", templates=())


def test_only_shanghai_and_beijing_run_image_jobs_while_singapore_keeps_templates(start_emulator: StartEmulator) -> None:
    singapore = start_emulator("--region", "ap-southeast-1")
    client = V1Client(singapore.url, TEST_KEY.access_key_id, TEST_KEY.access_key_secret)

    submit = client.call("SubmitAIImageJob", {"VideoId": VIDEO, "AITemplateId": TEMPLATE})
    jobs = client.call("GetAIImageJobs", {"JobIds": "0" * 32})
    templates = client.call("ListAITemplate", {"TemplateType": "AIImage"})

    assert rejected(submit) == rejected(jobs) == (403, "Forbidden.RegionNotSupported")
    assert rejected(submit)[0] == 403 and submit.json()["HostId"] == "vod.ap-southeast-1.aliyuncs.com"
    assert templates.status == 200 and [t["TemplateId"] for t in templates.json()["TemplateInfoList"]] == [TEMPLATE]
