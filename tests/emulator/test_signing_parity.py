"""The project's client signs a SubmitAIImageJob byte for byte as Alibaba's official SDK does.

Same inputs on both sides: AccessKey, host, parameters, and (patched into the SDK) the date,
the nonce and the user-agent. The SDK's request is captured instead of sent; its
`x-acs-credentials-provider` header is left out by handing it a credential without a
provider name, so both requests carry the same header set.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from alibabacloud_credentials.models import CredentialModel
from alibabacloud_tea_openapi import client as openapi_client
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_openapi.utils import Utils
from alibabacloud_vod20170321.client import Client
from alibabacloud_vod20170321.models import SubmitAIImageJobRequest
from darabonba.exceptions import UnretryableException

from vod_provider.api.client import USER_AGENT, VodClient
from vod_provider.api.credentials import Credentials

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
DATE, NONCE = "2024-01-01T00:00:00Z", "0123456789abcdef0123456789abcdef"
KEY_ID, SECRET, HOST = "testAccessKeyId", "testAccessKeySecret", "vod.cn-shanghai.aliyuncs.com"
PARAMS = {"VideoId": "357a8748c5774aaaa89d2726e6436aa", "AITemplateId": "ef1a8842cb9f4aaaacea80cad902e416",
          "UserData": '{"Extend":{"localId":"1"}}'}


class _Captured(Exception):
    def __init__(self, request: Any) -> None:
        self.request = request


class _PlainAccessKey:
    """A credential client of the SDK's shape whose model names no provider."""

    def get_credential(self) -> CredentialModel:
        return CredentialModel(access_key_id=KEY_ID, access_key_secret=SECRET, type="access_key")


def sdk_request(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: DATE))
    monkeypatch.setattr(Utils, "get_nonce", staticmethod(lambda: NONCE))
    monkeypatch.setattr(Utils, "get_user_agent", staticmethod(lambda _agent: USER_AGENT))

    def capture(request: Any, _runtime: Any) -> Any:
        raise _Captured(request)

    monkeypatch.setattr(openapi_client.DaraCore, "do_action", staticmethod(capture))
    client = Client(Config(credential=_PlainAccessKey(), endpoint=HOST, region_id="cn-shanghai", protocol="https"))
    with pytest.raises(UnretryableException) as raised:  # the SDK wraps whatever its transport raised
        client.submit_aiimage_job(SubmitAIImageJobRequest(
            video_id=PARAMS["VideoId"], aitemplate_id=PARAMS["AITemplateId"], user_data=PARAMS["UserData"]))
    assert isinstance(raised.value.inner_exception, _Captured)
    return raised.value.inner_exception.request


def test_the_client_signature_is_byte_identical_to_the_official_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    sdk = sdk_request(monkeypatch)
    ours = VodClient(f"https://{HOST}", Credentials(KEY_ID, SECRET), clock=lambda: DATE, nonce=lambda: NONCE)

    url, headers = ours.signed_request_parts("SubmitAIImageJob", PARAMS)

    assert {k.lower(): v for k, v in headers.items()} == {k.lower(): v for k, v in sdk.headers.items()}
    assert headers["Authorization"] == sdk.headers["Authorization"]
    assert (sdk.method, sdk.pathname, urlsplit(url).path) == ("POST", "/", "/")
    assert dict(parse_qsl(urlsplit(url).query)) == sdk.query == PARAMS


def test_the_sdk_signer_used_above_reproduces_the_reference_vector() -> None:
    """Guards the harness: the SDK function that signed above gives §8.5's vector for its own header set."""
    vector = json.loads((VECTORS / "v3-vod-submitaiimagejob-sdk-headers" / "vector.json").read_text())
    request = SimpleNamespace(method=vector["method"], pathname=vector["pathname"], query=vector["params"],
                              headers=vector["headers"])

    authorization = Utils.get_authorization(
        request, "ACS3-HMAC-SHA256", vector["payload_sha256"], vector["access_key_id"], vector["access_key_secret"])

    assert authorization == vector["authorization"]
