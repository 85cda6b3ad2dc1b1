"""Every signing stage, on both sides, reproduces the published and SDK-produced vectors in tests/vectors/.

The client's signer (vod_provider.api.signing) and the emulator's verifier (vod_emulator.auth) are
independent implementations; each must agree with the vectors, not merely with the other.
"""

from __future__ import annotations

import calendar
import json
import time
from pathlib import Path
from typing import Any

import pytest

from vod_emulator.auth import AccessKey, RawRequest, RequestVerifier
from vod_provider.api import signing

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def load(scheme: str) -> list[Any]:
    cases = []
    for case in sorted(VECTORS.iterdir()):
        vector = json.loads((case / "vector.json").read_text())
        assert (case / "SOURCE.md").read_text().strip(), f"{case.name} must say where it came from"
        if vector["scheme"] == scheme:
            cases.append(pytest.param(vector, id=case.name))
    return cases


def epoch(iso: str) -> float:
    return float(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")))


@pytest.mark.parametrize("vector", load("V3"))
def test_client_signer_reproduces_every_v3_stage(vector: dict[str, Any]) -> None:
    request = signing.RequestToSign(vector["method"], vector["pathname"], vector["params"], vector["headers"], vector["payload_sha256"])
    canonical = signing.canonical_request_v3(request)
    if "canonical_request" in vector:
        assert canonical == vector["canonical_request"]
    if "canonical_query" in vector:
        assert signing.canonical_query_string(vector["params"]) == vector["canonical_query"]
    assert signing.string_to_sign_v3(canonical) == vector["string_to_sign"]
    assert signing.authorization_v3(vector["access_key_id"], vector["access_key_secret"], request) == vector["authorization"]


@pytest.mark.parametrize("vector", load("V1"))
def test_client_signer_reproduces_every_v1_stage(vector: dict[str, Any]) -> None:
    to_sign = signing.string_to_sign_v1(vector["method"], vector["params"])
    assert to_sign == vector["string_to_sign"]
    assert signing.signature_v1(vector["access_key_secret"], to_sign) == vector["signature"]


def _verifier_for(vector: dict[str, Any], when: str) -> RequestVerifier:
    return RequestVerifier([AccessKey(vector["access_key_id"], vector["access_key_secret"])], clock=lambda: epoch(when))


@pytest.mark.parametrize("vector", [v for v in load("V3") if "x-acs-date" in v.values[0]["headers"]])
def test_emulator_accepts_every_complete_v3_vector_and_rejects_a_tampered_one(vector: dict[str, Any]) -> None:
    headers = {k.lower(): v for k, v in vector["headers"].items()} | {"authorization": vector["authorization"]}
    query = sorted(vector["params"].items())
    request = RawRequest(vector["method"], "/", query, headers, b"", [])

    assert _verifier_for(vector, headers["x-acs-date"]).verify(request).access_key_id == vector["access_key_id"]

    tampered = RawRequest(vector["method"], "/", [*query, ("Extra", "1")], headers, b"", [])
    with pytest.raises(Exception, match="SignatureDoesNotMatch"):
        _verifier_for(vector, headers["x-acs-date"]).verify(tampered)


@pytest.mark.parametrize("vector", [v for v in load("V1") if "Timestamp" in v.values[0]["params"]])
def test_emulator_accepts_every_complete_v1_vector(vector: dict[str, Any]) -> None:
    query = sorted(vector["params"].items()) + [("Signature", vector["signature"])]
    request = RawRequest(vector["method"], "/", query, {}, b"", [])

    verified = _verifier_for(vector, vector["params"]["Timestamp"]).verify(request)

    assert (verified.scheme, verified.access_key_id) == ("V1", vector["access_key_id"])
