"""The cloud's error responses, each made in one place: one table of codes, and the body they are sent in.

Codes, messages and HTTP statuses come from shared/reference/vod-api.md §5. Where the docs
are silent the choice is marked CHOICE here and explained in vod_emulator/README.md.
An error is raised from its kind, with the values its message names:

    raise errors.TIMESTAMP_EXPIRED(value=timestamp)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# CHOICE: the troubleshooting link of today's Alibaba Cloud (China site) gateway errors, e.g. Location's
# "https://api.aliyun.com/troubleshoot?q=InvalidRegionId&product=Location&requestId=8B48FA66-…";
# `vod` is VOD's product code in OpenAPI Explorer (api.aliyun.com/api/vod/2017-03-21/…).
RECOMMEND_URL = "https://api.aliyun.com/troubleshoot?q={code}&product=vod&requestId={request_id}"


class ApiError(Exception):
    """An error the emulated service answers with: HTTP status + Code + Message."""

    def __init__(self, http_status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.http_status = http_status
        self.code = code
        self.message = message


def error_body(error: ApiError, request_id: str, region: str) -> dict[str, Any]:
    """The body of an error answer, as the gateway writes it (JSON; XML under <Error>)."""
    return {
        "RequestId": request_id,
        "HostId": f"vod.{region}.aliyuncs.com",
        "Code": error.code,
        "Message": error.message,
        "Recommend": RECOMMEND_URL.format(code=quote(error.code, safe=""), request_id=request_id),
    }


@dataclass(frozen=True)
class ErrorKind:
    """One code the emulator answers with: its HTTP status, and its message as a str.format template."""

    http_status: int
    code: str
    message: str

    def __call__(self, **values: object) -> ApiError:
        return ApiError(self.http_status, self.code, self.message.format(**values))


# -- gateway: routing and parameters ----------------------------------------------------------

INVALID_PARAMETER = ErrorKind(400, "InvalidParameter", "The specified parameter {name} is not valid. {why}")
# CHOICE: InvalidAction.NotFound (404), the POP gateway's code, for any action VOD does not emulate;
# the cloud's message does not name the action.
UNKNOWN_ACTION = ErrorKind(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
INVALID_VERSION = ErrorKind(400, "InvalidVersion", "Specified parameter Version {version!r} is not valid.")
UNSUPPORTED_METHOD = ErrorKind(400, "UnsupportedHTTPMethod", "HTTP method {method} is not supported.")


def missing_parameter(name: str) -> ApiError:
    # CHOICE: the gateway's per-parameter form ("MissingVideoId"), not VOD's generic MissingParameter.
    return ApiError(400, f"Missing{name}", f"{name} is mandatory for this action.")


# -- gateway: authentication ------------------------------------------------------------------

# CHOICE: 404, as most gateway pages say (one says 400).
ACCESS_KEY_NOT_FOUND = ErrorKind(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
# The cloud appends its string-to-sign after a colon; the legacy SDK parses it.
SIGNATURE_MISMATCH = ErrorKind(
    400, "SignatureDoesNotMatch",
    "Specified signature is not matched with our calculation. server string to sign is:{server_string_to_sign}",
)
INCOMPLETE_SIGNATURE = ErrorKind(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. {why}")
INVALID_SIGNATURE_METHOD = ErrorKind(400, "InvalidSignatureMethod", "Specified signature method {method!r} is not valid.")
TIMESTAMP_FORMAT = ErrorKind(400, "InvalidTimeStamp.Format", "Specified time stamp or date value {value!r} is not well formatted.")
TIMESTAMP_EXPIRED = ErrorKind(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value {value!r} is expired.")
NONCE_USED = ErrorKind(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
SECURITY_TOKEN_MISSING = ErrorKind(400, "MissingSecurityToken", "SecurityToken is mandatory for this AccessKeyId.")
SECURITY_TOKEN_MISMATCH = ErrorKind(
    400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to this AccessKeyId.")
# CHOICE: the dedicated STS code (400), not the InvalidAccessKeyId.NotFound some products answer.
SECURITY_TOKEN_EXPIRED = ErrorKind(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")


# -- gateway: flow control, injected faults, failures -----------------------------------------

# CHOICE: no `x-acs-retry-after` header: VOD's docs give only the code and HTTP 400.
THROTTLED = ErrorKind(400, "Throttling.User", "Request was denied due to user flow control.")
INTERNAL_ERROR = ErrorKind(500, "InternalError", "The request processing has failed due to some unknown error.")

# HTTP status of each code a fault may inject; an unlisted code is answered with HTTP 400.
INJECTABLE_STATUS = {
    "InternalError": 500,
    "UnknownError": 500,
    "ServiceUnavailable": 503,
    "ServiceUnAvailable": 503,
    "Throttling.User": 400,
    "Throttling.Api": 400,
    "Throttling": 400,
    "Forbidden.RAM": 403,
    "OperationDenied": 403,
    "OperationDenied.Suspended": 403,
}
_INJECTED_MESSAGES = {
    "InternalError": "The request processing has failed due to some unknown error.",
    "UnknownError": "The request processing has failed due to some unknown error.",
    "ServiceUnavailable": "The request has failed due to a temporary failure of the server.",
    "ServiceUnAvailable": "The request has failed due to a temporary failure of the server.",
    "Throttling.User": "Request was denied due to user flow control.",
    "Forbidden.RAM": "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    "OperationDenied": "Your account does not open VOD service yet.",
}


def injected(code: str, http_status: int | None = None) -> ApiError:
    """The error a fault rule answers with instead of running the action."""
    status = http_status or INJECTABLE_STATUS.get(code, 400)
    return ApiError(status, code, _INJECTED_MESSAGES.get(code, f"Injected fault {code}."))


# -- VOD domain -------------------------------------------------------------------------------

# CHOICE: the code VOD uses for a missing video elsewhere (GetVideoInfo); not documented for the AI actions.
VIDEO_NOT_FOUND = ErrorKind(404, "InvalidVideo.NotFound", "The video does not exist.")
# CHOICE: the code other VOD media operations use for a video in a state they cannot work on.
VIDEO_ILLEGAL_STATUS = ErrorKind(400, "Forbidden.IllegalStatus", "Status of the video is illegal. (video status {status})")
# CHOICE: modelled on InvalidTranscodeTemplateGroup.NotFound (404), VOD's code for a missing transcode template.
AI_TEMPLATE_NOT_FOUND = ErrorKind(404, "InvalidAITemplate.NotFound", "The AI template does not exist.")
# CHOICE: the docs say a default template cannot be deleted, not what the call answers.
DEFAULT_TEMPLATE_NOT_DELETABLE = ErrorKind(
    403, "Forbidden.DefaultTemplate", "The default AI template cannot be deleted; set another template as the default first.")
# CHOICE: the docs only say which regions offer the action, not what others answer.
REGION_NOT_SUPPORTED = ErrorKind(
    403, "Forbidden.RegionNotSupported", "{action} is not available in region {region}; use {regions}.")
