"""The cloud's error responses, each made in one place.

Codes, messages and HTTP statuses come from shared/reference/vod-api.md §5. Where the docs
are silent the choice is marked CHOICE here and explained in vod_emulator/README.md.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error the emulated service answers with: HTTP status + Code + Message."""

    def __init__(self, http_status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.http_status = http_status
        self.code = code
        self.message = message


# -- gateway: routing and parameters ----------------------------------------------------------

def missing_parameter(name: str) -> ApiError:
    # CHOICE: the gateway's per-parameter form ("MissingVideoId"), not VOD's generic MissingParameter.
    return ApiError(400, f"Missing{name}", f"{name} is mandatory for this action.")


def invalid_parameter(name: str, why: str) -> ApiError:
    return ApiError(400, "InvalidParameter", f"The specified parameter {name} is not valid. {why}")


def unknown_action(action: str) -> ApiError:
    # CHOICE: InvalidAction.NotFound (404), the POP gateway's code, for any action VOD does not emulate.
    del action  # the cloud's message does not name it
    return ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")


def invalid_version(version: str) -> ApiError:
    return ApiError(400, "InvalidVersion", f"Specified parameter Version {version!r} is not valid.")


def unsupported_method(method: str) -> ApiError:
    return ApiError(400, "UnsupportedHTTPMethod", f"HTTP method {method} is not supported.")


# -- gateway: authentication ------------------------------------------------------------------

def access_key_not_found() -> ApiError:
    # CHOICE: 404, as most gateway pages say (one says 400).
    return ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")


def signature_mismatch(server_string_to_sign: str) -> ApiError:
    # The cloud appends its string-to-sign after a colon; the legacy SDK parses it.
    return ApiError(
        400,
        "SignatureDoesNotMatch",
        f"Specified signature is not matched with our calculation. server string to sign is:{server_string_to_sign}",
    )


def incomplete_signature(why: str) -> ApiError:
    return ApiError(400, "IncompleteSignature", f"The request signature does not conform to Aliyun standards. {why}")


def invalid_signature_method(method: str) -> ApiError:
    return ApiError(400, "InvalidSignatureMethod", f"Specified signature method {method!r} is not valid.")


def timestamp_format(value: str) -> ApiError:
    return ApiError(400, "InvalidTimeStamp.Format", f"Specified time stamp or date value {value!r} is not well formatted.")


def timestamp_expired(value: str) -> ApiError:
    return ApiError(400, "InvalidTimeStamp.Expired", f"Specified time stamp or date value {value!r} is expired.")


def nonce_used() -> ApiError:
    return ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")


def security_token_missing() -> ApiError:
    return ApiError(400, "MissingSecurityToken", "SecurityToken is mandatory for this AccessKeyId.")


def security_token_mismatch() -> ApiError:
    return ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to this AccessKeyId.")


def security_token_expired() -> ApiError:
    # CHOICE: the dedicated STS code (400), not the InvalidAccessKeyId.NotFound some products answer.
    return ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")


# -- gateway: flow control and injected faults ------------------------------------------------

def throttled() -> ApiError:
    # CHOICE: no `x-acs-retry-after` header: VOD's docs give only the code and HTTP 400.
    return ApiError(400, "Throttling.User", "Request was denied due to user flow control.")


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


def internal_error() -> ApiError:
    return ApiError(500, "InternalError", "The request processing has failed due to some unknown error.")


# -- VOD domain -------------------------------------------------------------------------------

def video_not_found() -> ApiError:
    # CHOICE: the code VOD uses for a missing video elsewhere (GetVideoInfo); not documented for the AI actions.
    return ApiError(404, "InvalidVideo.NotFound", "The video does not exist.")


def video_illegal_status(status: str) -> ApiError:
    # CHOICE: the code other VOD media operations use for a video in a state they cannot work on.
    return ApiError(400, "Forbidden.IllegalStatus", f"Status of the video is illegal. (video status {status})")


def ai_template_not_found() -> ApiError:
    # CHOICE: modelled on InvalidTranscodeTemplateGroup.NotFound (404), VOD's code for a missing transcode template.
    return ApiError(404, "InvalidAITemplate.NotFound", "The AI template does not exist.")


def default_template_not_deletable() -> ApiError:
    # CHOICE: the docs say a default template cannot be deleted, not what the call answers.
    return ApiError(403, "Forbidden.DefaultTemplate", "The default AI template cannot be deleted; set another template as the default first.")


def region_not_supported(action: str, region: str, regions: tuple[str, ...]) -> ApiError:
    # CHOICE: the docs only say which regions offer the action, not what others answer.
    return ApiError(403, "Forbidden.RegionNotSupported", f"{action} is not available in region {region}; use {' or '.join(regions)}.")
