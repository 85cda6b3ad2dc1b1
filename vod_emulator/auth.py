"""Request authentication as the Alibaba Cloud gateway does it, written from the published spec.

This module deliberately shares no code with `vod_provider.api.signing`: if the
client's signer had a bug, a verifier built on the same code would accept it.
It supports both schemes the cloud accepts:

- V3: `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`
  with `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`;
- V1: `Signature`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `Timestamp`,
  `SignatureNonce`, `AccessKeyId` among the request parameters.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vod_emulator import errors

ALLOWED_CLOCK_SKEW_SECONDS = 15 * 60
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_AUTHORIZATION = re.compile(
    r"^ACS3-HMAC-SHA256 Credential=(?P<key>[^,]+),SignedHeaders=(?P<signed>[^,]+),Signature=(?P<signature>[0-9a-f]{64})$"
)
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
V1_AUTH_PARAMETERS = frozenset(
    {"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce",
     "SignatureType", "Timestamp", "Format", "Version", "Action", "SecurityToken", "RegionId"}
)
_V3_MUST_SIGN = ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256")


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    access_key_secret: str
    security_token: str | None = None
    expires_at: float | None = None  # epoch seconds; for STS credentials


@dataclass(frozen=True)
class RawRequest:
    """What the verifier needs of an HTTP request: nothing decoded beyond the query pairs."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    form: list[tuple[str, str]]


@dataclass(frozen=True)
class Verified:
    scheme: str  # "V3" or "V1"
    access_key_id: str


def rfc3986(text: str) -> str:
    out = []
    for byte in text.encode("utf-8"):
        out.append(chr(byte) if byte in _UNRESERVED else f"%{byte:02X}")
    return "".join(out)


