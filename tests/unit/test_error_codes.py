"""Every error code is read whole, from one table: a revoked AccessKey is not a missing template."""

from __future__ import annotations

import re

import pytest

from vod_emulator import errors as emulator_errors
from vod_provider.api.errors import ERROR_CODES, Meaning, VodError, code_info, means_gone
from vod_provider.api.settings import STACK_CONFIG_KEYS

NOT_FOUND, THROTTLED, NOT_EXECUTED, MAYBE, PERMANENT = (
    Meaning.NOT_FOUND, Meaning.THROTTLED, Meaning.NOT_EXECUTED, Meaning.MAY_HAVE_EXECUTED, Meaning.PERMANENT,
)

# The whole table, written out again: a code added, dropped or re-read shows up here.
MEANINGS = {
    "MissingParameter": PERMANENT,
    "InvalidParameter": PERMANENT,
    "OperationDenied": PERMANENT,
    "OperationDenied.Suspended": PERMANENT,
    "Forbidden": PERMANENT,
    "InternalError": MAYBE,
    "ServiceUnAvailable": NOT_EXECUTED,
    "InvalidVideo.NotFound": NOT_FOUND,
    "Throttling.User": THROTTLED,
    "InvalidAccessKeyId.NotFound": PERMANENT,
    "InvalidAccessKeyId.Inactive": PERMANENT,
    "SignatureDoesNotMatch": PERMANENT,
    "IncompleteSignature": PERMANENT,
    "SignatureNonceUsed": NOT_EXECUTED,
    "InvalidTimeStamp.Expired": PERMANENT,
    "InvalidTimeStamp.Format": PERMANENT,
    "InvalidSignatureMethod": PERMANENT,
    "UnsupportedHTTPMethod": PERMANENT,
    "InvalidVersion": PERMANENT,
    "InvalidAction.NotFound": PERMANENT,
    "InvalidApi.NotFound": PERMANENT,
    "InvalidParameter.Format": PERMANENT,
    "Throttling.Api": THROTTLED,
    "Throttling": THROTTLED,
    "Forbidden.RAM": PERMANENT,
    "InvalidSecurityToken.Expired": PERMANENT,
    "InvalidSecurityToken.Malformed": PERMANENT,
    "InvalidSecurityToken.MismatchWithAccessKey": PERMANENT,
    "MissingSecurityToken": PERMANENT,
    "ServiceUnavailable": NOT_EXECUTED,
    "InternalFailure": MAYBE,
    "UnknownError": MAYBE,
    "Rejected.Throttling": THROTTLED,
    "Forbidden.IllegalStatus": PERMANENT,
    "NoSuchResource": NOT_FOUND,
    "InvalidAITemplate.NotFound": NOT_FOUND,
    "Forbidden.DefaultTemplate": PERMANENT,
    "Forbidden.RegionNotSupported": PERMANENT,
    "InvalidResponse": MAYBE,
    "Transport.Unresolved": NOT_EXECUTED,
    "Transport.Refused": NOT_EXECUTED,
    "Transport.ConnectTimeout": NOT_EXECUTED,
    "Transport.NotConnected": NOT_EXECUTED,
    "Transport.Untrusted": NOT_EXECUTED,
    "Transport.Handshake": NOT_EXECUTED,
    "Transport.Unsendable": PERMANENT,
    "Transport.ReadTimeout": MAYBE,
    "Transport.Broken": MAYBE,
}


@pytest.mark.parametrize(("code", "meaning"), sorted(MEANINGS.items()))
def test_each_code_has_its_meaning(code: str, meaning: Meaning) -> None:
    assert ERROR_CODES[code].meaning is meaning
    assert code_info(code, 400).meaning is meaning and code_info(code, 503).meaning is meaning  # the status never overrides


def test_the_table_holds_exactly_the_codes_above() -> None:
    assert sorted(ERROR_CODES) == sorted(MEANINGS)


@pytest.mark.parametrize(
    ("code", "resource", "gone"),
    [
        ("InvalidAITemplate.NotFound", "AITemplate", True),
        ("InvalidAccessKeyId.NotFound", "AITemplate", False),  # the bug: a revoked key dropped templates from state
        ("InvalidAction.NotFound", "AITemplate", False),
        ("InvalidApi.NotFound", "AITemplate", False),
        ("InvalidVideo.NotFound", "AITemplate", False),
        ("NoSuchResource", "AITemplate", False),
        ("InvalidVideo.NotFound", "Video", True),
        ("InvalidTemplate.NotFound", "AITemplate", False),  # not in the table: no guess from the suffix
    ],
)
def test_only_a_resources_own_not_found_code_says_it_is_gone(code: str, resource: str, gone: bool) -> None:
    assert means_gone(code, resource) is gone


@pytest.mark.parametrize(
    ("code", "status", "meaning"),
    [
        ("Throttling.Concurrent", 400, PERMANENT),  # no guess from the prefix either
        ("MissingVideoId", 400, PERMANENT),  # the gateway's Missing{Param} family (§5.3)
        ("BadGateway", 502, MAYBE),
        ("Unknown", 500, MAYBE),
        ("Whatever", None, MAYBE),
    ],
)
def test_a_code_not_in_the_table_is_read_by_its_http_status(code: str, status: int | None, meaning: Meaning) -> None:
    assert code not in ERROR_CODES
    assert code_info(code, status).meaning is meaning


def _emulator_codes() -> set[str]:
    """Every code the emulator answers with, but the Missing{Param} family (read by status, above)."""
    kinds = {kind.code for kind in vars(emulator_errors).values() if isinstance(kind, emulator_errors.ErrorKind)}
    return kinds | set(emulator_errors.INJECTABLE_STATUS)


def test_every_code_the_emulator_answers_with_is_in_the_table() -> None:
    assert sorted(_emulator_codes() - set(ERROR_CODES)) == []


def test_not_found_codes_name_their_resource_and_unreachable_ones_are_not_executed() -> None:
    assert {code for code, info in ERROR_CODES.items() if info.resource} == {"InvalidVideo.NotFound", "InvalidAITemplate.NotFound"}
    assert all(info.meaning is NOT_EXECUTED for info in ERROR_CODES.values() if info.unreachable)
    assert all(info.what for code, info in ERROR_CODES.items() if code.startswith("Transport."))


def test_the_advice_says_what_to_do_about_a_revoked_access_key() -> None:
    error = VodError("GetAITemplate", "InvalidAccessKeyId.NotFound", "Specified access key is not found.", "R-9", 404)

    assert str(error) == (
        "GetAITemplate failed: InvalidAccessKeyId.NotFound: Specified access key is not found. (RequestId R-9; HTTP 404)\n"
        "What to do: the AccessKeyId is unknown to this endpoint (revoked, deleted or mistyped, or an expired STS token); "
        "check vodjobs:accessKeyId (or ALIBABA_CLOUD_ACCESS_KEY_ID) and vodjobs:endpoint / vodjobs:region"
    )


def test_every_setting_an_advice_names_is_one_a_stack_may_set_and_throttling_names_max_qps() -> None:
    named = {key for info in ERROR_CODES.values() for key in re.findall(r"vodjobs:\w+", info.advice or "")}

    assert named and named <= set(STACK_CONFIG_KEYS), named - set(STACK_CONFIG_KEYS)
    assert all("vodjobs:maxQps" in (info.advice or "") for info in ERROR_CODES.values() if info.meaning is THROTTLED)
    assert "PULUMI_PARALLEL" not in " ".join(info.advice or "" for info in ERROR_CODES.values())
