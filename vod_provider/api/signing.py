"""Alibaba Cloud OpenAPI request signing, as pure stage functions.

V3 (ACS3-HMAC-SHA256) is what the official SDK sends by default and what the
client uses; V1 (HMAC-SHA1 in the parameters) is kept for the legacy scheme.
Each stage takes values and returns values (time and nonce are arguments), so
tests can feed the published vectors of shared/reference/vod-api.md §8 and
check every stage on its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

V3_ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_PAYLOAD_SHA256 = hashlib.sha256(b"").hexdigest()


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the OpenAPI gateway expects: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return quote(value, safe="-_.~", encoding="utf-8")


def canonical_query_string(params: Mapping[str, str]) -> str:
    """Sorted `name=value` pairs joined by `&`; an empty value is written `name=`."""
    return "&".join(
        f"{percent_encode(name)}={percent_encode(params[name])}"
        for name in sorted(params, key=lambda n: percent_encode(n))
    )


def canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """Return (CanonicalHeaders, SignedHeaders) for every header given.

    Names are lower-cased and sorted, values trimmed; repeated names (differing
    only in case) are merged as their sorted values joined by commas.
    """
    merged: dict[str, list[str]] = {}
    for name, value in headers.items():
        merged.setdefault(name.lower().strip(), []).append(value.strip())
    names = sorted(merged)
    lines = "".join(f"{name}:{','.join(sorted(merged[name]))}\n" for name in names)
    return lines, ";".join(names)


@dataclass(frozen=True)
class RequestToSign:
    """What a V3 signature covers: method, URI path, query parameters, the headers to sign, the payload's sha256."""

    method: str
    pathname: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    payload_sha256: str = EMPTY_PAYLOAD_SHA256


def canonical_request_v3(request: RequestToSign) -> str:
    """The V3 CanonicalRequest: method, URI, query, headers, signed headers, payload hash."""
    header_lines, signed = canonical_headers(request.headers)
    return "\n".join([request.method.upper(), request.pathname or "/", canonical_query_string(request.query), header_lines,
                      signed, request.payload_sha256])


def string_to_sign_v3(canonical_request: str) -> str:
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{V3_ALGORITHM}\n{digest}"


def signature_v3(access_key_secret: str, string_to_sign: str) -> str:
    mac = hmac.new(access_key_secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()


def authorization_v3(access_key_id: str, access_key_secret: str, request: RequestToSign) -> str:
    """The `Authorization` header value for a request whose every given header is signed."""
    signature = signature_v3(access_key_secret, string_to_sign_v3(canonical_request_v3(request)))
    _, signed = canonical_headers(request.headers)
    return f"{V3_ALGORITHM} Credential={access_key_id},SignedHeaders={signed},Signature={signature}"


def string_to_sign_v1(method: str, params: Mapping[str, str]) -> str:
    """`METHOD&%2F&<percent-encoded canonical query>`; `Signature` itself is never signed."""
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical_query_string(unsigned))}"


def signature_v1(access_key_secret: str, string_to_sign: str) -> str:
    """Base64 HMAC-SHA1 keyed with `secret&` (note the trailing ampersand)."""
    key = f"{access_key_secret}&".encode()
    mac = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")