def _sorted_pairs(pairs: list[tuple[str, str]]) -> str:
    encoded = sorted((rfc3986(k), rfc3986(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def _parse_iso_utc(value: str) -> float:
    if not _ISO_UTC.match(value):
        raise errors.TIMESTAMP_FORMAT(value=value)
    try:
        return float(calendar.timegm(time.strptime(value, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        raise errors.TIMESTAMP_FORMAT(value=value) from None


class RequestVerifier:
    """Checks the signature, clock window, nonce and credential of each request. Thread-safe."""

    def __init__(self, keys: list[AccessKey], clock: Callable[[], float] = time.time) -> None:
        self._keys = {k.access_key_id: k for k in keys}
        self._clock = clock
        self._lock = threading.Lock()
        self._nonces: OrderedDict[str, float] = OrderedDict()  # nonce -> arrival time, oldest first

    def verify(self, request: RawRequest) -> Verified:
        if "authorization" in request.headers:
            return self._verify_v3(request)
        if any(name == "Signature" for name, _ in request.query + request.form):
            return self._verify_v1(request)
        raise errors.INCOMPLETE_SIGNATURE(why="The request carries neither an Authorization header nor a Signature parameter.")

    # -- V3 ------------------------------------------------------------------------------

    def _verify_v3(self, request: RawRequest) -> Verified:
        authorization = request.headers["authorization"].strip()
        algorithm = authorization.partition(" ")[0]
        if algorithm != "ACS3-HMAC-SHA256":
            # ACS3-HMAC-SM3 and ACS3-RSA-SHA256 exist, but the emulator verifies only the SDK default.
            raise errors.INVALID_SIGNATURE_METHOD(method=algorithm)
        match = _AUTHORIZATION.match(authorization)
        if not match:
            raise errors.INCOMPLETE_SIGNATURE(why="Authorization must read 'ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…'.")
        signed = match["signed"].split(";")
        for needed in _V3_MUST_SIGN:
            if needed not in signed:
                raise errors.INCOMPLETE_SIGNATURE(why=f"Header {needed} must be present and signed.")
        for name in request.headers:
            if name.startswith("x-acs-") and name not in signed:
                raise errors.INCOMPLETE_SIGNATURE(why=f"Header {name} must be signed.")
        for name in signed:
            if name not in request.headers:
                raise errors.INCOMPLETE_SIGNATURE(why=f"Signed header {name} is not in the request.")
        key = self._key(match["key"], request.headers.get("x-acs-security-token"))
        body_hash = hashlib.sha256(request.body).hexdigest()
        if request.headers["x-acs-content-sha256"] != body_hash:
            # CHOICE: reported as a signature mismatch (the hash is part of what is signed).
            raise errors.SIGNATURE_MISMATCH(server_string_to_sign=f"x-acs-content-sha256 does not match the body (sha256 {body_hash})")
        lines = [
            request.method,
            request.path or "/",
            _sorted_pairs(request.query),
            "".join(f"{name}:{request.headers[name].strip()}\n" for name in signed),
            match["signed"],
            request.headers["x-acs-content-sha256"],
        ]
        canonical = "\n".join(lines)
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        expected = hmac.new(key.access_key_secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, match["signature"]):
            raise errors.SIGNATURE_MISMATCH(server_string_to_sign=to_sign.replace("\n", "\\n"))
        self._check_time_and_nonce(request.headers["x-acs-date"], request.headers["x-acs-signature-nonce"])
        return Verified("V3", key.access_key_id)

    # -- V1 ------------------------------------------------------------------------------

    def _verify_v1(self, request: RawRequest) -> Verified:
        params = dict(request.query + request.form)
        for needed in ("AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"):
            if not params.get(needed):
                raise errors.missing_parameter(needed)
        if params["SignatureMethod"] != "HMAC-SHA1":
            raise errors.INVALID_SIGNATURE_METHOD(method=params["SignatureMethod"])
        if params["SignatureVersion"] != "1.0":
            raise errors.INCOMPLETE_SIGNATURE(why="SignatureVersion must be 1.0.")
        key = self._key(params["AccessKeyId"], params.get("SecurityToken"))
        unsigned = [(k, v) for k, v in request.query + request.form if k != "Signature"]
        to_sign = f"{request.method}&%2F&{rfc3986(_sorted_pairs(unsigned))}"
        digest = hmac.new(f"{key.access_key_secret}&".encode(), to_sign.encode("utf-8"), hashlib.sha1).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode("ascii"), params["Signature"]):
            raise errors.SIGNATURE_MISMATCH(server_string_to_sign=to_sign)
        self._check_time_and_nonce(params["Timestamp"], params["SignatureNonce"])
        return Verified("V1", key.access_key_id)

    # -- shared --------------------------------------------------------------------------

    def _key(self, access_key_id: str, token: str | None) -> AccessKey:
        key = self._keys.get(access_key_id)
        if key is None:
            raise errors.ACCESS_KEY_NOT_FOUND()
        if key.security_token is not None:
            if token is None:
                raise errors.SECURITY_TOKEN_MISSING()
            if not hmac.compare_digest(token, key.security_token):
                raise errors.SECURITY_TOKEN_MISMATCH()
            if key.expires_at is not None and self._clock() >= key.expires_at:
                raise errors.SECURITY_TOKEN_EXPIRED()
        return key

    def _check_time_and_nonce(self, timestamp: str, nonce: str) -> None:
        now = self._clock()
        if abs(now - _parse_iso_utc(timestamp)) > ALLOWED_CLOCK_SKEW_SECONDS:
            raise errors.TIMESTAMP_EXPIRED(value=timestamp)
        with self._lock:
            # A nonce needs remembering only while a replay could still pass the clock check:
            # its timestamp is within the window of its arrival, so for two windows after it.
            horizon = now - 2 * ALLOWED_CLOCK_SKEW_SECONDS
            while self._nonces and next(iter(self._nonces.values())) < horizon:
                self._nonces.popitem(last=False)
            if nonce in self._nonces:
                raise errors.NONCE_USED()
            self._nonces[nonce] = now
