"""A plain HTTP client for the emulator with its own V1 (HMAC-SHA1) signer, written from the spec.

Written from shared/reference/vod-api.md §6.1 and independent of both `vod_provider.api.signing`
and `vod_emulator.auth`, so a bug shared by those two cannot hide here. Every knob a
rejection test needs (clock, nonce, secret, method, where the parameters go) is an argument.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def percent_encode(text: str) -> str:
    """RFC 3986, upper-case hex; a space is %20, `*` is %2A, `~` stays."""
    return "".join(ch if ch in _UNRESERVED else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in text)


def v1_signature(http_method: str, params: Mapping[str, str], secret: str) -> str:
    pairs = sorted((percent_encode(k), percent_encode(v)) for k, v in params.items())
    canonical = "&".join(f"{k}={v}" for k, v in pairs)
    to_sign = "&".join([http_method, percent_encode("/"), percent_encode(canonical)])
    mac = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def utc(offset_seconds: float = 0.0) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset_seconds))


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def code(self) -> str:
        return str(self.json().get("Code", ""))


@dataclass
class V1Client:
    url: str
    access_key_id: str
    access_key_secret: str
    security_token: str | None = None
    timeout: float = 10.0
    extra_headers: dict[str, str] = field(default_factory=dict)

    def signed_params(
        self,
        action: str,
        api_params: Mapping[str, str],
        *,
        sign_method: str = "POST",
        timestamp: str | None = None,
        clock_offset: float = 0.0,
        nonce: str | None = None,
        secret: str | None = None,
        version: str = "2017-03-21",
        signature_method: str = "HMAC-SHA1",
        response_format: str | None = "JSON",
        omit: Sequence[str] = (),
    ) -> dict[str, str]:
        params = {
            "Action": action, "Version": version, "AccessKeyId": self.access_key_id,
            "SignatureMethod": signature_method, "SignatureVersion": "1.0",
            "SignatureNonce": nonce or uuid.uuid4().hex, "Timestamp": timestamp or utc(clock_offset),
            **({"Format": response_format} if response_format else {}),
            **({"SecurityToken": self.security_token} if self.security_token else {}),
            **api_params,
        }
        for name in omit:
            params.pop(name, None)
        params["Signature"] = v1_signature(sign_method, params, secret or self.access_key_secret)
        return params

    def call(self, action: str, api_params: Mapping[str, str] | None = None, *, http_method: str = "POST",
             in_body: bool = False, tamper: Mapping[str, str] | None = None, **signing: Any) -> Reply:
        """Sign (for `http_method` unless `sign_method` says otherwise) and send; `tamper` changes parameters after signing."""
        signing.setdefault("sign_method", http_method)
        params = {**self.signed_params(action, api_params or {}, **signing), **(tamper or {})}
        return self.send(http_method, params, in_body)

    def send(self, http_method: str, params: Mapping[str, str], in_body: bool = False) -> Reply:
        encoded = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items())
        headers = dict(self.extra_headers)
        if in_body:
            path, body = "/", encoded.encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            path, body = f"/?{encoded}", b""
        connection = http.client.HTTPConnection(urlsplit(self.url).netloc, timeout=self.timeout)
        try:
            connection.request(http_method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()
