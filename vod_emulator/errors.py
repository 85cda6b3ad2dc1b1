"""The cloud's error responses, each made in one place.

Where the docs are silent the choice is marked CHOICE and explained in README.md.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error the emulated service answers with: HTTP status + Code + Message."""

    def __init__(self, http_status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.http_status = http_status
        self.code = code
        self.message = message


def missing_parameter(name: str) -> ApiError:
    # CHOICE: the gateway's per-parameter form ("MissingVideoId"), not VOD's generic MissingParameter.
    return ApiError(400, f"Missing{name}", f"{name} is mandatory for this action.")


def invalid_parameter(name: str, why: str) -> ApiError:
    return ApiError(400, "InvalidParameter", f"The specified parameter {name} is not valid. {why}")


def unknown_action(action: str) -> ApiError:
    return ApiError(404, "InvalidAction.NotFound", f"Specified api {action!r} is not found, please check your url and method.")


def invalid_version(version: str) -> ApiError:
    return ApiError(400, "InvalidVersion", f"Specified parameter Version {version!r} is not valid.")


def unsupported_method(method: str) -> ApiError:
    return ApiError(400, "UnsupportedHTTPMethod", f"HTTP method {method} is not supported.")


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


def video_not_found() -> ApiError:
    # CHOICE: the code VOD uses for a missing video elsewhere (GetVideoInfo); not documented for SubmitAIImageJob.
    return ApiError(404, "InvalidVideo.NotFound", "The video does not exist.")


def region_not_supported(action: str, region: str) -> ApiError:
    # CHOICE: the docs only say which regions offer the action, not what others answer.
    return ApiError(403, "Forbidden.RegionNotSupported", f"{action} is not available in region {region}; use cn-shanghai or cn-beijing.")


def throttled() -> ApiError:
    return ApiError(400, "Throttling.User", "Request was denied due to user flow control.")
